package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// HotQuery is a query on a path people wait for, as the store sends it,
// with the indexes that should serve it on PostgreSQL.
type HotQuery struct {
	Name string
	// Table is the table it reads; Indexes the index names any one of
	// which must appear in its plan (and no sequential scan of Table).
	Table   string
	Indexes []string
	// SQL has $1 for Arg, which comes from the data (see PlanArgs).
	SQL string
	Arg string // "article", "revision", "sentence", "cursor", "prefix", "revisions"
}

// HotQueries are the queries whose plans CheckPlans examines.
var HotQueries = []HotQuery{
	{Name: "article list, first page", Table: "articles", Indexes: []string{"articles_pkey"},
		SQL: `SELECT * FROM articles ORDER BY id DESC LIMIT 51`},
	{Name: "article list, deep page", Table: "articles", Indexes: []string{"articles_pkey"},
		SQL: `SELECT * FROM articles WHERE id < $1 ORDER BY id DESC LIMIT 51`, Arg: "cursor"},
	{Name: "article list, progress counts", Table: "sentences", Indexes: []string{"sentences_revision_status_idx", "sentences_revision_id_idx_key"},
		SQL: `SELECT revision_id, status, count(*) AS n FROM sentences WHERE revision_id = ANY($1) GROUP BY revision_id, status`, Arg: "revisions"},
	{Name: "sentences of a revision", Table: "sentences", Indexes: []string{"sentences_revision_id_idx_key", "sentences_revision_status_idx"},
		SQL: `SELECT * FROM sentences WHERE revision_id = $1 ORDER BY idx`, Arg: "revision"},
	{Name: "sentence by id", Table: "sentences", Indexes: []string{"sentences_pkey"},
		SQL: `SELECT * FROM sentences WHERE id = $1`, Arg: "sentence"},
	{Name: "audit events of an article", Table: "audit_events", Indexes: []string{"audit_events_article_seq_key", "audit_events_actor_idx"},
		SQL: `SELECT * FROM audit_events WHERE article_id = $1 ORDER BY seq`, Arg: "article"},
	{Name: "source title prefix", Table: "sources", Indexes: []string{"sources_title_prefix_idx", "sources_title_trgm_idx"},
		SQL: `SELECT * FROM sources WHERE lower(title) LIKE $1 ESCAPE '\' ORDER BY id DESC LIMIT 51`, Arg: "prefix"},
}

// PlanCheck is what the planner chose for one hot query.
type PlanCheck struct {
	Query   string   `json:"query"`
	Indexes []string `json:"indexes"` // indexes in the plan
	SeqScan bool     `json:"seq_scan"`
	OK      bool     `json:"ok"`
	Skipped string   `json:"skipped,omitempty"` // why the query was not examined
}

// PlanArgs are the values the hot queries are explained with.
type PlanArgs struct {
	Article, Revision, Sentence, Cursor int64
	Revisions                           []int64
	Prefix                              string
	// MinRows skips the queries on tables the planner believes smaller:
	// there a sequential scan is the right plan (0: check every table).
	MinRows float64
}

// CheckPlans explains each hot query on a PostgreSQL database with
// EXPLAIN (FORMAT JSON) and reports the indexes its plan uses. A query on
// a table the schema does not have yet is skipped.
func CheckPlans(ctx context.Context, db *sql.DB, args PlanArgs) ([]PlanCheck, error) {
	var out []PlanCheck
	for _, q := range HotQueries {
		pc := PlanCheck{Query: q.Name}
		var exists bool
		if err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, q.Table).Scan(&exists); err != nil {
			return nil, err
		}
		if !exists {
			pc.Skipped = "no table " + q.Table
			out = append(out, pc)
			continue
		}
		if args.MinRows > 0 {
			var rows float64
			if err := db.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)`, q.Table).Scan(&rows); err != nil {
				return nil, err
			}
			if rows < args.MinRows {
				pc.Skipped = fmt.Sprintf("%s holds about %.0f rows, too few for an index to pay", q.Table, max(rows, 0))
				out = append(out, pc)
				continue
			}
		}
		var params []any
		switch q.Arg {
		case "article":
			params = []any{args.Article}
		case "revision":
			params = []any{args.Revision}
		case "sentence":
			params = []any{args.Sentence}
		case "cursor":
			params = []any{args.Cursor}
		case "revisions":
			params = []any{args.Revisions}
		case "prefix":
			params = []any{strings.ToLower(args.Prefix) + "%"}
		}
		var plan string
		if err := db.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+q.SQL, params...).Scan(&plan); err != nil {
			return nil, fmt.Errorf("explain %s: %w", q.Name, err)
		}
		var doc []struct {
			Plan planNode `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(plan), &doc); err != nil || len(doc) == 0 {
			return nil, fmt.Errorf("explain %s: unreadable plan: %v", q.Name, err)
		}
		doc[0].Plan.walk(func(n *planNode) {
			if n.IndexName != "" {
				pc.Indexes = append(pc.Indexes, n.IndexName)
			}
			if n.NodeType == "Seq Scan" && n.RelationName == q.Table {
				pc.SeqScan = true
			}
		})
		pc.OK = !pc.SeqScan && anyIn(pc.Indexes, q.Indexes)
		out = append(out, pc)
	}
	return out, nil
}

// planNode is the part of a JSON plan node the check reads.
type planNode struct {
	NodeType     string     `json:"Node Type"`
	RelationName string     `json:"Relation Name"`
	IndexName    string     `json:"Index Name"`
	Plans        []planNode `json:"Plans"`
}

func (n *planNode) walk(f func(*planNode)) {
	f(n)
	for i := range n.Plans {
		n.Plans[i].walk(f)
	}
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

// SamplePlanArgs picks plan arguments from the data: a busy article, its
// revision, one of its sentences, a cursor 90% deep, the newest revisions
// and a title prefix of an existing source.
func SamplePlanArgs(ctx context.Context, db *sql.DB) (PlanArgs, error) {
	var a PlanArgs
	err := db.QueryRowContext(ctx, `SELECT a.id, a.current_revision_id, (SELECT min(s.id) FROM sentences s WHERE s.revision_id = a.current_revision_id)
		FROM articles a WHERE a.current_revision_id IS NOT NULL ORDER BY a.audit_seq DESC, a.id LIMIT 1`).Scan(&a.Article, &a.Revision, &a.Sentence)
	if err != nil {
		return a, fmt.Errorf("sample article: %w", err)
	}
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return a, err
	}
	if err := db.QueryRowContext(ctx, `SELECT id FROM articles ORDER BY id DESC LIMIT 1 OFFSET $1`, n*9/10).Scan(&a.Cursor); err != nil {
		return a, fmt.Errorf("sample cursor: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT current_revision_id FROM articles WHERE current_revision_id IS NOT NULL ORDER BY id DESC LIMIT 50`)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return a, err
		}
		a.Revisions = append(a.Revisions, id)
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('sources') IS NOT NULL`).Scan(&exists); err != nil {
		return a, err
	}
	a.Prefix = "zz"
	if exists {
		var title sql.NullString
		if err := db.QueryRowContext(ctx, `SELECT title FROM sources ORDER BY id LIMIT 1`).Scan(&title); err != nil && err != sql.ErrNoRows {
			return a, err
		}
		if len(title.String) >= 6 {
			a.Prefix = title.String[:6]
		}
	}
	return a, nil
}
