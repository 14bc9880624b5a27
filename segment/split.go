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
// lines of their own. A text that puts its paragraphs on lines of their own
// with few or no blank lines between them, as pasted text often does, has
// each of those lines read as a paragraph, wrapped lines joined: the
// convention is decided once per text, from how its lines end (see
// convention).
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
	sc := scanner{s: text, out: make([]Sentence, 0, estimate(text)), tick: indexString(text, 0, "``")}
	sc.paragraphs(0)
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

// paragraphs finds the paragraphs of the text from s[from] on and the lines
// of each, and splits them. Blank lines separate paragraphs, and so do the
// single line breaks that are not wraps under the single-line convention
// (see convention), which is decided at the first single line break. With
// sc.dry it only counts the line breaks in sc.conv.
func (sc *scanner) paragraphs(from int) {
	s := sc.s
	n := len(s)
	breaks := newBreakFinder(s)
	i := from
	for {
		ps := skipSpace(s, i, n)
		if ps >= n {
			return
		}
		sc.lines = sc.lines[:0]
		ls, next := ps, n
		for {
			lb, size := breaks.next(ls)
			line := span{ls, trimEnd(s, ls, lb)}
			if !sc.dry {
				sc.lines = append(sc.lines, line)
			}
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
				if j < n {
					sc.conv.blanks++
				}
				next = j
				break
			}
			if sc.dry {
				sc.conv.see(s, line, j)
			} else if sc.endsParagraph(ps, line, j) {
				next = j
				break
			}
			ls = j
		}
		if !sc.dry {
			sc.paragraph()
			sc.para++
		}
		i = next
	}
}

// endsParagraph reports whether the single line break after line, before
// the text at s[b], ends a paragraph. The first time it is asked, in the
// paragraph starting at s[ps], it decides the convention of the text: the
// paragraphs before hold no single line break, so they read the same
// either way, and a dry reading from ps on finishes the count of line
// breaks that sc.conv has begun. A text whose paragraphs are all one line
// long is never read twice.
func (sc *scanner) endsParagraph(ps int, line span, b int) bool {
	if !sc.decided {
		dry := scanner{s: sc.s, dry: true, conv: sc.conv}
		dry.paragraphs(ps)
		sc.single, sc.decided = dry.conv.single(), true
	}
	return sc.single && !wraps(sc.s, line, b)
}

// breakFinder finds line breaks (\n, \r\n, \r) in increasing order,
// remembering the next \n and the next \r it has found so that each byte is
// searched once.
type breakFinder struct {
	s      string
	nextLF int // the next \n at or after the last query, len(s) if none; -1 before the first
	nextCR int // the same for \r
}

func newBreakFinder(s string) breakFinder {
	f := breakFinder{s: s, nextLF: -1, nextCR: -1}
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

// indexString returns the position of the first sub at or after i, or
// len(s).
func indexString(s string, i int, sub string) int {
	if k := strings.Index(s[i:], sub); k >= 0 {
		return i + k
	}
	return len(s)
}

// indexFrom returns the position of the first c at or after i, or len(s).
func indexFrom(s string, i int, c byte) int {
	if k := strings.IndexByte(s[i:], c); k >= 0 {
		return i + k
	}
	return len(s)
}
