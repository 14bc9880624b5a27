package segment

import (
	"math/rand/v2"
	"testing"

	"factdesk/internal/newsgen"
)

// TestNewsgenStories splits generated articles and compares the sentences
// with the ones the generator wrote.
func TestNewsgenStories(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := range 300 {
		st := newsgen.NewStory(r, 5+r.IntN(30))
		text := st.Text()
		got := Split(text)
		checkInvariants(t, text, got)
		want := st.Sentences()
		for k := 0; k < max(len(got), len(want)); k++ {
			var g, w string
			if k < len(got) {
				g = got[k].Text
			}
			if k < len(want) {
				w = want[k]
			}
			if g != w {
				t.Fatalf("story %d, sentence %d:\n got: %q\nwant: %q", i, k, g, w)
			}
		}
	}
}
