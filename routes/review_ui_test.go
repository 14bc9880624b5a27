package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"factdesk/models"
)

// clickTo clicks a link and waits for the page it leads to.
func clickTo(t *testing.T, ctx context.Context, link, wait string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Click(link, chromedp.ByQuery), chromedp.WaitVisible(wait, chromedp.ByQuery)); err != nil {
		t.Fatalf("click %s, then wait for %s: %v", link, wait, err)
	}
}

func evalString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Evaluate(expr, &s)); err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return s
}

// TestBrowserEveryPageOneClickAway walks, by clicking only, from the list
// of articles to the audit report and its exports, back to the article,
// and from there to its second opinions, its revisions, its corrections
// log and "import a new version" — as a viewer, then as a checker.
func TestBrowserEveryPageOneClickAway(t *testing.T) {
	e := liveEnv(t)
	a := importSeed(t, e)
	id := itoa(a.ID)

	viewer := newBrowser(t)
	jsErrors(t, viewer, "viewer")
	signInAt(t, viewer, e, models.RoleViewer)
	if err := chromedp.Run(viewer, chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(`table.list`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	clickTo(t, viewer, `table.list a[href="/articles/`+id+`/report"]`, `nav.downloads`)
	var formats []string
	if err := chromedp.Run(viewer, chromedp.Evaluate(`[...document.querySelectorAll("nav.downloads a")].map((a) => a.getAttribute("href"))`, &formats)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"json", "csv", "md", "html", "pdf", "annotations"} {
		found := false
		for _, f := range formats {
			if strings.HasSuffix(f, "format="+want) {
				found = true
				// The link works for the viewer: the download answers 200.
				var status int
				if err := chromedp.Run(viewer, awaitJS(`fetch(`+jsString(f)+`).then((r) => r.status)`, &status)); err != nil {
					t.Fatal(err)
				}
				if status != 200 {
					t.Errorf("export %s: status %d", want, status)
				}
			}
		}
		if !found {
			t.Errorf("the report offers no %s download (links: %v)", want, formats)
		}
	}
	clickTo(t, viewer, `.report-head a[href="/articles/`+id+`"]`, `[data-review][data-ready]`)
	clickTo(t, viewer, `[data-link="opinions"]`, `h1`)
	if h := evalString(t, viewer, `document.querySelector("h1").textContent`); h != "Second opinions" {
		t.Errorf("the second opinions link led to %q", h)
	}
	clickTo(t, viewer, `a[href="/articles/`+id+`"]`, `[data-review][data-ready]`)
	clickTo(t, viewer, `[data-link="revisions"]`, `#revisions-heading`)
	clickTo(t, viewer, `a[href="/articles/`+id+`"]`, `[data-review][data-ready]`)
	clickTo(t, viewer, `[data-link="corrections"]`, `#fd-corrections`)
	if loc := evalString(t, viewer, `location.pathname + location.hash`); loc != "/articles/"+id+"/report#fd-corrections" {
		t.Errorf("the corrections log link led to %s", loc)
	}
	if n := evalString(t, viewer, `String(document.querySelectorAll('[data-link="revise"]').length)`); n != "0" {
		t.Error("a viewer is offered to import a new version")
	}

	checker := newBrowser(t)
	jsErrors(t, checker, "checker")
	signInAt(t, checker, e, models.RoleChecker)
	openReview(t, checker, e.srv.URL+"/articles/"+id)
	clickTo(t, checker, `[data-link="revise"]`, `textarea#body`)
	if h := evalString(t, checker, `document.querySelector("h1").textContent`); h != "Import a new version" {
		t.Errorf("the revise link led to %q", h)
	}
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }

// TestBrowserUndoStepsBack is defect 5: after labeling sentences 1, 2 and
// 3, z three times unlabels 3, then 2, then 1, saying each time what it
// undid; Shift+Z redoes; a colleague's later change stops the undo with a
// message that names them.
func TestBrowserUndoStepsBack(t *testing.T) {
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "checker")
	a := e.importSmall(t, "Three claims", "The mayor opened the bridge on Monday. The bridge cost 40 million euros. Critics called it a waste of money.")
	signInAt(t, ctx, e, models.RoleChecker)
	openReview(t, ctx, fmt.Sprintf("%s/articles/%d", e.srv.URL, a.ID))
	k := &keyboard{t: t, ctx: ctx}
	labelOf := func(n int) string {
		return evalString(t, ctx, fmt.Sprintf(`document.getElementById("s-%d").dataset.label || ""`, n))
	}
	k.press("f")
	waitFor(t, ctx, `document.getElementById("s-1").dataset.version === "2"`)
	k.press("f")
	waitFor(t, ctx, `document.getElementById("s-2").dataset.version === "2"`)
	k.press("s")
	waitFor(t, ctx, `document.getElementById("s-3").dataset.version === "2"`)
	// The Undo button, reached, says what z would undo.
	if err := chromedp.Run(ctx, chromedp.Focus(`[data-undo-button]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector("[data-undo-button]").title.startsWith("Undo: sentence 3: label: assessment → none")`)
	for _, n := range []int{3, 2, 1} {
		k.press("z")
		waitFor(t, ctx, fmt.Sprintf(`!document.getElementById("s-%d").dataset.label && document.querySelector(".sentence.is-selected").id === "s-%d"`, n, n))
		said := evalString(t, ctx, `document.querySelector("[data-say]").textContent`)
		if !strings.Contains(said, fmt.Sprintf("Undone on sentence %d", n)) || !strings.Contains(said, "label") {
			t.Errorf("after undoing sentence %d the page says %q", n, said)
		}
	}
	for n := 1; n <= 3; n++ {
		if l := labelOf(n); l != "" {
			t.Errorf("sentence %d still labeled %q after three undos", n, l)
		}
	}
	k.chord("Z", input.ModifierShift)
	// The live event can bring the label back before the answer to the
	// redo, which says so, arrives: wait for both.
	waitFor(t, ctx, `document.getElementById("s-1").dataset.label === "fact" && document.querySelector("[data-say]").textContent.includes("Redone on sentence 1")`)

	// A colleague relabels sentence 1: undoing the checker's change there
	// would overwrite theirs, so z refuses and names them.
	if r := patch(e, models.RoleEditor, a.Sentences[0].ID, map[string]any{"label": "assessment", "version": sentenceVersion(t, e, a.Sentences[0].ID)}); r.Status != 200 {
		t.Fatalf("editor's label: %d %s", r.Status, r.Body)
	}
	waitFor(t, ctx, `document.getElementById("s-1").dataset.label === "assessment"`)
	k.press("z")
	waitFor(t, ctx, `document.querySelector("[data-alert]").textContent.includes("Nothing undone")`)
	msg := evalString(t, ctx, `document.querySelector("[data-alert]").textContent`)
	if !strings.Contains(msg, e.users[models.RoleEditor].Name) {
		t.Errorf("the refused undo does not name the colleague: %q", msg)
	}
	if l := labelOf(1); l != "assessment" {
		t.Errorf("the colleague's label was overwritten: %q", l)
	}
}

func sentenceVersion(t *testing.T, e *env, id int64) int {
	t.Helper()
	var s struct {
		Version int `json:"version"`
	}
	e.api(models.RoleViewer, "GET", "/api/v1/sentences/"+itoa(id), nil).decode(t, &s)
	return s.Version
}

func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	if err := waitJS(ctx, cond, 5*time.Second); err != nil {
		alert := ""
		_ = chromedp.Run(ctx, chromedp.Evaluate(`(document.querySelector("[data-alert]")||{}).textContent + " | " + (document.querySelector("[data-say]")||{}).textContent`, &alert))
		t.Fatalf("%v (the panel says %q)", err, alert)
	}
}

// TestBrowserPanelSavesInPlace is defect 8: saving an attribution,
// confirming one, citing a source by a new URL and removing the citation
// update the panel in place, with "— saved." next to the control, and
// neither load a page nor move the window or the panel.
func TestBrowserPanelSavesInPlace(t *testing.T) {
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "checker")
	a := importSeed(t, e)
	signInAt(t, ctx, e, models.RoleChecker)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	openReview(t, ctx, fmt.Sprintf("%s/articles/%d?s=4", e.srv.URL, a.ID))
	navigations := countNavigations(ctx)
	k := &keyboard{t: t, ctx: ctx}
	waitFor(t, ctx, `document.querySelector('[data-bind="at-speaker"]').textContent !== ""`)
	scroll := func() string {
		return evalString(t, ctx, `window.scrollY + "/" + document.querySelector("[data-panel]").scrollTop`)
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.scrollBy(0, 120); 0`, nil)); err != nil {
		t.Fatal(err)
	}
	at := scroll()

	// y confirms the machine's attribution.
	k.press("y")
	waitFor(t, ctx, `document.querySelector('[data-sec-say="attribution"]').textContent.includes("confirmed")`)
	if got := scroll(); got != at {
		t.Errorf("confirming the attribution moved the window or the panel: scroll %s, was %s", got, at)
	}

	// w edits it: the speaker field has the focus; Ctrl+Enter saves.
	k.press("w")
	waitFor(t, ctx, `document.activeElement.id === "at-speaker"`)
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.activeElement.select(); 0`, nil)); err != nil {
		t.Fatal(err)
	}
	k.typeText("the US intelligence agencies")
	at = scroll()
	k.chord(kb.Enter, input.ModifierCtrl)
	waitFor(t, ctx, `document.querySelector('[data-bind="at-speaker"]').textContent === "the US intelligence agencies" && document.querySelector('[data-sec-say="attribution"]').textContent.includes("saved")`)
	if got := scroll(); got != at {
		t.Errorf("saving the attribution moved the window or the panel: scroll %s, was %s", got, at)
	}

	// o cites a new source by its address; it joins the library.
	k.press(kb.Escape)
	k.press("o")
	waitFor(t, ctx, `document.activeElement.id === "cite-source"`)
	k.typeText("https://www.dni.example/assessment-2017")
	waitFor(t, ctx, `document.querySelector('#cite-options [role=option]') !== null`)
	k.press(kb.Enter)
	at = scroll()
	k.chord(kb.Enter, input.ModifierCtrl)
	waitFor(t, ctx, `document.querySelectorAll('[data-list="citations"] li').length === 1 && document.querySelector('[data-sec-say="citations"]').textContent.includes("saved")`)
	if got := scroll(); got != at {
		t.Errorf("citing moved the window or the panel: scroll %s, was %s", got, at)
	}

	// Remove, by its button.
	if err := chromedp.Run(ctx, chromedp.Click(`[data-list="citations"] form[data-form="uncite"] button`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelectorAll('[data-list="citations"] li').length === 0 && document.querySelector('[data-sec-say="citations"]').textContent.includes("removed")`)
	if got := navigations.Load(); got != 0 {
		t.Errorf("%d page loads, want none", got)
	}
	var at4 struct {
		Attribution *attributionState
	}
	for _, rs := range reviewSentences(t, e, a.ID) {
		if rs.ID == a.Sentences[3].ID {
			at4.Attribution = rs.Attribution
		}
	}
	if at4.Attribution == nil || at4.Attribution.Speaker != "the US intelligence agencies" || at4.Attribution.ConfirmedAt == nil {
		t.Errorf("sentence 4's attribution on the server: %+v", at4.Attribution)
	}
}

// rect is an element's box in the viewport.
type rect struct{ Top, Bottom, Left, Right, Height float64 }

func boxOf(t *testing.T, ctx context.Context, sel string) rect {
	t.Helper()
	var r rect
	js := `(() => { const e = document.querySelector(` + jsString(sel) + `); if (!e) return null; const b = e.getBoundingClientRect(); return {Top: b.top, Bottom: b.bottom, Left: b.left, Right: b.right, Height: b.height}; })()`
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &r)); err != nil {
		t.Fatalf("box of %s: %v", sel, err)
	}
	return r
}

func setColorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		return emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}).Do(ctx)
	}))
	if err != nil {
		t.Fatalf("emulate %s: %v", scheme, err)
	}
}

// TestBrowserReviewLayout checks the review page where people use it: on
// a 1366×768 laptop the selected sentence's label, attribution and sources
// show together; on a 390×844 phone the text comes first and the panel is
// a bottom sheet under half the screen; a sentence number never ends a
// line apart from its label tag; the list keeps its column names on a
// phone; and axe-core finds nothing in light and dark mode. Screenshots go
// to the artifacts folder.
func TestBrowserReviewLayout(t *testing.T) {
	script := axeScript(t)
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "layout")
	a := importSeed(t, e)
	// Half the sentences labeled, so that the text carries label tags.
	for i, s := range a.Sentences {
		if s.Status != "excluded" && i%2 == 1 {
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": scriptLabel(i, s), "version": s.Version}); r.Status != 200 {
				t.Fatalf("label: %d %s", r.Status, r.Body)
			}
		}
	}
	page := fmt.Sprintf("%s/articles/%d", e.srv.URL, a.ID)
	signInAt(t, ctx, e, models.RoleChecker)

	for _, scheme := range []string{"light", "dark"} {
		setColorScheme(t, ctx, scheme)
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
			t.Fatal(err)
		}
		openReview(t, ctx, page)
		// The keyboard selects sentence 4, which has an attribution.
		for evalString(t, ctx, `document.querySelector(".sentence.is-selected").id`) != "s-4" {
			if err := chromedp.Run(ctx, chromedp.KeyEvent("j")); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, ctx, `document.querySelector('[data-bind="at-speaker"]').textContent !== ""`)
		for _, sel := range []string{`form[data-form="label"]`, `[data-sec="attribution"] .at-row`, `[data-sec="citations"] h3`, `[data-sec="citations"] [data-bind="no-citations"]`} {
			if b := boxOf(t, ctx, sel); b.Height == 0 || b.Top < 0 || b.Bottom > 768 {
				t.Errorf("%s, 1366×768: %s is not on the screen (top %.0f, bottom %.0f)", scheme, sel, b.Top, b.Bottom)
			}
		}
		screenshot(t, ctx, "review-1366x768-"+scheme)
		axeCheck(t, ctx, script, "review page, 1366×768, "+scheme)

		if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
			t.Fatal(err)
		}
		openReview(t, ctx, page)
		panel, first := boxOf(t, ctx, "[data-panel]"), boxOf(t, ctx, "#s-1")
		if panel.Height > 844/2 {
			t.Errorf("%s, 390×844: the panel is %.0f px tall, more than half the screen", scheme, panel.Height)
		}
		if panel.Bottom < 840 || first.Top > panel.Top {
			t.Errorf("%s, 390×844: the panel is not a sheet at the bottom under the text (panel %.0f–%.0f, text at %.0f)", scheme, panel.Top, panel.Bottom, first.Top)
		}
		screenshot(t, ctx, "review-390x844-"+scheme)
		axeCheck(t, ctx, script, "review page, 390×844, "+scheme)
		// Folded, the sheet leaves the screen to the text.
		if err := chromedp.Run(ctx, chromedp.Click(`[data-sheet-toggle]`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		if b := boxOf(t, ctx, "[data-panel]"); b.Height > 120 {
			t.Errorf("%s, 390×844: the folded panel is still %.0f px tall", scheme, b.Height)
		}

		if err := chromedp.Run(ctx, chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(`table.list`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		var headings []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("table.list tbody tr:first-child td")].map((td) => getComputedStyle(td, "::before").content)`, &headings)); err != nil {
			t.Fatal(err)
		}
		named := 0
		for _, h := range headings {
			if strings.Contains(h, ":") {
				named++
			}
		}
		if named < 4 {
			t.Errorf("%s, 390×844: the list's cells say what they are in %d of %d columns (%q)", scheme, named, len(headings), headings)
		}
		screenshot(t, ctx, "articles-390x844-"+scheme)
		axeCheck(t, ctx, script, "articles, 390×844, "+scheme)
	}

	// No sentence number ends a line apart from its label tag and the first
	// word, at any of these widths.
	setColorScheme(t, ctx, "light")
	for _, width := range []int64{390, 520, 700, 1024} {
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(width, 844)); err != nil {
			t.Fatal(err)
		}
		openReview(t, ctx, page)
		var apart []string
		js := `[...document.querySelectorAll(".review-text .sentence")].filter((s) => s.querySelector(".lt")).filter((s) => {
			s.closest(".para").style.contentVisibility = "visible";
			const num = s.querySelector(".num").getBoundingClientRect();
			const tag = s.querySelector(".lt").getBoundingClientRect();
			const text = [...s.childNodes].find((n) => n.nodeType === 3 && n.data.trim());
			const r = document.createRange(); r.setStart(text, 0); r.setEnd(text, 1);
			const first = r.getClientRects()[0];
			const mid = (b) => (b.top + b.bottom) / 2;
			return Math.abs(mid(num) - mid(tag)) > 12 || Math.abs(mid(tag) - mid(first)) > 12;
		}).map((s) => s.id)`
		if err := chromedp.Run(ctx, chromedp.Evaluate(js, &apart)); err != nil {
			t.Fatal(err)
		}
		if len(apart) > 0 {
			t.Errorf("width %d: the number, label tag and first word of %v are not on one line", width, apart)
		}
	}
}

