package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteMarkdown writes the report for people as CommonMark with GitHub
// tables. Every piece of text from the report is escaped, so that a
// sentence cannot turn into a heading, a link or raw HTML.
func WriteMarkdown(w io.Writer, r *Report) error {
	p := prepare(r)
	m := &mdWriter{w: bufio.NewWriter(w)}
	m.header(p)
	m.article(p)
	m.summary(p)
	m.sentences(p)
	m.rounds(p)
	m.method(p)
	m.revisions(p)
	m.audit(p)
	m.line("---")
	m.line("")
	m.line("Generated %s by %s with factdesk %s.", humanTime(p.Generated.At), mdText(orDash(p.Generated.By)), mdText(orDash(p.Generated.Version)))
	if m.err == nil {
		m.err = m.w.Flush()
	}
	if m.err != nil {
		return fmt.Errorf("write Markdown report of article %d: %w", r.Article.ID, m.err)
	}
	return nil
}

// mdWriter writes lines and keeps the first error.
type mdWriter struct {
	w   *bufio.Writer
	err error
}

func (m *mdWriter) line(format string, args ...any) {
	if m.err != nil {
		return
	}
	if len(args) == 0 {
		_, m.err = m.w.WriteString(format + "\n")
		return
	}
	_, m.err = fmt.Fprintf(m.w, format+"\n", args...)
}

func (m *mdWriter) row(cells ...string) {
	m.line("| %s |", strings.Join(cells, " | "))
}

func (m *mdWriter) table(head ...string) {
	m.row(head...)
	seps := make([]string, len(head))
	for i := range seps {
		seps[i] = "---"
	}
	m.row(seps...)
}

func (m *mdWriter) header(p *Report) {
	m.line("# %s", mdText(paperTitle(p)))
	m.line("")
	if !p.Audit.Verification.OK {
		m.line("> **%s.** %s", verificationFailed, mdText(verificationText(p.Audit.Verification)))
		for _, pr := range p.Audit.Verification.Problems {
			m.line("> - %s", mdText(pr))
		}
	} else {
		m.line("%s", mdText(verificationText(p.Audit.Verification)))
	}
	m.line("")
}

func (m *mdWriter) article(p *Report) {
	a := p.Article
	m.line("## Article")
	m.line("")
	m.table("Field", "Value")
	m.row("Title", mdText(a.Title))
	m.row("Outlet", mdText(orDash(a.Outlet)))
	m.row("Byline", mdText(orDash(a.Byline)))
	m.row("URL", mdURL(a.URL))
	m.row("Published", humanOptTime(a.PublishedAt))
	m.row("Imported", humanTime(a.ImportedAt)+" by "+mdText(orDash(a.ImportedBy)))
	m.row("State", mdText(orDash(strings.ReplaceAll(a.State, "_", " "))))
	m.row("Revision", fmt.Sprintf("%d of %d", a.Revision, a.RevisionCount))
	m.row("Body SHA-256", mdCode(a.BodySHA256))
	m.row("Organisation", mdText(orDash(p.Organisation.Name)))
	m.line("")
}

func (m *mdWriter) summary(p *Report) {
	s := p.Summary
	m.line("## Summary")
	m.line("")
	m.line("%d sentences. Facts and allegations sourced: %s. Quotes with an origin: %s. Labeled: %s not excluded. Open comments: %d.",
		s.Sentences, ratio(s.Coverage.Sourced, s.Coverage.FactsAndAllegations),
		ratio(s.Coverage.QuotesWithOrigin, s.Coverage.Quotes), ratio(s.Coverage.Labeled, s.Coverage.InScope), s.OpenComments)
	m.line("")
	m.table("Label", "Sentences")
	for _, b := range labelBars(s) {
		m.row(mdText(b.Name), strconv.Itoa(b.Count))
	}
	m.line("")
	m.table("Status", "Sentences")
	for _, b := range statusBars(s) {
		m.row(mdText(b.Name), strconv.Itoa(b.Count))
	}
	m.line("")
	if len(s.Verdicts) > 0 {
		m.table("Verdict", "Sentences")
		for _, v := range sortedKeys(s.Verdicts) {
			m.row(mdText(v), strconv.Itoa(s.Verdicts[v]))
		}
		m.line("")
	}
	if a := s.Agreement; a != nil {
		m.line("### Agreement")
		m.line("")
		m.line("Raters: %s; sentences rated by at least two: %d.", mdText(strings.Join(a.Raters, ", ")), a.Items)
		m.line("")
		m.table("Raters", "N", "Observed", "Cohen's κ", "Gwet's AC1")
		for _, pa := range a.Pairs {
			m.row(mdText(pa.Raters[0]+" / "+pa.Raters[1]), strconv.Itoa(pa.N), coefficient(pa.Observed), coefficient(pa.CohenKappa), coefficient(pa.GwetAC1))
		}
		m.line("")
		if a.Multi != nil {
			m.line("Fleiss' κ %s; Krippendorff's α %s.", coefficient(a.Multi.FleissKappa), coefficient(a.Multi.KrippendorffAlpha))
			m.line("")
		}
		if a.Note != "" {
			m.line("%s", mdText(a.Note))
			m.line("")
		}
	}
}

