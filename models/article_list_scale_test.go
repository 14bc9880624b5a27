package models_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/migrations"
	"factdesk/models"
)

// scaleArticles is the size of the archive TestArticleListAtScale pages
// through: a newsroom's years of work.
const scaleArticles = 100_000

// loadArticleArchive stores n articles with one revision and three
// sentences each (a quarter labeled) — the newest twentieth in review, the
// archive before them approved — a fifth of them assigned to one of the
// people users..users+people-1 with a due time between a day ago and a
// week ahead, in a few statements.
func loadArticleArchive(t *testing.T, db *models.DB, userID int64, n int, people int64) {
	t.Helper()
	g := db.Gorm()
	var stmts []string
	if db.Dialect() == migrations.Postgres {
		stmts = []string{
			fmt.Sprintf(`INSERT INTO articles (id, title, outlet, status, created_by, created_at, updated_at)
				SELECT g, 'Archive story ' || g, (ARRAY['Daily', 'Wire', 'Weekly'])[g %% 3 + 1], CASE WHEN g * 20 > %d * 19 THEN 'in_review' ELSE 'approved' END, %d, now(), now()
				FROM generate_series(1, %d) g`, n, userID, n),
			fmt.Sprintf(`INSERT INTO revisions (id, article_id, number, body, body_sha256, format, sentence_count, paragraph_count, imported_by, imported_at)
				SELECT g, g, 1, 'x', repeat('0', 64), 'text', 3, 1, %d, now() FROM generate_series(1, %d) g`, userID, n),
			`UPDATE articles SET current_revision_id = id`,
			fmt.Sprintf(`INSERT INTO sentences (article_id, revision_id, idx, paragraph, start_byte, end_byte, start_cp, end_cp, text, quote, label, status, updated_at)
				SELECT g, g, i, 0, i * 10, i * 10 + 5, i * 10, i * 10 + 5, 'Sentence.', 'none',
					CASE WHEN (g + i) %% 4 = 0 THEN 'fact' END, CASE WHEN (g + i) %% 4 = 0 THEN 'labeled' ELSE 'unreviewed' END, now()
				FROM generate_series(1, %d) g, generate_series(0, 2) i`, n),
			fmt.Sprintf(`INSERT INTO assignments (article_id, user_id, priority, due_at, assigned_at)
				SELECT g, %d + (g / 5) %% %d, 'normal', now() + ((g %% 192) - 24) * interval '1 hour', now() FROM generate_series(1, %d) g WHERE g %% 5 = 1`, userID, people, n),
			`UPDATE articles SET due_at = a.due_at FROM assignments a WHERE a.article_id = articles.id`,
			`SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))`,
			`ANALYZE`,
		}
	} else {
		const seq = `WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %d) `
		const now = `strftime('%%Y-%%m-%%d %%H:%%M:%%S', 'now') || '+00:00'`
		stmts = []string{
			fmt.Sprintf(seq+`INSERT INTO articles (id, title, outlet, status, created_by, created_at, updated_at)
				SELECT g, 'Archive story ' || g, CASE g %% 3 WHEN 0 THEN 'Daily' WHEN 1 THEN 'Wire' ELSE 'Weekly' END, CASE WHEN g * 20 > %d * 19 THEN 'in_review' ELSE 'approved' END, %d, `+now+`, `+now+` FROM s`, n, n, userID),
			fmt.Sprintf(seq+`INSERT INTO revisions (id, article_id, number, body, body_sha256, format, sentence_count, paragraph_count, imported_by, imported_at)
				SELECT g, g, 1, 'x', printf('%%064d', 0), 'text', 3, 1, %d, `+now+` FROM s`, n, userID),
			`UPDATE articles SET current_revision_id = id`,
			fmt.Sprintf(seq+`, i(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM i WHERE k < 2)
				INSERT INTO sentences (article_id, revision_id, idx, paragraph, start_byte, end_byte, start_cp, end_cp, text, quote, label, status, updated_at)
				SELECT g, g, k, 0, k * 10, k * 10 + 5, k * 10, k * 10 + 5, 'Sentence.', 'none',
					CASE WHEN (g + k) %% 4 = 0 THEN 'fact' END, CASE WHEN (g + k) %% 4 = 0 THEN 'labeled' ELSE 'unreviewed' END, `+now+` FROM s, i`, n),
			fmt.Sprintf(seq+`INSERT INTO assignments (article_id, user_id, priority, due_at, assigned_at)
				SELECT g, %d + (g / 5) %% %d, 'normal', strftime('%%Y-%%m-%%d %%H:%%M:%%S', 'now', ((g %% 192) - 24) || ' hours') || '+00:00', `+now+` FROM s WHERE g %% 5 = 1`, n, userID, people),
			`UPDATE articles SET due_at = (SELECT due_at FROM assignments a WHERE a.article_id = articles.id)`,
			`ANALYZE`,
		}
	}
	for _, q := range stmts {
		if err := g.Exec(q).Error; err != nil {
			t.Fatalf("load archive: %v\n%s", err, q)
		}
	}
}

