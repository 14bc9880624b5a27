package realign

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Bounds of the candidate search: only a few old sentences are compared
// with each unmatched new one, so that the approximate phase costs in
// proportion to the edits, not to the square of the article.
const (
	// windowEach is how many unmatched old sentences on each side of the
	// expected position, between the nearest unchanged neighbours, are
	// tried.
	windowEach = 4
	// byWords is how many unmatched old sentences sharing the most words
	// with the new one are tried wherever they are (a sentence both moved
	// and changed).
	byWords = 4
	// commonWord is the number of unmatched old sentences beyond which a
	// word is too common to point at a candidate.
	commonWord = 32
)

// candidate is a possible Changed match.
type candidate struct {
	j, i       int
	sim, score float64
	drift      int // distance from the expected old position
}

// approximate matches the sentences left over by the exact phases.
func (m *matcher) approximate() stats {
	var st stats
	var freeOld, freeNew []int
	for i := range m.before {
		if m.oldTaken[i] < 0 {
			freeOld = append(freeOld, i)
		}
	}
	for j := range m.after {
		if m.matches[j].Kind == New {
			freeNew = append(freeNew, j)
		}
	}
	if len(freeOld) == 0 || len(freeNew) == 0 {
		return st
	}
	oldRunes := make(map[int][]rune, len(freeOld))
	for _, i := range freeOld {
		oldRunes[i] = []rune(m.oldKeys[i])
	}
	index := wordIndex(m.oldKeys, freeOld)
	b := m.bounds()

	var cands []candidate
	for _, j := range freeNew {
		nr := []rune(m.newKeys[j])
		for _, i := range m.candidates(j, b, freeOld, index) {
			or := oldRunes[i]
			if ratio(len(nr), len(or)) < MinSimilarity {
				continue // the length difference alone costs too many edits
			}
			st.compared++
			sim := similarity(or, nr, MinSimilarity)
			if sim < MinSimilarity {
				continue
			}
			cands = append(cands, candidate{
				j: j, i: i, sim: sim,
				score: m.score(j, i, sim),
				drift: abs(i - b.expect[j]),
			})
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(
			cmp.Compare(b.score, a.score),
			cmp.Compare(b.sim, a.sim),
			cmp.Compare(a.drift, b.drift),
			cmp.Compare(a.j, b.j),
			cmp.Compare(a.i, b.i),
		)
	})
	for _, c := range cands {
		if m.matches[c.j].Kind != New || m.oldTaken[c.i] >= 0 {
			continue
		}
		m.take(c.j, c.i, Changed, c.sim)
		m.matches[c.j].Score = c.score
		m.matches[c.j].Diff = Diff(m.before[c.i].Text, m.after[c.j].Text)
	}
	return st
}

// anchors places each new sentence among the unchanged ones.
type anchors struct {
	// lo and hi are the old positions of the nearest unchanged sentences
	// before and after the new one (-1 and len(before) when none).
	lo, hi []int
	// expect is the old position the new sentence would have if the text
	// since the unchanged sentence before it had kept its length.
	expect []int
}

func (m *matcher) bounds() anchors {
	n := len(m.after)
	b := anchors{lo: make([]int, n), hi: make([]int, n), expect: make([]int, n)}
	lastNew, lastOld := -1, -1
	for j := range n {
		b.lo[j] = lastOld
		b.expect[j] = lastOld + (j - lastNew)
		if mt := m.matches[j]; mt.Kind == Unchanged {
			lastNew, lastOld = j, mt.Old
		}
	}
	next := len(m.before)
	for j := n - 1; j >= 0; j-- {
		b.hi[j] = next
		if mt := m.matches[j]; mt.Kind == Unchanged {
			next = mt.Old
		}
	}
	return b
}

// candidates returns the old sentences worth comparing with new sentence
// j: the unmatched ones nearest its expected position between its
// unchanged neighbours, and those sharing the most uncommon words with it.
func (m *matcher) candidates(j int, b anchors, freeOld []int, index map[string][]int) []int {
	expect := b.expect[j]
	var out []int
	start, _ := slices.BinarySearch(freeOld, b.lo[j]+1)
	end, _ := slices.BinarySearch(freeOld, b.hi[j])
	at, _ := slices.BinarySearch(freeOld, expect)
	for x := max(start, at-windowEach); x < min(end, at+windowEach); x++ {
		out = append(out, freeOld[x])
	}

	shared := map[int]int{}
	for _, w := range words(m.newKeys[j]) {
		if ps := index[w]; len(ps) <= commonWord {
			for _, i := range ps {
				shared[i]++
			}
		}
	}
	type scored struct{ i, n int }
	var best []scored
	for i, n := range shared {
		best = append(best, scored{i, n})
	}
	slices.SortFunc(best, func(x, y scored) int {
		return cmp.Or(cmp.Compare(y.n, x.n), cmp.Compare(abs(x.i-expect), abs(y.i-expect)), cmp.Compare(x.i, y.i))
	})
	for _, s := range best[:min(byWords, len(best))] {
		if !slices.Contains(out, s.i) {
			out = append(out, s.i)
		}
	}
	return out
}

// score is the Hypothesis-style weighted score of matching new sentence j
// to old sentence i with text similarity sim: the text, the 32 characters
// before it, the 32 after it, and its relative position.
func (m *matcher) score(j, i int, sim float64) float64 {
	prefix := similarity(m.context(m.oldKeys, i-1, true), m.context(m.newKeys, j-1, true), 0)
	suffix := similarity(m.context(m.oldKeys, i+1, false), m.context(m.newKeys, j+1, false), 0)
	pos := 1 - math.Abs(relative(i, len(m.before))-relative(j, len(m.after)))
	return (quoteWeight*sim + prefixWeight*prefix + suffixWeight*suffix + posWeight*pos) /
		(quoteWeight + prefixWeight + suffixWeight + posWeight)
}

// context returns the last (tail) or first contextRunes runes of the
// sentence at position p, or nothing before the start and past the end.
func (m *matcher) context(keys []string, p int, tail bool) []rune {
	if p < 0 || p >= len(keys) {
		return nil
	}
	r := []rune(keys[p])
	if len(r) <= contextRunes {
		return r
	}
	if tail {
		return r[len(r)-contextRunes:]
	}
	return r[:contextRunes]
}

// wordIndex maps each lower-cased word of the given old sentences to the
// sentences holding it.
func wordIndex(keys []string, positions []int) map[string][]int {
	index := map[string][]int{}
	for _, i := range positions {
		for _, w := range words(keys[i]) {
			index[w] = append(index[w], i)
		}
	}
	return index
}

// words returns the distinct lower-cased words of s (runs of letters and
// digits).
func words(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	slices.Sort(fields)
	return slices.Compact(fields)
}

func relative(p, n int) float64 {
	if n <= 1 {
		return 0
	}
	return float64(p) / float64(n-1)
}

func ratio(a, b int) float64 {
	if a == 0 && b == 0 {
		return 1
	}
	return float64(min(a, b)) / float64(max(a, b))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
