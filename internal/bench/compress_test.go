package bench

import (
	"context"
	"os"
	"strconv"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
)

// TestCompressionFigure measures the compression figure on a shorter
// article (FACTDESK_BENCH_SENTENCES sets its size): every route in every
// coding answers, and the codings save at least half.
func TestCompressionFigure(t *testing.T) {
	n := 400
	if v, err := strconv.Atoi(os.Getenv("FACTDESK_BENCH_SENTENCES")); err == nil && v > 0 {
		n = v
	}
	db := testdb.Open(t, testdb.SQLite)
	ctx := context.Background()
	e, err := newEnv(ctx, db, testdb.Address(t, db))
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	title, body := newsgen.Article(newRand(7), n)
	res, err := e.svc.Import(ctx, e.checker, ingest.ArticleInput{Title: title, Body: body, Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	f := measureCompression(ctx, e, res.Article.ID, 3)
	if f.Error != "" {
		t.Fatal(f.Error)
	}
	if len(f.Rows) != 3*len(compressCodings) {
		t.Fatalf("%d rows, want %d", len(f.Rows), 3*len(compressCodings))
	}
	for _, r := range f.Rows {
		t.Logf("%-46s %-8s %9d bytes %8.2f ms ratio %5.1f", r.Route, r.Coding, r.Bytes, r.Ms, r.Ratio)
		if r.Coding != "identity" && r.Ratio < 2 {
			t.Errorf("%s in %s: ratio %.1f, want ≥ 2", r.Route, r.Coding, r.Ratio)
		}
	}
}
