package routes_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	chromium "factdesk/internal/browser"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestBrowserSourceLibrary searches the library, opens a source and edits
// it, in a real Chromium, by the plain forms.
func TestBrowserSourceLibrary(t *testing.T) {
	ctx := chromium.New(t)
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	e.createSource(t, map[string]any{"kind": "interview", "title": "Putin interview with Vesti", "url": "https://tass.example/politics/1", "publisher": "TASS"})
	e.createSource(t, map[string]any{"kind": "official_record", "title": "H.R.3364 text", "url": "https://congress.example/bill/3364"})
	e.createSource(t, map[string]any{"kind": "document", "title": "EU statement on sanctions"})

	var rows int
	var heading, flash, grade, edited, location string
	var searchHeight, fieldHeight float64
	err := chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, e.users[models.RoleChecker].Email),
		chromedp.SendKeys(`#password`, testPassword),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`a[href="/sources"]`),
		chromedp.Click(`a[href="/sources"]`),
		chromedp.WaitVisible(`#q`),
		// The search box is as tall as the other fields of the form, not a
		// flex basis turned into a height.
		chromedp.Evaluate(`document.getElementById("q").getBoundingClientRect().height`, &searchHeight),
		chromedp.Evaluate(`document.querySelector(".source-search select").getBoundingClientRect().height`, &fieldHeight),
		chromedp.SendKeys(`#q`, "vesti"),
		// The list of all sources stays on screen until the results page
		// replaces it: mark this page, and wait for a list on one without
		// the mark.
		chromedp.Evaluate(`document.body.dataset.before = "search"`, nil),
		chromedp.Submit(`#q`),
		chromedp.WaitVisible(`body:not([data-before]) .sources-list`),
		chromedp.Evaluate(`document.querySelectorAll(".sources-list tbody tr").length`, &rows),
		chromedp.Click(`.sources-list tbody a`),
		chromedp.WaitVisible(`.source-page h1`),
		chromedp.Text(`.source-page h1`, &heading),
		chromedp.Click(`.edit-source summary`),
		chromedp.WaitVisible(`#src-title`),
		chromedp.Clear(`#src-title`),
		chromedp.SendKeys(`#src-title`, "Putin interview with Vesti TV, 30 July 2017"),
		chromedp.SetValue(`#src-reliability`, "C"),
		chromedp.SetValue(`#src-credibility`, "2"),
		chromedp.Submit(`#src-title`),
		chromedp.WaitVisible(`.flash`),
		chromedp.Text(`.flash`, &flash),
		chromedp.Text(`.source-page h1`, &edited),
		chromedp.Text(`.source-page .kicker .grade`, &grade),
		chromedp.Location(&location),
	)
	if err != nil {
		t.Fatal(err)
	}
	if searchHeight > 1.5*fieldHeight || searchHeight > 60 {
		t.Errorf("the library's search box is %.0f px tall (its select %.0f px)", searchHeight, fieldHeight)
	}
	if rows != 1 {
		t.Errorf("search for vesti: %d rows, want 1", rows)
	}
	if heading != "Putin interview with Vesti" {
		t.Errorf("opened %q", heading)
	}
	if edited != "Putin interview with Vesti TV, 30 July 2017" || !strings.HasPrefix(flash, "Saved") || grade != "C2" {
		t.Errorf("after editing: heading %q, flash %q, grade %q", edited, flash, grade)
	}
	if !strings.Contains(location, "/sources/") {
		t.Errorf("after saving, at %s", location)
	}
	page, err := e.store.Sources(t.Context(), models.SourceFilter{Query: "putin"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Sources) != 1 || page.Sources[0].Title != edited || page.Sources[0].URL != "https://tass.example/politics/1" {
		t.Errorf("stored: %+v", page.Sources)
	}
}
