package reviewers_test

import (
	"context"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestLabelsFromTwoProcesses labels one article from two handles on the
// same database, as two factdesk processes behind one load balancer
// would. On PostgreSQL each process labels from the state it remembers
// (one round trip) and must notice every change the other made: a stale
// version is refused with the current sentence, an edit on a sentence the
// other changed succeeds once the version is right, and the chain of
// events verifies throughout.
func TestLabelsFromTwoProcesses(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		storeA, a, who := newService(t, db, models.RoleChecker)
		b := reviewers.New(models.NewStore(testdb.Reopen(t, db, models.Options{})), reviewers.Config{}, nil, nil)
		res, err := a.Import(ctx, who, ingest.ArticleInput{Body: "The council approved the budget on Monday. It rises by 3.5% to 120 million euros. The mayor welcomed the vote."})
		if err != nil {
			t.Fatal(err)
		}
		articleID := res.Article.ID
		open := func(svc *reviewers.Service) []int64 { // what a page load does
			t.Helper()
			d, err := svc.ArticleDetail(ctx, who, articleID)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]int64, len(d.Sentences))
			for i, s := range d.Sentences {
				ids[i] = s.ID
			}
			return ids
		}
		label := func(svc *reviewers.Service, id int64, l string, version int) (*models.Sentence, error) {
			return svc.UpdateSentence(ctx, who, id, reviewers.SentenceUpdate{Label: &l, Version: version})
		}
		mustLabel := func(svc *reviewers.Service, id int64, l string, version int) *models.Sentence {
			t.Helper()
			s, err := label(svc, id, l, version)
			if err != nil {
				t.Fatalf("label sentence %d %s at version %d: %v", id, l, version, err)
			}
			if s.LabelString() != l || s.Version != version+1 {
				t.Fatalf("label sentence %d: got %s version %d, want %s version %d", id, s.LabelString(), s.Version, l, version+1)
			}
			return s
		}
		verify := func(step string) {
			t.Helper()
			v, err := storeA.VerifyArticle(ctx, articleID)
			if err != nil || !v.OK {
				t.Fatalf("%s: the chain does not verify: %v %+v", step, err, v)
			}
		}
		ids := open(a)
		open(b)
		x, y := ids[0], ids[1]

		// A labels X and Y: the first puts the draft in review.
		sx := mustLabel(a, x, "fact", 1)
		sy := mustLabel(a, y, "fact", 1)
		// B, whose memory of the article is older, labels Y.
		sy = mustLabel(b, y, "assessment", sy.Version)
		// A still remembers Y at the version it wrote; the version the
		// person sends is B's, and the edit must go through.
		sy = mustLabel(a, y, "allegation", sy.Version)
		// A person on A who has not seen B's change is refused, with the
		// sentence as it is in the database.
		sx = mustLabel(b, x, "quote", sx.Version)
		_, err = label(a, x, "fact", sx.Version-1)
		if e, ok := models.AsError(err); !ok || e.Code != models.ECONFLICT {
			t.Fatalf("stale version after the other process's change: got %v, want a conflict", err)
		} else if cur, ok := e.Data.(*models.Sentence); !ok || cur.Version != sx.Version || cur.LabelString() != "quote" {
			t.Fatalf("conflict data: got %+v, want version %d labeled quote", e.Data, sx.Version)
		}
		// Sending what the sentence already is changes nothing, even on
		// the process that did not write it.
		same, err := label(a, x, "quote", sx.Version)
		if err != nil || same.Version != sx.Version {
			t.Fatalf("no-op edit: got %+v %v, want version %d unchanged", same, err, sx.Version)
		}
		verify("after both processes labeled")
		// B changes Z; A, whose memory of Z's neighbours is still right
		// but whose memory of the chain is not, labels X: the edit must
		// follow B's event in the chain, not take its place.
		z := ids[2]
		open(a)
		mustLabel(b, z, "fact", 1)
		sx = mustLabel(a, x, "assessment", sx.Version)
		verify("after a change to a neighbour by the other process")
		// Many turns, alternating processes and sentences.
		cur := map[int64]int{x: sx.Version, y: sy.Version}
		labels := []string{"fact", "assessment"}
		for i := range 20 {
			svc := a
			if i%3 == 2 {
				svc = b
			}
			id := ids[i%2]
			s := mustLabel(svc, id, labels[(i/2)%2], cur[id])
			cur[id] = s.Version
		}
		verify("after alternating labels")
		hist, err := a.SentenceHistory(ctx, who, x)
		if err != nil {
			t.Fatal(err)
		}
		if want := cur[x] - 1; len(hist) != want {
			t.Errorf("history of sentence %d: got %d events, want %d (one per version)", x, len(hist), want)
		}

		// A sentence changed behind factdesk's back (its version moved,
		// its article's chain did not): the edit A computes from what it
		// remembers must write nothing — no event, no head moved — and the
		// person is shown the sentence as the database has it.
		open(a)
		if err := db.Gorm().Exec("UPDATE sentences SET version = version + 1 WHERE id = ?", x).Error; err != nil {
			t.Fatal(err)
		}
		before, err := storeA.Article(ctx, articleID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = label(a, x, "quote", cur[x])
		if e, ok := models.AsError(err); !ok || e.Code != models.ECONFLICT {
			t.Fatalf("edit of a sentence changed behind the chain's back: got %v, want a conflict", err)
		} else if st, ok := e.Data.(*models.Sentence); !ok || st.Version != cur[x]+1 {
			t.Fatalf("conflict data: got %+v, want version %d", e.Data, cur[x]+1)
		}
		after, err := storeA.Article(ctx, articleID)
		if err != nil {
			t.Fatal(err)
		}
		if after.AuditSeq != before.AuditSeq || after.AuditHead != before.AuditHead {
			t.Errorf("the refused edit moved the chain from %d to %d", before.AuditSeq, after.AuditSeq)
		}
	})
}
