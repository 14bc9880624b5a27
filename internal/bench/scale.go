package bench

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/models"
)

// Sizes of the scale run.
const (
	ScaleArticles  = 100_000
	ScaleSentences = 3_000_000
)

// ScaleResult is the scale run: the load of a newsroom's archive with COPY,
// then the list, the review page and the plans of the hot queries at that
// size.
type ScaleResult struct {
	Articles  int     `json:"articles"`
	Sentences int     `json:"sentences"`
	LoadSec   float64 `json:"load_s"`
	// LoadRowsPerSec counts articles, revisions and sentences.
	LoadRowsPerSec float64     `json:"load_rows_s"`
	List           ListFigure  `json:"list"`
	Page           PageFigure  `json:"page"`
	Plans          []PlanCheck `json:"plans"`
	// Similar is the similar-claim search of one archived sentence.
	Similar *SimilarFigure `json:"similar,omitempty"`
	// Search is the full-text search through the API at this size.
	Search *SearchFigure `json:"search,omitempty"`
	Error  string        `json:"error,omitempty"`
}

// SimilarFigure is the time to find the claims similar to one sentence
// among the scale data.
type SimilarFigure struct {
	Ms    float64 `json:"ms"`
	Found int     `json:"found"`
}

func measureScale(ctx context.Context, e *env, cfg Config, repeats int, lg logger) *ScaleResult {
	r := &ScaleResult{}
	if !isPostgres(e.db) {
		// SQLite's scale run is the search over an imported archive.
		sentences := SQLiteScaleSentences
		if cfg.ScaleSentences > 0 {
			sentences = cfg.ScaleSentences
		}
		start := time.Now()
		n, err := loadSearchArchiveSQLite(ctx, e, sentences)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		r.Sentences, r.LoadSec = n, time.Since(start).Seconds()
		r.LoadRowsPerSec = float64(n) / r.LoadSec
		lg.printf("scale: imported %d sentences in %.1f s", n, r.LoadSec)
		r.Search = measureSearch(ctx, e, max(20, repeats*10), 0)
		return r
	}
	articles, sentences := ScaleArticles, ScaleSentences
	if cfg.ScaleArticles > 0 {
		articles = cfg.ScaleArticles
	}
	if cfg.ScaleSentences > 0 {
		sentences = cfg.ScaleSentences
	}
	var articleBase, sentenceBase int64
	if err := e.db.SQL().QueryRowContext(ctx, `SELECT coalesce((SELECT max(id) FROM articles), 0), coalesce((SELECT max(id) FROM sentences), 0)`).Scan(&articleBase, &sentenceBase); err != nil {
		r.Error = err.Error()
		return r
	}
	start := time.Now()
	if err := copyArchive(ctx, e, articles, sentences); err != nil {
		r.Error = err.Error()
		return r
	}
	if err := indexArchive(ctx, e, articleBase, sentenceBase); err != nil {
		r.Error = err.Error()
		return r
	}
	r.LoadSec = time.Since(start).Seconds()
	r.Articles, r.Sentences = articles, sentences
	r.LoadRowsPerSec = float64(2*articles+sentences) / r.LoadSec
	lg.printf("scale: loaded %d articles, %d sentences in %.1f s", articles, sentences, r.LoadSec)

	// The big article again, imported into the full archive.
	story := newsgen.NewStory(newRand(99), BigArticle)
	res, err := e.svc.Import(ctx, e.checker, ingest.ArticleInput{Title: story.Title, Body: story.Body(), Format: "text"})
	if err != nil {
		r.Error = fmt.Sprintf("import the big article: %v", err)
		return r
	}
	r.List = listAt(ctx, e, ListFigure{TargetMs: ListTargetMs}, repeats)
	r.Page = measurePage(ctx, e, res.Article.ID, repeats)
	args, err := SamplePlanArgs(ctx, e.db.SQL())
	if err != nil {
		r.Error = err.Error()
		return r
	}
	args.MinRows = 1000
	if r.Plans, err = CheckPlans(ctx, e.db.SQL(), args); err != nil {
		r.Error = err.Error()
		return r
	}
	var found int
	d, err := median(repeats, func() error {
		res, err := e.store.SimilarSentences(ctx, args.Sentence, 0)
		if err == nil {
			found = len(res.Matches)
		}
		return err
	})
	if err != nil {
		r.Error = fmt.Sprintf("similar claims: %v", err)
		return r
	}
	r.Similar = &SimilarFigure{Ms: ms(d), Found: found}
	lg.printf("scale: search …")
	r.Search = measureSearch(ctx, e, max(20, repeats*10), SearchTargetMs)
	return r
}

