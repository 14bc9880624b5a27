package reviewers_test

import (
	"context"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// importPlain imports an article of plain sentences that attribute
// nothing to anyone, and returns its sentences.
func importPlain(t *testing.T, svc *reviewers.Service, who models.Actor) (int64, []models.Sentence) {
	t.Helper()
	ctx := context.Background()
	body := "Prices rose in March. The river flooded twice. The bridge reopened in May. Wages fell slightly. The port handled more ships."
	res, err := svc.Import(ctx, who, ingest.ArticleInput{Body: body})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.ArticleDetail(ctx, who, res.Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	ss := make([]models.Sentence, len(d.Sentences))
	for i := range d.Sentences {
		ss[i] = d.Sentences[i].Sentence
	}
	return res.Article.ID, ss
}

func labelOf(t *testing.T, store *models.Store, id int64) string {
	t.Helper()
	s, err := store.Sentence(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s.LabelString()
}

// TestUndoSurvivesAReload: the stacks live in the audit trail, so a
// fresh service (another request, another server) undoes and redoes
// where the last one stopped.
func TestUndoSurvivesAReload(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store, svc, who := newService(t, db, models.RoleChecker)
		id, ss := importPlain(t, svc, who)
		for _, s := range ss[:3] {
			fact := "fact"
			if _, err := svc.UpdateSentence(ctx, who, s.ID, reviewers.SentenceUpdate{Label: &fact, Version: s.Version}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Undo(ctx, who, id); err != nil {
			t.Fatal(err)
		}
		fresh := func() *reviewers.Service { return reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil) }
		r, err := fresh().Undo(ctx, who, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Sentence.ID != ss[1].ID || r.Step.Number() != ss[1].Number() {
			t.Errorf("the second undo, on a fresh service, reverted sentence %d, want %d", r.Step.Number(), ss[1].Number())
		}
		p, err := fresh().NextUndo(ctx, who, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Undo == nil || p.Undo.SentenceID != ss[0].ID || p.Redo == nil || p.Redo.SentenceID != ss[1].ID {
			t.Errorf("preview after a reload: %+v", p)
		}
		if _, err := fresh().Redo(ctx, who, id); err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"fact", "fact", ""} {
			if got := labelOf(t, store, ss[i].ID); got != want {
				t.Errorf("sentence %d: label %q, want %q", i+1, got, want)
			}
		}
		if v, err := store.VerifyArticle(ctx, id); err != nil || !v.OK {
			t.Errorf("verify: %v %+v", err, v)
		}
	})
}

// TestLegacyUndoIsAnOrdinaryChange: an undo recorded before undo events
// named their change (no "undoes") is a change like any other, which the
// next undo reverses.
func TestLegacyUndoIsAnOrdinaryChange(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store, svc, who := newService(t, db, models.RoleChecker)
		id, ss := importPlain(t, svc, who)
		s := ss[0]
		fact := "fact"
		if _, err := svc.UpdateSentence(ctx, who, s.ID, reviewers.SentenceUpdate{Label: &fact, Version: s.Version}); err != nil {
			t.Fatal(err)
		}
		// The old undo: the state before, as a sentence.undo naming nothing.
		_, err := store.EditSentence(ctx, who, s.ID, s.Version+1, models.ActionUndo, func(e *models.SentenceEdit) (models.SentenceState, error) {
			return models.SentenceState{Status: "unreviewed"}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := svc.Undo(ctx, who, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := labelOf(t, store, s.ID); got != "fact" || r.Step.To.Label != "fact" {
			t.Errorf("undoing a legacy undo: label %q, want fact back", got)
		}
		if _, err := svc.Undo(ctx, who, id); err != nil {
			t.Fatal(err)
		}
		if got := labelOf(t, store, s.ID); got != "" {
			t.Errorf("then undoing the label: label %q, want none", got)
		}
	})
}

// TestUndoStacks replays event sequences into stacks.
func TestUndoStacks(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store, svc, who := newService(t, db, models.RoleChecker)
		other, err := store.CreateUser(ctx, models.System, models.NewUser{Email: "o@test.example", Name: "Other", Role: models.RoleChecker, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		id, ss := importPlain(t, svc, who)
		label := func(a models.Actor, s models.Sentence, l string) {
			t.Helper()
			cur, err := store.Sentence(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.UpdateSentence(ctx, a, s.ID, reviewers.SentenceUpdate{Label: &l, Version: cur.Version}); err != nil {
				t.Fatal(err)
			}
		}
		label(who, ss[0], "fact")
		label(other.Actor(), ss[1], "quote") // someone else's: not on my stack
		label(who, ss[2], "fact")
		label(who, ss[0], "allegation")
		st, err := store.UndoStacks(ctx, id, who.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := func(steps []models.UndoStep) []int {
			var out []int
			for _, s := range steps {
				out = append(out, s.Number())
			}
			return out
		}
		if g := got(st.Undo); len(g) != 3 || g[0] != 1 || g[1] != 3 || g[2] != 1 || len(st.Redo) != 0 {
			t.Fatalf("undo stack: %v, redo %v; want [1 3 1] and none", g, got(st.Redo))
		}
		if top, _ := st.NextUndo(); top.From.Label != "allegation" || top.To.Label != "fact" {
			t.Errorf("the next undo: %+v", top)
		}
		if _, err := svc.Undo(ctx, who, id); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Undo(ctx, who, id); err != nil {
			t.Fatal(err)
		}
		st, err = store.UndoStacks(ctx, id, who.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u, r := got(st.Undo), got(st.Redo); len(u) != 1 || u[0] != 1 || len(r) != 2 || r[0] != 1 || r[1] != 3 {
			t.Errorf("after two undos: undo %v redo %v, want [1] and [1 3]", u, r)
		}
		if got := labelOf(t, store, ss[0].ID); got != "fact" {
			t.Errorf("sentence 1 after undoing its relabel: %q, want fact", got)
		}
	})
}
