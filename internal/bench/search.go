package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/models"
	"factdesk/search"
)

// SearchTargetMs is the search's target median on PostgreSQL at scale.
const SearchTargetMs = 50

// SQLiteScaleSentences is the archive the scale run searches on SQLite:
// a tenth of PostgreSQL's, loaded through the import path.
const SQLiteScaleSentences = 300_000

// SearchFigure is the search through the API at the archive's size: the
// median and 99th percentile of each query, how many texts it matches,
// the plan of its sentence window and the sizes of the index.
type SearchFigure struct {
	Docs    int64   `json:"docs"` // rows of the search index
	TableMB float64 `json:"table_mb"`
	IndexMB float64 `json:"index_mb"` // the full-text index (GIN; FTS5's tables)
	// Indexes are the sizes of every index of search_docs (PostgreSQL).
	Indexes  map[string]float64 `json:"indexes_mb,omitempty"`
	TargetMs float64            `json:"target_ms,omitempty"`
	Queries  []SearchQuery      `json:"queries"`
	Error    string             `json:"error,omitempty"`
}

// SearchQuery is one query's figures.
type SearchQuery struct {
	Kind    string  `json:"kind"` // common, rare, phrase, prefix, exclusion, filtered
	Query   string  `json:"query"`
	Params  string  `json:"params,omitempty"`
	Matches int64   `json:"matches"` // texts of the index it matches
	P50Ms   float64 `json:"p50_ms"`
	P99Ms   float64 `json:"p99_ms"`
	Results int     `json:"results"` // results on the first page, all groups
	Plan    string  `json:"plan"`    // how the sentence window is read
}

// searchQueries are the measured searches; the rare one is found in the
// data (a money amount of one sentence).
func searchQueries(ctx context.Context, e *env) ([]SearchQuery, error) {
	qs := []SearchQuery{
		{Kind: "common", Query: "said"},
		{Kind: "common", Query: "sanctions"},
		{Kind: "mid", Query: "Castellano"},
		{Kind: "phrase", Query: `"interest rates"`},
		{Kind: "prefix", Query: "sanct*"},
		{Kind: "exclusion", Query: "sanctions -Russia"},
		{Kind: "filtered", Query: "sanctions", Params: "label=fact"},
	}
	var text string
	err := e.db.Gorm().WithContext(ctx).Raw(`SELECT text FROM sentences WHERE text LIKE '%$%,%' ORDER BY id DESC LIMIT 1`).Row().Scan(&text)
	if err != nil {
		return nil, fmt.Errorf("find a rare amount: %w", err)
	}
	if m := regexp.MustCompile(`\$\d+,\d{3}`).FindString(text); m != "" {
		qs = append(qs, SearchQuery{Kind: "rare", Query: `"` + m + `"`})
	}
	return qs, nil
}

// measureSearch times each query through GET /api/v1/search, runs times.
func measureSearch(ctx context.Context, e *env, runs int, target float64) *SearchFigure {
	f := &SearchFigure{TargetMs: target}
	qs, err := searchQueries(ctx, e)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	if err := searchSizes(ctx, e, f); err != nil {
		f.Error = err.Error()
		return f
	}
	for _, q := range qs {
		parsed, err := search.Parse(q.Query)
		if err != nil {
			f.Error = err.Error()
			return f
		}
		if q.Matches, err = countMatches(ctx, e, parsed); err != nil {
			f.Error = err.Error()
			return f
		}
		filter := models.SearchFilter{Query: parsed, Reader: e.checker.ID}
		if q.Params == "label=fact" {
			filter.Label = "fact"
		}
		if q.Plan, err = planSummary(ctx, e, filter); err != nil {
			f.Error = err.Error()
			return f
		}
		path := "/api/v1/search?q=" + url.QueryEscape(q.Query)
		if q.Params != "" {
			path += "&" + q.Params
		}
		times := make([]time.Duration, 0, runs)
		for i := range runs + 2 {
			start := time.Now()
			code, body := e.getAPI(path)
			d := time.Since(start)
			if code != http.StatusOK {
				f.Error = fmt.Sprintf("GET %s: %d %s", path, code, body)
				return f
			}
			if i < 2 {
				var res models.SearchResults
				if err := json.Unmarshal(body, &res); err != nil {
					f.Error = err.Error()
					return f
				}
				q.Results = len(res.Articles) + len(res.Sentences) + len(res.Sources)
				continue // warm-up
			}
			times = append(times, d)
		}
		q.P50Ms, q.P99Ms = percentileMs(times, 50), percentileMs(times, 99)
		f.Queries = append(f.Queries, q)
	}
	return f
}