// TestArticleListAtScale pages the article list of 100,000 articles
// (FACTDESK_SCALE=1) with each filter and order, and compares a page deep
// in the list with the first: keyset pagination keeps them alike.
func TestArticleListAtScale(t *testing.T) {
	if os.Getenv("FACTDESK_SCALE") != "1" {
		t.Skip("set FACTDESK_SCALE=1 to page 100,000 articles")
	}
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.Open(t, k)
			st := models.NewStore(db)
			// A desk of 50 people: each is assigned 400 articles, of which
			// about 20 are still in review.
			const people = 50
			var u *models.User
			for i := range people {
				p, err := st.CreateUser(ctx, models.System, models.NewUser{Email: fmt.Sprintf("scale%d@desk.example", i), Name: fmt.Sprintf("Scale %d", i), Role: models.RoleEditor, PasswordHash: "x"})
				if err != nil {
					t.Fatal(err)
				}
				if u == nil {
					u = p
				}
			}
			start := time.Now()
			loadArticleArchive(t, db, u.ID, scaleArticles, people)
			t.Logf("%s: loaded %d articles in %v", k, scaleArticles, time.Since(start).Round(time.Millisecond))
			// The header's counts and My work, as every page and the desk
			// show them.
			for _, x := range []struct {
				name string
				run  func() error
			}{
				{"header counts", func() error { _, err := st.Desk(ctx, u.ID, true); return err }},
				{"My work", func() error { _, err := st.Work(ctx, u.ID, true); return err }},
			} {
				ds := make([]time.Duration, 5)
				for i := range ds {
					start := time.Now()
					if err := x.run(); err != nil {
						t.Fatal(err)
					}
					ds[i] = time.Since(start)
				}
				sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
				t.Logf("%s %-16s %6.2f ms (median of 5)", k, x.name, ms(ds[2]))
			}
			for _, tc := range []struct {
				name string
				f    models.ArticleFilter
			}{
				{"newest", models.ArticleFilter{}},
				{"oldest", models.ArticleFilter{Sort: models.SortOldest}},
				{"soonest due", models.ArticleFilter{Sort: models.SortDue}},
				{"assigned to one", models.ArticleFilter{Assignee: u.ID}},
				{"unassigned", models.ArticleFilter{Unassigned: true}},
				{"due this week", models.ArticleFilter{Due: models.DueWeek}},
				{"outlet", models.ArticleFilter{Outlet: "wire"}},
				{"started", models.ArticleFilter{Progress: models.ProgressStarted}},
				{"status", models.ArticleFilter{Status: models.ArticleInReview}},
			} {
				// Walk to a page deep in the list: follow cursors by
				// pages of 200, then time the first page and the deep one.
				f := tc.f
				f.Limit = 200
				var deep int64
				pages := 0
				for {
					p, err := st.Articles(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					pages++
					if p.Next == 0 || pages >= 450 {
						break
					}
					deep, f.Before = p.Next, p.Next
				}
				first, deeper := tc.f, tc.f
				first.Limit, deeper.Limit, deeper.Before = 50, 50, deep
				t1, t2 := median(t, st, first), median(t, st, deeper)
				t.Logf("%s %-16s first page %6.2f ms, page %3d %6.2f ms (×%.2f)", k, tc.name, ms(t1), pages, ms(t2), float64(t2)/float64(t1))
				if pages > 10 && t2 > 5*t1+5*time.Millisecond {
					t.Errorf("%s: a deep page costs %v, the first %v: not flat", tc.name, t2, t1)
				}
			}
		})
	}
}

// median times the page seven times and returns the median.
func median(t *testing.T, st *models.Store, f models.ArticleFilter) time.Duration {
	t.Helper()
	ds := make([]time.Duration, 7)
	for i := range ds {
		start := time.Now()
		if _, err := st.Articles(context.Background(), f); err != nil {
			t.Fatal(err)
		}
		ds[i] = time.Since(start)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}
