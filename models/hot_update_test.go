package models_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// On PostgreSQL a label must be a HOT update of its sentence and of its
// article's head: written on the same page, touching none of the table's
// indexes (on sentences, the GIN index of 32 band keys a row). PostgreSQL
// updates a row in place only when no indexed column changes value, so no
// index of either table may read a column the label statement changes.
// The columns are taken from the statement itself, so that the test fails
// when the statement starts writing an indexed column as well as when an
// index on a written column is added. SQLite has no such thing: it
// updates the indexes whose columns change, one entry each.
func TestLabelStatementWritesNoIndexedColumn(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	ctx := context.Background()
	// The article's status is written by every label but changes only at
	// a workflow step (draft to in review), which may cost one full
	// update; its list index needs it.
	allowed := map[string][]string{"articles": {"status"}}
	for _, table := range []string{"sentences", "articles"} {
		written := setColumns(t, models.WriteSentenceSQL, table)
		if len(written) < 3 {
			t.Fatalf("found %d columns the label statement writes in %s (%v); the parser no longer reads the statement", len(written), table, written)
		}
		rows, err := db.SQL().QueryContext(ctx,
			`SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = $1::regclass ORDER BY c.relname`, table)
		if err != nil {
			t.Fatal(err)
		}
		indexes := 0
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				t.Fatal(err)
			}
			indexes++
			// The definition's part after "USING method" names its
			// columns, expressions and predicate.
			_, cols, _ := strings.Cut(def, " USING ")
			for _, col := range written {
				if slices.Contains(allowed[table], col) {
					continue
				}
				if regexp.MustCompile(`\b` + col + `\b`).MatchString(cols) {
					t.Errorf("index %s on %s reads %s, which every label changes: labels are no longer HOT updates (%s)", name, table, col, def)
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if indexes < 2 {
			t.Fatalf("%s has %d indexes; the catalogue query finds none of them", table, indexes)
		}
	}
}

// setColumns returns the columns of "UPDATE table SET a = …, b = …" in
// statement.
func setColumns(t *testing.T, statement, table string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)UPDATE ` + table + ` SET (.*?)\s(?:FROM|WHERE)\s`).FindStringSubmatch(statement)
	if m == nil {
		t.Fatalf("no UPDATE %s in the label statement", table)
	}
	var cols []string
	for _, assign := range regexp.MustCompile(`(\w+)\s*=`).FindAllStringSubmatch(m[1], -1) {
		cols = append(cols, assign[1])
	}
	return cols
}
