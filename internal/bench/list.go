package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"factdesk/models"
)

// ListFigure is the API's article list (50 a page, with each article's
// progress) at a number of articles: the first page, and a page 90% deep
// by the keyset cursor, each the median of repeats through the real
// router; its floor is the bare keyset SELECT of the same page.
type ListFigure struct {
	Articles int     `json:"articles"`
	LoadSec  float64 `json:"load_s"`
	FirstMs  float64 `json:"first_ms"`
	DeepMs   float64 `json:"deep_ms"`
	// Ms is the slower of the two pages.
	Ms       float64 `json:"ms"`
	FloorMs  float64 `json:"floor_ms"`
	Ratio    float64 `json:"ratio"`
	TargetMs float64 `json:"target_ms"`
	Error    string  `json:"error,omitempty"`
}

// pageSize is the list's page size in the figure.
const pageSize = 50

func measureList(ctx context.Context, e *env, n, repeats int) ListFigure {
	f := ListFigure{TargetMs: ListTargetMs}
	start := time.Now()
	if err := bulkArticles(ctx, e.db, n, 3, e.checker.ID); err != nil {
		f.Error = err.Error()
		return f
	}
	f.LoadSec = time.Since(start).Seconds()
	return listAt(ctx, e, f, repeats)
}

// listAt measures the list on whatever the database holds.
func listAt(ctx context.Context, e *env, f ListFigure, repeats int) ListFigure {
	if err := e.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&f.Articles); err != nil {
		f.Error = err.Error()
		return f
	}
	var deep int64
	q := `SELECT id FROM articles ORDER BY id DESC LIMIT 1 OFFSET ` + fmt.Sprint(f.Articles*9/10)
	if err := e.db.SQL().QueryRowContext(ctx, q).Scan(&deep); err != nil {
		f.Error = fmt.Sprintf("find the 90%% cursor: %v", err)
		return f
	}
	page := func(path string) func() error {
		return func() error {
			code, body := e.getAPI(path)
			if code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d: %.200s", path, code, body)
			}
			var p struct {
				Articles []json.RawMessage `json:"articles"`
			}
			if err := json.Unmarshal(body, &p); err != nil {
				return err
			}
			if len(p.Articles) != pageSize {
				return fmt.Errorf("GET %s: %d articles, want %d", path, len(p.Articles), pageSize)
			}
			return nil
		}
	}
	first, err := median(repeats, page(fmt.Sprintf("/api/v1/articles?limit=%d", pageSize)))
	if err != nil {
		f.Error = err.Error()
		return f
	}
	deepD, err := median(repeats, page(fmt.Sprintf("/api/v1/articles?limit=%d&cursor=%d", pageSize, deep)))
	if err != nil {
		f.Error = err.Error()
		return f
	}
	fq := `SELECT * FROM articles WHERE id < ? ORDER BY id DESC LIMIT ` + fmt.Sprint(pageSize+1)
	if isPostgres(e.db) {
		fq = `SELECT * FROM articles WHERE id < $1 ORDER BY id DESC LIMIT ` + fmt.Sprint(pageSize+1)
	}
	floor, err := median(repeats, func() error {
		_, err := scanAll(ctx, e.db.SQL(), fq, deep)
		return err
	})
	if err != nil {
		f.Error = err.Error()
		return f
	}
	f.FirstMs, f.DeepMs, f.FloorMs = ms(first), ms(deepD), ms(floor)
	f.Ms = max(f.FirstMs, f.DeepMs)
	f.Ratio = ratio(f.FloorMs, f.Ms)
	return f
}

