package routes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	chromium "factdesk/internal/browser"
	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/live"
	"factdesk/models"
	"factdesk/reviewers"
)

// liveEnv is a test server whose service tells a local broker about every
// change, as `factdesk serve` does on SQLite.
func liveEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	b := live.NewLocal()
	e.svc.SetBroker(b)
	t.Cleanup(func() { b.Close() })
	return e
}

// newBrowser starts a browser for the test, as chromium.New does, and
// closes it gracefully at the end, so that it has stopped writing to its
// profile directory before the test removes it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	ctx := chromium.New(t)
	t.Cleanup(func() { _ = chromedp.Cancel(ctx) })
	return ctx
}

// jsErrors collects the uncaught exceptions and console errors of a
// browser context; the test fails on any at its end.
func jsErrors(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var mu sync.Mutex
	var errs []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			errs = append(errs, ev.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				errs = append(errs, strings.Join(parts, " "))
			}
		}
	})
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range errs {
			t.Errorf("%s: JavaScript error: %s", name, e)
		}
	})
}

// signInAt signs a browser in as the role's user through the form.
func signInAt(t *testing.T, ctx context.Context, e *env, role models.Role) {
	t.Helper()
	err := chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, e.users[role].Email),
		chromedp.SendKeys(`#password`, e.passwords[role]),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`.signout`),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", role, err)
	}
}

// openReview loads a review page and waits until its script is ready for
// the keyboard.
func openReview(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.WaitVisible(`[data-review][data-ready]`, chromedp.ByQuery)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// awaitJS evaluates a script that returns a promise and waits for it.
func awaitJS(expr string, res any) chromedp.Action {
	return chromedp.Evaluate(expr, res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })
}

