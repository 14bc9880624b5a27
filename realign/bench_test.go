package realign

import (
	"hash/maphash"
	"testing"
)

// BenchmarkMatch5000 aligns a 5,000-sentence article with a revision of it
// (one sentence in 100 edited, one in 100 removed, 20 inserted, a
// paragraph moved), next to the baseline of hashing both revisions'
// sentences into a map, the least work any matching must do.
func BenchmarkMatch5000(b *testing.B) {
	s := makeSynthetic(b, 5000)
	b.Run("hash", func(b *testing.B) {
		seed := maphash.MakeSeed()
		for b.Loop() {
			seen := make(map[uint64]int, len(s.before))
			for i, x := range s.before {
				seen[maphash.String(seed, x.Text)] = i
			}
			hits := 0
			for _, x := range s.after {
				if _, ok := seen[maphash.String(seed, x.Text)]; ok {
					hits++
				}
			}
			if hits == 0 {
				b.Fatal("no sentence found")
			}
		}
	})
	b.Run("align", func(b *testing.B) {
		for b.Loop() {
			Align(s.before, s.after)
		}
	})
	b.Run("align-identical", func(b *testing.B) {
		for b.Loop() {
			Align(s.before, s.before)
		}
	})
}

// BenchmarkMatch5000Rewritten aligns the same article after one sentence in
// ten was edited, ten times the edits of BenchmarkMatch5000.
func BenchmarkMatch5000Rewritten(b *testing.B) {
	s := makeSynthetic(b, 5000)
	after := make([]Sentence, len(s.before))
	copy(after, s.before)
	for i := 5; i < len(after); i += 10 {
		after[i].Text = editSentence(after[i].Text, i)
	}
	for b.Loop() {
		Align(s.before, after)
	}
}
