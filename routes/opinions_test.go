package routes_test

import (
	"fmt"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestSecondOpinionFlow: an editor asks a second checker for a blind
// labeling; the second checker cannot see the article's labels until done;
// the editor sees agreement and disagreements and settles one, which
// becomes the article's label with both originals in the history.
func TestSecondOpinionFlow(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		second := e.extraUser(t, "second@test.example", models.RoleChecker)
		a := importSeed(t, e)
		firstLabels := map[int64]string{}
		for i, s := range a.Sentences {
			if s.Status == "excluded" {
				continue
			}
			l := []string{"fact", "allegation", "quote", "assessment"}[i%4]
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": l, "version": s.Version}); r.Status != 200 {
				t.Fatal(r.Status, string(r.Body))
			}
			firstLabels[s.ID] = l
		}
		secondID := e.users["second@test.example"].ID
		if r := e.api(models.RoleViewer, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": secondID}); r.Status != 403 {
			t.Errorf("viewer asks: %d", r.Status)
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": e.users[models.RoleEditor].ID}); r.Status != 422 {
			t.Errorf("asking oneself: %d", r.Status)
		}
		r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": secondID})
		if r.Status != 201 {
			t.Fatalf("request: %d %s", r.Status, r.Body)
		}
		var o models.SecondOpinion
		r.decode(t, &o)

		// Blind: the article, its sentences and its report are closed to
		// the second checker while the opinion is open.
		for _, path := range []string{
			fmt.Sprintf("/api/v1/articles/%d", a.ID),
			fmt.Sprintf("/api/v1/sentences/%d", a.Sentences[1].ID),
			fmt.Sprintf("/api/v1/articles/%d/report", a.ID),
			fmt.Sprintf("/api/v1/articles/%d/audit", a.ID),
			fmt.Sprintf("/api/v1/articles/%d/readiness", a.ID),
			fmt.Sprintf("/api/v1/articles/%d/undo", a.ID),
		} {
			if r := second.api("GET", path, nil); r.Status != 403 {
				t.Errorf("blind checker GET %s: %d", path, r.Status)
			}
		}
		// Nor can they accept the machine's suggestions, undo or redo there:
		// the answers carry labels.
		for _, call := range []struct {
			path string
			body any
		}{
			{fmt.Sprintf("/api/v1/articles/%d/suggestions/accept", a.ID), map[string]any{"confident": true}},
			{fmt.Sprintf("/api/v1/articles/%d/undo", a.ID), nil},
			{fmt.Sprintf("/api/v1/articles/%d/redo", a.ID), nil},
		} {
			if r := second.api("POST", call.path, call.body); r.Status != 403 {
				t.Errorf("blind checker POST %s: %d %s", call.path, r.Status, r.Body)
			}
		}
		r = second.api("GET", fmt.Sprintf("/api/v1/opinions/%d", o.ID), nil)
		if r.Status != 200 || strings.Contains(string(r.Body), `"first"`) || strings.Contains(string(r.Body), `"machine"`) {
			t.Errorf("blind view: %d %s", r.Status, r.Body)
		}
		// Labels: the same as the first checker but for two sentences.
		var labels []map[string]any
		changed := 0
		for i, s := range a.Sentences {
			if s.Status == "excluded" {
				continue
			}
			l := firstLabels[s.ID]
			if i == 3 || i == 12 {
				l, changed = "assessment", changed+1
				if firstLabels[s.ID] == "assessment" {
					l = "fact"
				}
			}
			labels = append(labels, map[string]any{"sentence_id": s.ID, "label": l})
		}
		if r := second.api("PUT", fmt.Sprintf("/api/v1/opinions/%d/labels", o.ID), map[string]any{"labels": labels[:5]}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
		if r := second.api("POST", fmt.Sprintf("/api/v1/opinions/%d/complete", o.ID), nil); r.Status != 422 {
			t.Errorf("early completion: %d", r.Status)
		}
		if r := e.api(models.RoleChecker, "PUT", fmt.Sprintf("/api/v1/opinions/%d/labels", o.ID), map[string]any{"labels": labels[:1]}); r.Status != 403 {
			t.Errorf("someone else labels the opinion: %d", r.Status)
		}
		second.api("PUT", fmt.Sprintf("/api/v1/opinions/%d/labels", o.ID), map[string]any{"labels": labels})
		if r := second.api("POST", fmt.Sprintf("/api/v1/opinions/%d/complete", o.ID), nil); r.Status != 200 {
			t.Fatalf("complete: %d %s", r.Status, r.Body)
		}
		if r := second.api("GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), nil); r.Status != 200 {
			t.Errorf("after completing, the article is open again: %d", r.Status)
		}

		var view struct {
			Agreement struct {
				N        int      `json:"n"`
				Observed *float64 `json:"observed"`
			} `json:"agreement"`
			Disagreements []struct {
				ID      int64  `json:"id"`
				First   string `json:"first"`
				Second  string `json:"second"`
				Version int    `json:"version"`
			} `json:"disagreements"`
		}
		e.api(models.RoleEditor, "GET", fmt.Sprintf("/api/v1/opinions/%d", o.ID), nil).decode(t, &view)
		if view.Agreement.N != 28 || len(view.Disagreements) != changed || view.Agreement.Observed == nil || *view.Agreement.Observed > 0.95 {
			t.Fatalf("agreement: %+v", view)
		}
		d := view.Disagreements[0]
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/opinions/%d/settle", o.ID), map[string]any{"sentence_id": d.ID, "label": d.Second, "version": d.Version}); r.Status != 403 {
			t.Errorf("checker settles: %d", r.Status)
		}
		r = e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/opinions/%d/settle", o.ID), map[string]any{"sentence_id": d.ID, "label": d.Second, "version": d.Version})
		if r.Status != 200 {
			t.Fatalf("settle: %d %s", r.Status, r.Body)
		}
		var hist struct {
			Events []struct {
				Action string `json:"action"`
			} `json:"events"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/sentences/%d/history", d.ID), nil).decode(t, &hist)
		if n := len(hist.Events); n != 2 || hist.Events[0].Action != "sentence.update" || hist.Events[1].Action != "sentence.settle" {
			t.Errorf("history after settling: %+v", hist.Events)
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/opinions/%d/close", o.ID), map[string]any{"status": "settled"}); r.Status != 200 {
			t.Errorf("close: %d %s", r.Status, r.Body)
		}
		// The trail still verifies.
		var trail struct {
			Verification models.Verification `json:"verification"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", a.ID), nil).decode(t, &trail)
		if !trail.Verification.OK {
			t.Errorf("audit: %+v", trail.Verification.Problems)
		}
	})
}