func percentileMs(ds []time.Duration, p int) float64 {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return ms(s[max(0, min(len(s)-1, i-1))])
}

// countMatches counts the texts of the index a query matches.
func countMatches(ctx context.Context, e *env, q search.Query) (int64, error) {
	var n int64
	var err error
	if isPostgres(e.db) {
		err = e.db.Gorm().WithContext(ctx).Raw(`SELECT count(*) FROM search_docs WHERE tsv @@ CAST(? AS tsquery)`, q.TSQuery()).Row().Scan(&n)
	} else {
		err = e.db.Gorm().WithContext(ctx).Raw(`SELECT count(*) FROM search_fts WHERE search_fts MATCH ?`, q.FTS5()).Row().Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("count matches: %w", err)
	}
	return n, nil
}

// planSummary says how the sentence window of a search is read: the
// nodes of PostgreSQL's plan with their index, or SQLite's plan steps.
func planSummary(ctx context.Context, e *env, f models.SearchFilter) (string, error) {
	plan, err := e.store.ExplainSearch(ctx, f, models.GroupSentences)
	if err != nil || !isPostgres(e.db) {
		return strings.ReplaceAll(plan, "\n", "; "), err
	}
	var doc []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &doc); err != nil || len(doc) == 0 {
		return "", fmt.Errorf("unreadable plan: %v", err)
	}
	var steps []string
	doc[0].Plan.walk(func(n *planNode) {
		s := n.NodeType
		if n.IndexName != "" {
			s += " " + n.IndexName
		} else if n.RelationName != "" {
			s += " " + n.RelationName
		}
		steps = append(steps, s)
	})
	return strings.Join(steps, " > "), nil
}

