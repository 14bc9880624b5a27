package reviewers_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestRevisionOfSubmittedArticle sends a corrected text for an article
// waiting for an editor: it goes back in review with its round still
// open, the changed sentence is labeled again rather than verified, and
// the checker can submit again.
func TestRevisionOfSubmittedArticle(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store, svc, who := newService(t, db, models.RoleChecker)
		body := "The council approved the budget on Monday. It rises by 3.5% to 120 million euros. The mayor welcomed the vote."
		res, err := svc.Import(ctx, who, ingest.ArticleInput{Body: body})
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.ArticleDetail(ctx, who, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range d.Sentences {
			label, status, note := "fact", "unverifiable", "no record yet"
			if _, err := svc.UpdateSentence(ctx, who, s.ID, reviewers.SentenceUpdate{Label: &label, Status: &status, Note: &note, Version: s.Version}); err != nil {
				t.Fatal(err)
			}
		}
		confirmAttributions(t, svc, who, res.Article.ID)
		if _, err := svc.Submit(ctx, who, res.Article.ID, ""); err != nil {
			t.Fatal(err)
		}
		rev, err := svc.AddRevision(ctx, who, res.Article.ID, ingest.ArticleInput{Body: strings.Replace(body, "3.5%", "3.4%", 1)})
		if err != nil {
			t.Fatal(err)
		}
		if rev.Article.Status != models.ArticleInReview {
			t.Errorf("status: got %s, want in_review", rev.Article.Status)
		}
		if n := rev.Revision.Counts; n == nil || n.Changed != 1 || n.Unchanged != 2 {
			t.Errorf("counts: got %+v, want 1 changed and 2 unchanged", n)
		}
		rounds, err := store.Rounds(ctx, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rounds) != 1 || rounds[0].DecidedAt != nil {
			t.Errorf("rounds: got %+v, want the one round, still open", rounds)
		}
		d, err = svc.ArticleDetail(ctx, who, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range d.Sentences {
			want := "unverifiable"
			if strings.Contains(s.Text, "3.4%") {
				want = "labeled"
			}
			if string(s.Status) != want {
				t.Errorf("%q: got %s, want %s", s.Text, s.Status, want)
			}
		}
		if _, err := svc.Submit(ctx, who, res.Article.ID, ""); err != nil {
			t.Errorf("submit again: %v", err)
		}
		v, err := store.VerifyArticle(ctx, res.Article.ID)
		if err != nil || !v.OK {
			t.Errorf("verify: %v %+v", err, v)
		}
	})
}

// TestAddRevisionRefusesAStaleBase checks that a revision aligned against
// a revision that is no longer current is refused, and that a viewer may
// not add one.
func TestAddRevisionRefusesAStaleBase(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		svc := reviewers.New(store, reviewers.Config{}, nil, nil)
		u, err := store.CreateUser(ctx, models.System, models.NewUser{Email: "c@test.example", Name: "C", Role: models.RoleChecker, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Body: "First claim here. Second claim here."})
		if err != nil {
			t.Fatal(err)
		}
		_, err = store.AddRevision(ctx, u.Actor(), models.NewRevision{ArticleID: res.Article.ID, BaseRevisionID: *res.Article.CurrentRevisionID + 1000,
			Body: "First claim here.", BodySHA256: strings.Repeat("ab", 32), Format: "text"})
		if !errors.Is(err, models.ErrConflict) {
			t.Errorf("a stale base: got %v, want a conflict", err)
		}
		v, err := store.CreateUser(ctx, models.System, models.NewUser{Email: "v@test.example", Name: "V", Role: models.RoleViewer, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddRevision(ctx, v.Actor(), res.Article.ID, ingest.ArticleInput{Body: "Other text here."}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("a viewer: got %v, want forbidden", err)
		}
	})
}