// bulkArticles inserts n articles, each with a revision and perArticle
// sentences, in a few set-based statements (no row at a time). The
// articles carry no audit events: they exist to be listed.
func bulkArticles(ctx context.Context, db *models.DB, n, perArticle int, userID int64) error {
	sqlDB := db.SQL()
	var before int64
	if err := sqlDB.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&before); err != nil {
		return err
	}
	now := models.Now()
	var stmts []string
	if isPostgres(db) {
		stmts = []string{
			// A bulk load is no request: the statement timeout does not apply.
			`SET LOCAL statement_timeout = 0`,
			fmt.Sprintf(`INSERT INTO articles (title, outlet, status, created_by, created_at, updated_at)
				SELECT 'Bench article ' || g, 'Bench Wire', (ARRAY['draft','in_review','submitted','approved'])[1 + g %% 4], %d, $1, $1
				FROM generate_series(1, %d) g`, userID, n),
			fmt.Sprintf(`INSERT INTO revisions (article_id, number, body, body_sha256, format, sentence_count, paragraph_count, imported_by, imported_at)
				SELECT id, 1, 'Bench body ' || id || '.', lpad(to_hex(id), 64, 'b'), 'text', %d, 1, %d, $1
				FROM articles WHERE id > %d`, perArticle, userID, before),
			fmt.Sprintf(`UPDATE articles a SET current_revision_id = r.id FROM revisions r WHERE r.article_id = a.id AND a.id > %d`, before),
			fmt.Sprintf(`INSERT INTO sentences (article_id, revision_id, idx, paragraph, start_byte, end_byte, start_cp, end_cp, text, quote, status, exclude_reason, version, updated_at)
				SELECT r.article_id, r.id, k, 0, k * 10, k * 10 + 9, k * 10, k * 10 + 9, 'Sentence ' || k || ' of article ' || r.article_id || '.', 'none',
					CASE WHEN k %% 2 = 0 THEN 'unreviewed' ELSE 'excluded' END, CASE WHEN k %% 2 = 0 THEN '' ELSE 'boilerplate' END, 1, $1
				FROM revisions r CROSS JOIN generate_series(0, %d) k WHERE r.article_id > %d`, perArticle-1, before),
		}
	} else {
		stmts = []string{
			fmt.Sprintf(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %d)
				INSERT INTO articles (title, outlet, status, created_by, created_at, updated_at)
				SELECT 'Bench article ' || n, 'Bench Wire', CASE n %% 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'in_review' WHEN 2 THEN 'submitted' ELSE 'approved' END, %d, ?1, ?1 FROM g`, n, userID),
			fmt.Sprintf(`INSERT INTO revisions (article_id, number, body, body_sha256, format, sentence_count, paragraph_count, imported_by, imported_at)
				SELECT id, 1, 'Bench body ' || id || '.', printf('%%064x', id), 'text', %d, 1, %d, ?1
				FROM articles WHERE id > %d`, perArticle, userID, before),
			fmt.Sprintf(`UPDATE articles SET current_revision_id = (SELECT r.id FROM revisions r WHERE r.article_id = articles.id) WHERE id > %d`, before),
			fmt.Sprintf(`WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < %d)
				INSERT INTO sentences (article_id, revision_id, idx, paragraph, start_byte, end_byte, start_cp, end_cp, text, quote, status, exclude_reason, version, updated_at)
				SELECT r.article_id, r.id, k.n, 0, k.n * 10, k.n * 10 + 9, k.n * 10, k.n * 10 + 9, 'Sentence ' || k.n || ' of article ' || r.article_id || '.', 'none',
					CASE WHEN k.n %% 2 = 0 THEN 'unreviewed' ELSE 'excluded' END, CASE WHEN k.n %% 2 = 0 THEN '' ELSE 'boilerplate' END, 1, ?1
				FROM revisions r CROSS JOIN k WHERE r.article_id > %d`, perArticle-1, before),
		}
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range stmts {
		var args []any
		if strings.Contains(q, "$1") || strings.Contains(q, "?1") {
			args = []any{now}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("bulk insert: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if isPostgres(db) {
		_, err = sqlDB.ExecContext(ctx, `ANALYZE articles, revisions, sentences`)
	} else {
		_, err = sqlDB.ExecContext(ctx, `ANALYZE`)
	}
	return err
}
