package models_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"factdesk/internal/testdb"
	"factdesk/models"
)

func TestSourceSearch(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		mk := func(title, url, publisher string, kind models.SourceKind, rel models.Reliability) *models.Source {
			ns := models.NewSource{Kind: kind, Title: title, URL: url, Publisher: publisher}
			if rel != "" {
				ns.Reliability = &rel
			}
			s, _, err := f.st.CreateSource(ctx, f.checker, ns)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		bill := mk("Countering America's Adversaries Act", "https://www.congress.example/bill/3364", "US Congress", models.KindOfficialRecord, "A")
		tass := mk("Putin interview with Vesti", "https://tass.example/politics/1", "TASS", models.KindInterview, "C")
		eu := mk("EU statement on sanctions", "http://eu.example/press/2017", "European Commission", models.KindDocument, "B")
		person := mk("Jane Doe", "", "", models.KindPerson, "")
		titles := func(p *models.SourcePage) string {
			var ts []string
			for _, r := range p.Sources {
				ts = append(ts, r.Title)
			}
			return strings.Join(ts, " | ")
		}
		tests := []struct {
			name string
			f    models.SourceFilter
			want []*models.Source
		}{
			{"everything, newest first", models.SourceFilter{}, []*models.Source{person, eu, tass, bill}},
			{"title prefix ignores case", models.SourceFilter{Query: "COUNTER"}, []*models.Source{bill}},
			{"two letters: prefix only", models.SourceFilter{Query: "in"}, nil},
			{"a word inside the title", models.SourceFilter{Query: "vesti"}, []*models.Source{tass}},
			{"publisher prefix", models.SourceFilter{Query: "european"}, []*models.Source{eu}},
			{"host without scheme or www", models.SourceFilter{Query: "congress.example"}, []*models.Source{bill}},
			{"full URL, normalised", models.SourceFilter{Query: "HTTPS://tass.example/politics/1#top"}, []*models.Source{tass}},
			{"URL prefix of a site section", models.SourceFilter{Query: "eu.example/press"}, []*models.Source{eu}},
			{"LIKE wildcards are literal", models.SourceFilter{Query: "%"}, nil},
			{"kind", models.SourceFilter{Kind: models.KindInterview}, []*models.Source{tass}},
			{"reliability", models.SourceFilter{Reliability: "B"}, []*models.Source{eu}},
			{"query and kind", models.SourceFilter{Query: "eu", Kind: models.KindInterview}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := f.st.Sources(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, s := range tt.want {
					want = append(want, s.Title)
				}
				if got := titles(p); got != strings.Join(want, " | ") {
					t.Errorf("got %q, want %q", got, strings.Join(want, " | "))
				}
			})
		}
		// Keyset paging walks the whole library once.
		var seen []string
		cursor := int64(0)
		for range 10 {
			p, err := f.st.Sources(ctx, models.SourceFilter{Limit: 3, Before: cursor})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, titles(p))
			if p.Next == 0 {
				break
			}
			cursor = p.Next
		}
		if got, want := strings.Join(seen, " | "), "Jane Doe | EU statement on sanctions | Putin interview with Vesti | Countering America's Adversaries Act"; got != want {
			t.Errorf("pages: got %q, want %q", got, want)
		}
	})
}

