package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestSearchCommand searches an imported article from the command line,
// empties the index as a database from before migration 00013 has it,
// and finds the article again after "factdesk search --reindex"; a query
// of only exclusions and a missing query are usage errors — on both
// databases.
func TestSearchCommand(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, kind)
			run(t, "", nil, "migrate", "up", "--db", dsn)
			if code, _, errs := run(t, "", nil, "user", "add", "--db", dsn, "--email", "a@news.example", "--name", "A", "--role", "admin"); code != 0 {
				t.Fatal(errs)
			}
			file := filepath.Join(t.TempDir(), "harbour.txt")
			os.WriteFile(file, []byte("Harbour tender\n\nThe harbour tender went to a firm from Genoa. Dredging began in May."), 0o600)
			if code, out, errs := run(t, "", nil, "import", "--db", dsn, file); code != 0 {
				t.Fatalf("import: %d\n%s%s", code, out, errs)
			}
			search := func(args ...string) (int, string) {
				t.Helper()
				code, out, errs := run(t, "", nil, append([]string{"search", "--db", dsn}, args...)...)
				return code, out + errs
			}
			if code, out := search("genoa"); code != 0 || !strings.Contains(out, "The harbour tender went to a firm from Genoa.") {
				t.Fatalf("search genoa: exit %d\n%s", code, out)
			}
			db, err := models.Open(ctx, dsn, models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Gorm().Exec(`DELETE FROM search_docs`).Error; err != nil {
				t.Fatal(err)
			}
			if empty, err := models.NewStore(db).SearchIndexEmpty(ctx); err != nil || !empty {
				t.Fatalf("after emptying: empty %v, %v", empty, err)
			}
			if code, out := search("genoa"); code != 0 || !strings.Contains(out, "nothing found") {
				t.Fatalf("search an empty index: exit %d\n%s", code, out)
			}
			if code, out := search("--reindex"); code != 0 || !strings.Contains(out, "indexed 4 texts") {
				t.Fatalf("reindex: exit %d, want 4 texts (the title and three sentences)\n%s", code, out)
			}
			if code, out := search("--json", "genoa OR dredging"); code != 0 || strings.Count(out, `"article_id"`) != 2 {
				t.Errorf("after reindexing: exit %d\n%s", code, out)
			}
			for _, args := range [][]string{{"-genoa"}, {}, {"--reindex", "genoa"}} {
				if code, out := search(args...); code != 2 {
					t.Errorf("search %q: exit %d, want 2\n%s", args, code, out)
				}
			}
		})
	}
}
