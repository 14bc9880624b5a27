package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"factdesk/internal/seedrev"
	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestImportRevisionOf imports the example article, labels two sentences,
// imports the corrected version with --revision-of, and checks that the
// output names every kind of change, that "factdesk audit verify" passes
// after the carry-over and still catches a carried sentence changed
// behind factdesk's back, and that the same file again changes nothing —
// on both databases.
func TestImportRevisionOf(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, kind)
			run(t, "", nil, "migrate", "up", "--db", dsn)
			if code, _, errs := run(t, "", nil, "user", "add", "--db", dsn, "--email", "a@news.example", "--name", "A", "--role", "admin"); code != 0 {
				t.Fatal(errs)
			}
			seed, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
			if err != nil {
				t.Fatal(err)
			}
			revised, err := seedrev.Revise(string(seed))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			first, second := filepath.Join(dir, "seed.txt"), filepath.Join(dir, "seed-corrected.txt")
			os.WriteFile(first, seed, 0o600)
			os.WriteFile(second, []byte(revised), 0o600)
			code, out, errs := run(t, "", nil, "import", "--db", dsn, first)
			m := regexp.MustCompile(`article (\d+) `).FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("import: exit %d\n%s%s", code, out, errs)
			}
			id, _ := strconv.ParseInt(m[1], 10, 64)

			db, err := models.Open(ctx, dsn, models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			store := models.NewStore(db)
			svc := reviewers.New(store, reviewers.Config{}, nil, nil)
			admin, err := store.UserByEmail(ctx, "a@news.example")
			if err != nil {
				t.Fatal(err)
			}
			d, err := svc.ArticleDetail(ctx, admin.Actor(), id)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range d.Sentences {
				if strings.Contains(s.Text, "decrease to 455") || strings.Contains(s.Text, "Our assessment") {
					label := "fact"
					if _, err := svc.UpdateSentence(ctx, admin.Actor(), s.ID, reviewers.SentenceUpdate{Label: &label, Version: s.Version}); err != nil {
						t.Fatal(err)
					}
				}
			}

			if code, _, _ := run(t, "", nil, "import", "--db", dsn, "--revision-of", m[1], first, second); code != 2 {
				t.Errorf("--revision-of with two files: exit %d, want 2", code)
			}
			code, out, errs = run(t, "", nil, "import", "--db", dsn, "--revision-of", m[1], second)
			if code != 0 {
				t.Fatalf("revision: exit %d\n%s%s", code, out, errs)
			}
			for _, want := range []string{"revision 2: ", "3 moved, 2 changed, 1 new, 1 removed", "the article is in_review",
				"changed  ", seedrev.FigureNew, "new      ", seedrev.Inserted, "removed  ", seedrev.Removed, "moved    "} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if code, out, _ := run(t, "", nil, "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "ok") {
				t.Fatalf("verify after the revision: exit %d\n%s", code, out)
			}
			evs, err := store.ArticleEvents(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			carried := 0
			for _, e := range evs {
				if e.Action == models.ActionCarry {
					carried++
				}
			}
			if carried != 2 {
				t.Errorf("sentence.carry events: got %d, want one for each of the 2 labeled sentences", carried)
			}
			// A carried-over label changed behind factdesk's back.
			var target models.Sentence
			if err := db.Gorm().Where("article_id = ? AND text LIKE ?", id, "Our assessment%").Order("revision_id DESC").First(&target).Error; err != nil {
				t.Fatal(err)
			}
			db.Gorm().Exec(`UPDATE sentences SET label = 'quote' WHERE id = ?`, target.ID)
			if code, out, _ := run(t, "", nil, "audit", "verify", "--db", dsn); code != 1 || !strings.Contains(out, "sentence "+strconv.Itoa(target.Number())) {
				t.Errorf("verify after changing a carried label: exit %d, want 1 naming sentence %d\n%s", code, target.Number(), out)
			}
			db.Gorm().Exec(`UPDATE sentences SET label = 'fact' WHERE id = ?`, target.ID)

			code, out, _ = run(t, "", nil, "import", "--db", dsn, "--revision-of", m[1], second)
			if code != 0 || !strings.Contains(out, "the same text as revision 2") {
				t.Errorf("the same file again: exit %d\n%s", code, out)
			}
			if code, out, _ := run(t, "", nil, "audit", "verify", "--db", dsn); code != 0 {
				t.Errorf("verify at the end: exit %d\n%s", code, out)
			}
		})
	}
}