func (m *mdWriter) sentences(p *Report) {
	m.line("## Sentences")
	m.line("")
	for i := range p.Sentences {
		m.sentence(&p.Sentences[i])
	}
}

func (m *mdWriter) sentence(s *Sentence) {
	head := fmt.Sprintf("### %d. %s · %s", s.Number, labelText(s.Label), s.Status)
	if s.Verdict != "" {
		head += " · verdict: " + mdText(s.Verdict)
	}
	m.line("%s", head)
	m.line("")
	m.line("> %s", mdText(s.Text))
	m.line("")
	m.line("- Position: paragraph %d, code points %d–%d", s.Paragraph, s.Start, s.End)
	if s.Label != "" {
		by := "- Labeled by " + mdText(orDash(s.LabeledBy)) + " at " + humanOptTime(s.LabeledAt)
		if s.AcceptedSuggestion {
			by += " (accepted the machine reviewer's suggestion)"
		}
		m.line("%s", by)
	}
	if s.CheckedBy != "" {
		m.line("- Status set by %s at %s", mdText(s.CheckedBy), humanOptTime(s.CheckedAt))
	}
	if a := attributionText(s.Attribution); a != "" {
		m.line("- Attributed to %s", mdText(a))
	}
	if s.ExcludeReason != "" {
		m.line("- Excluded: %s", mdText(s.ExcludeReason))
	}
	if s.ClaimReviewed != "" {
		m.line("- Claim reviewed: %s", mdText(s.ClaimReviewed))
	}
	if s.Note != "" {
		m.line("- Note: %s", mdText(s.Note))
	}
	for _, c := range s.Citations {
		m.citation(c)
	}
	m.line("")
}

func (m *mdWriter) citation(c Citation) {
	title := mdText(sourceTitle(c.Source))
	if c.Source.URL != "" && c.Source.Title != "" {
		title += " " + mdURL(c.Source.URL)
	}
	m.line("- %s: %s", mdText(string(c.Relation)), title)
	if c.Excerpt != "" {
		ex := "“" + c.Excerpt + "”"
		if c.Locator != "" {
			ex += " (" + c.Locator + ")"
		}
		m.line("  - Excerpt: %s", mdText(ex))
	} else if c.Locator != "" {
		m.line("  - Locator: %s", mdText(c.Locator))
	}
	if c.Source.ArchivedURL != "" {
		m.line("  - Archived: %s", mdURL(c.Source.ArchivedURL))
	}
	if f := sourceFacts(c.Source); len(f) > 0 {
		m.line("  - %s", mdText(strings.Join(f, "; ")))
	}
	if n := sourceChangeNote(c.Source); n != "" {
		m.line("  - Note: %s", mdText(n))
	}
	if c.AddedBy != "" {
		m.line("  - Cited by %s at %s", mdText(c.AddedBy), humanOptTime(c.AddedAt))
	}
}

func (m *mdWriter) rounds(p *Report) {
	m.line("## Review rounds")
	m.line("")
	if len(p.Rounds) == 0 {
		m.line("No review round yet.")
		m.line("")
	}
	for _, rd := range p.Rounds {
		m.line("### Round %d", rd.Number)
		m.line("")
		m.line("- Opened %s by %s", humanTime(rd.OpenedAt), mdText(orDash(rd.OpenedBy)))
		m.line("- Submitted %s by %s", humanOptTime(rd.SubmittedAt), mdText(orDash(rd.SubmittedBy)))
		decision := "undecided"
		if rd.Decision != "" {
			decision = strings.ReplaceAll(rd.Decision, "_", " ")
		}
		m.line("- Decision: **%s**, %s by %s", mdText(decision), humanOptTime(rd.DecidedAt), mdText(orDash(rd.DecidedBy)))
		if rd.DecisionComment != "" {
			m.line("- Decision comment: %s", mdText(rd.DecisionComment))
		}
		m.line("")
		if len(rd.Comments) > 0 {
			m.table("Time", "By", "On", "Comment", "Resolved")
			for _, c := range rd.Comments {
				m.row(humanTime(c.At), mdText(c.By), commentTarget(c), mdText(c.Body), resolvedText(c))
			}
			m.line("")
		}
	}
}

func commentTarget(c Comment) string {
	if c.SentenceIndex == nil {
		return "article"
	}
	return "sentence " + strconv.Itoa(*c.SentenceIndex+1)
}

// resolvedText says where a comment's thread stands: open, resolved (by
// whom and when), or — for a reply or a workflow step's note, which are
// not threads of their own — what it is.
func resolvedText(c Comment) string {
	switch {
	case c.Resolved:
		return strings.TrimSpace("by " + orDash(c.ResolvedBy) + " " + humanOptTime(c.ResolvedAt))
	case c.Open:
		return "open"
	case c.ReplyTo != nil:
		return "reply"
	case c.Kind == "decision":
		return "note with the decision"
	}
	return "—"
}

