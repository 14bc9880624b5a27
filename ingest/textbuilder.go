package ingest

import "strings"

// textBuilder writes plain text from a document tree: runs of white space
// inside text collapse to one space, and blocks ask for a line break or a
// paragraph break (a blank line), which are written only once text follows,
// so the result has no leading, trailing or doubled breaks.
type textBuilder struct {
	b      strings.Builder
	breaks int  // newlines owed before the next text: 0, 1 or 2
	space  bool // a space is owed before the next text on the same line
}

// isCollapsible reports the white space that collapses inside text: the
// ASCII white space of HTML. No-break and other special spaces are kept.
func isCollapsible(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
}

// text writes inline text, collapsing white space.
func (t *textBuilder) text(s string) {
	start := -1
	for i, r := range s {
		if isCollapsible(r) {
			if start >= 0 {
				t.word(s[start:i])
				start = -1
			}
			t.space = true
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		t.word(s[start:])
	}
}

// word writes s, which holds no collapsible white space.
func (t *textBuilder) word(s string) {
	if s == "" {
		return
	}
	t.flush()
	t.b.WriteString(s)
}

// flush writes the breaks or the space owed before new text.
func (t *textBuilder) flush() {
	switch {
	case t.b.Len() == 0:
	case t.breaks > 0:
		t.b.WriteString("\n\n"[:t.breaks])
	case t.space:
		t.b.WriteByte(' ')
	}
	t.breaks, t.space = 0, false
}

// pre writes preformatted text line by line, keeping its spaces; blank lines
// inside it become paragraph breaks.
func (t *textBuilder) pre(s string) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(strings.Trim(s, "\n"), "\n") {
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			t.paragraph()
			continue
		}
		t.line()
		t.flush()
		t.b.WriteString(line)
	}
}

// line asks for the next text to start on a new line.
func (t *textBuilder) line() {
	t.breaks = max(t.breaks, 1)
	t.space = false
}

// paragraph asks for a blank line before the next text.
func (t *textBuilder) paragraph() {
	t.breaks = 2
	t.space = false
}

// separate asks for a space before the next text, unless a break is owed.
func (t *textBuilder) separate() { t.space = true }

// String returns the text written.
func (t *textBuilder) String() string { return t.b.String() }

// collapseSpace trims s and collapses its white space to single spaces: the
// form of a title.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, isCollapsible), " ")
}
