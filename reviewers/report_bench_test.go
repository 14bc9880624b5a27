package reviewers_test

import (
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"factdesk/export"
	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// BenchmarkReport5000 builds the audit report of a labeled article of
// about 5,000 sentences and writes it as JSON, next to the time of merely
// loading the article's sentences from the database (the floor), on both
// databases.
func BenchmarkReport5000(b *testing.B) {
	_, body := newsgen.Article(rand.New(rand.NewPCG(9, 5000)), 5000)
	for _, kind := range testdb.Kinds {
		b.Run(string(kind), func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, kind)
			store := models.NewStore(db)
			svc := reviewers.New(store, reviewers.Config{}, nil, nil)
			u, err := store.CreateUser(ctx, models.System, models.NewUser{Email: "r@test.example", Name: "R", Role: models.RoleEditor, PasswordHash: "x"})
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Body: body})
			if err != nil {
				b.Fatal(err)
			}
			d, err := svc.ArticleDetail(ctx, u.Actor(), res.Article.ID)
			if err != nil {
				b.Fatal(err)
			}
			for i, s := range d.Sentences {
				if s.Status == "excluded" {
					continue
				}
				l := []string{"fact", "assessment"}[i%2]
				if _, err := svc.UpdateSentence(ctx, u.Actor(), s.ID, reviewers.SentenceUpdate{Label: &l, Version: s.Version}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("floor-load-sentences", func(b *testing.B) {
				for b.Loop() {
					if _, err := store.Sentences(ctx, d.RevisionID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("build", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Report(ctx, u.Actor(), res.Article.ID, reviewers.ReportOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("build+json", func(b *testing.B) {
				for b.Loop() {
					r, err := svc.Report(ctx, u.Actor(), res.Article.ID, reviewers.ReportOptions{})
					if err != nil {
						b.Fatal(err)
					}
					if err := export.WriteJSON(io.Discard, r); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