// waitJS polls a JavaScript condition until it holds or the time is up.
func waitJS(ctx context.Context, cond string, within time.Duration) error {
	// These are waits, not speed assertions: on a loaded CI machine (test
	// packages run in parallel under -race) give the page far more time.
	within = max(within*4, 20*time.Second)
	deadline := time.Now().Add(within)
	for {
		var ok bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(cond, &ok)); err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still false after %v: %s", within, cond)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// goldLabels reads the example article's reference labels by sentence
// number.
func goldLabels(t *testing.T) map[int]string {
	t.Helper()
	b, err := os.ReadFile(shared.Path(t, "data", "seed-article.gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Sentences []struct {
			N     int    `json:"n"`
			Label string `json:"label"`
		} `json:"sentences"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, s := range g.Sentences {
		out[s.N] = s.Label
	}
	return out
}

var keyOf = map[string]string{"fact": "f", "allegation": "a", "quote": "q", "assessment": "s"}

func selectedNumber(ctx context.Context) (int, error) {
	var n int
	err := chromedp.Run(ctx, chromedp.Evaluate(`Number((document.querySelector(".sentence.is-selected")||{id:"s-0"}).id.slice(2))`, &n))
	return n, err
}

// TestBrowserReviewWorkflow labels the whole example article with the
// keyboard alone (accepting a suggestion, undoing, excluding by key), and
// submits it with the keyboard; an editor in a second browser sends it
// back, the checker fixes a label and resubmits, and the editor sees what
// changed in the round and approves.
func TestBrowserReviewWorkflow(t *testing.T) {
	checker := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, checker, "checker")
	a := importSeed(t, e)
	// Submitting waits for the machine's attributions to be confirmed.
	confirmAttributions(t, e, a.ID)
	gold := goldLabels(t)
	page := fmt.Sprintf("%s/articles/%d", e.srv.URL, a.ID)

	signInAt(t, checker, e, models.RoleChecker)
	openReview(t, checker, page)

	// The first open sentence is selected and has the focus.
	n, err := selectedNumber(checker)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("selected at start: sentence %d, want 1", n)
	}
	var focused string
	if err := chromedp.Run(checker, chromedp.Evaluate(`document.activeElement.id`, &focused)); err != nil {
		t.Fatal(err)
	}
	if focused != "s-1" {
		t.Errorf("focus at start: %q, want s-1", focused)
	}

	// Enter accepts the machine's suggestion and moves on; z undoes it.
	if err := chromedp.Run(checker, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(checker, `document.getElementById("s-1").dataset.version === "2"`, 5*time.Second); err != nil {
		t.Fatalf("accept the suggestion: %v", err)
	}
	var accepted string
	chromedp.Run(checker, chromedp.Evaluate(`document.getElementById("s-1").dataset.label || ""`, &accepted))
	if accepted == "" {
		t.Error("accepting the suggestion set no label")
	}
	if n, _ := selectedNumber(checker); n != 2 {
		t.Errorf("after Enter the selection is on sentence %d, want 2", n)
	}
	if err := chromedp.Run(checker, chromedp.KeyEvent("z")); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(checker, `document.getElementById("s-1").dataset.status === "unreviewed" && !document.getElementById("s-1").dataset.label`, 5*time.Second); err != nil {
		t.Fatalf("undo: %v", err)
	}
	if err := waitJS(checker, `document.querySelector(".sentence.is-selected").id === "s-1"`, 5*time.Second); err != nil {
		t.Errorf("undo did not go back to sentence 1: %v", err)
	}

	// Keys never fire in a field: typing "f" in the comment box labels nothing.
	if err := chromedp.Run(checker, chromedp.KeyEvent("c"), chromedp.KeyEvent("fact check"), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	var label1 string
	chromedp.Run(checker, chromedp.Evaluate(`(document.getElementById("s-1").dataset.label||"") + "|" + document.activeElement.id + "|" + document.getElementById("comment-body").value`, &label1))
	if label1 != "|s-1|fact check" {
		t.Errorf("after typing in the comment box: label|focus|box = %q, want no label, the focus back on s-1 and the text typed", label1)
	}

	// e excludes sentence 1 after asking why (it is a headline), then the
	// keyboard labels every other open sentence with its reference label.
	if err := chromedp.Run(checker, chromedp.KeyEvent("e"), chromedp.KeyEvent("headline"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(checker, `document.getElementById("s-1").dataset.status === "excluded" && document.getElementById("s-1").dataset.reason === "headline"`, 5*time.Second); err != nil {
		t.Fatalf("exclude: %v", err)
	}
	for step := 0; step < 40; step++ {
		var open int
		if err := chromedp.Run(checker, chromedp.Evaluate(`document.querySelectorAll('.sentence[data-status="unreviewed"]:not(.is-saving)').length`, &open)); err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		n, err := selectedNumber(checker)
		if err != nil {
			t.Fatal(err)
		}
		key := keyOf[gold[n]]
		if key == "" {
			t.Fatalf("no reference label for sentence %d", n)
		}
		if err := chromedp.Run(checker, chromedp.KeyEvent(key)); err != nil {
			t.Fatal(err)
		}
	}
	if err := waitJS(checker, `document.querySelector('[data-count="open"]').textContent === "0" && !document.querySelector(".is-saving")`, 10*time.Second); err != nil {
		t.Fatalf("labeling did not finish: %v", err)
	}
	var statusLine string
	chromedp.Run(checker, chromedp.Text(`[data-say]`, &statusLine, chromedp.ByQuery))
	if !strings.Contains(statusLine, "saved") && !strings.Contains(statusLine, "Every sentence") {
		t.Errorf("no confirmation on the page: %q", statusLine)
	}

	// Submitting is reached by keyboard from the text: Shift+Tab to
	// "Submit for approval…", Enter opens it, Tab to the note and to the
	// button, Enter submits — in place.
	var reached bool
	for i := 0; i < 12 && !reached; i++ {
		if err := chromedp.Run(checker, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(input.ModifierShift)),
			chromedp.Evaluate(`document.activeElement.matches("details[data-submit] > summary")`, &reached)); err != nil {
			t.Fatal(err)
		}
	}
	if !reached {
		t.Fatal("Shift+Tab from the text never reached Submit for approval")
	}
	if err := chromedp.Run(checker, chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	// Past the sentences the readiness names (links), to the note and the button.
	for i := 0; i < 40; i++ {
		var onButton bool
		if err := chromedp.Run(checker, chromedp.Evaluate(`document.activeElement.id === "submit-button"`, &onButton)); err != nil {
			t.Fatal(err)
		}
		if onButton {
			break
		}
		if err := chromedp.Run(checker, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
	}
	if err := waitJS(checker, `document.activeElement.id === "submit-button" && !document.activeElement.disabled`, 5*time.Second); err != nil {
		var what string
		chromedp.Run(checker, chromedp.Evaluate(`document.activeElement.outerHTML.slice(0, 200) + " | " + document.querySelector("[data-readiness]").textContent`, &what))
		t.Fatalf("the submit button: %v (%s)", err, what)
	}
	if err := chromedp.Run(checker, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(checker, `document.querySelector("[data-article-status-text]").textContent === "Submitted"`, 5*time.Second); err != nil {
		t.Fatalf("after submitting: %v", err)
	}
	if got := articleStatus(t, e, a.ID); got != "submitted" {
		t.Fatalf("article status after submit: %s", got)
	}
	var sents articleJSON
	e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID), nil).decode(t, &sents)
	for i, s := range sents.Sentences {
		n := i + 1
		switch {
		case n == 1:
			if s.Status != "excluded" {
				t.Errorf("sentence 1: status %s, want excluded", s.Status)
			}
		case s.Status == "excluded":
		case s.Label == nil || *s.Label != gold[n]:
			t.Errorf("sentence %d: label %v, want %s", n, s.Label, gold[n])
		}
	}

	// An editor, in a second browser, sends it back with a comment.
	editor := newBrowser(t)
	jsErrors(t, editor, "editor")
	signInAt(t, editor, e, models.RoleEditor)
	openReview(t, editor, page)
	if err := chromedp.Run(editor,
		chromedp.SendKeys(`#decision-comment`, "Sentence 3 reads as an assessment."),
		chromedp.Click(`#request-changes-button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if got := articleStatus(t, e, a.ID); got != "changes_requested" {
		t.Fatalf("after the request for changes: %s", got)
	}

	// The checker fixes sentence 3 by keyboard and submits again.
	openReview(t, checker, page+"?s=3")
	if err := chromedp.Run(checker, chromedp.KeyEvent("s")); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(checker, `document.getElementById("s-3").dataset.label === "assessment" && !document.querySelector(".is-saving")`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// S opens the submission with the focus in the note; Ctrl+Enter submits.
	if err := chromedp.Run(checker, chromedp.KeyEvent("S")); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(checker, `document.activeElement.id === "submit-comment"`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(checker, chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(checker, `document.querySelector("[data-article-status-text]").textContent === "Submitted"`, 5*time.Second); err != nil {
		t.Fatalf("resubmitting: %v", err)
	}

	// The editor sees what changed in round 2, then approves.
	var flash string
	openReview(t, editor, page)
	var changes string
	if err := chromedp.Run(editor, chromedp.Text(`.changes`, &changes, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(changes, "Sentence 3") || !strings.Contains(changes, "label: fact → assessment") {
		t.Errorf("what changed in round 2: %q", changes)
	}
	var marked bool
	chromedp.Run(editor, chromedp.Evaluate(`document.getElementById("s-3").classList.contains("is-changed")`, &marked))
	if !marked {
		t.Error("the changed sentence is not marked in the text")
	}
	if err := chromedp.Run(editor, chromedp.Focus(`#approve-button`, chromedp.ByQuery), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery), chromedp.Text(`.flash`, &flash, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flash, "Approved") {
		t.Errorf("after approving: flash %q", flash)
	}
	if got := articleStatus(t, e, a.ID); got != "approved" {
		t.Errorf("article status: %s, want approved", got)
	}
}

// liveLatency has one browser press a key on a sentence and measures, in
// the other, how long until that sentence shows the change.
func liveLatency(t *testing.T, from, to context.Context, number int, key, label string) time.Duration {
	t.Helper()
	watch := fmt.Sprintf(`new Promise((resolve) => {
		const el = document.getElementById("s-%d");
		const done = () => { if (el.dataset.label === %q) { obs.disconnect(); resolve(performance.timeOrigin + performance.now()); return true; } return false; };
		const obs = new MutationObserver(done);
		obs.observe(el, { attributes: true });
		done();
	})`, number, label)
	if err := chromedp.Run(to, chromedp.Evaluate(`window.__seen = `+watch+`; true`, nil)); err != nil {
		t.Fatal(err)
	}
	var sent float64
	if err := chromedp.Run(from,
		chromedp.Evaluate(fmt.Sprintf(`document.getElementById("s-%d").click(); true`, number), nil),
		chromedp.Evaluate(`window.__sent = 0; document.addEventListener("keydown", () => { window.__sent = performance.timeOrigin + performance.now(); }, { capture: true, once: true }); true`, nil),
		chromedp.KeyEvent(key),
		chromedp.Evaluate(`window.__sent`, &sent),
	); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(to, 10*time.Second)
	defer cancel()
	var seen float64
	if err := chromedp.Run(ctx, awaitJS(`window.__seen`, &seen)); err != nil {
		t.Fatalf("the other browser never saw sentence %d become %s: %v", number, label, err)
	}
	return time.Duration((seen - sent) * float64(time.Millisecond))
}

// TestBrowserLiveCollaboration opens one article in two browsers: each
// sees the other's change, and the one looking at the changed sentence is
// told who changed it.
func TestBrowserLiveCollaboration(t *testing.T) {
	one, two := newBrowser(t), newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, one, "checker")
	jsErrors(t, two, "editor")
	a := importSeed(t, e)
	page := fmt.Sprintf("%s/articles/%d", e.srv.URL, a.ID)
	signInAt(t, one, e, models.RoleChecker)
	signInAt(t, two, e, models.RoleEditor)
	openReview(t, one, page)
	openReview(t, two, page+"?s=3")
	// Both streams are open before anyone changes anything.
	for _, ctx := range []context.Context{one, two} {
		if err := waitJS(ctx, `!document.querySelector("[data-live-state]:not([hidden])")`, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)

	d := liveLatency(t, one, two, 3, "q", "quote")
	t.Logf("a change in one browser reached the other in %v", d)
	var told string
	// Told as information, not as an error.
	if err := waitJS(two, `document.querySelector("[data-info]").textContent.includes("just changed this sentence")`, 5*time.Second); err != nil {
		t.Error("the editor looking at sentence 3 was not told it changed")
	}
	chromedp.Run(two, chromedp.Text(`[data-info]`, &told, chromedp.ByQuery))
	if !strings.Contains(told, e.users[models.RoleChecker].Name) || !strings.Contains(told, "quote") {
		t.Errorf("the notice does not say who changed it and to what: %q", told)
	}
	var panelLabel string
	chromedp.Run(two, chromedp.Evaluate(`document.querySelector('[data-panel] [data-bind="label"]').textContent`, &panelLabel))
	if panelLabel != "quote" {
		t.Errorf("the editor's panel shows label %q, want the checker's quote", panelLabel)
	}

	d2 := liveLatency(t, two, one, 4, "a", "allegation")
	t.Logf("and back in %v", d2)
	var counts string
	chromedp.Run(one, chromedp.Text(`[data-count="labeled"]`, &counts, chromedp.ByQuery))
	if counts != "2" {
		t.Errorf("the checker's progress shows %s labeled, want 2", counts)
	}
}

// TestBrowserConflictShowsTheirValue changes a sentence behind a page's
// back (through a service that tells no live broker, as a change whose
// notification is still on its way would) and checks that the page's
// stale edit is refused with the other value shown and applied.
func TestBrowserConflictShowsTheirValue(t *testing.T) {
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "checker")
	a := importSeed(t, e)
	signInAt(t, ctx, e, models.RoleChecker)
	openReview(t, ctx, fmt.Sprintf("%s/articles/%d?s=7", e.srv.URL, a.ID))

	quiet := reviewers.New(e.store, reviewers.Config{}, nil, nil)
	editor := e.users[models.RoleEditor].Actor()
	label, note := "allegation", "their note"
	if _, err := quiet.UpdateSentence(context.Background(), editor, a.Sentences[6].ID, reviewers.SentenceUpdate{Label: &label, Note: &note, Version: 1}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.KeyEvent("f")); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(ctx, `document.querySelector("[data-alert]").textContent.includes("not saved")`, 5*time.Second); err != nil {
		var state string
		chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("[data-say]").textContent + " | " + document.querySelector("[data-alert]").textContent + " | " + document.getElementById("s-7").outerHTML`, &state))
		t.Fatalf("no refusal shown: %v; the page says %s", err, state)
	}
	var alert, shown string
	var version string
	chromedp.Run(ctx,
		chromedp.Evaluate(`document.getElementById("s-7").dataset.label + "|" + document.getElementById("s-7").dataset.note`, &shown),
		chromedp.Evaluate(`document.getElementById("s-7").dataset.version`, &version),
	)
	if err := waitJS(ctx, `document.querySelector("[data-alert]").textContent.includes("Test editor")`, 5*time.Second); err != nil {
		t.Errorf("the refusal does not name who changed the sentence: %v", err)
	}
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("[data-alert]").textContent`, &alert))
	for _, want := range []string{"allegation", "their note", "fact"} {
		if !strings.Contains(alert, want) {
			t.Errorf("the refusal does not mention %q: %q", want, alert)
		}
	}
	if shown != "allegation|their note" || version != "2" {
		t.Errorf("the page shows %q at version %s, want the other person's allegation at version 2", shown, version)
	}
	if n, _ := selectedNumber(ctx); n != 7 {
		t.Errorf("selection after the refusal: %d, want 7 (the refused sentence)", n)
	}
	// Pressing the key again now overwrites, knowingly.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("s-7").focus(); true`, nil), chromedp.KeyEvent("f")); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(ctx, `document.getElementById("s-7").dataset.label === "fact" && document.getElementById("s-7").dataset.version === "3"`, 5*time.Second); err != nil {
		t.Error(err)
	}
}

