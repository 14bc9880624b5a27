package routes_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// reviewView is what a person sees of the review page without
// JavaScript: the panel's sentence, the flash and the alert.
type reviewView struct {
	page     *html.Node
	Panel    string // the panel's heading
	Selected string // the id of the sentence marked selected in the text
	Flash    string
	Alert    string
}

func viewOf(t *testing.T, r apiResponse) reviewView {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("review page: status %d", r.Status)
	}
	v := reviewView{page: doc(t, r)}
	if h := findAll(v.page, func(n *html.Node) bool { return attr(n, "id") == "panel-title" }); len(h) == 1 {
		v.Panel = textOf(h[0])
	}
	sel := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "sentence") && hasClass(n, "is-selected") })
	if len(sel) > 1 {
		t.Errorf("%d sentences are marked selected", len(sel))
	}
	if len(sel) == 1 {
		v.Selected = attr(sel[0], "id")
		if attr(sel[0], "aria-current") != "true" {
			t.Error("the selected sentence has no aria-current")
		}
	}
	if f := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "flash") }); len(f) > 0 {
		v.Flash = textOf(f[0])
	}
	if a := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "alert") }); len(a) > 0 {
		v.Alert = textOf(a[0])
	}
	return v
}

// sentenceEl returns the text's element of sentence number n.
func (v reviewView) sentenceEl(t *testing.T, n int) *html.Node {
	t.Helper()
	id := fmt.Sprintf("s-%d", n)
	els := findAll(v.page, func(n *html.Node) bool { return attr(n, "id") == id })
	if len(els) != 1 {
		t.Fatalf("sentence %d: %d elements", n, len(els))
	}
	return els[0]
}

// forms returns the page's forms posting to action.
func (v reviewView) forms(action string) []*html.Node {
	return findAll(v.page, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == action })
}

// field returns the value of the named input of a form.
func field(form *html.Node, name string) string {
	for _, in := range findAll(form, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == name }) {
		return attr(in, "value")
	}
	return ""
}

// follow reads the page a form redirected to, as a browser does: it sends
// the page that held the form as the referrer.
func (b *browser) follow(t *testing.T, r apiResponse, from string) apiResponse {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("form post: status %d, want 303: %s", r.Status, r.Body)
	}
	loc := r.Header.Get("Location")
	req, _ := http.NewRequest("GET", b.e.srv.URL+loc, nil)
	req.Header.Set("Referer", b.e.srv.URL+from)
	return b.send(req)
}

