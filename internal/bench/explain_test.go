package bench

import (
	"context"
	"testing"

	"factdesk/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestHotQueriesUseIndexes loads a realistic number of rows into
// PostgreSQL (10,000 articles, 100,000 sentences, 50,000 audit events,
// 20,000 sources), analyzes them, and checks that each hot query's plan
// reads its table through one of its indexes and never scans it whole.
func TestHotQueriesUseIndexes(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	ctx := context.Background()
	sqlDB := db.SQL()
	var user int64
	err := sqlDB.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
		VALUES ('plans@bench.example', 'Plans', 'checker', 'x', now(), now()) RETURNING id`).Scan(&user)
	if err != nil {
		t.Fatal(err)
	}
	if err := bulkArticles(ctx, db, 10000, 10, user); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO audit_events (article_id, seq, at, actor, action, entity, entity_id, prev_hash, hash)
			SELECT a.id, k, now(), 'bench', 'sentence.update', 'sentence', a.id, '', md5(a.id::text) || md5(k::text)
			FROM articles a CROSS JOIN generate_series(1, 5) k`,
		`UPDATE articles SET audit_seq = 5`,
	} {
		if _, err := sqlDB.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var sources bool
	if err := sqlDB.QueryRowContext(ctx, `SELECT to_regclass('sources') IS NOT NULL`).Scan(&sources); err != nil {
		t.Fatal(err)
	}
	if sources {
		_, err := sqlDB.ExecContext(ctx, `INSERT INTO sources (kind, title, created_by, created_at, updated_at)
			SELECT 'web_page', md5(g::text) || ' annual report', $1, now(), now() FROM generate_series(1, 20000) g`, user)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sqlDB.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	args, err := SamplePlanArgs(ctx, sqlDB)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := CheckPlans(ctx, sqlDB, args)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(plans), len(HotQueries); got != want {
		t.Fatalf("got %d plans, want %d", got, want)
	}
	for _, p := range plans {
		t.Run(p.Query, func(t *testing.T) {
			if p.Skipped != "" {
				t.Skip(p.Skipped)
			}
			if !p.OK {
				t.Errorf("plan uses indexes %v, sequential scan %v: want one of its indexes and no scan of the whole table", p.Indexes, p.SeqScan)
			}
		})
	}
}

// TestCheckPlansSeesASequentialScan makes sure the check can fail: a query
// with no index to use is reported.
func TestCheckPlansSeesASequentialScan(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	ctx := context.Background()
	saved := HotQueries
	t.Cleanup(func() { HotQueries = saved })
	HotQueries = []HotQuery{{Name: "note search", Table: "sentences", Indexes: []string{"sentences_pkey"},
		SQL: `SELECT * FROM sentences WHERE note = 'x'`}}
	plans, err := CheckPlans(ctx, db.SQL(), PlanArgs{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || plans[0].OK || !plans[0].SeqScan {
		t.Errorf("got %+v, want a sequential scan reported", plans)
	}
}
