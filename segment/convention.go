package segment

// convention counts the line breaks of a text to decide its paragraph
// convention: whether a single line break (one not part of a blank line)
// ends a paragraph. Texts lay out paragraphs one of two ways. Most put a
// blank line between them, and may hard-wrap the lines inside (at ~70
// columns, ending mid-sentence); pasted text often puts each paragraph on
// a line of its own with no blank line at all. A single line break is
//
//   - a paragraph end when the line before it ends on a final mark (. ? !
//     …, perhaps followed by closing quotation marks and brackets) or is a
//     byline, photo credit, dateline or line of capitals, and the next line
//     does not start in lower case;
//   - a wrap when the next line starts in lower case (after any opening
//     marks), or the line before ends on a comma, a semicolon, a dash, a
//     function word…;
//   - neither otherwise (a line ending on a word before a line starting
//     with a capital, or on a colon): a headline as likely as a wrap before
//     a name.
//
// Single line breaks are paragraph breaks when at least two of them are
// paragraph ends, paragraph ends are at least three times as many as wraps
// (hard-wrapped text has few: a line ends on a sentence's final mark by
// chance) and more than twice as many as the blank-line breaks (a pasted
// article may have a blank line after its headline or before its footer,
// but a text that separates paragraphs of a line or two with blank lines
// uses blank lines). Otherwise only blank lines separate paragraphs, and a
// single line break is a soft wrap or, around headlines, lists, bylines and
// the like, ends a sentence inside its paragraph.
//
// Under the single-line convention every single line break ends a paragraph
// but a wrap, which joins its lines into one paragraph; blank lines still
// separate paragraphs.
type convention struct {
	ends   int // single line breaks that look like paragraph ends
	wraps  int // single line breaks that look like wraps
	blanks int // runs of blank lines between lines of text
}

// see counts the single line break between the line a and the next line,
// whose text starts at s[b].
func (c *convention) see(s string, a span, b int) {
	switch {
	case wraps(s, a, b):
		c.wraps++
	case lineEnd(s, a.start, a.end) == endFinal || standalone(s[a.start:a.end]):
		c.ends++
	}
}

// single reports whether the counts call for the single-line convention.
func (c *convention) single() bool {
	return c.ends >= 2 && c.ends >= 3*c.wraps && c.ends > 2*c.blanks
}

// lineParagraphs reports whether Split reads single line breaks in s as
// paragraph breaks (see convention).
func lineParagraphs(s string) bool {
	sc := scanner{s: s, dry: true}
	sc.paragraphs(0)
	return sc.conv.single()
}

// Kinds of line ends.
const (
	endOther = iota // a word, a digit, a bracket…: a headline or a wrap before a name
	endFinal        // a final mark, perhaps followed by closing marks
	endOpen         // a comma, a semicolon, a dash, a function word…: the sentence goes on
	endColon        // a colon
)

// wraps reports whether the line a, followed by a line whose text starts at
// s[b], is wrapped onto it: the next line starts in lower case, or a ends
// on a mark or word that carries the sentence on.
func wraps(s string, a span, b int) bool {
	return startsLower(s, b) || lineEnd(s, a.start, a.end) == endOpen
}

// startsLower reports whether the text at s[p:] starts, after any opening
// marks, with a lower-case letter.
func startsLower(s string, p int) bool {
	for p < len(s) {
		r, n := decodeAt(s, p)
		if !isOpener(r) {
			return isLower(r)
		}
		p += n
	}
	return false
}

// lineEnd tells how the line s[start:end] ends, looking past closing
// quotation marks and brackets.
func lineEnd(s string, start, end int) int {
	e := end
	for e > start {
		r, n := decodeBefore(s, e)
		if isCloser(r) {
			e -= n
			continue
		}
		switch {
		case r == '.' || r == '?' || r == '!' || r == '…':
			return endFinal
		case r == ':':
			return endColon
		case r == ',' || r == ';' || r == '(' || r == '/' || r == '&' || r == '+' || isDash(r):
			return endOpen
		case isLetter(r):
			w := e
			for w > start {
				r, n := decodeBefore(s, w)
				if !isLetter(r) {
					break
				}
				w -= n
			}
			if classOf(s[w:e])&wFunction != 0 {
				return endOpen
			}
		}
		return endOther
	}
	return endOther
}
