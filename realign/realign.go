// Package realign matches the sentences of a new revision of an article to
// those of the revision before, so that labels, attributions and citations
// can be carried over instead of redone.
//
// Each sentence of the new revision is, in this order of preference:
//   - Unchanged: the same text at the corresponding place, where the
//     corresponding places are the longest common subsequence of the two
//     revisions' texts (what a line diff would keep);
//   - Moved: the same text elsewhere (a paragraph moved, say);
//   - Changed: an approximate match, a corrected figure or a typo fix, with
//     its similarity and the word-level difference, whether or not it also
//     moved;
//   - New: nothing in the old revision.
//
// Old sentences that nothing matched are Removed. One old sentence matches
// at most one new one. Texts are compared with runs of white space folded
// to one space, so re-spacing a sentence does not change it.
//
// The approximate match follows the way Hypothesis re-anchors an annotation
// (client/src/annotator/anchoring/match-quote.ts): a candidate must keep at
// least half of its text (MinSimilarity, the same bound as Hypothesis's
// maxErrors = quote length / 2), and candidates are ranked by a score that
// weighs the text's similarity with the similarity of the text before and
// after it (its prefix and suffix) and the nearness of its position, with
// Hypothesis's weights 50, 20, 20 and 2.
package realign

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of a revision. Matching uses the text and the
// order of the slice; Index and Paragraph travel with the sentence for the
// caller, but a sentence whose paragraph was split or merged around it in
// the same order is still Unchanged.
type Sentence struct {
	Index     int    `json:"index"`     // 0-based place in the revision
	Paragraph int    `json:"paragraph"` // 0-based paragraph
	Text      string `json:"text"`
}

// Kind is what happened to a sentence between two revisions.
type Kind string

// The kinds of match.
const (
	Unchanged Kind = "unchanged" // same text, corresponding place
	Moved     Kind = "moved"     // same text, another place
	Changed   Kind = "changed"   // similar text
	New       Kind = "new"       // no counterpart in the old revision
)

// MinSimilarity is the least text similarity (1 - edit distance / length
// of the longer text, on characters) for a Changed match. The tests show
// why 0.5: corrected figures and typo fixes score above 0.98 and an added
// clause about 0.6, sentences rewritten entirely 0.25-0.35, and fewer than
// 0.01% of pairs of unrelated news sentences of comparable length reach
// 0.5 (the median is 0.25).
const MinSimilarity = 0.5

// Hypothesis's weights for the parts of a candidate's score.
const (
	quoteWeight  = 50
	prefixWeight = 20
	suffixWeight = 20
	posWeight    = 2
	contextRunes = 32 // Hypothesis compares 32 characters either side
)

// Match is what one sentence of the new revision matched.
type Match struct {
	New  int  `json:"new"`  // position of the sentence in the new revision's slice
	Old  int  `json:"old"`  // position of its counterpart in the old one; -1 when Kind is New
	Kind Kind `json:"kind"` // what happened to it
	// Similarity is the text similarity to the counterpart: 1 for
	// Unchanged and Moved, at least MinSimilarity for Changed, 0 for New.
	Similarity float64 `json:"similarity"`
	// Score is the context-weighted score a Changed match won with.
	Score float64 `json:"score,omitempty"`
	// Diff is the word-level difference from the old text to the new, for
	// Changed matches.
	Diff []DiffOp `json:"diff,omitempty"`
}

// Result is the matching of two revisions.
type Result struct {
	// Matches has one entry per sentence of the new revision, in order.
	Matches []Match `json:"matches"`
	// Removed lists, in order, the positions of the old revision's
	// sentences that nothing matched.
	Removed []int `json:"removed"`
}

// Count returns how many sentences of the new revision are of kind k.
func (r Result) Count(k Kind) int {
	n := 0
	for _, m := range r.Matches {
		if m.Kind == k {
			n++
		}
	}
	return n
}

// Identical reports whether the new revision is the old one again: every
// sentence unchanged and none removed.
func (r Result) Identical() bool {
	return len(r.Removed) == 0 && r.Count(Unchanged) == len(r.Matches)
}