// copyArchive loads articles with one revision each and sentences spread
// over them with COPY: generated news sentences, a realistic mix of
// statuses, labels on the reviewed ones.
func copyArchive(ctx context.Context, e *env, articles, sentences int) error {
	conn, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var artBase, revBase int64
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&artBase); err != nil {
		return err
	}
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM revisions`).Scan(&revBase); err != nil {
		return err
	}
	now := models.Now()
	user := e.checker.ID
	statuses := []string{"draft", "in_review", "submitted", "approved", "changes_requested"}
	per := sentences / articles
	extra := sentences % articles
	r := newRand(2024)

	// Stories are generated once per article and kept for the sentences.
	stories := make([][]string, articles)
	bodies := make([]string, articles)
	for i := range articles {
		n := per
		if i < extra {
			n++
		}
		st := newsgen.NewStory(r, n)
		ss := st.Sentences()[1:]
		for len(ss) < n {
			ss = append(ss, ss...)
		}
		stories[i] = ss[:n]
		bodies[i] = st.Body()
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"articles"},
		[]string{"id", "title", "outlet", "status", "created_by", "created_at", "updated_at"},
		pgx.CopyFromSlice(articles, func(i int) ([]any, error) {
			return []any{artBase + int64(i) + 1, fmt.Sprintf("Archive story %d", i+1), "Bench Wire", statuses[i%len(statuses)], user, now, now}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy articles: %w", err)
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"revisions"},
		[]string{"id", "article_id", "number", "body", "body_sha256", "format", "sentence_count", "paragraph_count", "imported_by", "imported_at"},
		pgx.CopyFromSlice(articles, func(i int) ([]any, error) {
			return []any{revBase + int64(i) + 1, artBase + int64(i) + 1, 1, bodies[i], fmt.Sprintf("%064x", revBase+int64(i)+1),
				"text", len(stories[i]), 1, user, now}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy revisions: %w", err)
	}
	for _, q := range []string{
		`SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))`,
		`SELECT setval('revisions_id_seq', (SELECT max(id) FROM revisions))`,
		fmt.Sprintf(`UPDATE articles SET current_revision_id = id - %d + %d WHERE id > %d`, artBase, revBase, artBase),
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
	}
	// The similar-claims index is built once after the load, as a bulk
	// load would: GIN takes 32 keys a sentence, and inserting them row by
	// row is most of what storing a sentence costs.
	var bandsIndex string
	if err := conn.QueryRow(ctx, `SELECT pg_get_indexdef('sentences_bands_idx'::regclass)`).Scan(&bandsIndex); err != nil {
		return fmt.Errorf("similar-claims index: %w", err)
	}
	if _, err := conn.Exec(ctx, `DROP INDEX sentences_bands_idx`); err != nil {
		return fmt.Errorf("similar-claims index: %w", err)
	}
	labels := []string{"fact", "allegation", "quote", "assessment"}
	art, k, off, offCP := 0, 0, 0, 0
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"sentences"},
		[]string{"article_id", "revision_id", "idx", "paragraph", "start_byte", "end_byte", "start_cp", "end_cp",
			"text", "quote", "label", "status", "version", "updated_at", "norm", "bands"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for art < articles && k >= len(stories[art]) {
				art, k, off, offCP = art+1, 0, 0, 0
			}
			if art >= articles {
				return nil, nil
			}
			text := stories[art][k]
			var label any
			status := "unreviewed"
			if (art+k)%3 != 0 {
				label, status = labels[(art+k)%len(labels)], "labeled"
			}
			cps := utf8.RuneCountInString(text)
			norm, bands := models.IndexKeys(text)
			row := []any{artBase + int64(art) + 1, revBase + int64(art) + 1, k, 0, off, off + len(text), offCP, offCP + cps,
				text, "none", label, status, 1, now, norm, bands}
			k++
			off += len(text) + 1
			offCP += cps + 1
			return row, nil
		}))
	if err != nil {
		return fmt.Errorf("copy sentences: %w", err)
	}
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, bandsIndex); err != nil {
		return fmt.Errorf("build the similar-claims index: %w", err)
	}
	if _, err := conn.Exec(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
