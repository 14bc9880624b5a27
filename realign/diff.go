package realign

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is one kind of step in a word-level difference.
type Op string

// The steps of a difference.
const (
	OpEqual  Op = "equal"  // text in both
	OpInsert Op = "insert" // text only in the new version
	OpDelete Op = "delete" // text only in the old version
)

// DiffOp is one step of a word-level difference. Joining the Text of the
// equal and delete steps gives the old text back; joining the equal and
// insert steps gives the new one.
type DiffOp struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// maxDiffCells bounds the table of the word diff; beyond it the changed
// middle is shown as one deletion and one insertion.
const maxDiffCells = 1 << 22

// Diff returns the word-level difference from a to b. Words (runs of
// letters and digits), runs of white space and single punctuation marks
// are the units; a longest common subsequence of them is kept. White space
// alone between two changes is counted as changed, so that replacing two
// words reads as one replacement; within a changed stretch the deletion
// comes before the insertion.
func Diff(a, b string) []DiffOp {
	x, y := tokens(a), tokens(b)
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	steps := make([]step, 0, len(x)+len(y))
	for _, t := range x[:pre] {
		steps = append(steps, step{OpEqual, t})
	}
	steps = append(steps, middle(x[pre:len(x)-suf], y[pre:len(y)-suf])...)
	for _, t := range x[len(x)-suf:] {
		steps = append(steps, step{OpEqual, t})
	}
	return group(absorbSpaces(steps))
}

// step is one token of a difference before grouping.
type step struct {
	op   Op
	text string
}

// middle diffs the token lists x and y by dynamic programming over their
// longest common subsequence.
func middle(x, y []string) []step {
	var out []step
	if len(x)*len(y) > maxDiffCells || len(x) == 0 || len(y) == 0 {
		for _, t := range x {
			out = append(out, step{OpDelete, t})
		}
		for _, t := range y {
			out = append(out, step{OpInsert, t})
		}
		return out
	}
	// lcs[i*w+j] is the length of the LCS of x[i:] and y[j:].
	w := len(y) + 1
	lcs := make([]int32, (len(x)+1)*w)
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out = append(out, step{OpEqual, x[i]})
			i++
			j++
		case j == len(y) || (i < len(x) && lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			out = append(out, step{OpDelete, x[i]})
			i++
		default:
			out = append(out, step{OpInsert, y[j]})
			j++
		}
	}
	return out
}

// absorbSpaces turns an equal run of white space with changes on both
// sides into a deletion and an insertion of that space.
func absorbSpaces(steps []step) []step {
	out := make([]step, 0, len(steps))
	for k, s := range steps {
		if s.op == OpEqual && strings.TrimSpace(s.text) == "" &&
			k > 0 && steps[k-1].op != OpEqual && k+1 < len(steps) && steps[k+1].op != OpEqual {
			out = append(out, step{OpDelete, s.text}, step{OpInsert, s.text})
			continue
		}
		out = append(out, s)
	}
	return out
}

// group merges the steps into DiffOps: equal runs joined, and each changed
// stretch as its deletions followed by its insertions.
func group(steps []step) []DiffOp {
	var ops []DiffOp
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			ops = append(ops, DiffOp{OpDelete, del.String()})
			del.Reset()
		}
		if ins.Len() > 0 {
			ops = append(ops, DiffOp{OpInsert, ins.String()})
			ins.Reset()
		}
	}
	for _, s := range steps {
		switch s.op {
		case OpDelete:
			del.WriteString(s.text)
		case OpInsert:
			ins.WriteString(s.text)
		default:
			flush()
			if n := len(ops); n > 0 && ops[n-1].Op == OpEqual {
				ops[n-1].Text += s.text
			} else {
				ops = append(ops, DiffOp{OpEqual, s.text})
			}
		}
	}
	flush()
	return ops
}

// tokens splits s into words (runs of letters, digits and combining
// marks), runs of white space, and single other characters.
func tokens(s string) []string {
	var out []string
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		class := runeClass(r)
		end := size
		if class != classOther {
			for end < len(s) {
				r, n := utf8.DecodeRuneInString(s[end:])
				if runeClass(r) != class {
					break
				}
				end += n
			}
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

const (
	classWord = iota
	classSpace
	classOther
)

func runeClass(r rune) int {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return classWord
	case unicode.IsSpace(r):
		return classSpace
	}
	return classOther
}
