package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/attribution"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/segment"
)

// spanText has a stated attribution and one carried over to the next
// sentence, whose source is named in the first.
const spanText = "Zelenskyy’s aide — «Ми» said the talks had stalled. They would resume in May.\n"

// spanReader marks the spans of spanText as the learned reader will.
func spanReader(segs []segment.Sentence, _ []attribution.Exclusion) []attribution.Attribution {
	out := make([]attribution.Attribution, len(segs))
	part := func(s segment.Sentence, role, words string) attribution.Part {
		i := strings.Index(s.Text, words)
		return attribution.Part{Role: role, Start: s.Start + i, End: s.Start + i + len(words)}
	}
	for i, s := range segs {
		out[i] = attribution.Attribution{From: -1}
		switch i {
		case 0:
			out[i] = attribution.Attribution{Speaker: "Zelenskyy’s aide", Cue: "said", From: 0, Confidence: 0.93,
				Spans: []attribution.Part{part(s, "source", "Zelenskyy’s aide — «Ми»"), part(s, "cue", "said"), part(s, "content", "the talks had stalled")}}
		case 1:
			out[i] = attribution.Attribution{Speaker: "Zelenskyy’s aide", Cue: "said", CarriedOver: true, From: 0, Confidence: 0.714,
				Spans: []attribution.Part{part(segs[0], "source", "Zelenskyy’s aide — «Ми»"), part(s, "content", "They would resume in May")}}
		}
	}
	return out
}

// spanAttributionJSON is an attribution as the API writes it.
type spanAttributionJSON struct {
	Speaker string `json:"speaker"`
	Spans   []struct {
		Role       string `json:"role"`
		Start, End int
	} `json:"spans"`
	Confidence float64 `json:"confidence"`
	Version    int     `json:"version"`
}

// TestReviewPageShowsSpans reads the review page of an article whose
// machine reading marks spans: the panel's sentence has its source, cue
// and content marked, the attribution section lists them in words with
// the sentence that names a carried-over source, and says how sure the
// machine is. The API carries the spans; a checker's edit clears them.
func TestReviewPageShowsSpans(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{Extract: spanReader}, nil)
		r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": spanText})
		if r.Status != http.StatusCreated {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		var a struct {
			ID        int64 `json:"id"`
			Sentences []struct {
				ID          int64               `json:"id"`
				Start       int                 `json:"start"`
				Attribution spanAttributionJSON `json:"attribution"`
			} `json:"sentences"`
		}
		r.decode(t, &a)
		e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID), nil).decode(t, &a)
		if len(a.Sentences) != 2 {
			t.Fatalf("%d sentences, want 2", len(a.Sentences))
		}
		got := a.Sentences[1].Attribution
		if len(got.Spans) != 2 || got.Spans[0].Role != "source" || got.Spans[0].Start != 0 || got.Spans[0].End != 23 ||
			got.Spans[1].Role != "content" || got.Spans[1].Start != a.Sentences[1].Start || got.Confidence != 0.714 {
			t.Errorf("API attribution of sentence 2: %+v; want the source at 0–23 and the content, confidence 0.714", got)
		}

		b := e.browser()
		b.signIn(models.RoleChecker)
		page := "/articles/" + itoa(a.ID)
		v := viewOf(t, b.get(page+"?s=1"))
		if marks := panelMarks(v.page); strings.Join(marks, " | ") != "source:Zelenskyy’s aide — «Ми» | cue:said | content:the talks had stalled" {
			t.Errorf("sentence 1's marks: %q", marks)
		}
		if s := attributionText(v.page); !strings.Contains(s, "93% sure it is attributed") {
			t.Errorf("the attribution section says %q, want the machine's confidence in words", s)
		}
		if box := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "at-reading") }); len(box) != 1 || !hasAttr(box[0], "hidden") {
			t.Errorf("sentence 1's spans all lie in it, marked in its text: no list of them is wanted")
		}

		v = viewOf(t, b.get(page+"?s=2"))
		if marks := panelMarks(v.page); strings.Join(marks, " | ") != "content:They would resume in May" {
			t.Errorf("sentence 2's marks: %q", marks)
		}
		if s := attributionText(v.page); !strings.Contains(s, "71% sure it is attributed") {
			t.Errorf("the attribution section says %q, want the machine's confidence", s)
		}
		if s := readingText(v.page); s != "source “Zelenskyy’s aide — «Ми»”, named in sentence 1" {
			t.Errorf("the spans listed: %q, want only the source named in sentence 1", s)
		}
		link := func(n *html.Node) bool {
			return n.Data == "a" && attr(n, "data-goto") == "1" && textOf(n) == "sentence 1"
		}
		if l := findAll(v.page, link); len(l) != 1 || attr(l[0], "href") != "?s=1#s-1" {
			t.Errorf("no link to sentence 1, which names the source")
		}

		// A checker's edit clears the machine's reading.
		var edited spanAttributionJSON
		r = e.api(models.RoleChecker, "PUT", "/api/v1/sentences/"+itoa(a.Sentences[1].ID)+"/attribution",
			map[string]any{"speaker": "the aide", "cue": "added", "carried_over": true, "version": got.Version})
		if r.Status != http.StatusOK {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		r.decode(t, &edited)
		if edited.Spans == nil || len(edited.Spans) != 0 || edited.Confidence != 0 || !strings.Contains(string(r.Body), `"spans":[]`) {
			t.Errorf("edited attribution %s, want spans [] and confidence 0", r.Body)
		}
		v = viewOf(t, b.get(page+"?s=2"))
		if marks := panelMarks(v.page); len(marks) != 0 {
			t.Errorf("after the edit, sentence 2 is still marked: %q", marks)
		}
		if box := findAll(v.page, func(n *html.Node) bool { return hasClass(n, "at-reading") }); len(box) != 1 || !hasAttr(box[0], "hidden") {
			t.Errorf("after the edit, the machine's reading is still shown")
		}
	})
}

// panelMarks lists the marked stretches of the panel's sentence as
// "role:words".
func panelMarks(page *html.Node) []string {
	var out []string
	for _, q := range findAll(page, func(n *html.Node) bool { return hasClass(n, "panel-text") }) {
		for _, m := range findAll(q, func(n *html.Node) bool { return n.Data == "mark" }) {
			role := strings.TrimPrefix(strings.Fields(attr(m, "class"))[1], "at-")
			out = append(out, role+":"+textOf(m))
		}
	}
	return out
}

// attributionText is the text of the attribution section.
func attributionText(page *html.Node) string {
	sec := findAll(page, func(n *html.Node) bool { return attr(n, "data-sec") == "attribution" })
	if len(sec) != 1 {
		return ""
	}
	return strings.Join(strings.Fields(textOf(sec[0])), " ")
}

// readingText is the text of the attribution section's machine reading.
func readingText(page *html.Node) string {
	box := findAll(page, func(n *html.Node) bool { return hasClass(n, "at-reading") })
	if len(box) != 1 {
		return ""
	}
	return strings.Join(strings.Fields(textOf(box[0])), " ")
}
