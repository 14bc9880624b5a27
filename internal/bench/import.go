package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/models"
	"factdesk/segment"
)

// ImportFigure is the speed of importing a generated corpus end to end
// (validate, segment, exclusions, machine suggestions and attributions,
// store with the audit event), next to the segmenter alone on the same
// bodies and, on PostgreSQL, next to a raw COPY of the same sentence rows.
type ImportFigure struct {
	Articles        int     `json:"articles"`
	Sentences       int     `json:"sentences"`
	ArticlesPerSec  float64 `json:"articles_s"`
	SentencesPerSec float64 `json:"sentences_s"`
	// FloorSentencesPerSec is the segmenter alone on the same bodies.
	FloorSentencesPerSec float64 `json:"floor_sentences_s"`
	Ratio                float64 `json:"ratio"`
	// CopySentencesPerSec is pgx CopyFrom of the same rows into the
	// sentences table (PostgreSQL only), and CopyRatio the import's
	// sentences/s over it.
	CopySentencesPerSec float64 `json:"copy_sentences_s,omitempty"`
	CopyRatio           float64 `json:"copy_ratio,omitempty"`
	Error               string  `json:"error,omitempty"`
}

// article is one generated article of the corpus.
type article struct{ title, body string }

// corpus writes n articles of 10 to 5,000 sentences (log-uniform, so that
// short pieces are common and long ones present), plus one of BigArticle
// sentences first.
func corpus(seed uint64, n int) []article {
	r := rand.New(rand.NewPCG(seed, 0x62656e6368))
	out := make([]article, 0, n+1)
	title, body := newsgen.Article(r, BigArticle)
	out = append(out, article{title, body})
	for range n {
		k := int(math.Exp(math.Log(10) + r.Float64()*(math.Log(5000)-math.Log(10))))
		title, body := newsgen.Article(r, k)
		out = append(out, article{title, body})
	}
	return out
}

// measureImport imports the corpus and returns the figure and the id of
// the big article.
func measureImport(ctx context.Context, e *env, sz sizes) (ImportFigure, int64) {
	arts := corpus(7, sz.importArticles)
	f := ImportFigure{Articles: len(arts)}
	// The floor: the segmenter alone on the same bodies.
	floorSentences := 0
	floor := best(2, func() {
		floorSentences = 0
		for _, a := range arts {
			floorSentences += len(segment.Split(a.body))
		}
	})
	var big int64
	start := time.Now()
	for i, a := range arts {
		res, err := e.svc.Import(ctx, e.checker, ingest.ArticleInput{Title: a.title, Body: a.body, Format: "text", Outlet: "Bench Wire"})
		if err != nil {
			f.Error = fmt.Sprintf("import article %d: %v", i, err)
			return f, 0
		}
		if i == 0 {
			big = res.Article.ID
		}
		f.Sentences += res.Sentences
	}
	took := time.Since(start)
	f.ArticlesPerSec = float64(len(arts)) / took.Seconds()
	f.SentencesPerSec = float64(f.Sentences) / took.Seconds()
	f.FloorSentencesPerSec = float64(floorSentences) / floor.Seconds()
	f.Ratio = ratio(f.SentencesPerSec, f.FloorSentencesPerSec)
	if isPostgres(e.db) {
		rate, err := copySentences(ctx, e, arts)
		if err != nil {
			f.Error = fmt.Sprintf("copy floor: %v", err)
			return f, big
		}
		f.CopySentencesPerSec = rate
		f.CopyRatio = ratio(f.SentencesPerSec, rate)
	}
	return f, big
}

// copySentences writes the corpus's sentence rows into the sentences table
// with one COPY, under revisions of a scratch article, and returns rows
// per second. The rows are those the import stores, normalised text and
// band keys included: the GIN index of similar claims takes 32 keys a
// sentence and is most of what storing a sentence costs (on a small
// table, 12,000 rows take 50 ms without it and 1 s with it).
func copySentences(ctx context.Context, e *env, arts []article) (float64, error) {
	conn, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.Background())
	now := models.Now()
	var articleID int64
	err = conn.QueryRow(ctx, `INSERT INTO articles (title, status, created_by, created_at, updated_at)
		VALUES ('COPY floor', 'draft', $1, $2, $2) RETURNING id`, e.checker.ID, now).Scan(&articleID)
	if err != nil {
		return 0, fmt.Errorf("scratch article: %w", err)
	}
	var rows [][]any
	for i, a := range arts {
		var revID int64
		err := conn.QueryRow(ctx, `INSERT INTO revisions (article_id, number, body, body_sha256, format, sentence_count, paragraph_count, imported_by, imported_at)
			VALUES ($1, $2, $3, $4, 'text', 0, 0, $5, $6) RETURNING id`,
			articleID, i+1, a.body, fmt.Sprintf("%064x", i+1), e.checker.ID, now).Scan(&revID)
		if err != nil {
			return 0, fmt.Errorf("scratch revision: %w", err)
		}
		off := segment.NewOffsets(a.body)
		for _, s := range segment.Split(a.body) {
			norm, bands := models.IndexKeys(s.Text)
			rows = append(rows, []any{articleID, revID, s.Index, s.Paragraph, s.Start, s.End,
				off.CodePoint(s.Start), off.CodePoint(s.End), s.Text, string(s.Quote), "unreviewed", 1, now, norm, bands})
		}
	}
	cols := []string{"article_id", "revision_id", "idx", "paragraph", "start_byte", "end_byte", "start_cp", "end_cp",
		"text", "quote", "status", "version", "updated_at", "norm", "bands"}
	start := time.Now()
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"sentences"}, cols, pgx.CopyFromRows(rows))
	if err != nil {
		return 0, fmt.Errorf("copy sentences: %w", err)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// newRand returns a deterministic generator for seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x66616374)) }
