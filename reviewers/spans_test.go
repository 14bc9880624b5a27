package reviewers_test

import (
	"context"
	"strings"
	"testing"

	"factdesk/attribution"
	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/segment"
)

// spanArticle has a stated attribution in multi-byte words and one carried
// over to the next sentence, whose source is named in the first.
const spanArticle = "Zelenskyy’s aide — «Ми» said the talks had stalled. They would resume in May.\n"

// spanReader is an attribution extractor that marks spans, as the
// learned reader will: the source, cue and content of spanArticle's
// first sentence, and the source (in the first) and content of the
// second, with a span of an unknown role that the import drops. With
// *marks false it finds the same attributions without spans.
func spanReader(marks *bool) func([]segment.Sentence, []attribution.Exclusion) []attribution.Attribution {
	return func(segs []segment.Sentence, _ []attribution.Exclusion) []attribution.Attribution {
		out := make([]attribution.Attribution, len(segs))
		part := func(s segment.Sentence, role, words string) attribution.Part {
			i := strings.Index(s.Text, words)
			return attribution.Part{Role: role, Start: s.Start + i, End: s.Start + i + len(words)}
		}
		var source *attribution.Part
		from := -1
		for i, s := range segs {
			out[i] = attribution.Attribution{From: -1}
			switch {
			case strings.Contains(s.Text, "Zelenskyy’s aide"):
				src := part(s, attribution.RoleSource, "Zelenskyy’s aide — «Ми»")
				source, from = &src, s.Index
				out[i] = attribution.Attribution{Speaker: "Zelenskyy’s aide", Cue: "said", From: s.Index, Confidence: 0.93,
					Spans: []attribution.Part{src, part(s, attribution.RoleCue, "said"), part(s, attribution.RoleContent, "the talks had stalled")}}
			case strings.HasPrefix(s.Text, "They would resume") && source != nil:
				out[i] = attribution.Attribution{Speaker: "Zelenskyy’s aide", Cue: "said", CarriedOver: true, From: from, Confidence: 0.71,
					Spans: []attribution.Part{*source, part(s, attribution.RoleContent, "They would resume in May"), part(s, "speaker", "They")}}
			}
			if !*marks {
				out[i].Spans, out[i].Confidence = nil, 0
			}
		}
		return out
	}
}

// wantSpans checks an attribution's spans against the words each should
// mark in body, counted in code points.
func wantSpans(t *testing.T, body string, a *models.Attribution, want ...string) {
	t.Helper()
	if a == nil {
		t.Fatal("no attribution")
	}
	if len(a.Spans) != len(want)/2 {
		t.Fatalf("spans %v, want %d", a.Spans, len(want)/2)
	}
	runes := []rune(body)
	for i, sp := range a.Spans {
		role, words := want[2*i], want[2*i+1]
		if string(sp.Role) != role || sp.End > len(runes) || string(runes[sp.Start:sp.End]) != words {
			t.Errorf("span %d: %s %d–%d, want %s %q", i, sp.Role, sp.Start, sp.End, role, words)
		}
	}
}

// TestImportStoresSpansInCodePoints imports an article through a reader
// that marks spans and follows them: stored in code points of the body,
// in the report with their words, moved with their sentences by a
// revision, and read back by a re-run of the machine reviewer.
func TestImportStoresSpansInCodePoints(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		marks := true
		e := newMachineEnv(t, db)
		e.svc = reviewers.New(e.store, reviewers.Config{Extract: spanReader(&marks)}, nil, nil)
		d := e.importText(t, spanArticle)
		if len(d.Sentences) != 2 {
			t.Fatalf("%d sentences, want 2", len(d.Sentences))
		}
		first, second := d.Sentences[0].Attribution, d.Sentences[1].Attribution
		wantSpans(t, spanArticle, first, "source", "Zelenskyy’s aide — «Ми»", "cue", "said", "content", "the talks had stalled")
		wantSpans(t, spanArticle, second, "source", "Zelenskyy’s aide — «Ми»", "content", "They would resume in May")
		if first.Confidence != 0.93 || second.Confidence != 0.71 {
			t.Errorf("confidence %v and %v, want 0.93 and 0.71", first.Confidence, second.Confidence)
		}

		r, err := e.svc.Report(ctx, e.editor, d.Article.ID, reviewers.ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ra := r.Sentences[1].Attribution
		if ra == nil || len(ra.Spans) != 2 || ra.Confidence != 0.71 {
			t.Fatalf("report attribution %+v, want two spans and confidence 0.71", ra)
		}
		for _, sp := range ra.Spans {
			if got := string([]rune(r.Article.Body)[sp.Start:sp.End]); sp.Text != got {
				t.Errorf("report span %s says %q, the body there %q", sp.Role, sp.Text, got)
			}
		}
		if ra.Spans[0].Role != "source" || ra.Spans[0].Text != "Zelenskyy’s aide — «Ми»" {
			t.Errorf("report source span %+v", ra.Spans[0])
		}

		// A revision puts a paragraph before: the attributions carry over
		// and their spans move with the sentences, although the reader
		// marks none this time.
		marks = false
		lead := "Kyiv — «Ми» talks, day two.\n\n"
		res, err := e.svc.AddRevision(ctx, e.editor, d.Article.ID, ingest.ArticleInput{Body: lead + spanArticle})
		if err != nil {
			t.Fatal(err)
		}
		d2, err := e.svc.ArticleDetail(ctx, e.editor, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d2.Sentences) != 3 {
			t.Fatalf("revision: %d sentences, want 3", len(d2.Sentences))
		}
		wantSpans(t, lead+spanArticle, d2.Sentences[1].Attribution, "source", "Zelenskyy’s aide — «Ми»", "cue", "said", "content", "the talks had stalled")
		wantSpans(t, lead+spanArticle, d2.Sentences[2].Attribution, "source", "Zelenskyy’s aide — «Ми»", "content", "They would resume in May")
		if c := d2.Sentences[2].Attribution.Confidence; c != 0.71 {
			t.Errorf("revision: confidence %v, want 0.71 kept with the unchanged sentence", c)
		}
		if v, err := e.store.VerifyArticle(ctx, d.Article.ID); err != nil || !v.OK {
			t.Errorf("verify after the revision: %v %+v", err, v)
		}
		if _, err := e.svc.RerunSuggestions(ctx, e.editor, d.Article.ID); err != nil {
			t.Fatal(err)
		}
	})
}