// key is the text a sentence is compared by: runs of white space folded
// to one space, none at the ends. Text that is already so is returned as
// it is, without allocating.
func key(s string) string {
	space := true // at the start a space is already one too many
	for i := 0; i < len(s); {
		c := s[i]
		isSpace, size := asciiSpace[c], 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace && (c != ' ' || space) {
			return strings.Join(strings.Fields(s), " ")
		}
		space = isSpace
		i += size
	}
	if space && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// Align matches the sentences of the new revision after to those of the
// old revision before. Positions in the result are indexes into the two
// slices, which are taken to be in reading order.
func Align(before, after []Sentence) Result {
	res, _ := align(before, after)
	return res
}

// stats counts the work of the approximate phase, for tests.
type stats struct {
	compared int // similarity computations
}

func align(before, after []Sentence) (Result, stats) {
	m := newMatcher(before, after)
	m.exact()
	m.moved()
	st := m.approximate()
	res := Result{Matches: make([]Match, len(after)), Removed: []int{}}
	for j := range after {
		res.Matches[j] = m.matches[j]
	}
	for i := range before {
		if m.oldTaken[i] < 0 {
			res.Removed = append(res.Removed, i)
		}
	}
	return res, st
}

// matcher holds the state of one alignment.
type matcher struct {
	before, after []Sentence
	oldKeys       []string
	newKeys       []string
	matches       []Match // by new position; Kind "" while unmatched
	oldTaken      []int   // by old position: the new position matched, or -1
}

func newMatcher(before, after []Sentence) *matcher {
	m := &matcher{
		before: before, after: after,
		oldKeys:  make([]string, len(before)),
		newKeys:  make([]string, len(after)),
		matches:  make([]Match, len(after)),
		oldTaken: make([]int, len(before)),
	}
	for i, s := range before {
		m.oldKeys[i] = key(s.Text)
		m.oldTaken[i] = -1
	}
	for j, s := range after {
		m.newKeys[j] = key(s.Text)
		m.matches[j] = Match{New: j, Old: -1, Kind: New}
	}
	return m
}

// take records a match of new sentence j to old sentence i.
func (m *matcher) take(j, i int, kind Kind, sim float64) {
	m.matches[j] = Match{New: j, Old: i, Kind: kind, Similarity: sim}
	m.oldTaken[i] = j
}

// exact marks as Unchanged the longest common subsequence of the two
// revisions' texts, found as the longest increasing run of old positions
// over the equal-text pairs taken in new order (Hunt and Szymanski 1977):
// O((n + r) log n) for r equal pairs, instead of the O(n²) table.
func (m *matcher) exact() {
	positions := map[string][]int{}
	for i, k := range m.oldKeys {
		positions[k] = append(positions[k], i)
	}
	type pair struct{ j, i int }
	var pairs []pair
	for j, k := range m.newKeys {
		ps := positions[k]
		// Decreasing old positions so that one new sentence never
		// contributes twice to an increasing run.
		for x := len(ps) - 1; x >= 0; x-- {
			pairs = append(pairs, pair{j, ps[x]})
		}
	}
	// Patience sorting: tails[l] is the pair index ending the best run of
	// length l+1 found so far; prev links runs together.
	tails := []int{}
	prev := make([]int, len(pairs))
	for p, pr := range pairs {
		l, _ := slices.BinarySearchFunc(tails, pr.i, func(t, target int) int {
			return cmp.Compare(pairs[t].i, target)
		})
		prev[p] = -1
		if l > 0 {
			prev[p] = tails[l-1]
		}
		if l == len(tails) {
			tails = append(tails, p)
		} else {
			tails[l] = p
		}
	}
	if len(tails) == 0 {
		return
	}
	for p := tails[len(tails)-1]; p >= 0; p = prev[p] {
		m.take(pairs[p].j, pairs[p].i, Unchanged, 1)
	}
}

// moved pairs the remaining sentences of equal text, in reading order.
func (m *matcher) moved() {
	free := map[string][]int{}
	for i, k := range m.oldKeys {
		if m.oldTaken[i] < 0 {
			free[k] = append(free[k], i)
		}
	}
	for j, k := range m.newKeys {
		if m.matches[j].Kind != New {
			continue
		}
		if ps := free[k]; len(ps) > 0 {
			m.take(j, ps[0], Moved, 1)
			free[k] = ps[1:]
		}
	}
}
