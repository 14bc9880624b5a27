package segment

import (
	"strings"
)

// Split splits an article's text into sentences, in order.
//
// The text is read as it comes from the wild: \r\n, \r and \n line ends,
// non-breaking and zero-width spaces, tabs, control characters and invalid
// UTF-8 are all accepted. A line holding only white space separates
// paragraphs; inside a paragraph a line break is a soft wrap, except around
// headlines, list items, datelines, bylines and photo credits standing on
// lines of their own.
//
// Split promises, for any input:
//   - every character that is not white space belongs to exactly one
//     sentence, and sentences come in order without overlapping;
//   - Text is exactly text[Start:End] and neither starts nor ends with white
//     space (Unicode white space, zero-width spaces, the byte order mark and
//     control characters);
//   - Start and End fall on code point boundaries as a range loop sees them
//     (an invalid byte is one code point);
//   - no sentence crosses a paragraph break; Paragraph counts paragraphs that
//     hold text, from 0, and Index counts sentences from 0.
//
// It runs in time linear in the length of the text and allocates little
// more than the returned slice.
func Split(text string) []Sentence {
	sc := scanner{s: text, out: make([]Sentence, 0, estimate(text))}
	sc.paragraphs()
	if n := len(sc.out); cap(sc.out) > 1024 && n < cap(sc.out)/4 {
		// The guess was far too high (a text of periods, say): hand back
		// a slice that holds no more than the sentences.
		return append(make([]Sentence, 0, n), sc.out...)
	}
	return sc.out
}

// estimate guesses how many sentences text holds, erring high for news
// text, so that the result is allocated once: one per period (periods
// outnumber sentences: decimals, abbreviations) and one per kilobyte for
// the questions, exclamations and headlines, at most one per 32 bytes.
func estimate(text string) int {
	n := strings.Count(text, ".") + len(text)/1024 + 1
	return min(n, len(text)/32+16)
}

// paragraphs finds the paragraphs of the text and the lines of each, and
// splits them.
func (sc *scanner) paragraphs() {
	s := sc.s
	n := len(s)
	breaks := newBreakFinder(s)
	i := 0
	for {
		ps := skipSpace(s, i, n)
		if ps >= n {
			return
		}
		sc.lines = sc.lines[:0]
		ls, next := ps, n
		for {
			lb, size := breaks.next(ls)
			sc.lines = append(sc.lines, span{ls, trimEnd(s, ls, lb)})
			if lb >= n {
				break
			}
			j := lb + size
			blank := true
			for j < n {
				r, sz := decodeAt(s, j)
				if isLineBreak(r) {
					break
				}
				if !isSpace(r) {
					blank = false
					break
				}
				j += sz
			}
			if blank {
				next = j
				break
			}
			ls = j
		}
		sc.paragraph()
		sc.para++
		i = next
	}
}

// breakFinder finds line breaks (\n, \r\n, \r) in increasing order,
// remembering the next \n and the next \r it has found so that each byte is
// searched once.
type breakFinder struct {
	s      string
	nextLF int // the next \n at or after the last query, len(s) if none; -1 before the first
	nextCR int // the same for \r
}

func newBreakFinder(s string) *breakFinder {
	f := &breakFinder{s: s, nextLF: -1, nextCR: -1}
	if strings.IndexByte(s, '\r') < 0 {
		f.nextCR = len(s) // no \r at all: never search for one again
	}
	return f
}

// next returns the position and size of the first line break at or after
// i, or len(s) and 0 when there is none. Calls must not go backwards.
func (f *breakFinder) next(i int) (int, int) {
	s := f.s
	if f.nextLF < i {
		f.nextLF = indexFrom(s, i, '\n')
	}
	if f.nextCR < i {
		f.nextCR = indexFrom(s, i, '\r')
	}
	switch {
	case f.nextCR < f.nextLF:
		if f.nextCR+1 == f.nextLF {
			return f.nextCR, 2
		}
		return f.nextCR, 1
	case f.nextLF < len(s):
		return f.nextLF, 1
	}
	return len(s), 0
}

// indexFrom returns the position of the first c at or after i, or len(s).
func indexFrom(s string, i int, c byte) int {
	if k := strings.IndexByte(s[i:], c); k >= 0 {
		return i + k
	}
	return len(s)
}
