package routes

import (
	"context"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestOpenThreadsAgree counts an article's open comments as the approval
// queue, the review page, the report and the readiness count them, on an
// article with a reply, resolved threads, change requests and the notes of
// a submission and an approval: one definition (models.Comment.OpenThread),
// one number.
func TestOpenThreadsAgree(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		svc := reviewers.New(store, reviewers.Config{}, nil, nil)
		person := func(email string, role models.Role) models.Actor {
			u, err := store.CreateUser(ctx, models.System, models.NewUser{Email: email, Name: email, Role: role, PasswordHash: "x"})
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor()
		}
		checker, editor, editor2 := person("c@test.example", models.RoleChecker), person("e@test.example", models.RoleEditor), person("e2@test.example", models.RoleEditor)
		res, err := svc.Import(ctx, checker, ingest.ArticleInput{Body: "Prices rose in March. The river flooded twice. The bridge reopened in May."})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Article.ID
		d, err := svc.ArticleDetail(ctx, checker, id)
		if err != nil {
			t.Fatal(err)
		}
		ss := d.Sentences
		for _, s := range ss {
			fact := "fact"
			if _, err := svc.UpdateSentence(ctx, checker, s.ID, reviewers.SentenceUpdate{Label: &fact, Version: s.Version}); err != nil {
				t.Fatal(err)
			}
		}
		comment := func(who models.Actor, sentence, parent int64, body string) *models.Comment {
			t.Helper()
			c, err := svc.AddComment(ctx, who, models.NewComment{ArticleID: id, SentenceID: sentence, ParentID: parent, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		open := comment(checker, ss[0].ID, 0, "Which month?")
		comment(editor, 0, open.ID, "March, says the office.")
		for _, c := range []*models.Comment{comment(checker, 0, 0, "Headline?"), comment(checker, ss[1].ID, 0, "Twice?")} {
			if _, err := svc.ResolveComment(ctx, checker, c.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Submit(ctx, checker, id, "Ready."); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RequestChanges(ctx, editor, id, "Check sentence 3.", map[int64]string{ss[2].ID: "May or June?"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Submit(ctx, checker, id, "Fixed."); err != nil {
			t.Fatal(err)
		}
		// Open: "Which month?" and the two change requests.
		const want = 3
		counts := func(step string) {
			t.Helper()
			cs, err := svc.Comments(ctx, editor, id)
			if err != nil {
				t.Fatal(err)
			}
			article, _, bySentence := threadsOf(cs)
			page := (&reviewPage{ArticleThreads: article}).OpenArticleThreads()
			for _, n := range bySentence {
				page += n[0]
			}
			rep, err := svc.Report(ctx, editor, id, reviewers.ReportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ready, err := svc.Readiness(ctx, editor, id)
			if err != nil {
				t.Fatal(err)
			}
			if page != want || rep.Summary.OpenComments != want || ready.OpenThreads != want || models.OpenThreads(cs) != want {
				t.Errorf("%s: page %d, report %d, readiness %d, models %d; want %d", step, page, rep.Summary.OpenComments, ready.OpenThreads, models.OpenThreads(cs), want)
			}
		}
		rows, err := svc.ApprovalQueue(ctx, editor)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].OpenComments != want {
			t.Errorf("queue: %+v, want %d open comments", rows, want)
		}
		counts("submitted")
		if _, err := svc.Approve(ctx, editor2, id, "Good."); err != nil {
			t.Fatal(err)
		}
		counts("approved")
	})
}
