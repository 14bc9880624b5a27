package bench

import (
	"context"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/similar"
)

// The scale run on a small archive: the archive's sentences are indexed
// for similar claims as imported ones are (the GIN index is dropped for the
// load and built again, as it was), so the similar-claim search finds the
// claims the generated stories repeat, and the list and page are
// measured.
func TestScaleArchiveIsSearchable(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	dsn := testdb.Address(t, db)
	ctx := context.Background()
	indexDef := func() string {
		t.Helper()
		var def string
		if err := db.SQL().QueryRowContext(ctx, `SELECT pg_get_indexdef('sentences_bands_idx'::regclass)`).Scan(&def); err != nil {
			t.Fatal(err)
		}
		return def
	}
	before := indexDef()
	e, err := newEnv(ctx, db, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	const articles, sentences = 1000, 10000
	r := measureScale(ctx, e, Config{ScaleArticles: articles, ScaleSentences: sentences}, 1, logger{})
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	if r.Articles != articles || r.Sentences != sentences {
		t.Errorf("loaded %d articles and %d sentences, want %d and %d", r.Articles, r.Sentences, articles, sentences)
	}
	if after := indexDef(); after != before {
		t.Errorf("the similar-claims index came back as\n%s\nnot as the migration made it:\n%s", after, before)
	}
	var unindexed int
	err = db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM sentences WHERE norm = '' OR (bands IS NULL AND array_length(string_to_array(norm, ' '), 1) >= $1)`, similar.MinWords).Scan(&unindexed)
	if err != nil {
		t.Fatal(err)
	}
	if unindexed > 0 {
		t.Errorf("%d archived sentences have no normalised text or band keys", unindexed)
	}
	if r.Similar == nil || r.Similar.Found == 0 {
		t.Errorf("similar claims: %+v; the archive repeats claims and the search should find them", r.Similar)
	}
	if r.List.Error != "" || r.Page.Error != "" {
		t.Errorf("list: %s; page: %s", r.List.Error, r.Page.Error)
	}
	if len(r.Plans) == 0 {
		t.Error("no query plan checked") // their verdicts at this size are TestHotQueriesUseIndexes's
	}
	checkSearchFigure(t, r.Search)
	// The archive was indexed for search as imports are: every sentence
	// has its row, and the GIN index came back as the migration made it.
	var missing int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = 'sentence' AND d.ref_id = s.id)`).Scan(&missing); err != nil {
		t.Fatal(err)
	}
	if missing > 0 {
		t.Errorf("%d sentences are not in the search index", missing)
	}
	var def string
	if err := db.SQL().QueryRowContext(ctx, `SELECT pg_get_indexdef('search_docs_tsv_idx'::regclass)`).Scan(&def); err != nil || !strings.Contains(def, "gin_pending_list_limit='1024'") {
		t.Errorf("the search index came back as %q (%v)", def, err)
	}
}

// TestScaleSearchSQLite is SQLite's scale run on a small archive: imported
// stories, searched through the API.
func TestScaleSearchSQLite(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	ctx := context.Background()
	e, err := newEnv(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	r := measureScale(ctx, e, Config{ScaleSentences: 3000}, 1, logger{})
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	if r.Sentences < 3000 {
		t.Errorf("imported %d sentences, want at least 3000", r.Sentences)
	}
	checkSearchFigure(t, r.Search)
}

// checkSearchFigure checks that every measured search ran, that the
// common words match and are found, and that the plans were read.
func checkSearchFigure(t *testing.T, s *SearchFigure) {
	t.Helper()
	if s == nil || s.Error != "" {
		t.Fatalf("search: %+v", s)
	}
	if s.Docs == 0 || len(s.Queries) < 7 {
		t.Fatalf("search figure: %d texts, %d queries", s.Docs, len(s.Queries))
	}
	for _, q := range s.Queries {
		if q.Plan == "" || q.P50Ms <= 0 || q.P99Ms < q.P50Ms {
			t.Errorf("search %s: %+v", q.Query, q)
		}
		if (q.Kind == "common" || q.Kind == "rare") && (q.Matches == 0 || q.Results == 0) {
			t.Errorf("search %s (%s): %d matches, %d results", q.Query, q.Kind, q.Matches, q.Results)
		}
	}
}
