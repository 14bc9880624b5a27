package routes_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/internal/testdb"
	"factdesk/models"
)

func byID(n *html.Node, id string) *html.Node {
	if f := findAll(n, func(n *html.Node) bool { return attr(n, "id") == id }); len(f) > 0 {
		return f[0]
	}
	return nil
}

// TestSubmitterIsNotOfferedTheDecision is defect 13: an editor who
// submitted the round sees why another editor must decide it, and no
// Approve or Request changes button; another editor sees both.
func TestSubmitterIsNotOfferedTheDecision(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Bridge", "The mayor opened the bridge on Monday. The bridge cost 40 million euros.")
		for _, s := range a.Sentences {
			if r := patch(e, models.RoleEditor, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
				t.Fatalf("label: %d %s", r.Status, r.Body)
			}
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), map[string]any{"comment": "Both checked."}); r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		path := fmt.Sprintf("/articles/%d", a.ID)

		submitter := e.browser()
		submitter.signIn(models.RoleEditor)
		page := doc(t, submitter.get(path))
		if byID(page, "approve-button") != nil || byID(page, "request-changes-button") != nil {
			t.Error("the editor who submitted the round is offered Approve or Request changes")
		}
		if n := findAll(page, func(n *html.Node) bool { return hasAttr(n, "data-four-eyes") }); len(n) != 1 || !strings.Contains(textOf(n[0]), "another editor must decide") {
			t.Error("the page does not say that another editor must decide")
		}
		// The note the submitter left shows beside the submission.
		if s := findAll(page, func(n *html.Node) bool { return hasAttr(n, "data-submitted") }); len(s) != 1 || !strings.Contains(textOf(s[0]), "Both checked.") {
			t.Error("the submit note is not shown beside the submission")
		}

		other := e.browser()
		other.signIn(models.RoleAdmin)
		page = doc(t, other.get(path))
		if byID(page, "approve-button") == nil || byID(page, "request-changes-button") == nil {
			t.Error("another editor is not offered Approve and Request changes")
		}
	})
}

// TestStartReviewIsGone: the first label starts the review, so the page
// offers no "Start review" button and has no form route for it.
func TestStartReviewIsGone(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	a := e.importSmall(t, "Bridge", "The mayor opened the bridge on Monday.")
	b := e.browser()
	b.signIn(models.RoleChecker)
	page := b.get(fmt.Sprintf("/articles/%d", a.ID))
	if strings.Contains(string(page.Body), "Start review") || strings.Contains(string(page.Body), "/start-review") {
		t.Error("the review page still offers Start review")
	}
	if r := b.post(fmt.Sprintf("/articles/%d/start-review", a.ID), url.Values{}); r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST /articles/:id/start-review: %d, want 404 or 405", r.Status)
	}
}

// TestRefusedStepSaysNotDoneOnce is defect 2: a refused workflow step says
// "Not done:" once, and the sentence numbers it names link to them.
func TestRefusedStepSaysNotDoneOnce(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	a := e.importSmall(t, "Bridge", "The mayor opened the bridge on Monday. The bridge cost 40 million euros.")
	b := e.browser()
	b.signIn(models.RoleChecker)
	r := b.post(fmt.Sprintf("/articles/%d/submit", a.ID), url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("refused submit: %d, want 303", r.Status)
	}
	page := b.get(r.Header.Get("Location"))
	alerts := findAll(doc(t, page), func(n *html.Node) bool { return hasClass(n, "alert") })
	if len(alerts) != 1 {
		t.Fatalf("%d alerts on the page, want 1", len(alerts))
	}
	text := textOf(alerts[0])
	if strings.Count(text, "Not done") != 1 {
		t.Errorf("the alert says %q", text)
	}
	if !strings.Contains(text, "2 sentences are neither labeled nor excluded") {
		t.Errorf("the alert does not count the open sentences in words: %q", text)
	}
	links := findAll(alerts[0], func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "?s=") })
	if len(links) != 2 {
		t.Errorf("the alert links %d sentences, want 2: %q", len(links), text)
	}
}

