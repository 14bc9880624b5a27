package routes_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"factdesk/models"
)

// axeScript reads axe-core's axe.min.js from FACTDESK_AXE. Without it the
// test is skipped with a message, unless FACTDESK_TEST_STRICT=1.
func axeScript(t *testing.T) string {
	t.Helper()
	p := os.Getenv("FACTDESK_AXE")
	b, err := os.ReadFile(p)
	if p == "" || err != nil {
		msg := "SKIP accessibility test: set FACTDESK_AXE to axe-core's axe.min.js (npm install axe-core@4)"
		if os.Getenv("FACTDESK_TEST_STRICT") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return string(b)
}

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeCheck runs axe-core on the page the browser shows and reports every
// violation of its rules (WCAG 2.x A and AA and best practices).
func axeCheck(t *testing.T, ctx context.Context, script, name string) {
	t.Helper()
	var injected bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(script+"\n;true", &injected)); err != nil {
		t.Fatalf("%s: inject axe-core: %v", name, err)
	}
	var vs []axeViolation
	run := `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)`
	if err := chromedp.Run(ctx, awaitJS(run, &vs)); err != nil {
		t.Fatalf("%s: run axe-core: %v", name, err)
	}
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+": "+strings.ReplaceAll(n.Summary, "\n", " "))
		}
		t.Errorf("%s: %s (%s): %s", name, v.ID, v.Help, strings.Join(where, " | "))
	}
}

// TestReviewPagesPassAxe runs axe-core on the review page with a sentence
// selected (a checker's, and an editor's in the second round with what
// changed), on the page at phone width, and on the approval queue.
func TestReviewPagesPassAxe(t *testing.T) {
	script := axeScript(t)
	ctx := newBrowser(t)
	e := liveEnv(t)
	jsErrors(t, ctx, "axe")
	a := importSeed(t, e)
	page := fmt.Sprintf("%s/articles/%d", e.srv.URL, a.ID)

	// A second round with a comment, a change request and a change, so
	// that every part of the page is there.
	for i, s := range a.Sentences {
		if s.Status == "excluded" {
			continue
		}
		label := scriptLabel(i, s)
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": label, "version": s.Version}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
	}
	e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "Source?", "sentence_id": a.Sentences[2].ID})
	confirmAttributions(t, e, a.ID)
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/request-changes", a.ID), map[string]any{
		"comment": "Check sentence 3.", "sentences": []map[string]any{{"sentence_id": a.Sentences[2].ID, "comment": "Is this a fact?"}}}); r.Status != 200 {
		t.Fatalf("request changes: %d %s", r.Status, r.Body)
	}
	if r := patch(e, models.RoleChecker, a.Sentences[2].ID, map[string]any{"label": "assessment", "note": "reads as the writer's view", "version": 2}); r.Status != 200 {
		t.Fatalf("relabel: %d %s", r.Status, r.Body)
	}

	signInAt(t, ctx, e, models.RoleChecker)
	openReview(t, ctx, page+"?s=3")
	axeCheck(t, ctx, script, "review page (checker, sentence 3)")
	openReview(t, ctx, page+"?s=5")
	axeCheck(t, ctx, script, "review page (checker, an excluded sentence)")
	if err := chromedp.Run(ctx, chromedp.KeyEvent("?"), chromedp.WaitVisible(`#keys-dialog`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	axeCheck(t, ctx, script, "review page with the keys dialog")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	openReview(t, ctx, page+"?s=3")
	axeCheck(t, ctx, script, "review page at phone width")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil)
	editor := newBrowser(t)
	jsErrors(t, editor, "axe editor")
	signInAt(t, editor, e, models.RoleEditor)
	openReview(t, editor, page+"?s=3")
	axeCheck(t, editor, script, "review page (editor, round 2 submitted)")
	if err := chromedp.Run(editor, chromedp.Navigate(e.srv.URL+"/queue"), chromedp.WaitVisible(`h1`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	var rows int
	chromedp.Run(editor, chromedp.Evaluate(`document.querySelectorAll("tbody tr").length`, &rows))
	if rows != 1 {
		t.Errorf("the queue lists %d articles, want 1", rows)
	}
	axeCheck(t, editor, script, "approval queue")
}