// TestReviewPageWithoutJavaScript works the review page as plain forms:
// ?s=N selects a sentence and renders its panel, each form posts to its
// endpoint and comes back to the same sentence with a confirmation, and a
// stale form is refused with the current value.
func TestReviewPageWithoutJavaScript(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		path := "/articles/" + itoa(a.ID)
		s7 := a.Sentences[6]
		b := e.browser()
		b.signIn(models.RoleChecker)

		t.Run("the first open sentence is selected", func(t *testing.T) {
			v := viewOf(t, b.get(path))
			if v.Panel != "Sentence 1 of 30" || v.Selected != "s-1" {
				t.Errorf("panel %q, selected %q; want sentence 1", v.Panel, v.Selected)
			}
		})

		t.Run("?s=N selects sentence N", func(t *testing.T) {
			v := viewOf(t, b.get(path+"?s=7"))
			if v.Panel != "Sentence 7 of 30" || v.Selected != "s-7" {
				t.Fatalf("panel %q, selected %q; want sentence 7", v.Panel, v.Selected)
			}
			forms := v.forms("/sentences/" + itoa(s7.ID))
			if len(forms) < 3 {
				t.Fatalf("%d forms post to sentence 7, want the label, check and exclusion forms", len(forms))
			}
			for _, f := range forms {
				if field(f, "version") != "1" || field(f, "csrf_token") == "" {
					t.Errorf("a form of sentence 7 carries version %q and token %q", field(f, "version"), field(f, "csrf_token"))
				}
			}
			quote := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "panel-text") })
			if len(quote) != 1 || textOf(quote[0]) != s7.Text {
				t.Errorf("the panel quotes %q", textOf(quote[0]))
			}
		})

		t.Run("a label form saves and comes back to the sentence", func(t *testing.T) {
			r := b.post("/sentences/"+itoa(s7.ID), url.Values{"label": {"quote"}, "version": {"1"}})
			v := viewOf(t, b.follow(t, r, path+"?s=7"))
			if v.Flash != "Sentence 7 saved." || v.Selected != "s-7" {
				t.Errorf("flash %q, selected %q", v.Flash, v.Selected)
			}
			el := v.sentenceEl(t, 7)
			if attr(el, "data-label") != "quote" || attr(el, "data-version") != "2" || attr(el, "data-status") != "labeled" {
				t.Errorf("sentence 7: label %q version %q status %q", attr(el, "data-label"), attr(el, "data-version"), attr(el, "data-status"))
			}
			tags := findAll(el, func(n *html.Node) bool { return hasClass(n, "lt") })
			if len(tags) != 1 || textOf(tags[0]) != "quote" {
				t.Error("the label has no text tag in the text: colour alone")
			}
			pressed := findAll(v.page, func(n *html.Node) bool { return n.Data == "button" && attr(n, "aria-pressed") == "true" })
			if len(pressed) != 1 || attr(pressed[0], "value") != "quote" {
				t.Errorf("pressed label buttons: %d", len(pressed))
			}
			hist := findAll(v.page, func(n *html.Node) bool { return attr(n, "data-list") == "history" })
			if len(hist) != 1 || !strings.Contains(textOf(hist[0]), "label: none → quote") || !strings.Contains(textOf(hist[0]), "Test checker") {
				t.Errorf("history: %q", textOf(hist[0]))
			}
		})

		t.Run("a stale form is refused with the current value", func(t *testing.T) {
			r := b.post("/sentences/"+itoa(s7.ID), url.Values{"label": {"fact"}, "version": {"1"}})
			v := viewOf(t, b.follow(t, r, path+"?s=7"))
			for _, want := range []string{"Sentence 7 was not saved", "It is now quote, labeled", `label "fact"`} {
				if !strings.Contains(v.Alert, want) {
					t.Errorf("alert %q does not say %q", v.Alert, want)
				}
			}
			if v.Selected != "s-7" || attr(v.sentenceEl(t, 7), "data-label") != "quote" {
				t.Error("the refused change was applied, or the page left the sentence")
			}
		})

		t.Run("the check form keeps the rules", func(t *testing.T) {
			r := b.post("/sentences/"+itoa(s7.ID), url.Values{"status": {"unverifiable"}, "verdict": {""}, "note": {""}, "version": {"2"}})
			v := viewOf(t, b.follow(t, r, path+"?s=7"))
			if !strings.Contains(v.Alert, "needs a note") {
				t.Errorf("alert %q", v.Alert)
			}
			r = b.post("/sentences/"+itoa(s7.ID), url.Values{"status": {"unverifiable"}, "verdict": {"Unproven"}, "note": {"No record found."}, "version": {"2"}})
			v = viewOf(t, b.follow(t, r, path+"?s=7"))
			el := v.sentenceEl(t, 7)
			tags := findAll(el, func(n *html.Node) bool { return hasClass(n, "lt") })
			if len(tags) != 1 || textOf(tags[0]) != "quote · unverifiable" || attr(el, "data-verdict") != "Unproven" {
				t.Errorf("after the check: tag %v, verdict %q", tags, attr(el, "data-verdict"))
			}
			sel := findAll(v.page, func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") == "Unproven" })
			if len(sel) != 1 || !hasAttr(sel[0], "selected") {
				t.Error("the verdict is not selected in the form")
			}
		})

		t.Run("exclusion and inclusion", func(t *testing.T) {
			s8 := a.Sentences[7]
			r := b.post("/sentences/"+itoa(s8.ID), url.Values{"exclude_reason": {"boilerplate"}, "version": {"1"}})
			v := viewOf(t, b.follow(t, r, path+"?s=8"))
			el := v.sentenceEl(t, 8)
			if attr(el, "data-status") != "excluded" || !strings.Contains(textOf(el), "excluded: boilerplate") {
				t.Errorf("sentence 8: %q", textOf(el))
			}
			inc := v.forms("/sentences/" + itoa(s8.ID))
			var back string
			for _, f := range inc {
				if attr(f, "data-form") == "include" {
					back = field(f, "status")
				}
			}
			if back != "unreviewed" {
				t.Errorf("the include form would set status %q, want unreviewed", back)
			}
			r = b.post("/sentences/"+itoa(s8.ID), url.Values{"status": {back}, "version": {"2"}})
			v = viewOf(t, b.follow(t, r, path+"?s=8"))
			if attr(v.sentenceEl(t, 8), "data-status") != "unreviewed" {
				t.Error("sentence 8 was not included again")
			}
		})

		t.Run("comments, replies and resolving", func(t *testing.T) {
			r := b.post(path+"/comments", url.Values{"body": {"Which record?"}, "sentence_id": {itoa(s7.ID)}, "sentence_number": {"7"}})
			v := viewOf(t, b.follow(t, r, path+"?s=7"))
			if v.Flash != "Comment added." {
				t.Errorf("flash %q", v.Flash)
			}
			if !strings.Contains(textOf(v.sentenceEl(t, 7)), "1 comment") {
				t.Error("the text does not mark the sentence's open comment")
			}
			threads := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "thread") })
			if len(threads) != 1 || !strings.Contains(textOf(threads[0]), "Which record?") {
				t.Fatalf("threads in the panel: %d", len(threads))
			}
			id := strings.TrimPrefix(attr(threads[0], "id"), "c-")
			r = b.post(path+"/comments", url.Values{"body": {"The registry."}, "parent_id": {id}, "sentence_number": {"7"}})
			b.follow(t, r, path+"?s=7")
			r = b.post("/comments/"+id+"/resolve", url.Values{"resolved": {"true"}})
			v = viewOf(t, b.follow(t, r, path+"?s=7"))
			threads = findAll(v.page, func(n *html.Node) bool { return hasClass(n, "thread") })
			if len(threads) != 1 || !hasClass(threads[0], "is-resolved") || !strings.Contains(textOf(threads[0]), "The registry.") {
				t.Errorf("after reply and resolve: %q", textOf(threads[0]))
			}
			if v.Panel != "Sentence 7 of 30" {
				t.Errorf("resolving left the sentence: %q", v.Panel)
			}
		})

		t.Run("a viewer sees no forms", func(t *testing.T) {
			vb := e.browser()
			vb.signIn(models.RoleViewer)
			v := viewOf(t, vb.get(path+"?s=7"))
			posts := findAll(v.page, func(n *html.Node) bool {
				return n.Data == "form" && attr(n, "method") == "post" && attr(n, "action") != "/logout"
			})
			if len(posts) != 0 {
				t.Errorf("a viewer is offered %d forms", len(posts))
			}
		})
	})
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// TestReviewPageWorkflowForms checks the workflow controls per role and
// status: the four-eyes rule's message for an editor deciding their own
// submission, what an editor sees of the round's changes, and the
// changes endpoint behind it.
func TestReviewPageWorkflowForms(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		path := "/articles/" + itoa(a.ID)
		for i, s := range a.Sentences {
			if s.Status != "excluded" {
				if r := patch(e, models.RoleEditor, s.ID, map[string]any{"label": scriptLabel(2*(i%2), s), "version": s.Version}); r.Status != 200 {
					t.Fatalf("label: %d %s", r.Status, r.Body)
				}
			}
		}
		confirmAttributions(t, e, a.ID)
		ed := e.browser()
		ed.signIn(models.RoleEditor)
		r := ed.post(path+"/submit", url.Values{})
		if v := viewOf(t, ed.follow(t, r, path)); v.Flash != "Submitted for approval." {
			t.Fatalf("submit: %q %q", v.Flash, v.Alert)
		}
		v := viewOf(t, ed.get(path))
		if !strings.Contains(textOf(v.page), "You submitted this round, so another editor must decide it") {
			t.Error("the submitting editor is not told about the four-eyes rule")
		}
		if len(v.forms("/sentences/"+itoa(a.Sentences[0].ID))) != 0 {
			t.Error("a submitted article offers sentence forms")
		}
		r = ed.post(path+"/approve", url.Values{})
		if v := viewOf(t, ed.follow(t, r, path)); !strings.Contains(v.Alert, "four-eyes") {
			t.Errorf("approving one's own submission: alert %q", v.Alert)
		}

		// Another editor sends it back; the checker changes a sentence.
		other := e.extraUser(t, "editor2@test.example", models.RoleEditor)
		if r := other.api("POST", fmt.Sprintf("/api/v1/articles/%d/request-changes", a.ID), map[string]any{"comment": "Sentence 3?",
			"sentences": []map[string]any{{"sentence_id": a.Sentences[2].ID, "comment": "Is this a fact?"}}}); r.Status != 200 {
			t.Fatalf("request changes: %d %s", r.Status, r.Body)
		}
		ch := e.browser()
		ch.signIn(models.RoleChecker)
		v = viewOf(t, ch.get(path+"?s=3"))
		if !strings.Contains(textOf(v.sentenceEl(t, 3)), "changes requested") {
			t.Error("the sentence with a change request is not marked in the text")
		}
		panel := findAll(v.page, func(n *html.Node) bool { return attr(n, "id") == "panel" })[0]
		cr := findAll(panel, func(n *html.Node) bool { return hasClass(n, "thread") && hasClass(n, "is-cr") })
		if len(cr) != 1 || !strings.Contains(textOf(cr[0]), "Is this a fact?") {
			t.Errorf("the editor's request is not pinned in the sentence's panel: %d threads", len(cr))
		}
		st3 := v.sentenceEl(t, 3)
		r = ch.post("/sentences/"+itoa(a.Sentences[2].ID), url.Values{"label": {"assessment"}, "version": {attr(st3, "data-version")}})
		ch.follow(t, r, path+"?s=3")
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != 200 {
			t.Fatalf("resubmit: %d %s", r.Status, r.Body)
		}

		var changes struct {
			Round    int `json:"round"`
			Previous *struct {
				Number   int    `json:"number"`
				Decision string `json:"decision"`
			} `json:"previous"`
			Sentences []struct {
				Number int                  `json:"number"`
				Before models.SentenceState `json:"before"`
				After  models.SentenceState `json:"after"`
				Actors []string             `json:"actors"`
			} `json:"sentences"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/changes", a.ID), nil).decode(t, &changes)
		if changes.Round != 2 || changes.Previous == nil || changes.Previous.Number != 1 || changes.Previous.Decision != "changes_requested" {
			t.Errorf("changes: round %d, previous %+v", changes.Round, changes.Previous)
		}
		if len(changes.Sentences) != 1 || changes.Sentences[0].Number != 3 || changes.Sentences[0].Before.Label != "fact" ||
			changes.Sentences[0].After.Label != "assessment" || len(changes.Sentences[0].Actors) != 1 {
			t.Errorf("changed sentences: %+v", changes.Sentences)
		}
		var first struct {
			Sentences []any `json:"sentences"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/changes?round=1", a.ID), nil).decode(t, &first)
		if len(first.Sentences) != 28 {
			t.Errorf("round 1 changed %d sentences, want the 28 labeled", len(first.Sentences))
		}
		for _, bad := range []string{"round=0", "round=x", "round=9"} {
			if r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/changes?%s", a.ID, bad), nil); r.Status != 422 && r.Status != 404 {
				t.Errorf("changes?%s: %d", bad, r.Status)
			}
		}

		v = viewOf(t, ed.get(path))
		changed := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "sentence") && hasClass(n, "is-changed") })
		if len(changed) != 1 || attr(changed[0], "id") != "s-3" {
			t.Errorf("%d sentences marked changed", len(changed))
		}
		box := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "changes") })
		if len(box) != 1 || !strings.Contains(textOf(box[0]), "label: fact → assessment") {
			t.Error("the editor does not see what changed in round 2")
		}
		decide := v.forms(path + "/approve")
		sendBack := findAll(v.page, func(n *html.Node) bool { return n.Data == "button" && attr(n, "formaction") == path+"/request-changes" })
		if len(decide) != 1 || len(sendBack) != 1 || field(decide[0], "csrf_token") == "" {
			t.Error("an editor is not offered to approve or send back a submitted article")
		}
		if r := ed.post(path+"/request-changes", url.Values{"comment": {""}}); !strings.Contains(viewOf(t, ed.follow(t, r, path)).Alert, "comment is required") {
			t.Error("sending back without a comment is not refused with the reason")
		}
		cv := viewOf(t, ch.get(path))
		if len(cv.forms(path+"/approve")) != 0 || len(findAll(cv.page, func(n *html.Node) bool { return hasClass(n, "changes") })) != 0 {
			t.Error("a checker is offered the editor's controls")
		}
	})
}

