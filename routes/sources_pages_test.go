package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// citeOverAPI cites a source for a sentence and fails the test otherwise.
func (e *env) citeOverAPI(t *testing.T, sentenceID, sourceID int64, relation string) citationJSON {
	t.Helper()
	r := e.api(models.RoleChecker, "POST", "/api/v1/sentences/"+itoa(sentenceID)+"/citations",
		map[string]any{"source_id": sourceID, "relation": relation, "excerpt": "the excerpt", "locator": "p. 4"})
	if r.Status != http.StatusCreated {
		t.Fatalf("cite: %d %s", r.Status, r.Body)
	}
	var c citationJSON
	r.decode(t, &c)
	return c
}

func TestSourcePageListsEveryCitingSentence(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		first := e.importSmall(t, "Sanctions bill passes", "The House passed the bill. The vote was 419 to 3.")
		second := e.importSmall(t, "Kremlin answers", "Moscow expelled diplomats. The bill became law on Wednesday.")
		src := e.createSource(t, map[string]any{"kind": "official_record", "title": "H.R.3364 roll call", "url": "https://clerk.example/votes/413", "reliability": "A", "credibility": 1})
		e.citeOverAPI(t, first.Sentences[1].ID, src.ID, "supports")
		e.citeOverAPI(t, second.Sentences[1].ID, src.ID, "context")

		viewer := e.browser()
		viewer.signIn(models.RoleViewer)
		r := viewer.get("/sources/" + itoa(src.ID))
		if r.Status != http.StatusOK {
			t.Fatalf("source page: %d", r.Status)
		}
		page := doc(t, r)
		items := findAll(page, func(n *html.Node) bool { return hasClass(n, "citing-item") })
		if len(items) != 2 {
			t.Fatalf("citing sentences shown: got %d, want 2", len(items))
		}
		type shown struct{ href, title, text string }
		var got []shown
		for _, it := range items {
			links := findAll(it, func(n *html.Node) bool { return n.Data == "a" })
			quotes := findAll(it, func(n *html.Node) bool { return n.Data == "blockquote" })
			if len(links) != 1 || len(quotes) != 1 {
				t.Fatalf("citing item: %d links, %d quotes", len(links), len(quotes))
			}
			got = append(got, shown{attr(links[0], "href"), textOf(links[0]), textOf(quotes[0])})
		}
		want := []shown{
			{"/articles/" + itoa(second.ID) + "#s-2", "Kremlin answers", "The bill became law on Wednesday."},
			{"/articles/" + itoa(first.ID) + "#s-2", "Sanctions bill passes", "The vote was 419 to 3."},
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("citing sentence %d: got %+v, want %+v", i, got[i], want[i])
			}
		}
		heading := findAll(page, func(n *html.Node) bool { return attr(n, "id") == "cited-h" })
		if len(heading) != 1 || textOf(heading[0]) != "Cited in 2 sentences of 2 articles" {
			t.Errorf("heading: %v", textOf(heading[0]))
		}
		// A viewer reads; there is nothing to press (but the header's
		// sign-out and search).
		if forms := findAll(page, func(n *html.Node) bool {
			return n.Data == "form" && attr(n, "action") != "/logout" && attr(n, "action") != "/search"
		}); len(forms) != 0 {
			t.Errorf("a viewer sees %d forms on the source page", len(forms))
		}

		// The library lists it with its grade and how often it is cited.
		r = viewer.get("/sources?q=h.r.3364")
		rows := findAll(doc(t, r), func(n *html.Node) bool { return n.Data == "tr" })
		if len(rows) != 2 { // the head and one source
			t.Fatalf("library rows: got %d, want 2", len(rows)-1)
		}
		if row := textOf(rows[1]); !strings.Contains(row, "H.R.3364 roll call") || !strings.Contains(row, "A1") || !strings.Contains(row, "Official record") {
			t.Errorf("library row: %q", row)
		}
		cells := findAll(rows[1], func(n *html.Node) bool { return n.Data == "td" && hasClass(n, "num") })
		if len(cells) != 1 || textOf(cells[0]) != "2" {
			t.Errorf("cited count cell: %v", cells)
		}
		if r := viewer.get("/sources?kind=rumour"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown kind filter: %d", r.Status)
		}
		if r := viewer.get("/sources/new"); r.Status != http.StatusForbidden {
			t.Errorf("viewer opens the new-source form: %d", r.Status)
		}
	})
}

