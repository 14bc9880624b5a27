package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"factdesk/segment"
)

// FuzzConvert holds Convert's promises on any input and any format, and
// runs the result through the segmenter and Exclusions: no panic, a body of
// valid UTF-8 without NUL, a text body equal to its input, a one-line title,
// and exclusions that point at other, existing sentences.
func FuzzConvert(f *testing.F) {
	seeds := []string{
		"Headline\n\nBody. The country is..\n\nThe country is reported to act.",
		"# T\n\n- a\n- b\n\n```\ncode\n```\n<div><script>x</script>y</div>",
		"<html><head><title>T</title><script>s</script></head><body><p>a &amp; b</p><ul><li>i</li></ul></body></html>",
		"caf\xe9", "a\x00b", "", "\r\n\r\n", "<", "*[", "| a |\n|---|\n| b |",
	}
	for _, s := range seeds {
		for _, format := range []byte{0, 1, 2} {
			f.Add(format, []byte(s))
		}
	}
	formats := []Format{FormatText, FormatMarkdown, FormatHTML}
	f.Fuzz(func(t *testing.T, which byte, raw []byte) {
		format := formats[int(which)%len(formats)]
		doc, err := Convert(format, raw, Limits{MaxBytes: 1 << 16, MaxHTMLBytes: 1 << 17})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Convert error %v is a %T, want an *Error", err, err)
			}
			return
		}
		if !utf8.ValidString(doc.Body) || strings.ContainsRune(doc.Body, 0) || strings.TrimSpace(doc.Body) == "" {
			t.Fatalf("Body %q: want non-blank UTF-8 without NUL", doc.Body)
		}
		if format == FormatText && doc.Body != string(raw) {
			t.Fatalf("text Body %q differs from the input %q", doc.Body, raw)
		}
		if strings.ContainsAny(doc.Title, "\r\n") {
			t.Fatalf("Title %q spans lines", doc.Title)
		}
		sentences := segment.Split(doc.Body)
		seen := map[int]bool{}
		for _, e := range Exclusions(sentences) {
			if e.Index < 0 || e.Index >= len(sentences) || e.Of < 0 || e.Of >= len(sentences) || e.Of == e.Index || seen[e.Index] {
				t.Fatalf("exclusion %+v out of place among %d sentences", e, len(sentences))
			}
			seen[e.Index] = true
		}
	})
}
