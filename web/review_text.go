package web

import (
	"html/template"
	"strconv"
	"strings"
)

// TextSentence is one sentence of the review page's text, with what the
// page marks on it.
type TextSentence struct {
	ID      int64
	Number  int // 1-based: the element is s-Number
	Version int
	Status  string
	Label   string // "" when unlabeled
	Tag     string // the label's text tag ("fact · verified"), "" for none
	Verdict string
	Note    string
	Reason  string // the exclusion reason, for excluded sentences
	Text    string
	// Selected marks the sentence whose panel the page shows; Changed one
	// changed during the round an editor reviews.
	Selected, Changed bool
	// Threads counts its open comment threads; ChangeRequested says one
	// of them is an editor's request for changes.
	Threads         int
	ChangeRequested bool
}

// ReviewText writes the review page's text: a paragraph element per
// paragraph, a span per sentence carrying its state in data- attributes
// (the page's script reads and updates them), its number as a link that
// selects it without JavaScript, and its label as a text tag besides the
// colour. It is the one loop of the page that runs once per sentence, so
// it writes the markup directly rather than through html/template's
// reflection, which costs about ten times as much on a long article; every
// value is escaped with template.HTMLEscapeString, which is safe in text
// and in quoted attributes.
func ReviewText(paragraphs [][]TextSentence) template.HTML {
	size := 0
	for _, p := range paragraphs {
		for i := range p {
			size += 220 + len(p[i].Text) + len(p[i].Note)
		}
	}
	var b strings.Builder
	b.Grow(size)
	esc := template.HTMLEscapeString
	for _, p := range paragraphs {
		b.WriteString(`<p class="para">`)
		for i := range p {
			s := &p[i]
			n := strconv.Itoa(s.Number)
			b.WriteString(`<span class="sentence`)
			if s.Selected {
				b.WriteString(` is-selected`)
			}
			if s.Changed {
				b.WriteString(` is-changed`)
			}
			b.WriteString(`" id="s-`)
			b.WriteString(n)
			b.WriteString(`" data-id="`)
			b.WriteString(strconv.FormatInt(s.ID, 10))
			b.WriteString(`" data-version="`)
			b.WriteString(strconv.Itoa(s.Version))
			b.WriteString(`" data-status="`)
			b.WriteString(esc(s.Status))
			b.WriteByte('"')
			attr(&b, "data-label", s.Label)
			attr(&b, "data-verdict", s.Verdict)
			attr(&b, "data-note", s.Note)
			attr(&b, "data-reason", s.Reason)
			if s.Selected {
				b.WriteString(` aria-current="true"`)
			}
			// The number links are for pages without JavaScript and stay
			// out of the tab order: the panel's Previous and Next links
			// move through a long article in one stop each.
			b.WriteString(`><a class="num" tabindex="-1" href="?s=`)
			b.WriteString(n)
			b.WriteString(`#s-`)
			b.WriteString(n)
			b.WriteString(`">`)
			b.WriteString(n)
			b.WriteString(`</a>`)
			if s.Tag != "" {
				b.WriteString(`<span class="lt">`)
				b.WriteString(esc(s.Tag))
				b.WriteString(`</span>`)
			}
			b.WriteString(esc(s.Text))
			if s.Status == "excluded" {
				b.WriteString(` <span class="excluded-note">excluded: `)
				b.WriteString(esc(s.Reason))
				b.WriteString(`</span>`)
			}
			switch {
			case s.ChangeRequested:
				b.WriteString(` <span class="mark mark-cr">changes requested</span>`)
			case s.Threads == 1:
				b.WriteString(` <span class="mark">1 comment</span>`)
			case s.Threads > 1:
				b.WriteString(` <span class="mark">`)
				b.WriteString(strconv.Itoa(s.Threads))
				b.WriteString(` comments</span>`)
			}
			b.WriteString(`</span> `)
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

// attr writes name="value" when value is not empty.
func attr(b *strings.Builder, name, value string) {
	if value == "" {
		return
	}
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteString(`="`)
	b.WriteString(template.HTMLEscapeString(value))
	b.WriteByte('"')
}
