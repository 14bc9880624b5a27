package routes_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// changedAttributionJSON, citationChangeJSON and resolvedJSON are parts of the
// answer of GET /api/v1/articles/{id}/changes.
type changedAttributionJSON struct {
	Speaker   string `json:"speaker"`
	Confirmed bool   `json:"confirmed"`
}

type citationChangeJSON struct {
	Title    string `json:"title"`
	Relation string `json:"relation"`
}

type resolvedJSON struct {
	CommentID int64  `json:"comment_id"`
	Kind      string `json:"kind"`
	Body      string `json:"body"`
}

// roundChangesJSON is the answer of GET /api/v1/articles/{id}/changes.
type roundChangesJSON struct {
	Round     int `json:"round"`
	Sentences []struct {
		SentenceID  int64                `json:"sentence_id"`
		Number      int                  `json:"number"`
		Before      models.SentenceState `json:"before"`
		After       models.SentenceState `json:"after"`
		Attribution *struct {
			Before *changedAttributionJSON `json:"before"`
			After  *changedAttributionJSON `json:"after"`
			By     string                  `json:"confirmed_by"`
		} `json:"attribution"`
		Added            []citationChangeJSON `json:"citations_added"`
		Removed          []citationChangeJSON `json:"citations_removed"`
		CommentsResolved []resolvedJSON       `json:"comments_resolved"`
	} `json:"sentences"`
	CommentsResolved []resolvedJSON `json:"comments_resolved"`
}