// TestBrowserReviewFrictions covers the smaller frictions of the issue:
// a range of sentences accepts the machine's suggestions together (each an
// ordinary change that z undoes one by one), and so does "Accept N
// confident suggestions"; m jumps to the next sentence with an open
// comment; a colleague's change to the sentence one is on shows as
// information, not as an error; and a thread resolved in place keeps its
// author's name.
func TestBrowserReviewFrictions(t *testing.T) {
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "checker")
	a := importSeed(t, e)
	page := fmt.Sprintf("%s/articles/%d", e.srv.URL, a.ID)
	signInAt(t, ctx, e, models.RoleChecker)
	openReview(t, ctx, page)
	k := &keyboard{t: t, ctx: ctx}
	waitFor(t, ctx, `document.querySelector('[data-sec="suggestion"]').hidden === false`)

	// Shift+J twice: sentences 1–3; Enter accepts their suggestions.
	k.chord("J", input.ModifierShift)
	k.chord("J", input.ModifierShift)
	if n := evalString(t, ctx, `String(document.querySelectorAll(".sentence.in-range").length)`); n != "3" {
		t.Fatalf("%s sentences in the range, want 3", n)
	}
	k.press(kb.Enter)
	waitFor(t, ctx, `[1, 2, 3].every((n) => !!document.getElementById("s-" + n).dataset.label) && document.querySelector("[data-info]").textContent.includes("Accepted 3 suggestions")`)
	if n := evalString(t, ctx, `String(document.querySelectorAll(".sentence.in-range").length)`); n != "0" {
		t.Errorf("the range is still marked after accepting: %s sentences", n)
	}
	k.press("z")
	waitFor(t, ctx, `!document.getElementById("s-3").dataset.label && !!document.getElementById("s-2").dataset.label`)

	// The confident suggestions, by their button.
	before := evalString(t, ctx, `document.querySelector('[data-count="labeled"]').textContent`)
	if err := chromedp.Run(ctx, chromedp.Click(`form[data-form="accept-confident"] button`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector("[data-info]").textContent.includes("that the machine is confident of")`)
	if after := evalString(t, ctx, `document.querySelector('[data-count="labeled"]').textContent`); after == before {
		t.Errorf("accepting the confident suggestions labeled nothing (%s labeled)", after)
	}

	// A comment on sentence 12 arrives live; m goes there.
	if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "Which investigation?", "sentence_id": a.Sentences[11].ID}); r.Status != http.StatusCreated {
		t.Fatalf("comment: %d %s", r.Status, r.Body)
	}
	waitFor(t, ctx, `document.querySelector("#s-12 .mark") !== null`)
	k.press("m")
	waitFor(t, ctx, `document.querySelector(".sentence.is-selected").id === "s-12"`)

	// The editor labels sentence 12 while the checker is on it: told, not alarmed.
	if r := patch(e, models.RoleEditor, a.Sentences[11].ID, map[string]any{"label": "fact", "version": sentenceVersion(t, e, a.Sentences[11].ID)}); r.Status != 200 {
		t.Fatalf("editor's label: %d %s", r.Status, r.Body)
	}
	waitFor(t, ctx, `document.querySelector("[data-info]").textContent.includes("just changed this sentence")`)
	if alert := evalString(t, ctx, `document.querySelector("[data-alert]").textContent`); alert != "" {
		t.Errorf("a colleague's change shows as an error: %q", alert)
	}

	// Resolving the thread in place keeps its author's name.
	if err := chromedp.Run(ctx, chromedp.Click(`[data-list="threads"] form[data-form="resolve"] button`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector('[data-list="threads"] .thread.is-resolved') !== null`)
	author := evalString(t, ctx, `document.querySelector('[data-list="threads"] .thread .c-meta strong').textContent`)
	reply := evalString(t, ctx, `document.querySelector('[data-list="threads"] .reply-form label').textContent`)
	if name := e.users[models.RoleEditor].Name; author != name || reply != "Reply to "+name {
		t.Errorf("after resolving: author %q, reply label %q; want %q", author, reply, name)
	}

	// A comment on the whole article joins its discussion in place.
	navigations := countNavigations(ctx)
	if err := chromedp.Run(ctx, chromedp.Click(`details.discussion > summary`, chromedp.ByQuery), chromedp.Focus(`#article-comment`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	k.typeText("Is the headline a claim?")
	k.chord(kb.Enter, input.ModifierCtrl)
	waitFor(t, ctx, `[...document.querySelectorAll('[data-list="article-threads"] .c-body')].some((b) => b.textContent === "Is the headline a claim?")`)
	if got := navigations.Load(); got != 0 {
		t.Errorf("commenting on the article loaded %d pages", got)
	}
}
