package models_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/search"
)

// TestSearchPlanUsesTheIndex checks the plans of a rare and a common word
// on an index of 20,000 rows: on PostgreSQL the rare word is found
// through the GIN index and the common one (in every sentence) by reading
// the newest rows backwards through the primary key, never by reading the
// whole table; on SQLite both go through the FTS5 index.
func TestSearchPlanUsesTheIndex(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			// One real article, and 20,000 rows of the index written as an
			// import writes them (search.Document, search.Vector) but in a
			// few statements: importing them one article at a time took
			// two minutes under the race detector.
			_, ss := d.searchArticle(t, "Harvest report", "Daily", nil, "The ministry said the harvest fell.")
			g := d.st.DB().Gorm()
			const rows, per = 20000, 500
			for start := 0; start < rows; start += per {
				var sb strings.Builder
				var args []any
				sb.WriteString("INSERT INTO search_docs (kind, ref_id, article_id, sentence_id, ")
				if k == testdb.Postgres {
					sb.WriteString("tsv) VALUES ")
				} else {
					sb.WriteString("words) VALUES ")
				}
				for i := start; i < start+per; i++ {
					text := fmt.Sprintf("The ministry said the harvest of field %d in district %d fell.", i%1000, i/1000)
					if i == 7500 {
						text = "The ministry said the Castellan tender was annulled."
					}
					value := search.Document(text)
					if k == testdb.Postgres {
						value = search.Vector(value)
						sb.WriteString("('note', ?, ?, ?, CAST(? AS tsvector))")
					} else {
						sb.WriteString("('note', ?, ?, ?, ?)")
					}
					if i < start+per-1 {
						sb.WriteString(", ")
					}
					args = append(args, 1_000_000+i, ss[0].ArticleID, ss[0].ID, value)
				}
				if err := g.Exec(sb.String(), args...).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := d.st.DB().Gorm().Exec("ANALYZE").Error; err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				q    string
				want []string
			}{
				{"castellan", []string{"search_docs_tsv_idx"}},
				{"harvest", []string{"search_docs_pkey"}},
			} {
				q, err := search.Parse(c.q)
				if err != nil {
					t.Fatal(err)
				}
				plan, err := d.st.ExplainSearch(ctx, models.SearchFilter{Query: q, Reader: d.ana.ID}, models.GroupSentences)
				if err != nil {
					t.Fatal(err)
				}
				if k == testdb.SQLite {
					if !strings.Contains(plan, "VIRTUAL TABLE INDEX") || strings.Contains(plan, "SCAN d\n") || strings.Contains(plan, "SCAN search_docs") {
						t.Errorf("%s: the plan does not go through the FTS5 index:\n%s", c.q, plan)
					}
					continue
				}
				indexes, seq := planIndexes(t, plan)
				if seq["search_docs"] || !anyOf(indexes, c.want) {
					t.Errorf("%s: the plan uses %v (sequential scans: %v), want one of %v:\n%s", c.q, indexes, seq, c.want, plan)
				}
			}
			if res := searchFor(t, d.st, "castellan", models.SearchFilter{}); len(res) != 1 || res[0] != "s:The ministry said the harvest fell." {
				t.Errorf("castellan: %q, want the one sentence its row belongs to", res)
			}
		})
	}
}

// planIndexes returns the indexes a JSON plan uses and the tables it
// reads sequentially.
func planIndexes(t *testing.T, plan string) ([]string, map[string]bool) {
	t.Helper()
	type node struct {
		NodeType     string `json:"Node Type"`
		RelationName string `json:"Relation Name"`
		IndexName    string `json:"Index Name"`
		Plans        []node `json:"Plans"`
	}
	var doc []struct {
		Plan node `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &doc); err != nil || len(doc) == 0 {
		t.Fatalf("unreadable plan %s: %v", plan, err)
	}
	var indexes []string
	seq := map[string]bool{}
	var walk func(n node)
	walk = func(n node) {
		if n.IndexName != "" {
			indexes = append(indexes, n.IndexName)
		}
		if n.NodeType == "Seq Scan" {
			seq[n.RelationName] = true
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(doc[0].Plan)
	return indexes, seq
}

func anyOf(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}