// TestRoundChangesBeyondStatuses: what changed in round 2 lists the
// attribution edits and confirmations, the citations added and removed
// and the threads resolved, in the API and on the editor's page — not
// only the sentences whose state changed.
func TestRoundChangesBeyondStatuses(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		var withAttr []sentenceJSON
		for _, s := range a.Sentences {
			if s.Attribution != nil && s.Status != "excluded" {
				withAttr = append(withAttr, s)
			}
		}
		if len(withAttr) < 2 {
			t.Fatalf("the example has %d sentences with the machine's attribution", len(withAttr))
		}
		edited, excluded := withAttr[0], withAttr[1]
		var plain []sentenceJSON
		for _, s := range openSentences(a) {
			if s.Attribution == nil {
				plain = append(plain, s)
			}
		}
		uncited, cited, discussed := plain[0], plain[1], plain[2]

		// Round 1.
		for i, s := range a.Sentences {
			if s.Status != "excluded" {
				if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": scriptLabel(i, s), "version": s.Version}); r.Status != 200 {
					t.Fatalf("label: %d %s", r.Status, r.Body)
				}
			}
		}
		if r := patch(e, models.RoleChecker, excluded.ID, map[string]any{"exclude_reason": "a teaser", "version": excluded.Version + 1}); r.Status != 200 {
			t.Fatalf("exclude: %d %s", r.Status, r.Body)
		}
		confirmAttributions(t, e, a.ID)
		src := e.createSource(t, map[string]any{"kind": "official_record", "title": "Embassy statement", "url": "https://embassy.example/statement"})
		r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/sentences/%d/citations", uncited.ID), map[string]any{"source_id": src.ID, "relation": "context"})
		var cite struct {
			ID int64 `json:"id"`
		}
		r.decode(t, &cite)
		if r.Status != http.StatusCreated {
			t.Fatalf("cite: %d %s", r.Status, r.Body)
		}
		var thread models.Comment
		e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{
			"body": "Which record is this figure from, and who published it first?", "sentence_id": discussed.ID}).decode(t, &thread)
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		editor2 := e.extraUser(t, "editor2@test.example", models.RoleEditor)
		if r := editor2.api("POST", fmt.Sprintf("/api/v1/articles/%d/request-changes", a.ID), map[string]any{"comment": "Check the attributions."}); r.Status != 200 {
			t.Fatalf("request changes: %d %s", r.Status, r.Body)
		}
		var round1 roundChangesJSON
		e.api(models.RoleEditor, "GET", fmt.Sprintf("/api/v1/articles/%d/changes?round=1", a.ID), nil).decode(t, &round1)
		confirmed := 0
		for _, s := range round1.Sentences {
			if s.Attribution != nil && s.Attribution.By != "" && s.Attribution.After != nil && s.Attribution.After.Confirmed {
				confirmed++
			}
		}
		if confirmed == 0 {
			t.Errorf("round 1 lists no attribution confirmed")
		}

		// Round 2: the checker edits an attribution, brings back the
		// excluded sentence and confirms its attribution, moves a
		// citation and resolves the threads.
		if r := e.api(models.RoleChecker, "PUT", fmt.Sprintf("/api/v1/sentences/%d/attribution", edited.ID), map[string]any{"speaker": "The Kremlin", "cue": edited.Attribution.Cue}); r.Status != 200 {
			t.Fatalf("edit attribution: %d %s", r.Status, r.Body)
		}
		if r := patch(e, models.RoleChecker, excluded.ID, map[string]any{"status": "labeled", "version": excluded.Version + 2}); r.Status != 200 {
			t.Fatalf("bring back: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/sentences/%d/attribution/confirm", excluded.ID), nil); r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleChecker, "DELETE", fmt.Sprintf("/api/v1/citations/%d", cite.ID), nil); r.Status != http.StatusNoContent {
			t.Fatalf("remove citation: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/sentences/%d/citations", cited.ID), map[string]any{"source_id": src.ID, "relation": "supports"}); r.Status != http.StatusCreated {
			t.Fatalf("cite: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/comments/%d/resolve", thread.ID), nil); r.Status != 200 {
			t.Fatalf("resolve: %d %s", r.Status, r.Body)
		}
		var cs struct {
			Comments []models.Comment `json:"comments"`
		}
		e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), nil).decode(t, &cs)
		for _, c := range cs.Comments {
			if c.Kind == models.CommentChangeRequest && c.SentenceID == nil {
				if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/comments/%d/resolve", c.ID), nil); r.Status != 200 {
					t.Fatalf("resolve the request: %d %s", r.Status, r.Body)
				}
			}
		}
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != 200 {
			t.Fatalf("resubmit: %d %s", r.Status, r.Body)
		}

		var ch roundChangesJSON
		e.api(models.RoleEditor, "GET", fmt.Sprintf("/api/v1/articles/%d/changes", a.ID), nil).decode(t, &ch)
		byID := map[int64]int{}
		for i, s := range ch.Sentences {
			byID[s.SentenceID] = i
		}
		at := func(s sentenceJSON) int {
			t.Helper()
			i, ok := byID[s.ID]
			if !ok {
				t.Fatalf("round 2 does not list sentence %d: %+v", s.Index+1, ch.Sentences)
			}
			return i
		}
		if s := ch.Sentences[at(edited)]; s.Attribution == nil || s.Attribution.Before == nil || s.Attribution.After == nil ||
			s.Attribution.Before.Speaker != edited.Attribution.Speaker || s.Attribution.After.Speaker != "The Kremlin" {
			t.Errorf("the attribution edit: %+v", s.Attribution)
		}
		if s := ch.Sentences[at(excluded)]; s.Before.Status != "excluded" || s.After.Status != "labeled" || s.Attribution == nil ||
			s.Attribution.Before.Confirmed || !s.Attribution.After.Confirmed || !strings.Contains(s.Attribution.By, "checker@test.example") {
			t.Errorf("the confirmation: %+v %+v", s, s.Attribution)
		}
		if s := ch.Sentences[at(uncited)]; len(s.Removed) != 1 || s.Removed[0].Title != "Embassy statement" || len(s.Added) != 0 {
			t.Errorf("the citation removed: %+v", s)
		}
		if s := ch.Sentences[at(cited)]; len(s.Added) != 1 || s.Added[0].Title != "Embassy statement" || s.Added[0].Relation != "supports" {
			t.Errorf("the citation added: %+v", s)
		}
		if s := ch.Sentences[at(discussed)]; len(s.CommentsResolved) != 1 || s.CommentsResolved[0].CommentID != thread.ID {
			t.Errorf("the thread resolved: %+v", s)
		}
		if len(ch.CommentsResolved) != 1 || ch.CommentsResolved[0].Body != "Check the attributions." || ch.CommentsResolved[0].Kind != "change_request" {
			t.Errorf("the article's thread resolved: %+v", ch.CommentsResolved)
		}

		// The editor's page says it in words.
		b := e.browser()
		b.signIn(models.RoleEditor)
		page := doc(t, b.get("/articles/"+itoa(a.ID)))
		boxes := findAll(page, func(n *html.Node) bool { return hasClass(n, "changes") })
		if len(boxes) != 1 {
			t.Fatalf("%d boxes of changes on the editor's page", len(boxes))
		}
		var lines []string
		for _, li := range findAll(boxes[0], func(n *html.Node) bool { return n.Data == "li" && hasClass(n.Parent, "what") }) {
			lines = append(lines, textOf(li))
		}
		for _, want := range []string{
			fmt.Sprintf("attribution: speaker “%s” → “The Kremlin”", edited.Attribution.Speaker),
			fmt.Sprintf("attribution confirmed (%s)", excluded.Attribution.Speaker),
			"status: excluded → labeled",
			"cited Embassy statement (supports)",
			"removed citation of Embassy statement",
			"comment resolved: “Which record is this figure from, and who…”",
			"change request resolved: “Check the attributions.”",
		} {
			found := false
			for _, l := range lines {
				found = found || l == want
			}
			if !found {
				t.Errorf("the page does not say %q; it says %q", want, lines)
			}
		}
	})
}