func (m *mdWriter) method(p *Report) {
	m.line("## Method")
	m.line("")
	m.table("Label", "Definition")
	for _, d := range p.Method.Labels {
		m.row(mdText(d.Name), mdText(d.Definition))
	}
	m.line("")
	m.table("Status", "Definition")
	for _, d := range p.Method.Statuses {
		m.row(mdText(d.Name), mdText(d.Definition))
	}
	m.line("")
	m.line("Rating scale: %s.", mdText(orDash(p.Method.Scale.Name)))
	m.line("")
	m.table("Rating", "Value", "Meaning")
	for _, rt := range p.Method.Scale.Ratings {
		m.row(mdText(rt.Name), strconv.Itoa(rt.Value), mdText(rt.Meaning))
	}
	for _, rt := range p.Method.Scale.Unrated {
		m.row(mdText(rt.Name), "not rated", mdText(rt.Meaning))
	}
	m.line("")
	m.line("### Corrections")
	m.line("")
	if len(p.Method.Corrections) == 0 {
		m.line("No corrections.")
		m.line("")
	}
	for _, c := range p.Method.Corrections {
		m.line("- Revision %d, %s by %s: %s", c.Revision, humanTime(c.At), mdText(c.By), mdText(c.Summary))
		for _, ch := range c.Changes {
			m.line("  - %s: %s", mdText(ch.Kind), mdText(changeText(ch)))
		}
	}
	if len(p.Method.Corrections) > 0 {
		m.line("")
	}
}

// changeText prints a text change as "“before” → “after”".
func changeText(ch TextChange) string {
	switch {
	case ch.Before == "":
		return "“" + ch.After + "”"
	case ch.After == "":
		return "“" + ch.Before + "”"
	}
	return "“" + ch.Before + "” → “" + ch.After + "”"
}

func (m *mdWriter) revisions(p *Report) {
	m.line("## Revisions")
	m.line("")
	if len(p.Revisions) == 0 {
		m.line("No revision recorded.")
		m.line("")
		return
	}
	m.table("Revision", "Imported", "By", "Title", "Sentences", "Body SHA-256")
	for _, rv := range p.Revisions {
		m.row(strconv.Itoa(rv.Number), humanTime(rv.ImportedAt), mdText(rv.ImportedBy), mdText(rv.Title), strconv.Itoa(rv.Sentences), mdCode(rv.BodySHA256))
	}
	m.line("")
}

func (m *mdWriter) audit(p *Report) {
	v := p.Audit.Verification
	m.line("## Audit trail")
	m.line("")
	if v.OK {
		m.line("%s", mdText(verificationText(v)))
	} else {
		m.line("**%s.** %s", verificationFailed, mdText(verificationText(v)))
	}
	m.line("")
	m.line("- Checked: %s", humanTime(v.CheckedAt))
	m.line("- Hash chain: %s; replay: %s", okText(v.ChainOK), okText(v.ReplayOK))
	m.line("- Head hash: %s", mdCode(v.HeadHash))
	for _, pr := range v.Problems {
		m.line("- Problem: %s", mdText(pr))
	}
	m.line("")
	m.table("Seq", "Time", "Actor", "Action", "Entity", "Change", "Hash")
	for _, e := range p.Audit.Events {
		m.row(strconv.FormatInt(e.Seq, 10), humanTime(e.At), mdText(e.Actor), mdText(e.Action),
			mdText(e.Entity+" "+strconv.FormatInt(e.EntityID, 10)), mdText(eventChange(e)), mdCode(shortHash(e.Hash)))
	}
	m.line("")
}

func okText(ok bool) string {
	if ok {
		return "intact"
	}
	return "**FAILED**"
}

// mdText escapes s for use as inline Markdown text on one line: white
// space runs become one space, and characters that could start emphasis,
// code, links, raw HTML, entities or table cells — or, first on the line,
// a heading, list, quote or setext underline — are backslash-escaped.
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, c := range s {
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&':
			b.WriteByte('\\')
		case '#', '+', '-', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(c)
	}
	return escapeListNumber(b.String())
}

// escapeListNumber keeps a text such as "1. Foo" or "2) Bar" from being
// read as an ordered list item.
func escapeListNumber(s string) string {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + "\\" + s[i:]
	}
	return s
}

// mdCode writes a hash or identifier as a code span.
func mdCode(s string) string {
	if s == "" {
		return "—"
	}
	if strings.ContainsAny(s, "`|\n") {
		return mdText(s)
	}
	return "`" + s + "`"
}

// mdURL writes an address as an autolink when it is one Markdown can carry
// safely, otherwise as escaped text.
func mdURL(u string) string {
	if u == "" {
		return "—"
	}
	if (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, " <>\"`|\\\n") {
		return "<" + u + ">"
	}
	return mdText(u)
}