// reviewPageDocs renders the review page in the states that matter — a
// sentence selected with comments and history, an excluded one, a refused
// stale form, an editor's second round with what changed, a viewer's page,
// an approved article — and the approval queue with an article waiting,
// for the W3C checker (see TestPagesPassNuHTMLChecker).
func reviewPageDocs(t *testing.T, e *env) map[string][]byte {
	t.Helper()
	title, body := newsgen.Article(rand.New(rand.NewPCG(7, 30)), 30)
	r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"title": title, "body": body})
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var a articleJSON
	r.decode(t, &a)
	path := "/articles/" + itoa(a.ID)
	docs := map[string][]byte{}
	ch := e.browser()
	ch.signIn(models.RoleChecker)
	docs["review-fresh"] = ch.get(path).Body

	for i, s := range a.Sentences {
		if s.Status == "excluded" {
			continue
		}
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": scriptLabel(i, s), "version": s.Version}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
	}
	e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "Which <record>?", "sentence_id": a.Sentences[2].ID})
	e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "Check the headline & byline."})
	patch(e, models.RoleChecker, a.Sentences[1].ID, map[string]any{"exclude_reason": "boilerplate \"quoted\"", "version": 2})
	docs["review-selected"] = ch.get(path + "?s=3").Body
	docs["review-excluded"] = ch.get(path + "?s=2").Body
	stale := ch.post("/sentences/"+itoa(a.Sentences[2].ID), url.Values{"label": {"fact"}, "version": {"1"}})
	docs["review-refused"] = ch.follow(t, stale, path+"?s=3").Body

	confirmAttributions(t, e, a.ID)
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	ed := e.browser()
	ed.signIn(models.RoleEditor)
	docs["queue-waiting"] = ed.get("/queue").Body
	e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/request-changes", a.ID), map[string]any{"comment": "Sentence 3?",
		"sentences": []map[string]any{{"sentence_id": a.Sentences[2].ID, "comment": "Is this a fact?"}}})
	patch(e, models.RoleChecker, a.Sentences[2].ID, map[string]any{"label": "assessment", "note": "the writer's view", "version": 2})
	e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil)
	docs["review-editor-round-2"] = ed.get(path + "?s=3").Body
	vw := e.browser()
	vw.signIn(models.RoleViewer)
	docs["review-viewer"] = vw.get(path).Body
	e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/approve", a.ID), nil)
	docs["review-approved"] = ed.get(path).Body
	return docs
}