func TestSourceForms(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		b := e.browser()
		b.signIn(models.RoleChecker)
		if r := b.get("/sources/new"); r.Status != http.StatusOK {
			t.Fatalf("new source form: %d", r.Status)
		}
		form := url.Values{"kind": {"web_page"}, "title": {"EU statement"}, "url": {"https://EU.example/press/?utm_source=x"},
			"publisher": {"European Commission"}, "reliability": {"B"}, "credibility": {"2"}, "published_at": {"2017-07-26"}}
		r := b.post("/sources", form)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/sources/") {
			t.Fatalf("add: %d %s", r.Status, r.Header.Get("Location"))
		}
		where := r.Header.Get("Location")
		page := b.get(where)
		if body := string(page.Body); !strings.Contains(body, "Added “EU statement” to the library.") || !strings.Contains(body, "https://eu.example/press") {
			t.Errorf("source page after adding lacks the confirmation or the normalised URL")
		}
		// The same page again goes to the same source.
		form.Set("url", "https://eu.example/press#section")
		r = b.post("/sources", form)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != where {
			t.Errorf("add the same URL: %d to %s, want %s", r.Status, r.Header.Get("Location"), where)
		}
		if !strings.Contains(string(b.get(where).Body), "in the library already") {
			t.Error("no word that the URL was known")
		}
		// Mistakes come back on the form, named, with what was typed.
		bad := url.Values{"kind": {"web_page"}, "title": {"Keep me"}, "url": {"ftp://files.example/x"}}
		r = b.post("/sources", bad)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "URL: ") || !strings.Contains(string(r.Body), `value="Keep me"`) {
			t.Errorf("bad URL: %d", r.Status)
		}
		r = b.post("/sources", url.Values{"kind": {"person"}, "title": {"Informant"}, "withheld": {"1"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "withheld") {
			t.Errorf("withheld without reason: %d", r.Status)
		}

		// Edit: every field is on the form; a mistake reopens it.
		edit := url.Values{"kind": {"document"}, "title": {"EU statement on sanctions"}, "url": {"https://eu.example/press"},
			"publisher": {"European Commission"}, "reliability": {""}, "credibility": {"3"}, "notes": {"Signed by the spokesperson."}}
		if r := b.post(where, edit); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		body := string(b.get(where).Body)
		for _, want := range []string{"EU statement on sanctions", "Signed by the spokesperson.", "3 · Possibly true", "Reliability</dt><dd>not graded"} {
			if !strings.Contains(body, want) {
				t.Errorf("after edit, the page lacks %q", want)
			}
		}
		edit.Set("credibility", "9")
		r = b.post(where, edit)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "<details class=\"edit-source\" open>") {
			t.Errorf("bad grade: %d, want 422 with the edit form open", r.Status)
		}
		// Retrieving without a fetcher explains itself on the source's page.
		r = b.post(where+"/retrieve", url.Values{})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != where || !strings.Contains(string(b.get(where).Body), "Not retrieved") {
			t.Errorf("retrieve without fetcher: %d → %q", r.Status, r.Header.Get("Location"))
		}
	})
}

func TestCitationForms(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Bridge opens", "The bridge opened on Monday. It cost $4.2bn.")
		s2 := a.Sentences[1]
		b := e.browser()
		b.signIn(models.RoleChecker)
		b.get("/articles/" + itoa(a.ID))
		r := b.post("/sentences/"+itoa(s2.ID)+"/citations", url.Values{"url": {"https://news.example/cost"}, "relation": {"supports"}, "excerpt": {"$4.2bn"}})
		if want := "/articles/" + itoa(a.ID) + "#s-2"; r.Status != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Fatalf("cite by form: %d to %q, want 303 to %q", r.Status, r.Header.Get("Location"), want)
		}
		// The confirmation shows on whichever page comes next.
		if body := string(b.get("/sources").Body); !strings.Contains(body, "Sentence 2 cites") || !strings.Contains(body, "added to the library") {
			t.Error("no confirmation after citing")
		}
		// The form may say where to come back to, on this site only.
		r = b.post("/sentences/"+itoa(s2.ID)+"/citations", url.Values{"url": {"https://news.example/cost"}, "relation": {"context"}, "back": {"/articles/" + itoa(a.ID) + "/review#s-2"}})
		if r.Header.Get("Location") != "/articles/"+itoa(a.ID)+"/review#s-2" {
			t.Errorf("back: %q", r.Header.Get("Location"))
		}
		r = b.post("/sentences/"+itoa(s2.ID)+"/citations", url.Values{"url": {"https://news.example/other"}, "relation": {"context"}, "back": {"//evil.example/"}})
		if r.Header.Get("Location") != "/articles/"+itoa(a.ID)+"#s-2" {
			t.Errorf("back to another site: %q", r.Header.Get("Location"))
		}
		// A mistake shows the sentence and the form again.
		r = b.post("/sentences/"+itoa(s2.ID)+"/citations", url.Values{"url": {"https://news.example/third"}, "relation": {"endorses"}, "excerpt": {"keep this"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad relation: %d", r.Status)
		}
		page := doc(t, r)
		if q := findAll(page, func(n *html.Node) bool { return n.Data == "blockquote" }); len(q) != 1 || textOf(q[0]) != "It cost $4.2bn." {
			t.Error("the failure page does not show the sentence")
		}
		if ta := findAll(page, func(n *html.Node) bool { return attr(n, "id") == "cite-excerpt" }); len(ta) != 1 || textOf(ta[0]) != "keep this" {
			t.Error("the failure page lost the excerpt")
		}

		// Un-citing the evidence a verified sentence stands on is refused, with the reason.
		var list struct {
			Citations []citationJSON `json:"citations"`
		}
		e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"/citations", nil).decode(t, &list)
		var supports citationJSON
		for _, c := range list.Citations {
			if c.Relation == "supports" {
				supports = c
			}
		}
		if r := e.api(models.RoleChecker, "PATCH", "/api/v1/sentences/"+itoa(s2.ID), map[string]any{"label": "fact", "status": "verified", "version": 1}); r.Status != 200 {
			t.Fatalf("verify: %d %s", r.Status, r.Body)
		}
		r = b.post("/citations/"+itoa(supports.ID)+"/delete", url.Values{})
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "change the sentence") {
			t.Errorf("remove the last support: %d", r.Status)
		}
		// Context citations go freely.
		for _, c := range list.Citations {
			if c.Relation == "context" {
				r := b.post("/citations/"+itoa(c.ID)+"/delete", url.Values{})
				if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/articles/"+itoa(a.ID)+"#s-2" {
					t.Errorf("remove a context citation: %d to %q", r.Status, r.Header.Get("Location"))
				}
			}
		}
		if r := b.post("/citations/999999/delete", url.Values{}); r.Status != http.StatusNotFound {
			t.Errorf("remove a missing citation: %d", r.Status)
		}
	})
}