// TestBrowserStatusAndFieldKeys covers the keys that need more than one
// press: v is refused with the server's reason when no source backs the
// claim, u asks for the note it needs and saves with Ctrl+Enter, o opens
// the citation form, ? shows the keys and Esc closes them, n finds the
// next open sentence.
func TestBrowserStatusAndFieldKeys(t *testing.T) {
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "checker")
	a := importSeed(t, e)
	for _, i := range []int{2, 3} {
		s := a.Sentences[i]
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
			t.Fatalf("label: %d", r.Status)
		}
	}
	signInAt(t, ctx, e, models.RoleChecker)
	openReview(t, ctx, fmt.Sprintf("%s/articles/%d?s=3", e.srv.URL, a.ID))

	// v without a supporting source: the page says why and changes nothing.
	if err := chromedp.Run(ctx, chromedp.KeyEvent("v")); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(ctx, `document.querySelector("[data-alert]").textContent.includes("not saved")`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	var alert, status string
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("[data-alert]").textContent`, &alert),
		chromedp.Evaluate(`document.getElementById("s-3").dataset.status`, &status))
	if !strings.Contains(strings.ToLower(alert), "citation") && !strings.Contains(strings.ToLower(alert), "source") {
		t.Errorf("the refusal does not say a source is needed: %q", alert)
	}
	if status != "labeled" {
		t.Errorf("status after the refused v: %s", status)
	}

	// u asks for a note first; Ctrl+Enter saves both and moves on.
	var active string
	if err := chromedp.Run(ctx, chromedp.KeyEvent("u"), chromedp.Evaluate(`document.activeElement.id`, &active)); err != nil {
		t.Fatal(err)
	}
	if active != "f-note" {
		t.Fatalf("u without a note put the focus on %q, want the note field", active)
	}
	if err := chromedp.Run(ctx, chromedp.KeyEvent("Searched the registry; no record."),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(input.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	if err := waitJS(ctx, `document.getElementById("s-3").dataset.status === "unverifiable" && document.getElementById("s-3").dataset.note === "Searched the registry; no record."`, 5*time.Second); err != nil {
		var state string
		chromedp.Run(ctx, chromedp.Evaluate(`[document.querySelector("[data-say]").textContent, document.querySelector("[data-alert]").textContent, JSON.stringify(document.getElementById("s-3").dataset), document.activeElement.id].join(" | ")`, &state))
		t.Fatalf("%v: the page shows %s", err, state)
	}
	var tag string
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("#s-3 .lt").textContent`, &tag))
	if tag != "fact · unverifiable" {
		t.Errorf("the text's tag: %q", tag)
	}
	if err := waitJS(ctx, `document.querySelector(".sentence.is-selected").id !== "s-3"`, 5*time.Second); err != nil {
		t.Error("saving the note did not move on")
	}

	// n goes to the next open sentence; o opens the citation form; ? the keys.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("s-4").click(); true`, nil), chromedp.KeyEvent("n")); err != nil {
		t.Fatal(err)
	}
	if n, _ := selectedNumber(ctx); n != 7 {
		t.Errorf("n from sentence 4 went to %d, want 7 (5 and 6 are excluded)", n)
	}
	if err := chromedp.Run(ctx, chromedp.KeyEvent("o"), chromedp.Evaluate(`document.activeElement.id`, &active)); err != nil {
		t.Fatal(err)
	}
	if active != "cite-source" {
		t.Errorf("o put the focus on %q, want the source field", active)
	}
	var open bool
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("?"),
		chromedp.Evaluate(`document.getElementById("keys-dialog").open`, &open)); err != nil {
		t.Fatal(err)
	}
	if !open {
		t.Fatal("? did not open the keys")
	}
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Escape), chromedp.Evaluate(`document.getElementById("keys-dialog").open`, &open),
		chromedp.Evaluate(`document.activeElement.id`, &active)); err != nil {
		t.Fatal(err)
	}
	if open || active != "s-7" {
		t.Errorf("after Esc: dialog open %v, focus on %q; want it closed and the focus on s-7", open, active)
	}
}

// TestBrowserWithoutJavaScript works the page in Chromium with scripts
// off: a label button posts its form, and the page comes back to the same
// sentence (the browser names the page that held the form as referrer).
func TestBrowserWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	a := importSeed(t, e)
	signInAt(t, ctx, e, models.RoleChecker)
	var heading, flash, label string
	err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d?s=8", e.srv.URL, a.ID)),
		chromedp.WaitVisible(`#panel-title`, chromedp.ByQuery),
		chromedp.Click(`button.lb-quote`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
		chromedp.Text(`#panel-title`, &heading, chromedp.ByQuery),
		chromedp.Text(`.flash`, &flash, chromedp.ByQuery),
		chromedp.AttributeValue(`#s-8`, "data-label", &label, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(heading, "Sentence 8") || flash != "Sentence 8 saved." || label != "quote" {
		t.Errorf("after the form: panel %q, flash %q, label %q", heading, flash, label)
	}
}
