package routes_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers/machine"
)

// acceptJSON is the answer of a bulk accept.
type acceptJSON struct {
	Accepted []struct {
		ID             int64   `json:"id"`
		Index          int     `json:"index"`
		Label          *string `json:"label"`
		LabelSuggested bool    `json:"label_suggested"`
		Status         string  `json:"status"`
	} `json:"accepted"`
	Skipped       int     `json:"skipped"`
	From          int     `json:"from"`
	To            int     `json:"to"`
	MinConfidence float64 `json:"min_confidence"`
}

// TestAcceptSuggestionsInARange accepts the suggestions of sentences 3 to
// 9: a sentence someone labeled is left alone, excluded ones too, every
// acceptance is a change of its own that undo steps back through, most
// recent first.
func TestAcceptSuggestionsInARange(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		cands, err := e.store.SuggestionCandidates(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A person's label in the range: never overwritten.
		mine := a.Sentences[4]
		if r := patch(e, models.RoleChecker, mine.ID, map[string]any{"label": "assessment", "version": mine.Version}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
		var want []int64
		for _, c := range cands[2:9] {
			if c.Suggestion != nil && c.Status == "unreviewed" && c.SentenceID != mine.ID {
				want = append(want, c.SentenceID)
			}
		}
		if len(want) < 4 {
			t.Fatalf("only %d sentences to accept in 3–9", len(want))
		}
		r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/suggestions/accept", a.ID), map[string]any{"from": 3, "to": 9})
		if r.Status != 200 {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		var got acceptJSON
		r.decode(t, &got)
		if len(got.Accepted) != len(want) || got.Skipped != 7-len(want) || got.From != 3 || got.To != 9 {
			t.Fatalf("accepted %d, skipped %d (range %d–%d); want %d and %d", len(got.Accepted), got.Skipped, got.From, got.To, len(want), 7-len(want))
		}
		for i, s := range got.Accepted {
			sug := cands[s.Index].Suggestion
			if s.ID != want[i] || !s.LabelSuggested || s.Status != "labeled" || s.Label == nil || sug == nil || *s.Label != *sug {
				t.Errorf("accepted %d: %+v, want sentence %d with the suggestion %v", i, s, want[i], sug)
			}
		}
		if now := sentenceNow(t, e, mine.ID); now.Label == nil || *now.Label != "assessment" {
			t.Errorf("the person's label was overwritten: %+v", now)
		}
		// Undo steps back through the acceptances one by one.
		for i := len(got.Accepted) - 1; i >= 0; i-- {
			r := e.undoRedo(models.RoleChecker, "undo", a.ID)
			var u undoJSON
			r.decode(t, &u)
			if r.Status != 200 || u.Sentence.ID != got.Accepted[i].ID || u.Sentence.Label != nil {
				t.Fatalf("undo %d: %d %s", len(got.Accepted)-i, r.Status, r.Body)
			}
		}
		if now := sentenceNow(t, e, mine.ID); now.Label == nil || *now.Label != "assessment" {
			t.Errorf("undoing the acceptances reached the label before them: %+v", now)
		}
		// Accepting again takes them again; nothing else.
		r = e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/suggestions/accept", a.ID), map[string]any{"from": 3, "to": 9})
		r.decode(t, &got)
		if len(got.Accepted) != len(want) {
			t.Errorf("accept again: %d, want %d", len(got.Accepted), len(want))
		}
	})
}

// TestAcceptConfidentSuggestions: confident takes the suggestions of the
// machine's threshold, min_confidence a given one; both leave labeled
// sentences alone; a scope must be given once.
func TestAcceptConfidentSuggestions(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		path := fmt.Sprintf("/api/v1/articles/%d/suggestions/accept", a.ID)
		for _, body := range []any{map[string]any{}, map[string]any{"from": 5, "to": 3}, map[string]any{"from": 3},
			map[string]any{"from": 3, "to": 9, "confident": true}, map[string]any{"min_confidence": 1.5}, map[string]any{"from": 99, "to": 100}} {
			if r := e.api(models.RoleChecker, "POST", path, body); r.Status != 422 {
				t.Errorf("%v: %d %s, want 422", body, r.Status, r.Body)
			}
		}
		if r := e.api(models.RoleViewer, "POST", path, map[string]any{"confident": true}); r.Status != 403 {
			t.Errorf("a viewer: %d", r.Status)
		}
		cands, err := e.store.SuggestionCandidates(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		labeled := map[int64]bool{}
		for _, c := range cands {
			if c.Suggestion != nil && c.Confidence >= machine.Confident && c.Open() && len(labeled) < 2 {
				// Two confident ones someone labels first.
				if r := patch(e, models.RoleChecker, c.SentenceID, map[string]any{"label": "assessment", "version": c.Version}); r.Status != 200 {
					t.Fatalf("label: %d %s", r.Status, r.Body)
				}
				labeled[c.SentenceID] = true
			}
		}
		var want []int64
		skipped := 0 // the two labeled first, and any confident one on an excluded sentence
		for _, c := range cands {
			switch {
			case c.Suggestion == nil || c.Confidence < machine.Confident:
			case c.Open() && !labeled[c.SentenceID]:
				want = append(want, c.SentenceID)
			default:
				skipped++
			}
		}
		r := e.api(models.RoleChecker, "POST", path, map[string]any{"confident": true})
		var got acceptJSON
		r.decode(t, &got)
		if r.Status != 200 || len(got.Accepted) != len(want) || got.Skipped != skipped || skipped < 2 || got.MinConfidence != machine.Confident {
			t.Fatalf("confident: %d accepted %d skipped %d at %v; want %d, %d at %v", r.Status, len(got.Accepted), got.Skipped, got.MinConfidence, len(want), skipped, machine.Confident)
		}
		for i, s := range got.Accepted {
			if s.ID != want[i] {
				t.Errorf("accepted %d: sentence %d, want %d", i, s.ID, want[i])
			}
		}
		// Everything left with a suggestion, at any confidence.
		r = e.api(models.RoleChecker, "POST", path, map[string]any{"min_confidence": 0})
		r.decode(t, &got)
		for _, s := range got.Accepted {
			if labeled[s.ID] {
				t.Errorf("min_confidence 0 overwrote sentence %d", s.ID)
			}
		}
		if r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/readiness", a.ID), nil); !strings.Contains(string(r.Body), `"open":[]`) {
			t.Errorf("after accepting everything, readiness: %s", r.Body)
		}
	})
}

