package export

import (
	"html/template"
	"sort"
	"strconv"
	"strings"
)

// The sentence and event tables are the bulk of a large report, and
// html/template's reflection costs ten times the writing itself there, so
// their rows are written here, every value from the report passed through
// esc (text and quoted attribute values) or a function that returns only
// its own markup.

var esc = template.HTMLEscapeString

// sentenceRows writes the rows of the sentence table.
func sentenceRows(sentences []Sentence) template.HTML {
	var b strings.Builder
	b.Grow(len(sentences) * 1500)
	for i := range sentences {
		sentenceRow(&b, &sentences[i], sentences)
	}
	return template.HTML(b.String())
}

func sentenceRow(b *strings.Builder, s *Sentence, all []Sentence) {
	n := strconv.Itoa(s.Number)
	label := labelText(s.Label)
	b.WriteString(`<tr id="s-` + n + `"><td class="num">` + n + `<br><small>¶` + strconv.Itoa(s.Paragraph) + `</small></td><td><div class="fd-text">`)
	if s.Attribution != nil && len(s.Attribution.Spans) > 0 {
		for _, p := range markSpans(s.Text, s.Start, s.Attribution.Spans) {
			if p.Role == "" {
				b.WriteString(esc(p.Text))
				continue
			}
			b.WriteString(`<mark class="fd-span fd-` + className(p.Role) + `">` + esc(p.Text) + `</mark>`)
		}
	} else {
		b.WriteString(esc(s.Text))
	}
	b.WriteString("</div>\n<p class=\"fd-meta\">Code points " + strconv.Itoa(s.Start) + "–" + strconv.Itoa(s.End))
	if a := attributionText(s.Attribution); a != "" {
		b.WriteString(" · Attributed to " + esc(a))
	}
	if s.Attribution != nil {
		spanMeta(b, s, all)
	}
	if s.ExcludeReason != "" {
		b.WriteString(" · Excluded: " + esc(s.ExcludeReason))
	}
	if s.ClaimReviewed != "" {
		b.WriteString(" · Claim reviewed: " + esc(s.ClaimReviewed))
	}
	if s.Note != "" {
		b.WriteString(" · Note: " + esc(s.Note))
	}
	if s.CheckedBy != "" {
		b.WriteString(" · Status set by " + esc(s.CheckedBy) + ", " + string(htmlTime(s.CheckedAt)))
	}
	b.WriteString("</p>\n")
	if len(s.Citations) > 0 {
		b.WriteString(`<ul class="fd-citations">`)
		for _, c := range s.Citations {
			citationItem(b, c)
		}
		b.WriteString(`</ul>`)
	}
	b.WriteString("</td>\n<td><span class=\"fd-label fd-label-" + className(label) + "\">" + esc(label) + "</span>")
	if s.AcceptedSuggestion {
		b.WriteString("<br><small>accepted suggestion</small>")
	}
	b.WriteString("</td>\n<td class=\"fd-status-" + className(string(s.Status)) + "\">" + esc(string(s.Status)) + "</td>\n")
	b.WriteString("<td>" + esc(orDash(s.Verdict)) + "</td>\n")
	b.WriteString("<td>" + esc(orDash(s.LabeledBy)) + "<br><small>" + string(htmlTime(s.LabeledAt)) + "</small></td></tr>\n")
}

// spanMeta says which spans the machine marked in a sentence, where a
// source named in another sentence is, and how sure the machine is.
func spanMeta(b *strings.Builder, s *Sentence, all []Sentence) {
	a := s.Attribution
	var marked []string
	for _, role := range []string{SpanSource, SpanCue, SpanContent} {
		here := false
		for _, sp := range a.Spans {
			if sp.Role != role {
				continue
			}
			k := sentenceAt(all, sp.Start)
			if k < 0 || all[k].Number == s.Number {
				here = true
				continue
			}
			where := "in"
			if role == SpanSource {
				where = "named in"
			}
			n := strconv.Itoa(all[k].Number)
			marked = append(marked, role+` “`+esc(sp.Text)+`” (`+where+` <a href="#s-`+n+`">sentence `+n+`</a>)`)
		}
		if here {
			marked = append(marked, `<mark class="fd-span fd-`+role+`">`+role+`</mark>`)
		}
	}
	if len(marked) > 0 {
		b.WriteString(" · The machine marked its " + strings.Join(marked, ", "))
	}
	if a.Confidence > 0 {
		b.WriteString(" · The machine is " + strconv.Itoa(confidencePercent(a.Confidence)) + "% sure the sentence is attributed")
	}
}

// sentenceAt returns the position in all (in order) of the sentence that
// holds code point p of the body, -1 when none does.
func sentenceAt(all []Sentence, p int) int {
	k := sort.Search(len(all), func(i int) bool { return all[i].Start > p }) - 1
	if k < 0 || p >= all[k].End {
		return -1
	}
	return k
}

func citationItem(b *strings.Builder, c Citation) {
	b.WriteString("<li><strong>" + esc(string(c.Relation)) + "</strong>: ")
	if c.Source.Title != "" && webAddress(c.Source.URL) {
		b.WriteString(`<a href="` + esc(c.Source.URL) + `">` + esc(c.Source.Title) + `</a>`)
	} else {
		b.WriteString(esc(sourceTitle(c.Source)))
	}
	if c.Excerpt != "" {
		b.WriteString(" — “" + esc(c.Excerpt) + "”")
	}
	if c.Locator != "" {
		b.WriteString(" (" + esc(c.Locator) + ")")
	}
	if c.Source.ArchivedURL != "" {
		b.WriteString("; archived: " + string(htmlLink(c.Source.ArchivedURL)))
	}
	if f := sourceFacts(c.Source); len(f) > 0 {
		b.WriteString("<br><small>" + esc(strings.Join(f, "; ")) + "</small>")
	}
	if n := sourceChangeNote(c.Source); n != "" {
		b.WriteString(`<br><small class="fd-changed">` + esc(n) + "</small>")
	}
	if c.AddedBy != "" {
		b.WriteString("<br><small>cited by " + esc(c.AddedBy) + ", " + string(htmlTime(c.AddedAt)) + "</small>")
	}
	b.WriteString("</li>")
}

// eventRows writes the rows of the audit trail table.
func eventRows(events []Event) template.HTML {
	var b strings.Builder
	b.Grow(len(events) * 400)
	for _, e := range events {
		b.WriteString(`<tr><td class="num">` + strconv.FormatInt(e.Seq, 10) + `</td><td>` + string(htmlTime(e.At)) + `</td><td>` + esc(e.Actor) +
			`</td><td>` + esc(e.Action) + `</td><td>` + esc(e.Entity) + ` ` + strconv.FormatInt(e.EntityID, 10) +
			`</td><td><code>` + esc(eventChange(e)) + `</code></td><td><span class="fd-hash" title="` + esc(e.Hash) + `">` +
			esc(shortHash(e.Hash)) + "</span></td></tr>\n")
	}
	return template.HTML(b.String())
}

// className keeps a value usable in a class name: lower-case letters,
// digits and "-"; anything else becomes "other".
func className(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "other"
		}
	}
	if s == "" {
		return "other"
	}
	return s
}
