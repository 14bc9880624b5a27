package reviewers_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestVerifyWhileLabeling verifies an article and builds its report
// while checkers label it: each must see one moment of the record, so
// that a report exported during a busy check never claims that its trail
// was tampered with.
func TestVerifyWhileLabeling(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store, svc, who := newService(t, db, models.RoleEditor)
		_, body := newsgen.Article(rand.New(rand.NewPCG(3, 3)), 200)
		res, err := svc.Import(ctx, who, ingest.ArticleInput{Body: body})
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.ArticleDetail(ctx, who, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		stop := time.Now().Add(1500 * time.Millisecond)
		var wg sync.WaitGroup
		var labels atomic.Int64
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each labeler has sentences of its own: the even ones or
				// the odd ones, round and round.
				names := []string{"fact", "assessment"}
				half := len(d.Sentences) / 2
				for i := 0; time.Now().Before(stop); i++ {
					s := &d.Sentences[2*(i%half)+w]
					l := names[(i/half)%2]
					st, err := svc.UpdateSentence(ctx, who, s.ID, reviewers.SentenceUpdate{Label: &l, Version: s.Version})
					if err != nil {
						t.Errorf("label: %v", err)
						return
					}
					s.Version = st.Version
					labels.Add(1)
				}
			}()
		}
		// An editor cites a source for the first sentence and takes the
		// citation back, again and again: each report must show the
		// citations its own trail accounts for.
		kind, title := "document", "Budget memo"
		first := d.Sentences[0].ID
		c, _, err := svc.AddCitation(ctx, who, first, reviewers.CitationInput{Source: &reviewers.SourceFields{Kind: &kind, Title: &title}, Relation: "context"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DeleteCitation(ctx, who, c.ID); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				c, _, err := svc.AddCitation(ctx, who, first, reviewers.CitationInput{SourceID: c.SourceID, Relation: "context"})
				if err != nil {
					t.Errorf("cite: %v", err)
					return
				}
				if _, err := svc.DeleteCitation(ctx, who, c.ID); err != nil {
					t.Errorf("remove citation: %v", err)
					return
				}
			}
		}()
		checks := 0
	check:
		for time.Now().Before(stop) {
			v, err := store.VerifyArticle(ctx, res.Article.ID)
			switch {
			case err != nil:
				t.Error(err)
				break check
			case !v.OK:
				t.Errorf("verify during labeling: %+v", v.Problems)
				break check
			}
			r, err := svc.Report(ctx, who, res.Article.ID, reviewers.ReportOptions{})
			switch {
			case err != nil:
				t.Error(err)
				break check
			case !r.Audit.Verification.OK:
				t.Errorf("report during labeling says the trail does not verify: %+v", r.Audit.Verification.Problems)
				break check
			}
			inTrail := 0
			for _, e := range r.Audit.Events {
				switch e.Action {
				case "citation.add":
					inTrail++
				case "citation.delete":
					inTrail--
				}
			}
			for _, st := range r.Sentences {
				if st.ID == first && len(st.Citations) != inTrail {
					t.Errorf("report shows %d citations on the first sentence; its trail accounts for %d", len(st.Citations), inTrail)
					break check
				}
			}
			checks++
		}
		wg.Wait()
		if checks < 3 || labels.Load() < 10 {
			t.Errorf("only %d checks during %d labels", checks, labels.Load())
		}
	})
}
