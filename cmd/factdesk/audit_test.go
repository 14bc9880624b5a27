package main

import (
	"context"
	"strings"
	"testing"

	"factdesk/auth"
	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestAuditVerifyDetectsTampering labels an article, checks that
// "factdesk audit verify" passes, then changes an event and, separately, a
// sentence directly in the database, and expects the failure reported
// with the article and the sentence — on both databases.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, kind)
			db, svc, u := checkerOn(t, dsn)
			res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Body: "First claim here. Second claim here. Third one."})
			if err != nil {
				t.Fatal(err)
			}
			d, err := svc.ArticleDetail(ctx, u.Actor(), res.Article.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range d.Sentences {
				label := "fact"
				if _, err := svc.UpdateSentence(ctx, u.Actor(), s.ID, reviewers.SentenceUpdate{Label: &label, Version: s.Version}); err != nil {
					t.Fatal(err)
				}
			}
			verify := func() (int, string) {
				code, out, _ := run(t, "", nil, "audit", "verify", "--db", dsn)
				return code, out
			}
			if code, out := verify(); code != 0 || !strings.Contains(out, "ok") {
				t.Fatalf("clean verify: exit %d\n%s", code, out)
			}
			g := db.Gorm()
			// A sentence changed behind factdesk's back.
			target := d.Sentences[1]
			if err := g.Exec(`UPDATE sentences SET label = 'quote' WHERE id = ?`, target.ID).Error; err != nil {
				t.Fatal(err)
			}
			code, out := verify()
			if code != 1 || !strings.Contains(out, "FAILED") || !strings.Contains(out, "sentence 2") {
				t.Errorf("after a sentence UPDATE: exit %d\n%s", code, out)
			}
			g.Exec(`UPDATE sentences SET label = 'fact' WHERE id = ?`, target.ID)
			if code, out := verify(); code != 0 {
				t.Fatalf("after restoring: exit %d\n%s", code, out)
			}
			// An event changed behind factdesk's back.
			if err := g.Exec(`UPDATE audit_events SET after = replace(after, '"fact"', '"quote"') WHERE article_id = ? AND seq = 3`, res.Article.ID).Error; err != nil {
				t.Fatal(err)
			}
			code, out = verify()
			if code != 1 || !strings.Contains(out, "event 3") || !strings.Contains(out, "altered") {
				t.Errorf("after an event UPDATE: exit %d\n%s", code, out)
			}
			// Deleting the last event is caught too.
			g.Exec(`UPDATE audit_events SET after = replace(after, '"quote"', '"fact"') WHERE article_id = ? AND seq = 3`, res.Article.ID)
			if err := g.Exec(`DELETE FROM audit_events WHERE article_id = ? AND seq = (SELECT max(seq) FROM audit_events WHERE article_id = ?)`, res.Article.ID, res.Article.ID).Error; err != nil {
				t.Fatal(err)
			}
			if code, out := verify(); code != 1 || !strings.Contains(out, "removed") {
				t.Errorf("after deleting the last event: exit %d\n%s", code, out)
			}
		})
	}
}

// checkerOn migrates the empty database at dsn with "factdesk migrate up"
// and returns a handle on it (closed when the test ends), the service
// over it and a checker to act.
func checkerOn(t *testing.T, dsn string) (*models.DB, *reviewers.Service, *models.User) {
	t.Helper()
	if code, _, errs := run(t, "", nil, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	db, err := models.Open(context.Background(), dsn, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
	u, _, err := svc.CreateUser(context.Background(), models.System, reviewers.NewUserInput{Email: "c@x.example", Name: "C", Role: models.RoleChecker, Password: "long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	return db, svc, u
}
