package fuzzing

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"factdesk/ingest"
)

// FuzzJSONL holds ReadJSONL's promises on any input: no panic, line
// numbers that grow, every bad line reported as an *ingest.Error and not
// stopping the reading, and each decoded article safe to validate and
// convert in its format.
func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"title":"T","body":"The council met. It voted."}` + "\n" + `{"url":"https://example.org/a"}`,
		"\ufeff{\"body\":\"a\"}\r\n\r\n{\"body\":\"b\",\"format\":\"markdown\"}",
		`{"body":"<p>x</p>","format":"html","published_at":"2024-02-30"}`,
		"{\"body\":\"\xff\"}\n{", `[1,2]`, `{"title":1}`, "\n\n\n", `{"body":"a"} trailing`,
	} {
		f.Add([]byte(s))
	}
	limits := ingest.Limits{MaxBytes: 1 << 16, MaxHTMLBytes: 1 << 17, MaxLineBytes: 1 << 12}
	f.Fuzz(func(t *testing.T, raw []byte) {
		last := 0
		err := ingest.ReadJSONL(bytes.NewReader(raw), limits, func(line int, a ingest.ArticleInput, err error) error {
			if line <= last {
				t.Fatalf("line %d after line %d", line, last)
			}
			last = line
			if err != nil {
				var ie *ingest.Error
				if !errors.As(err, &ie) {
					t.Fatalf("line %d: error %v is a %T, want an *ingest.Error", line, err, err)
				}
				return nil
			}
			v, verr := a.Validate()
			if verr != nil || a.Body == "" {
				return nil
			}
			doc, cerr := ingest.Convert(v.Format, []byte(a.Body), limits)
			if cerr == nil && !utf8.ValidString(doc.Body) {
				t.Fatalf("line %d: converted body is not UTF-8", line)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("ReadJSONL stopped on %v although fn never did", err)
		}
	})
}
