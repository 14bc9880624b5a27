package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestSimilarCommand finds a claim of one imported article in another
// with "factdesk similar --sentence", and checks that sentences whose
// index was wiped (as rows stored before migration 00005, or loaded by
// COPY, have none) are found again after "factdesk similar --reindex" — on
// both databases.
func TestSimilarCommand(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, kind)
			run(t, "", nil, "migrate", "up", "--db", dsn)
			if code, _, errs := run(t, "", nil, "user", "add", "--db", dsn, "--email", "a@news.example", "--name", "A", "--role", "admin"); code != 0 {
				t.Fatal(errs)
			}
			dir := t.TempDir()
			one, two := filepath.Join(dir, "one.txt"), filepath.Join(dir, "two.txt")
			os.WriteFile(one, []byte("Budget vote\n\nThe city council approved a budget of 120 million euros for next year on Monday. The mayor was pleased."), 0o600)
			os.WriteFile(two, []byte("Council backs budget\n\nOn Monday the city council approved a budget of 120 million euros for next year. Critics were not."), 0o600)
			for _, f := range []string{one, two} {
				if code, out, errs := run(t, "", nil, "import", "--db", dsn, f); code != 0 {
					t.Fatalf("import %s: %d\n%s%s", f, code, out, errs)
				}
			}
			db, err := models.Open(ctx, dsn, models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var id int64
			if err := db.Gorm().Raw(`SELECT id FROM sentences WHERE text LIKE 'The city council approved%'`).Scan(&id).Error; err != nil || id == 0 {
				t.Fatalf("find the sentence: %v", err)
			}
			sid := strconv.FormatInt(id, 10)
			var n int64
			if err := db.Gorm().Model(&models.Sentence{}).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			found := func() string {
				t.Helper()
				code, out, errs := run(t, "", nil, "similar", "--db", dsn, "--sentence", sid)
				if code != 0 {
					t.Fatalf("similar: exit %d\n%s%s", code, out, errs)
				}
				return out
			}
			if out := found(); !strings.Contains(out, "On Monday the city council approved") || !strings.Contains(out, `"Council backs budget"`) {
				t.Errorf("similar --sentence: want the other article's sentence:\n%s", out)
			}
			for _, q := range []string{`UPDATE sentences SET norm = ''`, `UPDATE sentences SET bands = NULL`} {
				if err := db.Gorm().Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if kind == testdb.SQLite {
				db.Gorm().Exec(`DELETE FROM sentence_bands`)
			}
			if out := found(); !strings.Contains(out, "no other article makes this claim") {
				t.Errorf("with the index wiped: want nothing found:\n%s", out)
			}
			code, out, _ := run(t, "", nil, "similar", "--db", dsn, "--reindex", "--batch", "3")
			if code != 0 || !strings.Contains(out, fmt.Sprintf("indexed %d sentences", n)) {
				t.Errorf("reindex: exit %d\n%s", code, out)
			}
			if out := found(); !strings.Contains(out, "On Monday the city council approved") {
				t.Errorf("after the reindex: want the other article's sentence again:\n%s", out)
			}
			if code, out, _ := run(t, "", nil, "similar", "--db", dsn, "--reindex"); code != 0 || !strings.Contains(out, "indexed 0 sentences") {
				t.Errorf("a second reindex: exit %d\n%s", code, out)
			}
			if code, _, _ := run(t, "", nil, "similar", "--db", dsn); code != 2 {
				t.Errorf("no flag: exit %d, want 2", code)
			}
		})
	}
}
