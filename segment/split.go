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
	return sc.out
}

// estimate guesses how many sentences text holds, erring high for news
// text, so that the result is allocated once.
func estimate(text string) int {
	n := strings.Count(text, ".") + strings.Count(text, "?") + strings.Count(text, "!") +
		strings.Count(text, "\n") + 1
	if limit := len(text)/16 + 16; n > limit {
		n = limit
	}
	return n
}

// paragraphs finds the paragraphs of the text and the lines of each, and
// splits them.
func (sc *scanner) paragraphs() {
	s := sc.s
	n := len(s)
	plain := !hasRareBreaks(s)
	i := 0
	for {
		ps := skipSpace(s, i, n)
		if ps >= n {
			return
		}
		sc.lines = sc.lines[:0]
		ls, next := ps, n
		for {
			lb, size, paraSep := nextBreak(s, ls, plain)
			sc.lines = append(sc.lines, span{ls, trimEnd(s, ls, lb)})
			if lb >= n {
				break
			}
			j := lb + size
			if paraSep {
				next = j
				break
			}
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

// hasRareBreaks reports whether s holds line breaks other than \n.
func hasRareBreaks(s string) bool {
	return strings.IndexByte(s, '\r') >= 0 || strings.IndexByte(s, '\v') >= 0 ||
		strings.IndexByte(s, '\f') >= 0 || strings.Contains(s, "\u0085") ||
		strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029")
}

// nextBreak returns the position and size of the first line break at or
// after i (len(s) and 0 when there is none), and whether it is U+2029
// PARAGRAPH SEPARATOR. plain says that \n is the only break in s.
func nextBreak(s string, i int, plain bool) (int, int, bool) {
	if plain {
		if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
			return i + k, 1, false
		}
		return len(s), 0, false
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case '\n', '\v', '\f':
			return i, 1, false
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				return i, 2, false
			}
			return i, 1, false
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x85 {
				return i, 2, false
			}
		case 0xe2:
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
				return i, 3, s[i+2] == 0xa9
			}
		}
	}
	return len(s), 0, false
}
