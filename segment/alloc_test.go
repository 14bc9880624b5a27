package segment

import (
	"runtime"
	"testing"
	"time"

	"github.com/neurosnap/sentences/english"

	"factdesk/internal/newsgen"
)

// TestAllocations checks that Split allocates a handful of times whatever
// the size of the text, and bytes in proportion to the sentences found.
func TestAllocations(t *testing.T) {
	for _, size := range []int{10_000, 1_000_000} {
		text := newsgen.Text(5, size)
		n := len(Split(text))
		allocs := testing.AllocsPerRun(5, func() { Split(text) })
		if allocs > 4 {
			t.Errorf("Split of %d bytes: got %.0f allocations, want at most 4", len(text), allocs)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		Split(text)
		runtime.ReadMemStats(&after)
		perSentence := float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
		if perSentence > 4*64 {
			t.Errorf("Split of %d bytes: got %.0f bytes allocated per sentence, want at most %d", len(text), perSentence, 4*64)
		}
	}
}

// TestFasterThanNeurosnap compares Split with neurosnap/sentences on the
// same text in the same run: the target is 25 times the throughput; the
// test fails below 10 times, leaving room for a noisy shared machine.
func TestFasterThanNeurosnap(t *testing.T) {
	if testing.Short() {
		t.Skip("runs neurosnap/sentences")
	}
	text := newsgen.Text(9, 300_000)
	tok, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		t.Fatalf("load neurosnap English model: %v", err)
	}
	best := func(f func()) time.Duration {
		d := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			f()
			d = min(d, time.Since(start))
		}
		return d
	}
	ours := best(func() { Split(text) })
	theirs := best(func() { tok.Tokenize(text) })
	t.Logf("Split %v, neurosnap %v: %.0f times faster", ours, theirs, float64(theirs)/float64(ours))
	if theirs < 10*ours {
		t.Errorf("Split %v, neurosnap %v: want at least 10 times faster", ours, theirs)
	}
}
