package routes_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	chromium "factdesk/internal/browser"
	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestBrowserImportSeedArticle signs in, imports the example article by
// uploading its file through the form, sees its 30 sentences with the two
// excluded ones marked, and signs out — in a real Chromium.
func TestBrowserImportSeedArticle(t *testing.T) {
	ctx := chromium.New(t)
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	seed, err := filepath.Abs(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(seed); err != nil {
		t.Fatal(err)
	}
	var sentences, excluded int
	var heading, flash, excludedText, afterSignOut string
	err = chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, e.users[models.RoleChecker].Email),
		chromedp.SendKeys(`#password`, testPassword),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`a[href="/import"]`),
		chromedp.Click(`a[href="/import"]`),
		chromedp.WaitVisible(`#file`),
		chromedp.SetUploadFiles(`#file`, []string{seed}),
		chromedp.SendKeys(`#outlet`, "Example News"),
		chromedp.Submit(`#file`),
		chromedp.WaitVisible(`.doc h1`),
		chromedp.Text(`.doc h1`, &heading),
		chromedp.Text(`.flash`, &flash),
		chromedp.Evaluate(`document.querySelectorAll(".sentence").length`, &sentences),
		chromedp.Evaluate(`document.querySelectorAll(".sentence[data-status=excluded]").length`, &excluded),
		chromedp.Evaluate(`Array.from(document.querySelectorAll(".sentence[data-status=excluded] .excluded-note")).map(e => e.textContent).join(" | ")`, &excludedText),
		chromedp.Click(`.signout button`),
		chromedp.WaitVisible(`#email`),
		chromedp.Location(&afterSignOut),
	)
	if err != nil {
		t.Fatal(err)
	}
	if heading != "755 US diplomats ousted" {
		t.Errorf("heading: %q", heading)
	}
	if sentences != 30 || excluded != 2 {
		t.Errorf("sentences %d, excluded %d; want 30 and 2", sentences, excluded)
	}
	if !strings.Contains(excludedText, "truncated") || !strings.Contains(excludedText, "duplicate") {
		t.Errorf("exclusion reasons: %q", excludedText)
	}
	if !strings.Contains(flash, "30 sentences") {
		t.Errorf("confirmation: %q", flash)
	}
	if !strings.HasSuffix(afterSignOut, "/login") {
		t.Errorf("after sign-out: %s", afterSignOut)
	}
}