// opinionPageDocs renders the second-opinion pages in their states, for
// the W3C checker: the list with its request form, the blind labeling
// form, and the editor's comparison with a disagreement to settle.
func opinionPageDocs(t *testing.T, e *env, articleID int64) map[string][]byte {
	t.Helper()
	second := e.extraUser(t, "blind@test.example", models.RoleChecker)
	docs := map[string][]byte{}
	editor := e.browser()
	editor.signIn(models.RoleEditor)
	docs["opinions"] = editor.get(fmt.Sprintf("/articles/%d/opinions", articleID)).Body
	r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", articleID), map[string]any{"assignee_id": e.users["blind@test.example"].ID})
	var o models.SecondOpinion
	r.decode(t, &o)
	b := e.browser()
	b.signIn("blind@test.example")
	docs["opinion-blind"] = b.get(fmt.Sprintf("/opinions/%d", o.ID)).Body
	docs["opinion-editor-open"] = editor.get(fmt.Sprintf("/opinions/%d", o.ID)).Body
	var v struct {
		Sentences []struct {
			ID       int64 `json:"id"`
			Excluded bool  `json:"excluded"`
		} `json:"sentences"`
	}
	second.api("GET", fmt.Sprintf("/api/v1/opinions/%d", o.ID), nil).decode(t, &v)
	var labels []map[string]any
	for _, s := range v.Sentences {
		if !s.Excluded {
			labels = append(labels, map[string]any{"sentence_id": s.ID, "label": "fact"})
		}
	}
	second.api("PUT", fmt.Sprintf("/api/v1/opinions/%d/labels", o.ID), map[string]any{"labels": labels})
	second.api("POST", fmt.Sprintf("/api/v1/opinions/%d/complete", o.ID), nil)
	docs["opinion-editor-done"] = editor.get(fmt.Sprintf("/opinions/%d", o.ID)).Body
	return docs
}
