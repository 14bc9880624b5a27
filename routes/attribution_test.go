package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// machineSentenceJSON is a sentence of the article JSON with the
// machine's reading.
type machineSentenceJSON struct {
	ID          int64            `json:"id"`
	Index       int              `json:"index"`
	Text        string           `json:"text"`
	Version     int              `json:"version"`
	Attribution *attributionJSON `json:"attribution"`
	Suggestion  *struct {
		Label      string   `json:"label"`
		Confidence float64  `json:"confidence"`
		Reasons    []string `json:"reasons"`
		Reviewer   string   `json:"reviewer"`
	} `json:"suggestion"`
}

type attributionJSON struct {
	Speaker     string  `json:"speaker"`
	Cue         string  `json:"cue"`
	Medium      string  `json:"medium"`
	CarriedOver bool    `json:"carried_over"`
	From        *int    `json:"from"`
	Origin      string  `json:"origin"`
	ConfirmedBy *int64  `json:"confirmed_by"`
	ConfirmedAt *string `json:"confirmed_at"`
	Version     int     `json:"version"`
}

func machineSentences(t *testing.T, e *env, id int64) []machineSentenceJSON {
	t.Helper()
	r := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(id), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET article: %d %s", r.Status, r.Body)
	}
	var a struct {
		Sentences []machineSentenceJSON `json:"sentences"`
	}
	r.decode(t, &a)
	return a.Sentences
}

// attributionEvents returns the article's audit events about attributions.
func attributionEvents(t *testing.T, e *env, id int64) []models.AuditEvent {
	t.Helper()
	var trail struct {
		Events []models.AuditEvent `json:"events"`
	}
	e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", id), nil).decode(t, &trail)
	var out []models.AuditEvent
	for _, ev := range trail.Events {
		if ev.Entity == "attribution" {
			out = append(out, ev)
		}
	}
	return out
}

func TestArticleJSONShowsAttributionsAndSuggestions(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		r := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID), nil)
		var raw struct {
			Sentences []map[string]json.RawMessage `json:"sentences"`
		}
		r.decode(t, &raw)
		// The sentence keeps its keys and gains two, null when empty.
		for _, k := range []string{"id", "index", "paragraph", "start", "end", "text", "quote", "label", "status", "version", "attribution", "suggestion"} {
			if _, ok := raw.Sentences[0][k]; !ok {
				t.Errorf("sentence JSON has no %q", k)
			}
		}
		if got := string(raw.Sentences[0]["attribution"]); got != "null" {
			t.Errorf("headline attribution: got %s, want null", got)
		}
		ss := machineSentences(t, e, a.ID)
		s22 := ss[21]
		if s22.Attribution == nil || !strings.Contains(s22.Attribution.Speaker, "Putin") || !strings.Contains(s22.Attribution.Medium, "Vesti TV") ||
			s22.Attribution.Origin != "machine" || s22.Attribution.ConfirmedBy != nil || s22.Attribution.From == nil || *s22.Attribution.From != 21 {
			t.Errorf("sentence 22: got %+v, want Putin in an interview with Vesti TV, by the machine, unconfirmed, from 21", s22.Attribution)
		}
		if a := ss[27].Attribution; a == nil || a.Cue != "Our assessment" {
			t.Errorf("sentence 28: got %+v, want the outlet's own assessment", a)
		}
		for _, s := range ss {
			if s.Suggestion == nil || s.Suggestion.Reviewer != "reader" || s.Suggestion.Label == "" || len(s.Suggestion.Reasons) == 0 {
				t.Errorf("sentence %d: suggestion %+v", s.Index+1, s.Suggestion)
			}
		}
		if g := ss[23].Suggestion; g == nil || g.Label != "quote" {
			t.Errorf("sentence 24 (inside the quotation): got %+v, want quote", g)
		}
	})
}

func TestAttributionAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		ss := machineSentences(t, e, a.ID)
		path := func(n int, suffix string) string {
			return fmt.Sprintf("/api/v1/sentences/%d/attribution%s", ss[n-1].ID, suffix)
		}

		// Set the headline's attribution (it had none: version 0).
		r := e.api(models.RoleChecker, "PUT", path(1, ""), map[string]any{"speaker": "the outlet", "cue": "headline", "version": 0})
		if r.Status != http.StatusOK {
			t.Fatalf("PUT: %d %s", r.Status, r.Body)
		}
		var got attributionJSON
		r.decode(t, &got)
		if got.Speaker != "the outlet" || got.Origin != "checker" || got.ConfirmedBy == nil || *got.ConfirmedBy != e.users[models.RoleChecker].ID ||
			got.ConfirmedAt == nil || got.Version != 1 || got.From == nil || *got.From != 0 {
			t.Errorf("PUT: got %+v, want the checker's, confirmed, version 1, from 0", got)
		}
		// The same version again is stale: 409 with the current one.
		r = e.api(models.RoleEditor, "PUT", path(1, ""), map[string]any{"speaker": "someone", "version": 0})
		var conflict struct {
			Error struct {
				Code string          `json:"code"`
				Data attributionJSON `json:"data"`
			} `json:"error"`
		}
		r.decode(t, &conflict)
		if r.Status != http.StatusConflict || conflict.Error.Data.Speaker != "the outlet" || conflict.Error.Data.Version != 1 {
			t.Errorf("stale PUT: %d %s, want 409 with the current attribution", r.Status, r.Body)
		}

		// Confirm the machine's attribution of sentence 12 (Trump).
		r = e.api(models.RoleChecker, "POST", path(12, "/confirm"), nil)
		r.decode(t, &got)
		if r.Status != http.StatusOK || got.Origin != "machine" || got.ConfirmedBy == nil || got.Version != 2 || !strings.Contains(got.Speaker, "Trump") {
			t.Errorf("confirm: %d %+v, want Trump's, still the machine's, confirmed, version 2", r.Status, got)
		}
		// Clear sentence 15's.
		if r = e.api(models.RoleChecker, "DELETE", path(15, ""), map[string]any{"version": 1}); r.Status != http.StatusNoContent {
			t.Errorf("DELETE: %d %s, want 204", r.Status, r.Body)
		}
		if r = e.api(models.RoleChecker, "DELETE", path(15, ""), nil); r.Status != http.StatusNotFound {
			t.Errorf("DELETE again: %d, want 404", r.Status)
		}
		if r = e.api(models.RoleChecker, "POST", path(15, "/confirm"), nil); r.Status != http.StatusNotFound {
			t.Errorf("confirm nothing: %d, want 404", r.Status)
		}

		ss = machineSentences(t, e, a.ID)
		if ss[0].Attribution == nil || ss[0].Attribution.Speaker != "the outlet" || ss[11].Attribution.ConfirmedBy == nil || ss[14].Attribution != nil {
			t.Errorf("article after the edits: 1 %+v, 12 %+v, 15 %+v", ss[0].Attribution, ss[11].Attribution, ss[14].Attribution)
		}
		evs := attributionEvents(t, e, a.ID)
		var actions []string
		for _, ev := range evs {
			actions = append(actions, ev.Action)
		}
		if got, want := strings.Join(actions, " "), "attribution.set attribution.confirm attribution.clear"; got != want {
			t.Errorf("audit: got %q, want %q", got, want)
		}
		if len(evs) == 3 && (evs[2].EntityID != ss[14].ID || !strings.Contains(string(evs[2].BeforeRaw), "European Union")) {
			t.Errorf("clear event: entity %d before %s, want sentence 15 with the European Union", evs[2].EntityID, evs[2].BeforeRaw)
		}

		// Errors: the field at fault, malformed bodies, unknown sentences, viewers.
		cases := []struct {
			name   string
			role   models.Role
			method string
			path   string
			body   any
			status int
			field  string
		}{
			{"cue without speaker", models.RoleChecker, "PUT", path(2, ""), map[string]any{"cue": "said"}, 422, "speaker"},
			{"nothing", models.RoleChecker, "PUT", path(2, ""), map[string]any{"speaker": " "}, 422, "speaker"},
			{"speaker too long", models.RoleChecker, "PUT", path(2, ""), map[string]any{"speaker": strings.Repeat("x", 201)}, 422, "speaker"},
			{"medium too long", models.RoleChecker, "PUT", path(2, ""), map[string]any{"speaker": "A", "medium": strings.Repeat("x", 301)}, 422, "medium"},
			{"from a later sentence", models.RoleChecker, "PUT", path(2, ""), map[string]any{"speaker": "A", "from": 5}, 422, "from"},
			{"speaker not a string", models.RoleChecker, "PUT", path(2, ""), `{"speaker": 5}`, 422, "speaker"},
			{"unknown field", models.RoleChecker, "PUT", path(2, ""), `{"speaker": "A", "who": "B"}`, 400, ""},
			{"no body", models.RoleChecker, "PUT", path(2, ""), nil, 400, ""},
			{"unknown sentence", models.RoleChecker, "PUT", "/api/v1/sentences/999999/attribution", map[string]any{"speaker": "A"}, 404, ""},
			{"viewer", models.RoleViewer, "PUT", path(2, ""), map[string]any{"speaker": "A"}, 403, ""},
			{"viewer confirms", models.RoleViewer, "POST", path(2, "/confirm"), nil, 403, ""},
			{"stale confirm", models.RoleChecker, "POST", path(2, "/confirm"), map[string]any{"version": 7}, 409, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.api(tc.role, tc.method, tc.path, tc.body)
				if r.Status != tc.status {
					t.Fatalf("got %d %s, want %d", r.Status, r.Body, tc.status)
				}
				var body struct {
					Error struct {
						Field string `json:"field"`
					} `json:"error"`
				}
				r.decode(t, &body)
				if body.Error.Field != tc.field {
					t.Errorf("field: got %q, want %q", body.Error.Field, tc.field)
				}
			})
		}
		if n := len(attributionEvents(t, e, a.ID)); n != 3 {
			t.Errorf("events after refused requests: got %d, want still 3", n)
		}
	})
}

