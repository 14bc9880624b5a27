package models_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"factdesk/internal/newsgen"
	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/segment"
	"factdesk/similar"
)

// loadCorpus stores articles of perArticle generated news sentences each
// with COPY, normalised as the store normalises them, one revision each,
// and returns how many sentences it stored. With rebuild the trigram index
// is dropped first and built again after the load, as a bulk load would.
func loadCorpus(t testing.TB, dsn string, userID int64, articles, perArticle int, rebuild bool) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var artBase, revBase int64
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&artBase); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM revisions`).Scan(&revBase); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(uint64(artBase)+1, 2026))
	stories := make([][]string, articles)
	for i := range stories {
		ss := newsgen.NewStory(r, perArticle).Sentences()[1:]
		for len(ss) < perArticle {
			ss = append(ss, ss...)
		}
		stories[i] = ss[:perArticle]
	}
	now := models.Now()
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"articles"}, []string{"id", "title", "outlet", "status", "created_by", "created_at", "updated_at"},
		pgx.CopyFromSlice(articles, func(i int) ([]any, error) {
			return []any{artBase + int64(i) + 1, fmt.Sprintf("Archive story %d", i+1), "Corpus Wire", "approved", userID, now, now}, nil
		}))
	if err != nil {
		t.Fatalf("copy articles: %v", err)
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"revisions"},
		[]string{"id", "article_id", "number", "body", "body_sha256", "format", "sentence_count", "paragraph_count", "imported_by", "imported_at"},
		pgx.CopyFromSlice(articles, func(i int) ([]any, error) {
			return []any{revBase + int64(i) + 1, artBase + int64(i) + 1, 1, strings.Join(stories[i], " "),
				fmt.Sprintf("%064x", revBase+int64(i)+1), "text", perArticle, 1, userID, now}, nil
		}))
	if err != nil {
		t.Fatalf("copy revisions: %v", err)
	}
	for _, q := range []string{
		`SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))`,
		`SELECT setval('revisions_id_seq', (SELECT max(id) FROM revisions))`,
		fmt.Sprintf(`UPDATE articles SET current_revision_id = id - %d + %d WHERE id > %d`, artBase, revBase, artBase),
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if rebuild {
		if _, err := conn.Exec(ctx, `DROP INDEX sentences_bands_idx`); err != nil {
			t.Fatal(err)
		}
	}
	art, k, off, offCP := 0, 0, 0, 0
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"sentences"},
		[]string{"article_id", "revision_id", "idx", "paragraph", "start_byte", "end_byte", "start_cp", "end_cp",
			"text", "quote", "status", "version", "updated_at", "norm", "bands"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if k == perArticle {
				art, k, off, offCP = art+1, 0, 0, 0
			}
			if art == articles {
				return nil, nil
			}
			text := stories[art][k]
			cps := utf8.RuneCountInString(text)
			norm := similar.Normalize(text)
			var bands []int64
			if similar.Eligible(norm) {
				for _, k := range similar.Sign(norm).Bands() {
					bands = append(bands, int64(k))
				}
			}
			row := []any{artBase + int64(art) + 1, revBase + int64(art) + 1, k, 0, off, off + len(text), offCP, offCP + cps,
				text, "none", "unreviewed", 1, now, norm, bands}
			k++
			off += len(text) + 1
			offCP += cps + 1
			return row, nil
		}))
	if err != nil {
		t.Fatalf("copy sentences: %v", err)
	}
	if rebuild {
		if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `CREATE INDEX sentences_bands_idx ON sentences USING gin (bands) WITH (fastupdate = off)`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	return articles * perArticle
}

// explainSimilar returns the plan of SimilarQuery for a normalised text,
// as EXPLAIN (options) prints it.
func explainSimilar(t testing.TB, db *models.DB, norm string, articleID int64, options string) string {
	t.Helper()
	var lines []string
	err := db.Gorm().Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(models.SimilarPlanSQL).Error; err != nil {
			return err
		}
		return tx.Raw("EXPLAIN ("+options+") "+models.SimilarQuery, models.SimilarQueryArgs(norm, articleID, models.MaxSimilar)...).Scan(&lines).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// indexesUsed lists the indexes a JSON plan scans.
func indexesUsed(t testing.TB, planJSON string) []string {
	t.Helper()
	var plans []struct{ Plan json.RawMessage }
	if err := json.Unmarshal([]byte(planJSON), &plans); err != nil {
		t.Fatalf("plan: %v\n%s", err, planJSON)
	}
	var out []string
	var walk func(raw json.RawMessage)
	walk = func(raw json.RawMessage) {
		var n struct {
			NodeType  string            `json:"Node Type"`
			IndexName string            `json:"Index Name"`
			Plans     []json.RawMessage `json:"Plans"`
		}
		if err := json.Unmarshal(raw, &n); err != nil {
			t.Fatal(err)
		}
		if n.IndexName != "" {
			out = append(out, n.NodeType+" "+n.IndexName)
		}
		for _, p := range n.Plans {
			walk(p)
		}
	}
	for _, p := range plans {
		walk(p.Plan)
	}
	return out
}

// corpusUser creates the user a loaded corpus is recorded for.
func corpusUser(t testing.TB, store *models.Store) *models.User {
	t.Helper()
	u, err := store.CreateUser(context.Background(), models.System, models.NewUser{Email: "corpus@test.example", Name: "Corpus", Role: models.RoleChecker, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSimilarPlanUsesBandIndex loads 20,000 generated sentences on
// PostgreSQL, analyses them, and checks that the lookup's plan finds its
// candidates through the GIN index on sentences.bands rather than by
// reading the table.
func TestSimilarPlanUsesBandIndex(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	dsn := testdb.Address(t, db)
	store := models.NewStore(db)
	u := corpusUser(t, store)
	loadCorpus(t, dsn, u.ID, 1000, 20, false)
	query := similar.Normalize("Russian President Vladimir Putin announced that 755 American diplomats will have to leave Russia by September 1, 2017.")
	plan := explainSimilar(t, db, query, 0, "FORMAT JSON")
	used := indexesUsed(t, plan)
	if !slices.Contains(used, "Bitmap Index Scan sentences_bands_idx") {
		t.Errorf("indexes used: %v, want a bitmap scan of sentences_bands_idx\n%s", used, explainSimilar(t, db, query, 0, "COSTS OFF"))
	}
}

// TestSimilarAtScale is the figure: the lookup among 1,000,000
// stored sentences on PostgreSQL. It takes minutes (load and index
// build), so it runs only with FACTDESK_SCALE=1. It logs the time of the
// lookups — for the example article's claims, reworded, which find their
// originals; for the example's own sentences, which find nothing in the
// generated news; and for sentences of the generated news, whose
// templates repeat (a worst case: thousands of near-copies) — and the
// EXPLAIN ANALYZE of the first, and checks that they use the index.
func TestSimilarAtScale(t *testing.T) {
	if os.Getenv("FACTDESK_SCALE") != "1" {
		t.Skip("set FACTDESK_SCALE=1 to load 1,000,000 sentences and time the similar-claim lookup")
	}
	ctx := context.Background()
	db := testdb.OpenWith(t, testdb.Postgres, models.Options{StatementTimeout: 10 * time.Minute})
	dsn := testdb.Address(t, db)
	store := models.NewStore(db)
	u := corpusUser(t, store)
	seed := storeSeedArticles(t, store, u)

	start := time.Now()
	n := loadCorpus(t, dsn, u.ID, 50_000, 20, true)
	t.Logf("loaded %d generated sentences (COPY, index built after, ANALYZE) in %.1f s", n, time.Since(start).Seconds())
	var total int64
	if err := db.Gorm().Raw(`SELECT count(*) FROM sentences`).Scan(&total).Error; err != nil {
		t.Fatal(err)
	}

	lookups := func(name string, ids []int64) {
		t.Helper()
		var ds []time.Duration
		found := 0
		for round := 0; round < 2; round++ { // the first round warms the cache
			ds = ds[:0]
			for _, id := range ids {
				t0 := time.Now()
				res, err := store.SimilarSentences(ctx, id, 0)
				if err != nil {
					t.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
				found += len(res.Matches)
			}
		}
		slices.Sort(ds)
		t.Logf("%s: %d lookups among %d sentences: median %.1f ms, 95th percentile %.1f ms, max %.1f ms, %.1f matches each",
			name, len(ds), total, ms(ds[len(ds)/2]), ms(ds[len(ds)*95/100]), ms(ds[len(ds)-1]), float64(found)/float64(2*len(ds)))
	}
	lookups("reworded claims (found)", seed.claims)
	lookups("the example's sentences", seed.own)
	var sample []int64
	if err := db.Gorm().Raw(`SELECT id FROM sentences WHERE article_id > ? ORDER BY id % 997, id LIMIT 200`, seed.last).Scan(&sample).Error; err != nil {
		t.Fatal(err)
	}
	lookups("generated news (templated)", sample)

	q, err := store.Sentence(ctx, seed.claims[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("EXPLAIN ANALYZE of a reworded claim:\n%s", explainSimilar(t, db, q.Norm, q.ArticleID, "ANALYZE, BUFFERS"))
	flood, err := store.Sentence(ctx, sample[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("EXPLAIN ANALYZE of a templated sentence of the generated news, %q:\n%s", flood.Text,
		explainSimilar(t, db, flood.Norm, flood.ArticleID, "ANALYZE, BUFFERS"))
	used := indexesUsed(t, explainSimilar(t, db, q.Norm, q.ArticleID, "FORMAT JSON"))
	if !slices.Contains(used, "Bitmap Index Scan sentences_bands_idx") {
		t.Errorf("indexes used at scale: %v, want the band index", used)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seedSentences returns the example article's sentences as the segmenter
// finds them.
func seedSentences(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range segment.Split(string(b)) {
		out = append(out, s.Text)
	}
	return out
}

// seedSet is the example article and a report that repeats three of its
// claims, stored through the store.
type seedSet struct {
	claims []int64 // the report's sentences that repeat a claim
	own    []int64 // the example article's eligible sentences
	last   int64   // the last article id before the corpus
}

// storeSeedArticles stores the example article and a second report that
// repeats three of its claims in other words.
func storeSeedArticles(t testing.TB, store *models.Store, u *models.User) seedSet {
	t.Helper()
	ctx := context.Background()
	texts := []string{
		"Russian President Vladimir Putin announced that 755 American diplomats will have to leave Russia by September 1, 2017.",
		"Russia hacked the Democratic National Committee's servers and sent the contents of those emails to WikiLeaks.",
		"The bill targets Russia's energy, financial, railway, shipping, metals and mining sectors.",
	}
	var out seedSet
	for i, group := range [][]string{seedSentences(t), texts} {
		body := strings.Join(group, " ")
		na := models.NewArticle{Title: fmt.Sprintf("Seed %d", i), Format: "text", Body: body, BodySHA256: fmt.Sprintf("%064x", i+1), ParagraphCount: 1}
		off := 0
		for k, s := range group {
			na.Sentences = append(na.Sentences, models.Sentence{Index: k, StartByte: off, EndByte: off + len(s), Start: utf8.RuneCountInString(body[:off]),
				End: utf8.RuneCountInString(body[:off+len(s)]), Text: s, Quote: "none"})
			off += len(s) + 1
		}
		a, _, err := store.CreateArticle(ctx, u.Actor(), na)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := store.Sentences(ctx, *a.CurrentRevisionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			switch {
			case i == 1:
				out.claims = append(out.claims, s.ID)
			case similar.Eligible(s.Text):
				out.own = append(out.own, s.ID)
			}
		}
		out.last = a.ID
	}
	return out
}
