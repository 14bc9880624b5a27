package routes_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// openSentences returns the article's sentences that are not excluded.
func openSentences(a articleJSON) []sentenceJSON {
	var out []sentenceJSON
	for _, s := range a.Sentences {
		if s.Status != "excluded" {
			out = append(out, s)
		}
	}
	return out
}

// sentenceNow reads a sentence as it is.
func sentenceNow(t *testing.T, e *env, id int64) sentenceJSON {
	t.Helper()
	var s sentenceJSON
	e.api(models.RoleViewer, "GET", "/api/v1/sentences/"+itoa(id), nil).decode(t, &s)
	return s
}

// wantLabels checks the label of each sentence ("" for none).
func wantLabels(t *testing.T, e *env, step string, ss []sentenceJSON, want ...string) {
	t.Helper()
	for i, s := range ss {
		got := ""
		if now := sentenceNow(t, e, s.ID); now.Label != nil {
			got = *now.Label
		}
		if got != want[i] {
			t.Fatalf("%s: sentence %d has label %q, want %q", step, s.Index+1, got, want[i])
		}
	}
}

// undoJSON is the answer of undo and redo.
type undoJSON struct {
	Sentence sentenceJSON `json:"sentence"`
	Number   int          `json:"number"`
	Undone   string       `json:"undone"`
	Redone   string       `json:"redone"`
	CanUndo  bool         `json:"can_undo"`
	CanRedo  bool         `json:"can_redo"`
}

func (e *env) undoRedo(role models.Role, what string, articleID int64) apiResponse {
	e.t.Helper()
	return e.api(role, "POST", fmt.Sprintf("/api/v1/articles/%d/%s", articleID, what), nil)
}

