package routes_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"factdesk/models"
)

// keyboard sends keys to a browser and counts them: a character typed is a
// keystroke, a key with its modifiers (Ctrl+Enter) is one.
type keyboard struct {
	t       *testing.T
	ctx     context.Context
	strokes int
}

// press sends each key (a kb constant or one character).
func (k *keyboard) press(keys ...string) {
	k.t.Helper()
	for _, key := range keys {
		if err := chromedp.Run(k.ctx, chromedp.KeyEvent(key)); err != nil {
			k.t.Fatalf("press %q: %v", key, err)
		}
		k.strokes++
	}
}

// enter sends Enter as a keyboard does: one key-down carrying its text,
// whose default (a new line, a form's implicit submission) the page can
// prevent. chromedp's KeyEvent sends the text in a "char" event of its
// own, which nothing prevents: a picker that takes Enter would see its
// form submitted behind its back.
func (k *keyboard) enter() {
	k.t.Helper()
	if err := chromedp.Run(k.ctx, keyboardEnter); err != nil {
		k.t.Fatalf("press Enter: %v", err)
	}
	k.strokes++
}

// keyboardEnter is Enter as a keyboard sends it (see keyboard.enter).
var keyboardEnter = chromedp.ActionFunc(func(ctx context.Context) error {
	down := input.DispatchKeyEvent(input.KeyDown).WithKey("Enter").WithCode("Enter").WithWindowsVirtualKeyCode(13).WithText("\r")
	if err := down.Do(ctx); err != nil {
		return err
	}
	return input.DispatchKeyEvent(input.KeyUp).WithKey("Enter").WithCode("Enter").WithWindowsVirtualKeyCode(13).Do(ctx)
})

// chord sends one key with modifiers.
func (k *keyboard) chord(key string, mods input.Modifier) {
	k.t.Helper()
	if err := chromedp.Run(k.ctx, chromedp.KeyEvent(key, chromedp.KeyModifiers(mods))); err != nil {
		k.t.Fatalf("press %q: %v", key, err)
	}
	k.strokes++
}

// typeText types text character by character into whatever has the focus.
func (k *keyboard) typeText(text string) {
	k.t.Helper()
	if err := chromedp.Run(k.ctx, chromedp.KeyEvent(text)); err != nil {
		k.t.Fatalf("type %q: %v", text, err)
	}
	k.strokes += len([]rune(text))
}

// countNavigations counts the page loads of the browser's main frame from
// now on.
func countNavigations(ctx context.Context) *atomic.Int32 {
	var n atomic.Int32
	chromedp.ListenTarget(ctx, func(ev any) {
		if f, ok := ev.(*page.EventFrameNavigated); ok && f.Frame.ParentID == "" {
			n.Add(1)
		}
	})
	return &n
}

// attributionState is what the API says of a sentence's attribution.
type attributionState struct {
	Speaker     string  `json:"speaker"`
	Cue         string  `json:"cue"`
	Origin      string  `json:"origin"`
	ConfirmedAt *string `json:"confirmed_at"`
}

type reviewSentence struct {
	ID          int64             `json:"id"`
	Status      string            `json:"status"`
	Label       *string           `json:"label"`
	Attribution *attributionState `json:"attribution"`
}

func reviewSentences(t *testing.T, e *env, articleID int64) []reviewSentence {
	t.Helper()
	var a struct {
		Sentences []reviewSentence `json:"sentences"`
	}
	e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(articleID), nil).decode(t, &a)
	return a.Sentences
}