// TestCiteByTypingWithoutJavaScript is defect 6 for the form post: the
// source field takes words of a library source's title, publisher or
// address, or a new address; several matches are listed to pick from.
func TestCiteByTypingWithoutJavaScript(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Sanctions", "The bill targets Russian energy and banks. It passed the House.")
		bill := e.createSource(t, map[string]any{"kind": "official_record", "title": "Countering America's Adversaries Through Sanctions Act",
			"url": "https://congress.example/bill/3364", "publisher": "US Congress"})
		e.createSource(t, map[string]any{"kind": "news_report", "title": "Sanctions debate in the House", "url": "https://press.example/debate", "publisher": "Press Example"})
		b := e.browser()
		b.signIn(models.RoleChecker)
		cite := func(s int, form url.Values) apiResponse {
			t.Helper()
			form.Set("relation", "supports")
			return b.post(fmt.Sprintf("/sentences/%d/citations", a.Sentences[s].ID), form)
		}
		if r := cite(0, url.Values{"source": {"Countering"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("cite by part of the title: %d %s", r.Status, r.Body)
		}
		// Two sources have a word starting with "sanction": the page lists both.
		r := cite(1, url.Values{"source": {"Sanctions"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("an ambiguous source: %d, want 422", r.Status)
		}
		radios := findAll(doc(t, r), func(n *html.Node) bool {
			return n.Data == "input" && attr(n, "type") == "radio" && attr(n, "name") == "source_id"
		})
		if len(radios) != 2 {
			t.Fatalf("%d choices offered, want 2", len(radios))
		}
		if r := cite(1, url.Values{"source_id": {itoa(bill.ID)}, "choosing": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("cite the source picked: %d %s", r.Status, r.Body)
		}
		if r := cite(1, url.Values{"source": {"www.treasury.example/ofac/list"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("cite a new address: %d %s", r.Status, r.Body)
		}
		if r := cite(1, url.Values{"source": {"nothing like this"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "No source in the library matches") {
			t.Fatalf("no match: %d", r.Status)
		}
		var got struct {
			Citations []struct {
				SentenceID int64 `json:"sentence_id"`
				Source     struct {
					Title string `json:"title"`
					URL   string `json:"url"`
				} `json:"source"`
			} `json:"citations"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/citations", a.ID), nil).decode(t, &got)
		var titles []string
		for _, c := range got.Citations {
			titles = append(titles, fmt.Sprintf("%d:%s", c.SentenceID-a.Sentences[0].ID+1, c.Source.URL))
		}
		want := "1:https://congress.example/bill/3364 2:https://congress.example/bill/3364 2:https://www.treasury.example/ofac/list"
		if strings.Join(titles, " ") != want {
			t.Errorf("citations %q, want %q", strings.Join(titles, " "), want)
		}
	})
}

// reviewStateDocs renders the review page's newer states for the W3C
// checker: a refused submission with its sentence links, the confirmation
// of a bulk accept, an editor's own submitted round, and the citation
// form listing several library matches.
func reviewStateDocs(t *testing.T, e *env) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	a := e.importSmall(t, "States", "The mayor opened the bridge on Monday. The bridge cost 40 million euros, the council said. Critics called it a waste.")
	path := fmt.Sprintf("/articles/%d", a.ID)
	ch := e.browser()
	ch.signIn(models.RoleChecker)
	refused := ch.post(path+"/submit", url.Values{})
	docs["review-submit-refused"] = ch.follow(t, refused, path).Body
	accepted := ch.post(path+"/suggestions/accept", url.Values{"from": {"1"}, "to": {"3"}})
	docs["review-bulk-accepted"] = ch.follow(t, accepted, path).Body
	e.createSource(t, map[string]any{"kind": "official_record", "title": "Bridge budget", "url": "https://city.example/budget"})
	e.createSource(t, map[string]any{"kind": "news_report", "title": "Bridge opening", "url": "https://news.example/bridge"})
	docs["source-cite-choices"] = ch.post(fmt.Sprintf("/sentences/%d/citations", a.Sentences[0].ID), url.Values{"source": {"Bridge"}, "relation": {"supports"}}).Body

	b := e.importSmall(t, "Editor's own", "The mayor opened the bridge on Monday.")
	if r := patch(e, models.RoleEditor, b.Sentences[0].ID, map[string]any{"label": "fact", "version": b.Sentences[0].Version}); r.Status != 200 {
		t.Fatalf("label: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", b.ID), map[string]any{"comment": "Checked <all>."}); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	ed := e.browser()
	ed.signIn(models.RoleEditor)
	docs["review-submitter-editor"] = ed.get(fmt.Sprintf("/articles/%d", b.ID)).Body
	return docs
}