// TestAcceptSuggestionsForm: the page's form accepts a range and says so.
func TestAcceptSuggestionsForm(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		cands, err := e.store.SuggestionCandidates(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		n, skipped := 0, 0
		for _, c := range cands[2:9] {
			if c.Suggestion != nil && c.Open() {
				n++
			} else {
				skipped++
			}
		}
		path := "/articles/" + itoa(a.ID)
		b := e.browser()
		b.signIn(models.RoleChecker)
		r := b.post(path+"/suggestions/accept", url.Values{"from": {"3"}, "to": {"9"}})
		v := viewOf(t, b.follow(t, r, path))
		want := fmt.Sprintf("Accepted %d suggestions (sentences 3–9); z undoes them one by one.", n)
		if skipped == 1 {
			want += " 1 sentence was left as it was (already labeled or excluded, or without a suggestion)."
		} else if skipped > 1 {
			want += fmt.Sprintf(" %d sentences were left as they were (already labeled or excluded, or without a suggestion).", skipped)
		}
		if v.Flash != want {
			t.Errorf("flash %q, want %q (alert %q)", v.Flash, want, v.Alert)
		}
		r = b.post(path+"/suggestions/accept", url.Values{"from": {"9"}, "to": {"9"}})
		if v := viewOf(t, b.follow(t, r, path)); !strings.HasPrefix(v.Flash, "No suggestion accepted (sentence 9)") {
			t.Errorf("accepting an accepted one again: flash %q alert %q", v.Flash, v.Alert)
		}
		r = b.post(path+"/suggestions/accept", url.Values{"from": {"x"}})
		if v := viewOf(t, b.follow(t, r, path)); !strings.Contains(v.Alert, "from is a sentence number") {
			t.Errorf("a bad form: alert %q", v.Alert)
		}
		r = b.post(path+"/suggestions/accept", url.Values{"confident": {"1"}})
		// (A flash with a per cent sign is lost: takeFlash unescapes what
		// gin's Cookie has unescaped already.)
		if v := viewOf(t, b.follow(t, r, path)); !strings.Contains(v.Flash, "(confidence 0.85 or more)") {
			t.Errorf("confident: flash %q alert %q", v.Flash, v.Alert)
		}
	})
}
