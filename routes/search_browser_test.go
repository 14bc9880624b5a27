package routes_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"factdesk/models"
)

// TestBrowserSearchToSentence is the search issue's check: a checker goes
// to the header's search box with "/", types a search, opens a sentence
// result and lands on that sentence in the review page, selected.
func TestBrowserSearchToSentence(t *testing.T) {
	e := liveEnv(t)
	e.importSmall(t, "Harbour works", "The harbour tender went to a firm from Genoa. Dredging began in May.")
	a := importSeed(t, e)
	var target sentenceJSON
	for _, s := range a.Sentences {
		if strings.Contains(s.Text, "Vesti TV") {
			target = s
		}
	}
	if target.ID == 0 {
		t.Fatal("the example article has no sentence about the Vesti TV interview")
	}
	ctx := newBrowser(t)
	jsErrors(t, ctx, "checker")
	signInAt(t, ctx, e, models.RoleChecker)
	result := fmt.Sprintf(`a[data-result="sentence"][data-sentence-id="%d"]`, target.ID)
	if err := chromedp.Run(ctx,
		chromedp.WaitVisible(`[data-top-search]`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	// "/" outside a field goes to the box, once the page's script runs.
	waitFor(t, ctx, `document.querySelector("[data-inbox]").dataset.live === "ready"`)
	if err := chromedp.Run(ctx, keyboardSlash); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.activeElement === document.querySelector("[data-top-search]") && document.activeElement.value === ""`)
	if err := chromedp.Run(ctx,
		chromedp.KeyEvent("vesti putin"),
		keyboardEnter,
		chromedp.WaitVisible(result, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("search from the header: %v", err)
	}
	var marked []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('[data-results="sentences"] mark')].map(m => m.textContent)`, &marked)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(marked, ",") != "Vesti,Putin" {
		t.Errorf("marked words: %q, want Vesti and Putin", marked)
	}
	var box string
	if err := chromedp.Run(ctx, chromedp.Value(`[data-top-search]`, &box, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if box != "vesti putin" {
		t.Errorf("the header box shows %q after the search", box)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(result, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-review][data-ready]`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("open the result: %v", err)
	}
	waitFor(t, ctx, fmt.Sprintf(`location.pathname === "/articles/%d" && document.querySelector('.sentence.is-selected') !== null && document.querySelector('.sentence.is-selected').dataset.id === "%d" && document.activeElement === document.querySelector('.sentence.is-selected')`, a.ID, target.ID))
}

// keyboardSlash is "/" as a keyboard sends it: one key-down carrying its
// text, which the page may prevent from being typed (chromedp's KeyEvent
// types the text in an event of its own; see keyboardEnter).
var keyboardSlash = chromedp.ActionFunc(func(ctx context.Context) error {
	down := input.DispatchKeyEvent(input.KeyDown).WithKey("/").WithCode("Slash").WithWindowsVirtualKeyCode(191).WithText("/")
	if err := down.Do(ctx); err != nil {
		return err
	}
	return input.DispatchKeyEvent(input.KeyUp).WithKey("/").WithCode("Slash").WithWindowsVirtualKeyCode(191).Do(ctx)
})
