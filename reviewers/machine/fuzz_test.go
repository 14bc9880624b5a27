package machine

import (
	"context"
	"math"
	"testing"

	"factdesk/segment"
)

// FuzzSuggest checks what every suggestion promises, for any text.
func FuzzSuggest(f *testing.F) {
	for _, s := range []string{
		"Our assessment is that it will fail. “We waited.\n\nBut not soon,” he said?",
		"According to them, it is reportedly so. It also did. Would it? Unless!",
		"\xff“\"‘’«»",
	} {
		f.Add(s)
	}
	r := NewRules()
	f.Fuzz(func(t *testing.T, text string) {
		in := SentencesFrom(text, segment.Split(text))
		got, err := r.Suggest(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(in) {
			t.Fatalf("got %d suggestions for %d sentences", len(got), len(in))
		}
		for i, s := range got {
			if !s.Label.Valid() || math.IsNaN(s.Confidence) || s.Confidence <= 0 || s.Confidence > 1 || len(s.Reasons) == 0 {
				t.Errorf("sentence %d %q: got %+v", i, in[i].Text, s)
			}
		}
	})
}