// TestBrowserKeyboardOnlyReview is the check: a checker labels the
// example article, confirms the machine's attributions (and says who makes
// the claims it found no speaker for), cites a library source picked by
// typing part of its title, and submits — with the keyboard alone, and
// without a single page load after the first. It records the keystrokes
// and the time.
func TestBrowserKeyboardOnlyReview(t *testing.T) {
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "checker")
	a := importSeed(t, e)
	gold := goldLabels(t)
	bill := e.createSource(t, map[string]any{"kind": "official_record", "title": "Countering America's Adversaries Through Sanctions Act",
		"url": "https://congress.example/bill/3364", "publisher": "US Congress", "reliability": "A", "credibility": 1})
	e.createSource(t, map[string]any{"kind": "news_report", "title": "Adversarial readings of the sanctions debate",
		"url": "https://press.example/sanctions", "publisher": "Press Example"})
	const citeAt = 16 // "The bill targets Russian energy, financial, railways…"
	before := reviewSentences(t, e, a.ID)

	signInAt(t, ctx, e, models.RoleChecker)
	openReview(t, ctx, fmt.Sprintf("%s/articles/%d", e.srv.URL, a.ID))
	navigations := countNavigations(ctx)
	k := &keyboard{t: t, ctx: ctx}
	start := time.Now()

	sel := func() int {
		t.Helper()
		n, err := selectedNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	done := map[int]bool{}
	var confirmed, written int
	for step := 0; step < 60; step++ {
		var open int
		if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('.sentence[data-status="unreviewed"]:not(.is-saving)').length`, &open)); err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		n := sel()
		if done[n] {
			t.Fatalf("sentence %d selected again after it was labeled", n)
		}
		done[n] = true
		s := before[n-1]
		label := gold[n]
		// The panel shows what the API says once the details have loaded.
		if err := waitJS(ctx, `document.querySelector('[data-panel]').dataset.sentence === "`+itoa(s.ID)+`"`, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		switch {
		case s.Attribution != nil && s.Attribution.Origin == "machine" && s.Attribution.ConfirmedAt == nil:
			k.press("y")
			confirmed++
			if err := waitJS(ctx, `document.querySelector('[data-form="at-confirm"]').hidden && document.querySelector('[data-bind="at-origin"]').textContent.includes("confirmed") && !document.querySelector('[data-bind="at-origin"]').textContent.includes("not yet")`, 5*time.Second); err != nil {
				t.Fatalf("sentence %d: y did not confirm the attribution: %v", n, err)
			}
		case s.Attribution == nil && (label == "allegation" || label == "quote"):
			k.press("w")
			written++
			if err := waitJS(ctx, `document.activeElement.id === "at-speaker"`, 5*time.Second); err != nil {
				t.Fatalf("sentence %d: w did not open the speaker field: %v", n, err)
			}
			k.typeText("US intelligence agencies")
			k.press(kb.Tab)
			k.typeText("according to")
			k.chord(kb.Enter, input.ModifierCtrl)
			if err := waitJS(ctx, `document.querySelector('[data-bind="at-speaker"]').textContent === "US intelligence agencies" && !document.querySelector('[data-at-edit]').open`, 5*time.Second); err != nil {
				t.Fatalf("sentence %d: the attribution was not saved in place: %v", n, err)
			}
			k.press(kb.Escape) // back to the text, should the focus have stayed
		}
		if n == citeAt {
			k.press("o")
			if err := waitJS(ctx, `document.activeElement.id === "cite-source"`, 5*time.Second); err != nil {
				t.Fatalf("o did not open the source field: %v", err)
			}
			k.typeText("Countering")
			if err := waitJS(ctx, `[...document.querySelectorAll('#cite-options [role=option]')].some((o) => o.textContent.includes("Countering America"))`, 5*time.Second); err != nil {
				t.Fatalf("typing part of the title offered no source: %v", err)
			}
			k.enter() // picks the first option, then the relation
			var picked string
			if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('[data-cite-source-id]').value`, &picked)); err != nil {
				t.Fatal(err)
			}
			if picked != itoa(bill.ID) {
				t.Fatalf("picked source %q, want %d", picked, bill.ID)
			}
			k.chord(kb.Enter, input.ModifierCtrl)
			if err := waitJS(ctx, `[...document.querySelectorAll('[data-list="citations"] li')].some((li) => li.textContent.includes("Countering America"))`, 5*time.Second); err != nil {
				var alert string
				chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("[data-alert]").textContent + " | " + document.querySelector("[data-say]").textContent`, &alert))
				t.Fatalf("the citation does not show in place: %v (the panel says %q)", err, alert)
			}
			if err := waitJS(ctx, `document.activeElement.id === "s-`+itoa(int64(n))+`"`, 5*time.Second); err != nil {
				k.press(kb.Escape)
			}
		}
		key := keyOf[label]
		if key == "" {
			t.Fatalf("no reference label for sentence %d", n)
		}
		k.press(key)
	}
	if err := waitJS(ctx, `document.querySelector('[data-count="open"]').textContent === "0" && !document.querySelector(".is-saving")`, 10*time.Second); err != nil {
		t.Fatalf("labeling did not finish: %v", err)
	}

	// S shows what submitting needs; with nothing missing, the note box
	// has the focus and Ctrl+Enter submits.
	k.press("S")
	if err := waitJS(ctx, `document.querySelector('details[data-submit]').open && document.activeElement.id === "submit-comment" && document.querySelector('.readiness-ok, .readiness-warn, .readiness-block') !== null`, 5*time.Second); err != nil {
		t.Fatalf("S did not open the submission: %v", err)
	}
	var blocking int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('.readiness-block').length`, &blocking)); err != nil {
		t.Fatal(err)
	}
	if blocking != 0 {
		var what string
		chromedp.Run(ctx, chromedp.Text(`.readiness-block`, &what, chromedp.ByQuery))
		t.Fatalf("the page says the article is not ready: %s", what)
	}
	k.typeText("Checked against the bill.")
	k.chord(kb.Enter, input.ModifierCtrl)
	if err := waitJS(ctx, `document.querySelector("[data-article-status-text]").textContent === "Submitted" && document.querySelector("[data-submitted]") !== null`, 10*time.Second); err != nil {
		t.Fatalf("submitting did not show in place: %v", err)
	}
	elapsed := time.Since(start)

	if got := navigations.Load(); got != 0 {
		t.Errorf("%d page loads after the first, want none", got)
	}
	if got := articleStatus(t, e, a.ID); got != "submitted" {
		t.Fatalf("article status %s, want submitted", got)
	}
	if err := waitJS(ctx, `(document.querySelector("[data-submitted]") || {innerText: ""}).innerText.includes("Checked against the bill.")`, 5*time.Second); err != nil {
		var note string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`(document.querySelector("[data-submitted]") || {innerText: ""}).innerText`, &note))
		t.Errorf("the submit note is not shown beside the submission: %q", note)
	}
	after := reviewSentences(t, e, a.ID)
	for i, s := range after {
		n := i + 1
		if s.Status == "excluded" {
			continue
		}
		if s.Label == nil || *s.Label != gold[n] {
			t.Errorf("sentence %d: label %v, want %s", n, s.Label, gold[n])
		}
		if s.Attribution != nil && s.Attribution.Origin == "machine" && s.Attribution.ConfirmedAt == nil {
			t.Errorf("sentence %d: the machine's attribution is not confirmed", n)
		}
	}
	r := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"/citations", nil)
	if !strings.Contains(string(r.Body), "Countering America") {
		t.Errorf("no citation of the bill: %s", r.Body)
	}
	if confirmed == 0 {
		t.Error("no machine attribution was confirmed: the test no longer covers y")
	}
	t.Logf("keyboard only: %d keystrokes, %.1f s, %d page loads after the first (%d attributions confirmed, %d written, 1 citation)",
		k.strokes, elapsed.Seconds(), navigations.Load(), confirmed, written)
	recordFigure(t, "keyboard-review", fmt.Sprintf("keystrokes=%d seconds=%.1f navigations=%d confirmed=%d written=%d",
		k.strokes, elapsed.Seconds(), navigations.Load(), confirmed, written))
}

// artifactsDir is where browser tests leave what people should look at
// (screenshots, figures): $FACTDESK_ARTIFACTS, or .artifacts/ at the
// repository's root, which git ignores.
func artifactsDir(t *testing.T, sub string) string {
	t.Helper()
	dir := os.Getenv("FACTDESK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", ".artifacts")
	}
	dir = filepath.Join(dir, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	return dir
}

// recordFigure writes a measured figure next to the screenshots.
func recordFigure(t *testing.T, name, line string) {
	t.Helper()
	p := filepath.Join(artifactsDir(t, "figures"), name+".txt")
	if err := os.WriteFile(p, []byte(line+"\n"), 0o644); err != nil {
		t.Errorf("record %s: %v", name, err)
	}
}

// screenshot writes what the browser shows to the artifacts folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&buf)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(artifactsDir(t, "screenshots"), name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	}
}
