package search

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Highlight returns text as HTML with the words the query looks for in
// <mark> and everything else escaped. When max is above zero and the text
// is longer than max characters, only an excerpt of about max characters
// around the first match is kept, with "…" where it was cut.
func Highlight(text string, q Query, max int) string {
	words, prefixes := q.Positive()
	var marks []token
	scan(text, func(t token) {
		if words[t.word] || hasPrefix(t.word, prefixes) {
			marks = append(marks, t)
		}
	})
	from, to := 0, len(text)
	if max > 0 && utf8.RuneCountInString(text) > max {
		from, to = excerpt(text, marks, max)
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, m := range marks {
		if m.start < from || m.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:m.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[m.start:m.end]))
		b.WriteString("</mark>")
		at = m.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

func hasPrefix(w string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// excerpt returns byte offsets of about max characters of text around its
// first mark (from its start when there is none), cut at spaces.
func excerpt(text string, marks []token, max int) (from, to int) {
	center := 0
	if len(marks) > 0 {
		center = marks[0].start
	}
	// Start a third of the window before the first match.
	from = center
	for n := 0; from > 0 && n < max/3; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:from])
		from -= size
	}
	to = from
	for n := 0; to < len(text) && n < max; n++ {
		_, size := utf8.DecodeRuneInString(text[to:])
		to += size
	}
	if from > 0 {
		if sp := strings.IndexByte(text[from:center], ' '); sp >= 0 {
			from += sp + 1
		}
	}
	if to < len(text) {
		if sp := strings.LastIndexByte(text[center:to], ' '); sp > 0 {
			to = center + sp
		}
	}
	return from, to
}
