package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// importSeed imports the example article as the checker and returns it.
func importSeed(t *testing.T, e *env) articleJSON {
	t.Helper()
	r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": seedArticle(t), "url": "https://news.example/a"})
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var a articleJSON
	r.decode(t, &a)
	return a
}

func patch(e *env, role models.Role, id int64, body map[string]any) apiResponse {
	e.t.Helper()
	return e.api(role, "PATCH", "/api/v1/sentences/"+itoa(id), body)
}

func articleStatus(t *testing.T, e *env, id int64) string {
	t.Helper()
	var a articleJSON
	e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(id), nil).decode(t, &a)
	return a.Status
}

// TestReviewWorkflowScript is the scripted run: a checker labels
// every sentence and submits; the checker cannot approve; an editor sends
// it back; the checker fixes and resubmits; another editor approves. A
// viewer cannot change anything, a stale version changes nothing, and the
// audit trail verifies.
func TestReviewWorkflowScript(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		second := e.extraUser(t, "editor2@test.example", models.RoleEditor)
		a := importSeed(t, e)
		if articleStatus(t, e, a.ID) != "draft" {
			t.Fatal("a fresh import is not a draft")
		}

		// Submitting with open sentences lists them.
		r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil)
		if r.Status != 422 || !strings.Contains(string(r.Body), "open_sentences") {
			t.Fatalf("early submit: %d %s", r.Status, r.Body)
		}
		for i, s := range a.Sentences {
			if s.Status == "excluded" {
				continue
			}
			want := scriptLabel(i, s)
			r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": want, "version": s.Version})
			if r.Status != 200 {
				t.Fatalf("label sentence %d: %d %s", s.Index, r.Status, r.Body)
			}
			var got sentenceJSON
			r.decode(t, &got)
			if got.Status != "labeled" || got.Version != s.Version+1 || got.Label == nil || *got.Label != want {
				t.Fatalf("after labeling: %+v", got)
			}
		}
		if st := articleStatus(t, e, a.ID); st != "in_review" {
			t.Errorf("after the first label: %s, want in_review", st)
		}
		first := a.Sentences[0]

		// A viewer changes nothing; a stale version changes nothing.
		if r := patch(e, models.RoleViewer, first.ID, map[string]any{"label": "quote", "version": 2}); r.Status != 403 {
			t.Errorf("viewer PATCH: %d", r.Status)
		}
		r = patch(e, models.RoleEditor, first.ID, map[string]any{"label": "quote", "version": 1})
		if r.Status != 409 {
			t.Fatalf("stale PATCH: %d %s", r.Status, r.Body)
		}
		var conflict struct {
			Error struct {
				Data sentenceJSON `json:"data"`
			} `json:"error"`
		}
		r.decode(t, &conflict)
		if conflict.Error.Data.Version != 2 || *conflict.Error.Data.Label != "fact" {
			t.Errorf("409 body does not carry the current sentence: %s", r.Body)
		}
		// Invalid values name the field.
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"label": "opinion", "version": 2}, "label"},
			{map[string]any{"status": "excluded", "version": 2}, "exclude_reason"},
			{map[string]any{"status": "unverifiable", "version": 2}, "note"},
			{map[string]any{"status": "verified", "version": 2}, "status"},
			{map[string]any{"verdict": "Pants on fire", "version": 2}, "verdict"},
			{map[string]any{"label": "fact"}, "version"},
		} {
			r := patch(e, models.RoleChecker, first.ID, tc.body)
			var body struct {
				Error struct{ Field string } `json:"error"`
			}
			r.decode(t, &body)
			if r.Status != 422 || body.Error.Field != tc.field {
				t.Errorf("%v: %d field %q, want 422 %q", tc.body, r.Status, body.Error.Field, tc.field)
			}
		}

		confirmAttributions(t, e, a.ID)
		submit := func(role models.Role) apiResponse {
			return e.api(role, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), map[string]any{"comment": "ready"})
		}
		if r := submit(models.RoleChecker); r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		if r := patch(e, models.RoleChecker, first.ID, map[string]any{"note": "late", "version": 2}); r.Status != 409 {
			t.Errorf("edit while submitted: %d", r.Status)
		}
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/approve", a.ID), nil); r.Status != 403 {
			t.Errorf("checker approve: %d", r.Status)
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/request-changes", a.ID), map[string]any{}); r.Status != 422 {
			t.Errorf("request changes without a comment: %d", r.Status)
		}
		r = e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/request-changes", a.ID), map[string]any{
			"comment": "Sentence 1 is a headline, check the figure.", "sentences": []map[string]any{{"sentence_id": first.ID, "comment": "Is 755 right?"}}})
		if r.Status != 200 {
			t.Fatalf("request changes: %d %s", r.Status, r.Body)
		}
		var cs struct {
			Comments []models.Comment `json:"comments"`
		}
		e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), nil).decode(t, &cs)
		pinned := false
		for _, c := range cs.Comments {
			pinned = pinned || (c.SentenceID != nil && *c.SentenceID == first.ID && c.Kind == "change_request")
		}
		if !pinned {
			t.Errorf("the change request is not pinned to its sentence: %+v", cs.Comments)
		}
		// The checker fixes and resubmits; the editor who submits cannot approve.
		if r := patch(e, models.RoleChecker, first.ID, map[string]any{"note": "Checked: 755.", "version": 2}); r.Status != 200 {
			t.Fatalf("fix: %d %s", r.Status, r.Body)
		}
		if st := articleStatus(t, e, a.ID); st != "in_review" {
			t.Errorf("after a fix: %s", st)
		}
		if r := submit(models.RoleEditor); r.Status != 200 {
			t.Fatalf("resubmit: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/approve", a.ID), nil); r.Status != 403 || !strings.Contains(string(r.Body), "four-eyes") {
			t.Errorf("submitter approves: %d %s", r.Status, r.Body)
		}
		if r := second.api("POST", fmt.Sprintf("/api/v1/articles/%d/approve", a.ID), map[string]any{"comment": "Good."}); r.Status != 200 {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		if r := patch(e, models.RoleEditor, first.ID, map[string]any{"note": "x", "version": 3}); r.Status != 409 || !strings.Contains(string(r.Body), "reopen") {
			t.Errorf("edit after approval: %d %s", r.Status, r.Body)
		}
		var rounds struct {
			Rounds []models.ReviewRound `json:"rounds"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/rounds", a.ID), nil).decode(t, &rounds)
		if len(rounds.Rounds) != 2 || *rounds.Rounds[0].Decision != "changes_requested" || *rounds.Rounds[1].Decision != "approved" {
			t.Errorf("rounds: %+v", rounds.Rounds)
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/reopen", a.ID), map[string]any{"comment": "Correction came in."}); r.Status != 403 {
			t.Errorf("reopen by the editor who submitted the last round: %d %s", r.Status, r.Body)
		}
		if r := second.api("POST", fmt.Sprintf("/api/v1/articles/%d/reopen", a.ID), map[string]any{}); r.Status != 422 {
			t.Errorf("reopen without a comment: %d %s", r.Status, r.Body)
		}
		if r := second.api("POST", fmt.Sprintf("/api/v1/articles/%d/reopen", a.ID), map[string]any{"comment": "Correction came in."}); r.Status != 200 {
			t.Errorf("reopen: %d %s", r.Status, r.Body)
		}

		// The trail verifies; history shows every value with who and when.
		var trail struct {
			Events       []models.AuditEvent `json:"events"`
			Verification models.Verification `json:"verification"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", a.ID), nil).decode(t, &trail)
		if !trail.Verification.OK || len(trail.Events) < 30 {
			t.Fatalf("audit: ok=%v events=%d problems=%v", trail.Verification.OK, len(trail.Events), trail.Verification.Problems)
		}
		var hist struct {
			Events []struct {
				Actor  string          `json:"actor"`
				Action string          `json:"action"`
				After  json.RawMessage `json:"after"`
			} `json:"events"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/sentences/%d/history", first.ID), nil).decode(t, &hist)
		if len(hist.Events) != 2 || !strings.Contains(hist.Events[0].Actor, "checker@test.example") || !strings.Contains(string(hist.Events[1].After), "Checked: 755.") {
			t.Errorf("history: %+v", hist.Events)
		}
	})
}

func TestUndoAndStatusRules(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		s := a.Sentences[3]
		r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "allegation", "version": 1})
		if r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		r = patch(e, models.RoleChecker, s.ID, map[string]any{"status": "excluded", "exclude_reason": "boilerplate", "version": 2})
		var got sentenceJSON
		r.decode(t, &got)
		if got.Status != "excluded" || got.ExcludeReason != "boilerplate" {
			t.Fatalf("exclude: %+v", got)
		}
		// Undo goes back to labeled.
		r = e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/undo", a.ID), nil)
		var undone struct {
			Sentence sentenceJSON `json:"sentence"`
		}
		r.decode(t, &undone)
		if got := undone.Sentence; r.Status != 200 || got.Status != "labeled" || got.ExcludeReason != "" || got.Version != 4 {
			t.Fatalf("undo: %d %+v", r.Status, got)
		}
		// Another person's change in between makes undo refuse.
		patch(e, models.RoleEditor, s.ID, map[string]any{"note": "editor was here", "version": 4})
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/undo", a.ID), nil); r.Status != 409 {
			t.Errorf("undo over someone else's change: %d %s", r.Status, r.Body)
		}
		// Unverifiable with a note, then clearing the label is refused.
		r = patch(e, models.RoleChecker, s.ID, map[string]any{"status": "unverifiable", "note": "no records found", "version": 5})
		if r.Status != 200 {
			t.Fatalf("unverifiable: %d %s", r.Status, r.Body)
		}
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "", "version": 6}); r.Status != 422 {
			t.Errorf("clearing the label of a checked sentence: %d", r.Status)
		}
		r = patch(e, models.RoleChecker, s.ID, map[string]any{"verdict": "mostly false", "version": 6})
		r.decode(t, &got)
		if r.Status != 200 {
			t.Errorf("verdict: %d %s", r.Status, r.Body)
		}
		var full map[string]any
		r.decode(t, &full)
		if full["verdict"] != "Mostly false" {
			t.Errorf("verdict not canonical: %v", full["verdict"])
		}
		// Nothing changes, nothing recorded.
		before := eventCount(t, e, a.ID)
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"verdict": "Mostly false", "version": 7}); r.Status != 200 {
			t.Errorf("no-op: %d", r.Status)
		}
		if after := eventCount(t, e, a.ID); after != before {
			t.Errorf("a no-op wrote %d events", after-before)
		}
	})
}

func eventCount(t *testing.T, e *env, id int64) int {
	t.Helper()
	var trail struct {
		Events []models.AuditEvent `json:"events"`
	}
	e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", id), nil).decode(t, &trail)
	return len(trail.Events)
}

// TestSubmitNeedsAttributedClaims: an allegation or quote whose claim the
// article attributes to nobody blocks submitting, with the list; giving
// it a speaker and cue lets it through.
func TestSubmitNeedsAttributedClaims(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		var bare sentenceJSON
		for i, s := range a.Sentences {
			if s.Status == "excluded" {
				continue
			}
			label := "fact"
			if s.Attribution == nil && bare.ID == 0 && i > 0 {
				bare, label = s, "allegation"
			}
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": label, "version": s.Version}); r.Status != 200 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil)
		var body struct {
			Error struct {
				Field string `json:"field"`
				Data  struct {
					Unattributed []int `json:"unattributed_sentences"`
				} `json:"data"`
			} `json:"error"`
		}
		r.decode(t, &body)
		if r.Status != 422 || body.Error.Field != "attribution" || len(body.Error.Data.Unattributed) != 1 || body.Error.Data.Unattributed[0] != bare.Index {
			t.Fatalf("submit with an unattributed allegation: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleChecker, "PUT", fmt.Sprintf("/api/v1/sentences/%d/attribution", bare.ID), map[string]any{"speaker": "the ministry", "cue": "said"}); r.Status != 200 {
			t.Fatalf("attribute: %d %s", r.Status, r.Body)
		}
		confirmAttributions(t, e, a.ID)
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != 200 {
			t.Errorf("submit after attributing: %d %s", r.Status, r.Body)
		}
	})
}

// confirmAttributions confirms, as the checker, the machine's attributions
// that submitting the article waits for (readiness lists them).
func confirmAttributions(t *testing.T, e *env, articleID int64) {
	t.Helper()
	r := e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d/readiness", articleID), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("readiness: %d %s", r.Status, r.Body)
	}
	var ready struct {
		Unconfirmed []int `json:"unconfirmed_attributions"`
	}
	r.decode(t, &ready)
	var a articleJSON
	e.api(models.RoleChecker, "GET", "/api/v1/articles/"+itoa(articleID), nil).decode(t, &a)
	for _, n := range ready.Unconfirmed {
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/sentences/%d/attribution/confirm", a.Sentences[n-1].ID), nil); r.Status != http.StatusOK {
			t.Fatalf("confirm the attribution of sentence %d: %d %s", n, r.Status, r.Body)
		}
	}
}