func TestAttributionRefusedOnApprovedArticle(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		ss := machineSentences(t, e, a.ID)
		for _, status := range []string{"approved", "submitted"} {
			if err := db.Gorm().Exec(`UPDATE articles SET status = ? WHERE id = ?`, status, a.ID).Error; err != nil {
				t.Fatal(err)
			}
			p := fmt.Sprintf("/api/v1/sentences/%d/attribution", ss[3].ID)
			for _, call := range []struct {
				method, path string
				body         any
			}{{"PUT", p, map[string]any{"speaker": "Someone"}}, {"POST", p + "/confirm", nil}, {"DELETE", p, nil}} {
				if r := e.api(models.RoleEditor, call.method, call.path, call.body); r.Status != http.StatusConflict || r.errorCode(t) != "conflict" {
					t.Errorf("%s: %s %s: %d %s, want 409", status, call.method, call.path, r.Status, r.Body)
				}
			}
			b := e.browser()
			b.signIn(models.RoleChecker)
			r := b.post(fmt.Sprintf("/sentences/%d/attribution", ss[3].ID), url.Values{"action": {"clear"}})
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/articles/%d?s=4#s-4", a.ID) {
				t.Errorf("%s: form: %d to %q, want back to the sentence", status, r.Status, r.Header.Get("Location"))
			}
			page := b.get(fmt.Sprintf("/articles/%d", a.ID))
			if !strings.Contains(string(page.Body), "was not cleared") {
				t.Errorf("%s: the article page does not say the attribution was not cleared", status)
			}
		}
		if evs := attributionEvents(t, e, a.ID); len(evs) != 0 {
			t.Errorf("events: got %d, want none", len(evs))
		}
		if got := machineSentences(t, e, a.ID)[3].Attribution; got == nil || got.ConfirmedBy != nil {
			t.Errorf("sentence 4: got %+v, want the machine's, untouched", got)
		}
	})
}

