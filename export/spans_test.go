package export

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/internal/shared"
)

// withSpans gives sentences 22 and 23 of the seed report the machine's
// spans: Putin's words in 22, and in 23 the quotation they open, whose
// source is named in 22.
func withSpans(t *testing.T, r *Report) *Report {
	t.Helper()
	c := *r
	c.Sentences = append([]Sentence(nil), r.Sentences...)
	span := func(s *Sentence, role, words string) Span {
		t.Helper()
		i := strings.Index(s.Text, words)
		if i < 0 {
			t.Fatalf("sentence %d has no %q", s.Number, words)
		}
		start := s.Start + len([]rune(s.Text[:i]))
		return Span{Role: role, Start: start, End: start + len([]rune(words)), Text: words}
	}
	s22, s23 := &c.Sentences[21], &c.Sentences[22]
	a22, a23 := *s22.Attribution, *s23.Attribution
	source := span(s22, SpanSource, "Putin")
	a22.Spans = []Span{span(s22, SpanCue, "In an interview with"), source, span(s22, SpanCue, "said"),
		span(s22, SpanContent, "he does not believe relations between US and Russia would get better soon")}
	a22.Confidence = 0.93
	a23.Spans = []Span{source, span(s23, SpanContent, "We waited for quite a long time")}
	a23.Confidence = 0.5
	s22.Attribution, s23.Attribution = &a22, &a23
	return &c
}

func TestJSONReportCarriesSpans(t *testing.T) {
	r := withSpans(t, seedReport(t))
	out := render(t, FormatJSON, r)
	if err := validateJSON(t, reportSchema(t), out); err != nil {
		t.Fatalf("report with spans does not validate: %v", err)
	}
	var got Report
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	body := []rune(got.Article.Body)
	a := got.Sentences[22].Attribution
	if a == nil || len(a.Spans) != 2 || a.Confidence != 0.5 {
		t.Fatalf("sentence 23's attribution %+v, want two spans and confidence 0.5", a)
	}
	for _, sp := range append(a.Spans, got.Sentences[21].Attribution.Spans...) {
		if string(body[sp.Start:sp.End]) != sp.Text {
			t.Errorf("span %s %d–%d says %q, the body there %q", sp.Role, sp.Start, sp.End, sp.Text, string(body[sp.Start:sp.End]))
		}
	}
	if got.Sentences[0].Attribution != nil && len(got.Sentences[0].Attribution.Spans) > 0 {
		t.Error("a sentence without spans has some")
	}
	if strings.Contains(string(render(t, FormatJSON, seedReport(t))), `"spans"`) {
		t.Error("the report of attributions without spans mentions spans")
	}
}

// TestAnnotationsOfSpans checks the attribution annotations: one per
// attribution with spans, after the sentences' own, valid against the
// W3C test suite, each span a target whose selectors find its words in
// the body.
func TestAnnotationsOfSpans(t *testing.T) {
	r := withSpans(t, seedReport(t))
	c := Annotations(r)
	labeled := 0
	for _, s := range r.Sentences {
		if s.Label != "" {
			labeled++
		}
	}
	if c.Total != labeled+2 || len(c.First.Items) != labeled+2 {
		t.Fatalf("%d annotations, want %d: one per labeled sentence and two attributions", c.Total, labeled+2)
	}
	suite := loadWebAnnotationSuite(t)
	musts := suite.musts(t, shared.Path(t, "eval", "webannotation", "wpt_annotationMusts.test.json"))
	pageMusts := suite.musts(t, filepath.Join(suite.dir, "collections", "pages", "pageMusts.test"))
	if f := failures(pageMusts, toAny(t, c)); len(f) > 0 {
		t.Errorf("collection fails MUST assertions %v", f)
	}
	body := []rune(r.Article.Body)
	for k, n := range []int{22, 23} {
		a := c.First.Items[labeled+k]
		s := r.Sentences[n-1]
		if want := fmt.Sprintf("#annotation-%d-attribution", n); !strings.HasSuffix(a.ID, want) {
			t.Errorf("annotation id %s, want %s", a.ID, want)
		}
		if f := failures(musts, toAny(t, a)); len(f) > 0 {
			t.Errorf("attribution annotation of sentence %d fails MUST assertions %v", n, f)
		}
		if a.Motivation != "identifying" || len(a.Body) < 2 || a.Body[0].Purpose != "identifying" || a.Body[0].Value != "Vladimir Putin" {
			t.Errorf("sentence %d: motivation %s, bodies %+v; want the speaker identified", n, a.Motivation, a.Body)
		}
		if len(a.Targets) != len(s.Attribution.Spans) {
			t.Fatalf("sentence %d: %d targets, want one per span (%d)", n, len(a.Targets), len(s.Attribution.Spans))
		}
		for i, tg := range a.Targets {
			sp := s.Attribution.Spans[i]
			quote, pos := tg.Selector[0], tg.Selector[1]
			if tg.StyleClass != sp.Role || tg.Source != r.Article.URL {
				t.Errorf("sentence %d target %d: class %q on %s, want %q on the article", n, i, tg.StyleClass, tg.Source, sp.Role)
			}
			if quote.Type != "TextQuoteSelector" || quote.Exact != string(body[sp.Start:sp.End]) || quote.Exact != sp.Text {
				t.Errorf("sentence %d target %d: quote %+v, want exact %q", n, i, quote, sp.Text)
			}
			if want := string(body[max(0, sp.Start-QuoteContextLen):sp.Start]); quote.Prefix != want {
				t.Errorf("sentence %d target %d: prefix %q, want %q", n, i, quote.Prefix, want)
			}
			if want := string(body[sp.End:min(len(body), sp.End+QuoteContextLen)]); quote.Suffix != want {
				t.Errorf("sentence %d target %d: suffix %q, want %q", n, i, quote.Suffix, want)
			}
			if pos.Type != "TextPositionSelector" || *pos.Start != sp.Start || *pos.End != sp.End {
				t.Errorf("sentence %d target %d: position %+v, want %d–%d", n, i, pos, sp.Start, sp.End)
			}
		}
	}

	var doc struct {
		First struct {
			Items []map[string]json.RawMessage `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(render(t, FormatAnnotations, r), &doc); err != nil {
		t.Fatal(err)
	}
	var targets []struct {
		StyleClass string `json:"styleClass"`
	}
	if err := json.Unmarshal(doc.First.Items[labeled]["target"], &targets); err != nil || len(targets) != 4 || targets[1].StyleClass != "source" {
		t.Errorf("written target of sentence 22 %s (%v), want the array of its four spans", doc.First.Items[labeled]["target"], err)
	}
}

func TestHTMLMarksSpans(t *testing.T) {
	html := string(render(t, FormatHTML, withSpans(t, seedReport(t))))
	for _, want := range []string{
		`Vesti TV <mark class="fd-span fd-source">Putin</mark> <mark class="fd-span fd-cue">said</mark> that <mark class="fd-span fd-content">he does not`,
		`The machine marked its source “Putin” (named in <a href="#s-22">sentence 22</a>), <mark class="fd-span fd-content">content</mark>`,
		`The machine is 93% sure the sentence is attributed`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML report lacks %s", want)
		}
	}
}
