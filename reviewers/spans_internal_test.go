package reviewers

import (
	"slices"
	"strings"
	"testing"

	"factdesk/attribution"
	"factdesk/models"
)

// TestStoredSpansCountCodePoints converts the extractor's byte offsets
// into the code points the store keeps, on a text of one-, two- and
// three-byte characters, and drops what is not a span of the body.
func TestStoredSpansCountCodePoints(t *testing.T) {
	body := "Zelenskyy’s aide — «Ми» said the talks had stalled."
	at := func(s string) (int, int) { // byte offsets of s in body
		i := strings.Index(body, s)
		if i < 0 {
			t.Fatalf("%q not in the body", s)
		}
		return i, i + len(s)
	}
	cp := func(s string) (int, int) { // code point offsets of s in body
		runes, want := []rune(body), []rune(s)
		for i := range runes {
			if i+len(want) <= len(runes) && string(runes[i:i+len(want)]) == s {
				return i, i + len(want)
			}
		}
		t.Fatalf("%q not in the body", s)
		return 0, 0
	}
	part := func(role, s string) attribution.Part {
		start, end := at(s)
		return attribution.Part{Role: role, Start: start, End: end}
	}
	span := func(role models.SpanRole, s string) models.AttributionSpan {
		start, end := cp(s)
		return models.AttributionSpan{Role: role, Start: start, End: end}
	}
	b := newBodyOffsets(body)
	cut, _ := at("Ми")
	tests := []struct {
		name  string
		parts []attribution.Part
		want  models.AttributionSpans
	}{
		{"multi-byte text before and inside the spans",
			[]attribution.Part{part("content", "the talks had stalled"), part("source", "Zelenskyy’s aide — «Ми»"), part("cue", "said")},
			models.AttributionSpans{span(models.SpanSource, "Zelenskyy’s aide — «Ми»"), span(models.SpanCue, "said"),
				span(models.SpanContent, "the talks had stalled")}},
		{"the whole body", []attribution.Part{{Role: "content", Start: 0, End: len(body)}},
			models.AttributionSpans{{Role: models.SpanContent, Start: 0, End: len([]rune(body))}}},
		{"unknown role", []attribution.Part{part("speaker", "Zelenskyy’s aide")}, nil},
		{"empty", []attribution.Part{{Role: "cue", Start: 5, End: 5}}, nil},
		{"reversed", []attribution.Part{{Role: "cue", Start: 9, End: 5}}, nil},
		{"negative", []attribution.Part{{Role: "cue", Start: -2, End: 5}}, nil},
		{"past the body", []attribution.Part{{Role: "content", Start: 3, End: len(body) + 1}}, nil},
		{"cutting a character", []attribution.Part{{Role: "source", Start: cut + 1, End: cut + 4}}, nil},
		{"repeated", []attribution.Part{part("cue", "said"), part("cue", "said")}, models.AttributionSpans{span(models.SpanCue, "said")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := b.storedSpans(tc.parts)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i, p := range b.readerSpans(got) {
				if back, want := body[p.Start:p.End], string([]rune(body)[got[i].Start:got[i].End]); back != want {
					t.Errorf("span %d reads back as %q, want %q", i, back, want)
				}
			}
		})
	}
}

func TestStoredConfidence(t *testing.T) {
	for in, want := range map[float64]float64{0: 0, 0.93: 0.93, 1: 1, -0.1: 0, 1.5: 0} {
		if got := storedConfidence(in); got != want {
			t.Errorf("storedConfidence(%v) = %v, want %v", in, got, want)
		}
	}
}