// searchSizes reads the size of the index.
func searchSizes(ctx context.Context, e *env, f *SearchFigure) error {
	g := e.db.Gorm().WithContext(ctx)
	if err := g.Raw(`SELECT count(*) FROM search_docs`).Row().Scan(&f.Docs); err != nil {
		return fmt.Errorf("count the index: %w", err)
	}
	if isPostgres(e.db) {
		var table, index int64
		err := g.Raw(`SELECT pg_table_size('search_docs'), pg_relation_size('search_docs_tsv_idx') + pg_relation_size('search_docs_meta_tsv_idx')`).Row().Scan(&table, &index)
		if err != nil {
			return fmt.Errorf("size the index: %w", err)
		}
		f.TableMB, f.IndexMB = float64(table)/(1<<20), float64(index)/(1<<20)
		rows, err := e.db.SQL().QueryContext(ctx, `SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index WHERE indrelid = 'search_docs'::regclass`)
		if err != nil {
			return fmt.Errorf("size the indexes: %w", err)
		}
		defer rows.Close()
		f.Indexes = map[string]float64{}
		for rows.Next() {
			var name string
			var size int64
			if err := rows.Scan(&name, &size); err != nil {
				return err
			}
			f.Indexes[name] = float64(size) / (1 << 20)
		}
		return rows.Err()
	}
	// FTS5 keeps its index in shadow tables; dbstat sums their pages
	// where the driver has it.
	var index int64
	if err := g.Raw(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_fts_%' OR name LIKE 'search_meta_fts_%'`).Row().Scan(&index); err == nil {
		f.IndexMB = float64(index) / (1 << 20)
	}
	var table int64
	if err := g.Raw(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'search_docs'`).Row().Scan(&table); err == nil {
		f.TableMB = float64(table) / (1 << 20)
	}
	return nil
}

// indexArchive indexes the archive's sentences (id above sentenceBase)
// and titles (id above articleBase) for search, as imports index theirs,
// with COPY: the words computed in Go stream into search_docs while the
// GIN index is set aside and built again after, as a bulk load would.
func indexArchive(ctx context.Context, e *env, articleBase, sentenceBase int64) error {
	read, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		return err
	}
	defer read.Close(context.Background())
	write, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		return err
	}
	defer write.Close(context.Background())
	var indexDefs []string
	for _, name := range []string{"search_docs_tsv_idx", "search_docs_meta_tsv_idx"} {
		var def string
		if err := write.QueryRow(ctx, `SELECT pg_get_indexdef($1::regclass)`, name).Scan(&def); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if _, err := write.Exec(ctx, `DROP INDEX `+name); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		indexDefs = append(indexDefs, def)
	}
	rows, err := read.Query(ctx, `SELECT 'article', id, id, NULL::bigint, title FROM articles WHERE id > $1
		UNION ALL SELECT 'sentence', id, article_id, id, text FROM sentences WHERE id > $2 ORDER BY 1, 2`, articleBase, sentenceBase)
	if err != nil {
		return fmt.Errorf("read the archive: %w", err)
	}
	defer rows.Close()
	pr, pw := io.Pipe()
	go func() {
		var b strings.Builder
		for rows.Next() {
			var kind, text string
			var ref, article int64
			var sentence *int64
			if err := rows.Scan(&kind, &ref, &article, &sentence, &text); err != nil {
				pw.CloseWithError(err)
				return
			}
			vec := search.Vector(search.Document(text))
			if vec == "" {
				continue
			}
			b.Reset()
			sid := `\N`
			if sentence != nil {
				sid = fmt.Sprint(*sentence)
			}
			fmt.Fprintf(&b, "%s\t%d\t%d\t%s\t%s\n", kind, ref, article, sid, vec)
			if _, err := io.WriteString(pw, b.String()); err != nil {
				return
			}
		}
		pw.CloseWithError(rows.Err())
	}()
	if _, err := write.PgConn().CopyFrom(ctx, pr, `COPY search_docs (kind, ref_id, article_id, sentence_id, tsv) FROM STDIN`); err != nil {
		pr.CloseWithError(err)
		return fmt.Errorf("copy the search index: %w", err)
	}
	if _, err := write.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
		return err
	}
	for _, def := range indexDefs {
		if _, err := write.Exec(ctx, def); err != nil {
			return fmt.Errorf("build the search index: %w", err)
		}
	}
	if _, err := write.Exec(ctx, `VACUUM ANALYZE search_docs`); err != nil {
		return fmt.Errorf("analyze the search index: %w", err)
	}
	return nil
}

// loadSearchArchiveSQLite imports generated stories until the archive
// holds sentences sentences, through the service as imports go (each
// indexed for search as it is stored).
func loadSearchArchiveSQLite(ctx context.Context, e *env, sentences int) (int, error) {
	const per = 300
	r := newRand(4242)
	n := 0
	for n < sentences {
		story := newsgen.NewStory(r, per)
		res, err := e.svc.Import(ctx, e.checker, ingest.ArticleInput{Title: story.Title, Body: story.Body(), Format: "text"})
		if err != nil {
			return n, fmt.Errorf("import: %w", err)
		}
		n += res.Sentences
	}
	if err := e.db.Gorm().WithContext(ctx).Exec(`ANALYZE`).Error; err != nil {
		return n, err
	}
	return n, nil
}
