package models

import (
	"sort"

	"factdesk/realign"
)

// spanCarry moves the machine's spans of the attributions a revision
// carries over to its sentences. A span lying in a sentence whose text
// the revision keeps (unchanged or moved) moves with that sentence; one in
// a changed or removed sentence is dropped, since it may no longer mark
// the same words.
type spanCarry struct {
	old   []Sentence  // the base revision's sentences in order, with Start and End
	shift map[int]int // old index → code points its kept text moved by
}

func newSpanCarry(old []Sentence, al realign.Result, ss []Sentence) *spanCarry {
	c := &spanCarry{old: old, shift: map[int]int{}}
	for j, m := range al.Matches {
		if m.Kind == realign.Unchanged || m.Kind == realign.Moved {
			c.shift[m.Old] = ss[j].Start - old[m.Old].Start
		}
	}
	return c
}

// reading returns the spans and confidence that a, an attribution carried
// to a new sentence matched as kind, keeps there: those of fresh, the
// machine's reading of the new sentence (nil: none), when it reads the
// sentence as a does; else a's own spans, moved, and its confidence while
// the sentence's text is kept.
func (c *spanCarry) reading(a, fresh *Attribution, kind realign.Kind) (AttributionSpans, float64) {
	if fresh != nil && len(fresh.Spans) > 0 && sameReading(a, fresh) {
		return fresh.Spans, fresh.Confidence
	}
	var out AttributionSpans
	for _, p := range a.Spans {
		if d, ok := c.shift[c.holding(p)]; ok {
			out = append(out, AttributionSpan{Role: p.Role, Start: p.Start + d, End: p.End + d})
		}
	}
	if kind != realign.Unchanged && kind != realign.Moved {
		return out, 0
	}
	return out, a.Confidence
}

// holding returns the index of the old sentence that holds span p, -1
// when none does.
func (c *spanCarry) holding(p AttributionSpan) int {
	i := sort.Search(len(c.old), func(i int) bool { return c.old[i].Start > p.Start }) - 1
	if i < 0 || p.End > c.old[i].End {
		return -1
	}
	return i
}