// TestUndoStepsBackThroughYourChanges is the test: after labeling
// sentences 1, 2 and 3, undo three times reverts 3, then 2, then 1 (it
// used to toggle sentence 3); redo goes forward again; a new change
// clears what could be redone; the trail still verifies.
func TestUndoStepsBackThroughYourChanges(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		ss := openSentences(a)[:4]
		for _, s := range ss[:3] {
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
				t.Fatalf("label: %d %s", r.Status, r.Body)
			}
		}
		three := ss[:3]
		for i, want := range [][]string{{"fact", "fact", ""}, {"fact", "", ""}, {"", "", ""}} {
			r := e.undoRedo(models.RoleChecker, "undo", a.ID)
			if r.Status != 200 {
				t.Fatalf("undo %d: %d %s", i+1, r.Status, r.Body)
			}
			wantLabels(t, e, fmt.Sprintf("after undo %d", i+1), three, want...)
			var u undoJSON
			r.decode(t, &u)
			if n := three[2-i].Index + 1; u.Number != n || u.Sentence.ID != three[2-i].ID {
				t.Errorf("undo %d: number %d (sentence %d), want %d", i+1, u.Number, u.Sentence.ID, n)
			}
			if want := "label: fact → none; status: labeled → unreviewed"; u.Undone != want {
				t.Errorf("undo %d: undone %q, want %q", i+1, u.Undone, want)
			}
			if u.CanUndo != (i < 2) || !u.CanRedo {
				t.Errorf("undo %d: can_undo %v can_redo %v", i+1, u.CanUndo, u.CanRedo)
			}
		}
		r := e.undoRedo(models.RoleChecker, "undo", a.ID)
		if r.Status != 422 || !strings.Contains(string(r.Body), "no change to this article's sentences left to undo") {
			t.Errorf("undo with nothing left: %d %s", r.Status, r.Body)
		}

		var p struct {
			CanUndo    bool   `json:"can_undo"`
			CanRedo    bool   `json:"can_redo"`
			Undo       string `json:"undo"`
			Redo       string `json:"redo"`
			RedoNumber int    `json:"redo_number"`
		}
		e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d/undo", a.ID), nil).decode(t, &p)
		first := three[0].Index + 1
		if want := fmt.Sprintf("sentence %d: label: none → fact; status: unreviewed → labeled", first); p.CanUndo || !p.CanRedo || p.Undo != "" || p.Redo != want || p.RedoNumber != first {
			t.Errorf("preview: %+v, want redo %q", p, want)
		}

		for i, want := range [][]string{{"fact", "", ""}, {"fact", "fact", ""}} {
			r := e.undoRedo(models.RoleChecker, "redo", a.ID)
			if r.Status != 200 {
				t.Fatalf("redo %d: %d %s", i+1, r.Status, r.Body)
			}
			wantLabels(t, e, fmt.Sprintf("after redo %d", i+1), three, want...)
			var u undoJSON
			r.decode(t, &u)
			if want := "label: none → fact; status: unreviewed → labeled"; u.Redone != want || !u.CanUndo || !u.CanRedo {
				t.Errorf("redo %d: %+v, want redone %q and both possible", i+1, u, want)
			}
		}
		// A new change clears what could be redone; undo takes it first.
		if r := patch(e, models.RoleChecker, ss[3].ID, map[string]any{"label": "quote", "version": ss[3].Version}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
		if r := e.undoRedo(models.RoleChecker, "redo", a.ID); r.Status != 422 {
			t.Errorf("redo after a new change: %d %s", r.Status, r.Body)
		}
		if r := e.undoRedo(models.RoleChecker, "undo", a.ID); r.Status != 200 {
			t.Fatalf("undo: %d %s", r.Status, r.Body)
		}
		wantLabels(t, e, "after undoing the new change", ss, "fact", "fact", "", "")
		if r := e.undoRedo(models.RoleChecker, "undo", a.ID); r.Status != 200 {
			t.Fatalf("undo: %d %s", r.Status, r.Body)
		}
		wantLabels(t, e, "after undoing a redo", ss, "fact", "", "", "")

		var trail struct {
			Events       []models.AuditEvent `json:"events"`
			Verification models.Verification `json:"verification"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", a.ID), nil).decode(t, &trail)
		if !trail.Verification.OK {
			t.Errorf("audit: %+v", trail.Verification.Problems)
		}
		undos, redos := 0, 0
		for _, ev := range trail.Events {
			switch ev.Action {
			case "sentence.undo":
				undos++
				if !strings.Contains(string(ev.AfterRaw), `"undoes":`) {
					t.Errorf("undo event %d does not name what it undoes: %s", ev.Seq, ev.AfterRaw)
				}
			case "sentence.redo":
				redos++
				if !strings.Contains(string(ev.AfterRaw), `"redoes":`) {
					t.Errorf("redo event %d does not name the undo it reverses: %s", ev.Seq, ev.AfterRaw)
				}
			}
		}
		if undos != 5 || redos != 2 {
			t.Errorf("events: %d undos and %d redos, want 5 and 2", undos, redos)
		}
	})
}

// TestUndoTwentyFiveDeep undoes 25 changes, most recent first.
func TestUndoTwentyFiveDeep(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		ss := openSentences(a)
		if len(ss) < 25 {
			t.Fatalf("the example has %d open sentences, want 25", len(ss))
		}
		ss = ss[:25]
		for _, s := range ss {
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"note": "checked", "version": s.Version}); r.Status != 200 {
				t.Fatalf("note: %d %s", r.Status, r.Body)
			}
		}
		for i := len(ss) - 1; i >= 0; i-- {
			r := e.undoRedo(models.RoleChecker, "undo", a.ID)
			var u undoJSON
			r.decode(t, &u)
			if r.Status != 200 || u.Sentence.ID != ss[i].ID || u.Undone != "note removed" {
				t.Fatalf("undo of change %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		for _, s := range ss {
			if now := sentenceNow(t, e, s.ID); now.Version != 3 {
				t.Errorf("sentence %d: version %d, want 3 (noted, then undone)", s.Index+1, now.Version)
			}
		}
		if r := e.undoRedo(models.RoleChecker, "undo", a.ID); r.Status != 422 {
			t.Errorf("a 26th undo: %d %s", r.Status, r.Body)
		}
	})
}

// namedUser adds a person with a given name and a token.
func namedUser(t *testing.T, e *env, name, email string, role models.Role) tokenClient {
	t.Helper()
	u, _, err := e.svc.CreateUser(t.Context(), models.System, reviewers.NewUserInput{Email: email, Name: name, Role: role, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := e.svc.CreateToken(t.Context(), models.System, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tokenClient{e: e, token: tok}
}

// TestUndoStoppedByAnotherPersonsChange: undo does not overwrite what
// someone else did to the sentence since; the 409 names them and the
// sentence, and nothing changes.
func TestUndoStoppedByAnotherPersonsChange(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		ana := namedUser(t, e, "Ana Ruiz", "ana@news.example", models.RoleChecker)
		a := importSeed(t, e)
		s := openSentences(a)[2]
		n := s.Index + 1
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
		if r := ana.api("PATCH", "/api/v1/sentences/"+itoa(s.ID), map[string]any{"label": "allegation", "version": s.Version + 1}); r.Status != 200 {
			t.Fatalf("Ana's label: %d %s", r.Status, r.Body)
		}
		r := e.undoRedo(models.RoleChecker, "undo", a.ID)
		var body struct {
			Error struct {
				Code    string       `json:"code"`
				Message string       `json:"message"`
				Data    sentenceJSON `json:"data"`
			} `json:"error"`
		}
		r.decode(t, &body)
		want := fmt.Sprintf("Ana Ruiz changed sentence %d after your change; undoing it would overwrite their work", n)
		if r.Status != 409 || body.Error.Code != models.ECONFLICT || body.Error.Message != want {
			t.Errorf("undo over Ana's change: %d %s, want 409 %q", r.Status, r.Body, want)
		}
		if body.Error.Data.ID != s.ID || body.Error.Data.Label == nil || *body.Error.Data.Label != "allegation" {
			t.Errorf("the 409 does not carry the sentence as it is: %+v", body.Error.Data)
		}
		if now := sentenceNow(t, e, s.ID); now.Label == nil || *now.Label != "allegation" || now.Version != s.Version+2 {
			t.Errorf("the refused undo changed the sentence: %+v", now)
		}
		// Ana's own undo is hers to make.
		if r := ana.api("POST", fmt.Sprintf("/api/v1/articles/%d/undo", a.ID), nil); r.Status != 200 {
			t.Errorf("Ana's undo: %d %s", r.Status, r.Body)
		}
	})
}

// TestUndoAndRedoForms: without JavaScript, the page's undo and redo
// forms come back to the sentence saying what they did.
func TestUndoAndRedoForms(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		ss := openSentences(a)
		path := "/articles/" + itoa(a.ID)
		b := e.browser()
		b.signIn(models.RoleChecker)
		r := b.post(path+"/undo", url.Values{})
		if v := viewOf(t, b.follow(t, r, path)); !strings.Contains(v.Alert, "you have no change to this article's sentences left to undo") {
			t.Errorf("undo with nothing to undo: alert %q flash %q", v.Alert, v.Flash)
		}
		for _, s := range ss[:2] {
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
				t.Fatalf("label: %d %s", r.Status, r.Body)
			}
		}
		n := ss[1].Index + 1
		r = b.post(path+"/undo", url.Values{})
		if loc := r.Header.Get("Location"); !strings.Contains(loc, fmt.Sprintf("s=%d", n)) {
			t.Errorf("undo goes back to %q, want sentence %d", loc, n)
		}
		v := viewOf(t, b.follow(t, r, path))
		if want := fmt.Sprintf("Undone on sentence %d: label: fact → none; status: labeled → unreviewed.", n); v.Flash != want {
			t.Errorf("undo: flash %q, want %q (alert %q)", v.Flash, want, v.Alert)
		}
		r = b.post(path+"/redo", url.Values{})
		v = viewOf(t, b.follow(t, r, path))
		if want := fmt.Sprintf("Redone on sentence %d: label: none → fact; status: unreviewed → labeled.", n); v.Flash != want {
			t.Errorf("redo: flash %q, want %q (alert %q)", v.Flash, want, v.Alert)
		}
		wantLabels(t, e, "after undo and redo", ss[:2], "fact", "fact")
		r = b.post(path+"/redo", url.Values{})
		if v := viewOf(t, b.follow(t, r, path)); !strings.Contains(v.Alert, "you have no undone change to redo") {
			t.Errorf("redo with nothing to redo: alert %q", v.Alert)
		}
	})
}

// TestUndoRefusedOnASubmittedArticle: nothing is undone while an editor
// has the article.
func TestUndoRefusedOnASubmittedArticle(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		for i, s := range a.Sentences {
			if s.Status != "excluded" {
				if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": scriptLabel(i, s), "version": s.Version}); r.Status != 200 {
					t.Fatalf("label: %d %s", r.Status, r.Body)
				}
			}
		}
		confirmAttributions(t, e, a.ID)
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		if r := e.undoRedo(models.RoleChecker, "undo", a.ID); r.Status != 409 || !strings.Contains(string(r.Body), "submitted") {
			t.Errorf("undo on a submitted article: %d %s", r.Status, r.Body)
		}
	})
}
