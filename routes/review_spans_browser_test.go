package routes_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp/kb"

	"factdesk/internal/testdb"
	"factdesk/live"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestBrowserAttributionSpansInPlace moves through an article whose
// machine reading marks spans: the panel marks them in the sentence and
// lists them as the server does when j moves to the next sentence,
// confirming keeps them, editing clears them, all in place; axe-core
// (when FACTDESK_AXE is set) finds the marks readable in light and dark
// mode.
func TestBrowserAttributionSpansInPlace(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{Extract: spanReader}, nil)
	b := live.NewLocal()
	e.svc.SetBroker(b)
	t.Cleanup(func() { b.Close() })
	jsErrors(t, ctx, "spans")
	r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": spanText})
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var a struct {
		ID int64 `json:"id"`
	}
	r.decode(t, &a)
	signInAt(t, ctx, e, models.RoleChecker)
	openReview(t, ctx, fmt.Sprintf("%s/articles/%d?s=1", e.srv.URL, a.ID))
	marks := `Array.from(document.querySelectorAll(".panel-text mark")).map((m) => m.className + ":" + m.textContent).join(" | ")`
	waitFor(t, ctx, marks+` === "at-mark at-source:Zelenskyy’s aide — «Ми» | at-mark at-cue:said | at-mark at-content:the talks had stalled"`)

	k := &keyboard{t: t, ctx: ctx}
	k.press("j")
	waitFor(t, ctx, marks+` === "at-mark at-content:They would resume in May"`)
	waitFor(t, ctx, `document.querySelector('[data-list="at-spans"] a[data-goto="1"]') !== null && document.querySelector('[data-bind="at-percent"]').textContent === "71" && !document.querySelector('[data-bind="at-reading"]').hidden`)
	if p := os.Getenv("FACTDESK_AXE"); p != "" {
		script := axeScript(t)
		axeCheck(t, ctx, script, "spans marked, light")
		setColorScheme(t, ctx, "dark")
		axeCheck(t, ctx, script, "spans marked, dark")
		setColorScheme(t, ctx, "light")
	}

	k.press("y")
	waitFor(t, ctx, `document.querySelector('[data-sec-say="attribution"]').textContent.includes("confirmed")`)
	waitFor(t, ctx, marks+` === "at-mark at-content:They would resume in May"`)

	k.press("w")
	waitFor(t, ctx, `document.activeElement.id === "at-speaker"`)
	k.typeText(" herself")
	k.chord(kb.Enter, input.ModifierCtrl)
	waitFor(t, ctx, `document.querySelector('[data-sec-say="attribution"]').textContent.includes("saved")`)
	waitFor(t, ctx, marks+` === "" && document.querySelector('[data-bind="at-reading"]').hidden`)
}
