// Package bench measures factdesk against its floors: every figure is
// taken next to the cheapest thing that does the same job without
// factdesk's layers (one bytes.IndexByte pass, the segmenter alone, a raw
// COPY, a bare single-row UPDATE, a bare SELECT), measured in the same run
// on the same machine, so that the ratio says how much factdesk costs
// whatever the machine's speed.
//
// Run works on a fresh database: a temporary SQLite file by default, or a
// PostgreSQL database of its own, created on the server a postgres:// URL
// names and dropped afterwards. The "factdesk bench" command prints the
// Result as a table or as JSON.
package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for the admin connection

	"factdesk/migrations"
	"factdesk/models"
)

// Config says what to measure and where.
type Config struct {
	// DSN is the database: "" for a temporary SQLite file, "sqlite:PATH"
	// for a new SQLite file (it must not exist), or a postgres:// URL of a
	// server on which the bench creates a database of its own and drops it
	// when done.
	DSN string
	// Quick uses smaller sizes and shorter runs (under a minute).
	Quick bool
	// Scale also loads 100,000 articles and 3,000,000 sentences into
	// PostgreSQL with COPY and measures the list and the page at that size.
	Scale bool
	// ScaleArticles and ScaleSentences override the sizes of Scale (tests).
	ScaleArticles, ScaleSentences int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// sizes are the amounts of work of one run.
type sizes struct {
	segmentBytes   int
	importArticles int           // besides the one 5,000-sentence article
	labelDuration  time.Duration // per phase (the floor and factdesk)
	labelWarmup    time.Duration
	labelSentences int // sentences per client's article
	// sharedSentences is the size of the articles 16 clients share.
	sharedSentences int
	repeats         int // timed repetitions of page, list and export
	listArticles    int
}

func (c Config) sizes() sizes {
	if c.Quick {
		return sizes{segmentBytes: 2 << 20, importArticles: 12, labelDuration: 3 * time.Second, labelWarmup: 500 * time.Millisecond,
			labelSentences: 40, sharedSentences: 1000, repeats: 5, listArticles: 10_000}
	}
	return sizes{segmentBytes: 16 << 20, importArticles: 120, labelDuration: 10 * time.Second, labelWarmup: 2 * time.Second,
		labelSentences: 100, sharedSentences: 5000, repeats: 15, listArticles: 100_000}
}

// Clients is the number of concurrent clients of the label figure.
const Clients = 64

// BigArticle is the sentence count of the article that the page and export
// figures render.
const BigArticle = 5000

// Result is one run's figures.
type Result struct {
	Database string        `json:"database"` // "sqlite" or "postgres"
	Quick    bool          `json:"quick"`
	Seconds  float64       `json:"seconds"`
	Segment  SegmentFigure `json:"segment"`
	Import   ImportFigure  `json:"import"`
	Label    LabelFigure   `json:"label"`
	// LabelShared is 16 clients to an article, LabelServers 64 clients
	// on two servers labeling the same sentences of shared articles.
	LabelShared  LabelFigure `json:"label_shared"`
	LabelServers LabelFigure `json:"label_servers"`
	Bulk         BulkFigure  `json:"bulk"`
	// Compress is the 5,000-sentence page, article JSON and report in
	// each coding the server offers.
	Compress CompressFigure `json:"compress"`
	Page     PageFigure     `json:"page"`
	List     ListFigure     `json:"list"`
	Export   ExportFigure   `json:"export"`
	Scale    *ScaleResult   `json:"scale,omitempty"`
}

// Errors lists the figures that could not be measured.
func (r *Result) Errors() []string {
	var out []string
	for _, f := range []struct{ name, err string }{
		{"segment", r.Segment.Error}, {"import", r.Import.Error}, {"label", r.Label.Error}, {"label_shared", r.LabelShared.Error}, {"label_servers", r.LabelServers.Error}, {"bulk", r.Bulk.Error}, {"compress", r.Compress.Error},
		{"page", r.Page.Error}, {"list", r.List.Error}, {"export", r.Export.Error},
	} {
		if f.err != "" {
			out = append(out, f.name+": "+f.err)
		}
	}
	if r.Scale != nil && r.Scale.Error != "" {
		out = append(out, "scale: "+r.Scale.Error)
	}
	return out
}

// Run measures every figure on a fresh database and removes it afterwards.
// A figure that fails is reported in its Error field and the run goes on;
// the error returned is about the database itself.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	start := time.Now()
	lg := logger{w: cfg.Log}
	fresh, err := freshDatabase(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	defer fresh.drop()
	db, err := models.Open(ctx, fresh.dsn, models.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	m, err := db.Migrator()
	if err != nil {
		return nil, err
	}
	if _, err := m.Up(ctx); err != nil {
		return nil, fmt.Errorf("migrate the bench database: %w", err)
	}
	lg.printf("bench on %s (%s)", db.Redacted, mode(cfg))
	sz := cfg.sizes()
	r := &Result{Database: string(db.Dialect()), Quick: cfg.Quick}
	env, err := newEnv(ctx, db, fresh.dsn)
	if err != nil {
		return nil, err
	}
	defer env.close()

	lg.printf("segment …")
	r.Segment = measureSegment(sz.segmentBytes)
	lg.printf("import …")
	var big int64
	r.Import, big = measureImport(ctx, env, sz)
	lg.printf("label (%d clients, %s a phase) …", Clients, sz.labelDuration)
	r.Label = measureLabel(ctx, env, sz, labelScenario{articles: Clients, sentences: sz.labelSentences, servers: 1, seed: 1000})
	lg.printf("label, 16 clients an article …")
	r.LabelShared = measureLabel(ctx, env, sz, labelScenario{articles: Clients / 16, sentences: sz.sharedSentences, servers: 1, seed: 2000})
	lg.printf("label, two servers …")
	r.LabelServers = measureLabel(ctx, env, sz, labelScenario{articles: Clients / 2, sentences: sz.labelSentences, servers: 2, crossing: true, seed: 3000})
	lg.printf("bulk change of %d sentences …", BigArticle)
	r.Bulk = measureBulk(ctx, env, sz.repeats)
	lg.printf("review page …")
	r.Page = measurePage(ctx, env, big, sz.repeats)
	lg.printf("export …")
	r.Export = measureExport(ctx, env, big, sz.repeats)
	lg.printf("compression …")
	r.Compress = measureCompression(ctx, env, big, sz.repeats)
	lg.printf("list (%d articles) …", sz.listArticles)
	r.List = measureList(ctx, env, sz.listArticles, sz.repeats)
	if cfg.Scale {
		lg.printf("scale …")
		r.Scale = measureScale(ctx, env, cfg, sz.repeats, lg)
	}
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

func mode(cfg Config) string {
	switch {
	case cfg.Quick && cfg.Scale:
		return "quick, scale"
	case cfg.Quick:
		return "quick"
	case cfg.Scale:
		return "full, scale"
	}
	return "full"
}

// logger writes progress lines with the time since the start.
type logger struct {
	w     io.Writer
	start time.Time
}

func (l *logger) printf(format string, args ...any) {
	if l.w == nil {
		return
	}
	if l.start.IsZero() {
		l.start = time.Now()
	}
	fmt.Fprintf(l.w, "[%5.1fs] %s\n", time.Since(l.start).Seconds(), fmt.Sprintf(format, args...))
}

// freshDB is a database made for one run, and how to remove it.
type freshDB struct {
	dsn  string
	drop func()
}

func freshDatabase(ctx context.Context, dsn string) (*freshDB, error) {
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "factdesk-bench-")
		if err != nil {
			return nil, fmt.Errorf("temporary directory: %w", err)
		}
		return &freshDB{dsn: "sqlite:" + filepath.Join(dir, "bench.db"), drop: func() { os.RemoveAll(dir) }}, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if _, err := os.Stat(path); err == nil {
			return nil, fmt.Errorf("%s exists: the bench needs a new file, it writes thousands of articles", path)
		}
		return &freshDB{dsn: dsn, drop: func() {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return freshPostgres(ctx, dsn)
	}
	return nil, fmt.Errorf("database %q: want postgres://… or sqlite:PATH", dsn)
}

// freshPostgres creates a database of the bench's own on the server of
// dsn; drop removes it, closing any connection left.
func freshPostgres(ctx context.Context, dsn string) (*freshDB, error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redacted(dsn), err)
	}
	defer admin.Close()
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	name := "factdesk_bench_" + hex.EncodeToString(b)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(cctx, "CREATE DATABASE "+name); err != nil {
		return nil, fmt.Errorf("create the bench database on %s: %w", redacted(dsn), err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	return &freshDB{dsn: u.String(), drop: func() {
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer admin.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		admin.ExecContext(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}}, nil
}

func redacted(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// isPostgres reports whether db is PostgreSQL.
func isPostgres(db *models.DB) bool { return db.Dialect() == migrations.Postgres }

// median times f n times (after one untimed call) and returns the median.
func median(n int, f func() error) (time.Duration, error) {
	if err := f(); err != nil {
		return 0, err
	}
	ds := make([]time.Duration, 0, n)
	for range n {
		t := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ratio returns a/b, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

var errNoBigArticle = errors.New("the 5,000-sentence article was not imported")