// TestSourceTitlePrefixSearchUsesIndex fills PostgreSQL with 100,000
// sources and checks that a title prefix search is answered from an index:
// the plan of the very query the store runs has no sequential scan of
// sources and uses the title prefix index.
func TestSourceTitlePrefixSearchUsesIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a table with 100,000 rows")
	}
	db := testdb.Open(t, testdb.Postgres)
	ctx := context.Background()
	f := newSourceFixture(t, db)
	g := db.Gorm()
	start := time.Now()
	// Titles as a newsroom's library has them: a few kinds of document,
	// numbered, from a few publishers.
	err := g.Transaction(func(tx *gorm.DB) error {
		// The machine is shared; do not let a busy moment fail the fill.
		if err := tx.Exec(`SET LOCAL statement_timeout = '300s'`).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO sources (kind, title, url, publisher, created_by, created_at, updated_at)
			SELECT 'document',
				(ARRAY['Annual report', 'Budget statement', 'Court ruling', 'Energy bill', 'Press release', 'Trade figures',
					'Election results', 'Sanctions list', 'Hearing transcript', 'Census table'])[n % 10 + 1] || ' ' || n || ', ' ||
				(ARRAY['Ministry of Finance', 'US Congress', 'European Commission', 'Kremlin', 'Reuters', 'TASS', 'Statistics Office'])[n % 7 + 1],
				'https://archive.example/doc/' || n, 'Publisher ' || (n % 500), ?, now(), now()
			FROM generate_series(1, 100000) AS n`, f.checker.ID).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Exec(`ANALYZE sources`).Error; err != nil {
		t.Fatal(err)
	}
	t.Logf("inserted 100,000 sources in %v", time.Since(start).Round(time.Millisecond))

	var title string
	if err := g.Raw(`SELECT title FROM sources WHERE url = 'https://archive.example/doc/4243'`).Scan(&title).Error; err != nil {
		t.Fatal(err)
	}
	// "ENERGY BILL 4243": case must not matter.
	prefix, _, _ := strings.Cut(strings.ToUpper(title), ",")

	// Catch the SQL the store sends, to explain exactly that.
	var captured struct {
		sql  string
		vars []any
	}
	const cb = "test:capture_sources_query"
	if err := g.Callback().Query().After("gorm:query").Register(cb, func(tx *gorm.DB) {
		if tx.Statement.Table == "sources" {
			captured.sql, captured.vars = tx.Statement.SQL.String(), append([]any(nil), tx.Statement.Vars...)
		}
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Callback().Query().Remove(cb) })

	var durations []time.Duration
	var page *models.SourcePage
	for range 5 {
		t0 := time.Now()
		page, err = f.st.Sources(ctx, models.SourceFilter{Query: prefix})
		if err != nil {
			t.Fatal(err)
		}
		durations = append(durations, time.Since(t0))
	}
	found := false
	for _, r := range page.Sources {
		found = found || r.Title == title
		if !strings.HasPrefix(strings.ToLower(r.Title), strings.ToLower(prefix)) && !strings.Contains(strings.ToLower(r.Title), " "+strings.ToLower(prefix)) {
			t.Errorf("result %q does not match %q", r.Title, prefix)
		}
	}
	if !found {
		t.Fatalf("search %q did not find %q", prefix, title)
	}
	if captured.sql == "" {
		t.Fatal("the search query was not captured")
	}
	var plan string
	if err := g.Raw(`EXPLAIN (ANALYZE, FORMAT JSON) `+captured.sql, captured.vars...).Row().Scan(&plan); err != nil {
		t.Fatal(err)
	}
	var root []struct {
		Plan          planNode `json:"Plan"`
		ExecutionTime float64  `json:"Execution Time"`
	}
	if err := json.Unmarshal([]byte(plan), &root); err != nil || len(root) != 1 {
		t.Fatalf("plan: %v: %s", err, plan)
	}
	indexes := map[string]bool{}
	var nodes []string
	root[0].Plan.walk(func(n *planNode) {
		nodes = append(nodes, n.NodeType+" "+n.RelationName+" "+n.IndexName)
		if n.NodeType == "Seq Scan" && n.RelationName == "sources" {
			t.Errorf("the plan scans sources sequentially")
		}
		if n.IndexName != "" {
			indexes[n.IndexName] = true
		}
	})
	if !indexes["sources_title_prefix_idx"] {
		t.Errorf("the plan does not use sources_title_prefix_idx; nodes: %v", nodes)
	}
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	t.Logf("search %q over 100,000 sources: %d rows; store call median %v (min %v); execution in PostgreSQL %.3f ms; plan: %s",
		prefix, len(page.Sources), durations[len(durations)/2].Round(time.Microsecond), durations[0].Round(time.Microsecond),
		root[0].ExecutionTime, strings.Join(nodes, "; "))
}

// planNode is one node of an EXPLAIN (FORMAT JSON) plan.
type planNode struct {
	NodeType     string     `json:"Node Type"`
	RelationName string     `json:"Relation Name"`
	IndexName    string     `json:"Index Name"`
	Plans        []planNode `json:"Plans"`
}

func (n *planNode) walk(fn func(*planNode)) {
	fn(n)
	for i := range n.Plans {
		n.Plans[i].walk(fn)
	}
}