func TestAttributionForm(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		ss := machineSentences(t, e, a.ID)
		b := e.browser()
		b.signIn(models.RoleChecker)
		back := func(n int) string { return fmt.Sprintf("/articles/%d?s=%d#s-%d", a.ID, n, n) }
		steps := []struct {
			name string
			n    int
			form url.Values
			want func(*attributionJSON) bool
		}{
			{"save", 10, url.Values{"speaker": {"Wikileaks"}, "cue": {"released"}, "medium": {""}, "version": {"0"}},
				func(a *attributionJSON) bool { return a != nil && a.Speaker == "Wikileaks" && a.Origin == "checker" }},
			{"save carried over", 9, url.Values{"speaker": {"US intelligence agencies"}, "cue": {"is reported to"}, "carried_over": {"on"}},
				func(a *attributionJSON) bool {
					return a != nil && a.CarriedOver && a.From != nil && *a.From < 8 && a.ConfirmedBy != nil
				}},
			{"confirm", 22, url.Values{"action": {"confirm"}, "version": {"1"}},
				func(a *attributionJSON) bool { return a != nil && a.Origin == "machine" && a.ConfirmedBy != nil }},
			{"clear", 26, url.Values{"action": {"clear"}},
				func(a *attributionJSON) bool { return a == nil }},
		}
		for _, st := range steps {
			r := b.post(fmt.Sprintf("/sentences/%d/attribution", ss[st.n-1].ID), st.form)
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != back(st.n) {
				t.Errorf("%s: %d to %q, want 303 to %s", st.name, r.Status, r.Header.Get("Location"), back(st.n))
			}
			if got := machineSentences(t, e, a.ID)[st.n-1].Attribution; !st.want(got) {
				t.Errorf("%s: sentence %d attribution %+v", st.name, st.n, got)
			}
		}
		// A refused form comes back to the sentence and says why.
		r := b.post(fmt.Sprintf("/sentences/%d/attribution", ss[1].ID), url.Values{"cue": {"said"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != back(2) {
			t.Fatalf("refused form: %d to %q", r.Status, r.Header.Get("Location"))
		}
		page := string(b.get(fmt.Sprintf("/articles/%d", a.ID)).Body)
		if !strings.Contains(page, "was not saved") || !strings.Contains(page, "speaker") {
			t.Error("the article page does not explain the refused attribution")
		}
		if n := len(attributionEvents(t, e, a.ID)); n != 4 {
			t.Errorf("events: got %d, want 4", n)
		}
		// A viewer may not.
		v := e.browser()
		v.signIn(models.RoleViewer)
		if r := v.post(fmt.Sprintf("/sentences/%d/attribution", ss[1].ID), url.Values{"speaker": {"X"}}); r.Status != http.StatusForbidden {
			t.Errorf("viewer: %d, want 403", r.Status)
		}
	})
}

func TestRerunSuggestionsAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		before := machineSentences(t, e, a.ID)
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/suggestions", a.ID), nil); r.Status != http.StatusForbidden {
			t.Errorf("checker: %d, want 403", r.Status)
		}
		r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/suggestions", a.ID), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("editor: %d %s", r.Status, r.Body)
		}
		var sum struct {
			Sentences int            `json:"sentences"`
			Replaced  int            `json:"replaced"`
			Reviewer  string         `json:"reviewer"`
			Labels    map[string]int `json:"labels"`
		}
		r.decode(t, &sum)
		total := 0
		for _, n := range sum.Labels {
			total += n
		}
		if sum.Sentences != 30 || sum.Replaced != 30 || sum.Reviewer != "reader" || total != 30 {
			t.Errorf("summary: %+v, want 30 suggestions replacing 30 by the reader", sum)
		}
		after := machineSentences(t, e, a.ID)
		for i := range after {
			if after[i].Suggestion == nil || after[i].Suggestion.Label != before[i].Suggestion.Label {
				t.Errorf("sentence %d: %+v after a re-run, %+v before", i+1, after[i].Suggestion, before[i].Suggestion)
			}
		}
		if r := e.api(models.RoleEditor, "POST", "/api/v1/articles/999999/suggestions", nil); r.Status != http.StatusNotFound {
			t.Errorf("unknown article: %d, want 404", r.Status)
		}
		ed := e.browser()
		ed.signIn(models.RoleEditor)
		if r := ed.post(fmt.Sprintf("/articles/%d/suggestions", a.ID), url.Values{}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/articles/%d", a.ID) {
			t.Errorf("form: %d to %q, want back to the article", r.Status, r.Header.Get("Location"))
		}
	})
}
