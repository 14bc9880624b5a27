// Package seedrev writes the corrected version of the example article
// (../shared/data/seed-article.txt) that issue 8's tests import as its
// second revision: a corrected figure (455 → 445), a typo fixed, a
// sentence removed, a sentence inserted and a paragraph moved.
package seedrev

import (
	"fmt"
	"slices"
	"strings"
)

// The edits, as the texts they touch.
const (
	FigureOld   = "will decrease to 455 after September."
	FigureNew   = "will decrease to 445 after September."
	TypoOld     = "Russian President, Vladimir Putin has announced"
	TypoNew     = "Russian President Vladimir Putin has announced"
	Removed     = "There is also an ongoing Department of Justice (DoJ) investigation looking into whether members of the Trump campaign colluded with Russia."
	InsertAfter = "What would worry Trump more is further response by Putin against the US sanctions."
	Inserted    = "Analysts expect Moscow to announce further measures before the end of the year."
	// MovedStart begins the paragraph (three sentences) that moves to just
	// before the paragraph that begins with LandBefore.
	MovedStart = "The US House of Representatives"
	LandBefore = "Russia has also announced"
	// MovedSentences is the number of sentences of the moved paragraph.
	MovedSentences = 3
)

// Revise applies the edits to the example article's text. It fails when
// the text is not the example article (a passage it edits is missing or
// repeated).
func Revise(text string) (string, error) {
	for _, s := range []string{FigureOld, TypoOld, " " + Removed, InsertAfter, MovedStart, LandBefore} {
		if n := strings.Count(text, s); n != 1 {
			return "", fmt.Errorf("seedrev: the text has %q %d times, want once", s, n)
		}
	}
	text = strings.Replace(text, FigureOld, FigureNew, 1)
	text = strings.Replace(text, TypoOld, TypoNew, 1)
	text = strings.Replace(text, " "+Removed, "", 1)
	text = strings.Replace(text, InsertAfter, InsertAfter+" "+Inserted, 1)
	var moved string
	var kept []string
	for _, p := range strings.Split(text, "\n\n") {
		if strings.HasPrefix(strings.TrimSpace(p), MovedStart) {
			moved = strings.TrimSpace(p)
			continue
		}
		kept = append(kept, p)
	}
	for i, p := range kept {
		if strings.HasPrefix(strings.TrimSpace(p), LandBefore) {
			kept = slices.Insert(kept, i, moved)
			break
		}
	}
	return strings.Join(kept, "\n\n"), nil
}
