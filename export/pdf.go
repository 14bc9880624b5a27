package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// PDF layout, in millimetres and points.
const (
	pdfMarginX      = 16.0
	pdfMarginTop    = 18.0
	pdfMarginBottom = 18.0
	pdfFont         = "go"
	pdfTextSize     = 10.0
	pdfLine         = 5.0 // line height of body text
	pdfSmall        = 8.0
	pdfSmallLine    = 3.8
	pdfChartScale   = 0.27 // mm per chart unit
	pdfIndent       = 6.0
)

// WritePDF writes the report as a PDF: the same sections as the HTML
// report, in Go Regular, Bold and Italic (embedded, subset), which cover
// Latin, Greek and Cyrillic text with curly quotes, dashes and accents;
// characters the fonts lack print as "?". Pages are numbered "Page N of
// M", sections are bookmarked, the label and status charts are drawn, and
// a failed verification is the first thing on the first page. WithPaper
// chooses A4 (the default) or Letter. The output is deterministic: its
// dates are Generated.At.
func WritePDF(w io.Writer, r *Report, opts ...Option) error {
	o := collect(opts)
	pw, err := newPDFWriter(prepare(r), o.paper)
	if err != nil {
		return fmt.Errorf("write PDF report of article %d: %w", r.Article.ID, err)
	}
	pw.overview()
	pw.sentences()
	pw.rounds()
	pw.method()
	pw.audit()
	if err := pw.f.Output(w); err != nil {
		return fmt.Errorf("write PDF report of article %d: %w", r.Article.ID, err)
	}
	return nil
}

// pdfWriter lays out one report.
type pdfWriter struct {
	f       *fpdf.Fpdf
	p       *Report
	covered func(rune) bool
	width   float64 // of the text area
	bottom  float64 // y where the text area ends
}

func newPDFWriter(p *Report, paper string) (*pdfWriter, error) {
	switch strings.ToLower(paper) {
	case "", "a4":
		paper = "A4"
	case "letter":
		paper = "Letter"
	default:
		return nil, fmt.Errorf("paper %q: want A4 or Letter", paper)
	}
	covered, err := glyphCoverage(goregular.TTF)
	if err != nil {
		return nil, err
	}
	f := fpdf.New("P", "mm", paper, "")
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(p.Generated.At)
	f.SetModificationDate(p.Generated.At)
	f.AddUTF8FontFromBytes(pdfFont, "", goregular.TTF)
	f.AddUTF8FontFromBytes(pdfFont, "B", gobold.TTF)
	f.AddUTF8FontFromBytes(pdfFont, "I", goitalic.TTF)
	f.SetMargins(pdfMarginX, pdfMarginTop, pdfMarginX)
	f.SetAutoPageBreak(true, pdfMarginBottom)
	f.SetCellMargin(0)
	f.AliasNbPages("")
	pw := &pdfWriter{f: f, p: p, covered: covered}
	pageW, pageH := f.GetPageSize()
	pw.width = pageW - 2*pdfMarginX
	pw.bottom = pageH - pdfMarginBottom
	f.SetTitle(pw.clean(paperTitle(p)), true)
	f.SetAuthor(pw.clean(p.Organisation.Name), true)
	f.SetCreator(pw.clean(strings.TrimSpace("factdesk "+p.Generated.Version)), true)
	f.SetSubject("Audit report of article "+strconv.FormatInt(p.Article.ID, 10), true)
	f.SetLang(firstNonEmpty(p.Article.Language, "en"))
	f.SetHeaderFunc(pw.pageHeader)
	f.SetFooterFunc(pw.pageFooter)
	f.AddPage()
	return pw, f.Error()
}

// glyphCoverage reports which characters a TrueType font can draw.
// fpdf's UTF-8 fonts only reach the Basic Multilingual Plane.
func glyphCoverage(ttf []byte) (func(rune) bool, error) {
	font, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("parse embedded font: %w", err)
	}
	var buf sfnt.Buffer
	cache := map[rune]bool{}
	return func(r rune) bool {
		if r < 0x80 {
			return r >= 0x20
		}
		if r > 0xFFFF {
			return false
		}
		ok, seen := cache[r]
		if !seen {
			gi, err := font.GlyphIndex(&buf, r)
			ok = err == nil && gi != 0
			cache[r] = ok
		}
		return ok
	}, nil
}

// clean makes s printable with the embedded fonts: tabs and line ends
// become spaces, characters without a glyph become "?".
func (pw *pdfWriter) clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\r' || r == '\n':
			return ' '
		case pw.covered(r):
			return r
		}
		return '?'
	}, s)
}

func (pw *pdfWriter) font(style string, size float64) {
	pw.f.SetFont(pdfFont, style, size)
}

func (pw *pdfWriter) color(hex string) {
	r, g, b := hexColor(hex)
	pw.f.SetTextColor(r, g, b)
}

// text writes a wrapped paragraph across the text area, or from x to its
// right edge.
func (pw *pdfWriter) text(style string, size, line float64, s string) {
	pw.font(style, size)
	w := pw.width - (pw.f.GetX() - pdfMarginX)
	pw.f.MultiCell(w, line, pw.clean(s), "", "L", false)
}

// lines returns how many lines s takes in width w in the given font.
func (pw *pdfWriter) lines(style string, size float64, w float64, s string) int {
	pw.font(style, size)
	return max(1, len(pw.f.SplitText(pw.clean(s), w)))
}

// ensure starts a new page unless h millimetres are left on this one.
func (pw *pdfWriter) ensure(h float64) {
	if pw.f.GetY()+h > pw.bottom {
		pw.f.AddPage()
	}
}

func (pw *pdfWriter) heading(level int, s string) {
	size := []float64{18, 14, 11.5}[level]
	pw.ensure(size * 1.6)
	if level == 1 {
		pw.f.Ln(2)
	}
	pw.f.Bookmark(pw.clean(s), max(0, level-1), -1)
	pw.color("#111111")
	pw.text("B", size, size*0.5, s)
	pw.f.Ln(1.5)
}

// section starts a section on a new page, as the HTML report does in print.
func (pw *pdfWriter) section(title string) {
	pw.f.AddPage()
	pw.heading(1, title)
}

// fact writes a "key: value" row with the key in a column of its own.
func (pw *pdfWriter) fact(key, value string) {
	const keyW = 52.0
	pw.ensure(pdfLine)
	pw.color("#111111")
	pw.font("B", pdfTextSize-0.5)
	y := pw.f.GetY()
	pw.f.CellFormat(keyW, pdfLine, pw.clean(key), "", 0, "L", false, 0, "")
	pw.f.SetXY(pdfMarginX+keyW, y)
	pw.text("", pdfTextSize-0.5, pdfLine, value)
}

func (pw *pdfWriter) pageHeader() {
	if pw.f.PageNo() == 1 {
		return
	}
	pw.font("", 7.5)
	pw.color("#666666")
	pw.f.SetY(8)
	pw.f.CellFormat(pw.width, 4, pw.clean(fmt.Sprintf("%s · article %d, revision %d", paperTitle(pw.p), pw.p.Article.ID, pw.p.Article.Revision)), "", 0, "L", false, 0, "")
	pw.f.SetY(pdfMarginTop)
}

func (pw *pdfWriter) pageFooter() {
	pw.f.SetY(-12)
	pw.font("", 7.5)
	pw.color("#666666")
	gen := fmt.Sprintf("Generated %s by %s, factdesk %s", humanTime(pw.p.Generated.At), orDash(pw.p.Generated.By), orDash(pw.p.Generated.Version))
	pw.f.CellFormat(pw.width/2, 4, pw.clean(gen), "", 0, "L", false, 0, "")
	pw.f.CellFormat(pw.width/2, 4, fmt.Sprintf("Page %d of {nb}", pw.f.PageNo()), "", 0, "R", false, 0, "")
}

func (pw *pdfWriter) overview() {
	p := pw.p
	pw.heading(0, paperTitle(p))
	pw.verification()
	pw.heading(1, "Article")
	a := p.Article
	pw.fact("Title", a.Title)
	pw.fact("Outlet", orDash(a.Outlet))
	pw.fact("Byline", orDash(a.Byline))
	pw.fact("URL", orDash(a.URL))
	pw.fact("Published", humanOptTime(a.PublishedAt))
	pw.fact("Imported", humanTime(a.ImportedAt)+" by "+orDash(a.ImportedBy))
	pw.fact("State", orDash(strings.ReplaceAll(a.State, "_", " ")))
	pw.fact("Revision", fmt.Sprintf("%d of %d", a.Revision, a.RevisionCount))
	pw.fact("Body SHA-256", orDash(a.BodySHA256))
	pw.fact("Organisation", orDash(p.Organisation.Name))
	pw.fact("Report generated", humanTime(p.Generated.At)+" by "+orDash(p.Generated.By)+", factdesk "+orDash(p.Generated.Version))
	pw.summary()
}

// verification writes the result of the audit trail check: a red box when
// it failed, a green line when it held.
func (pw *pdfWriter) verification() {
	v := pw.p.Audit.Verification
	f := pw.f
	if v.OK {
		pw.color("#14532d")
		pw.text("B", pdfTextSize, pdfLine, verificationText(v))
		f.Ln(2)
		return
	}
	msg := verificationText(v)
	for _, pr := range v.Problems {
		msg += "\n• " + pr
	}
	pw.font("", pdfTextSize)
	inner := pw.width - 8
	n := 0
	for _, part := range strings.Split(msg, "\n") {
		n += pw.lines("", pdfTextSize, inner, part)
	}
	h := 4 + 7 + float64(n)*pdfLine + 3
	pw.ensure(h)
	y := f.GetY()
	f.SetFillColor(253, 236, 234)
	f.SetDrawColor(176, 0, 32)
	f.SetLineWidth(0.8)
	f.Rect(pdfMarginX, y, pw.width, h, "FD")
	f.SetLineWidth(0.2)
	f.SetXY(pdfMarginX+4, y+3)
	pw.color("#7a0014")
	pw.font("B", 14)
	f.CellFormat(inner, 7, verificationFailed, "", 1, "L", false, 0, "")
	for _, part := range strings.Split(msg, "\n") {
		f.SetX(pdfMarginX + 4)
		pw.font("", pdfTextSize)
		f.MultiCell(inner, pdfLine, pw.clean(part), "", "L", false)
	}
	f.SetY(y + h + 3)
	pw.color("#111111")
}

func (pw *pdfWriter) summary() {
	s := pw.p.Summary
	pw.heading(1, "Summary")
	pw.fact("Sentences", strconv.Itoa(s.Sentences))
	pw.fact("Labeled", ratio(s.Coverage.Labeled, s.Coverage.InScope)+" not excluded")
	pw.fact("Facts and allegations sourced", ratio(s.Coverage.Sourced, s.Coverage.FactsAndAllegations))
	pw.fact("Quotes with an origin", ratio(s.Coverage.QuotesWithOrigin, s.Coverage.Quotes))
	pw.fact("Open comments", strconv.Itoa(s.OpenComments))
	if len(s.Verdicts) > 0 {
		var vs []string
		for _, v := range sortedKeys(s.Verdicts) {
			vs = append(vs, fmt.Sprintf("%s: %d", v, s.Verdicts[v]))
		}
		pw.fact("Verdicts", strings.Join(vs, "; "))
	}
	pw.f.Ln(3)
	pw.charts(summaryCharts(s))
	if a := s.Agreement; a != nil {
		pw.heading(2, "Agreement")
		pw.text("", pdfTextSize, pdfLine, fmt.Sprintf("Raters: %s; sentences rated by at least two: %d.", strings.Join(a.Raters, ", "), a.Items))
		for _, pa := range a.Pairs {
			pw.text("", pdfTextSize, pdfLine, fmt.Sprintf("%s / %s: n %d, observed %s, Cohen’s κ %s, Gwet’s AC1 %s",
				pa.Raters[0], pa.Raters[1], pa.N, coefficient(pa.Observed), coefficient(pa.CohenKappa), coefficient(pa.GwetAC1)))
		}
		if a.Multi != nil {
			pw.text("", pdfTextSize, pdfLine, fmt.Sprintf("Fleiss’ κ %s; Krippendorff’s α %s.", coefficient(a.Multi.FleissKappa), coefficient(a.Multi.KrippendorffAlpha)))
		}
		if a.Note != "" {
			pw.text("I", pdfTextSize, pdfLine, a.Note)
		}
	}
}

// charts draws the summary charts side by side, with the geometry the
// SVG charts use.
func (pw *pdfWriter) charts(cs []chart) {
	f := pw.f
	h := 0.0
	for _, c := range cs {
		h = max(h, float64(c.Height)*pdfChartScale)
	}
	pw.ensure(h + 8)
	y0 := f.GetY()
	colW := pw.width / float64(len(cs))
	for i, c := range cs {
		x0 := pdfMarginX + float64(i)*colW
		pw.color("#111111")
		pw.font("B", 9)
		f.SetXY(x0, y0)
		f.CellFormat(colW, 5, pw.clean(c.Title), "", 0, "L", false, 0, "")
		top := y0 + 6
		for _, b := range c.Bars {
			pw.font("", 8)
			pw.color("#111111")
			f.SetXY(x0, top+float64(b.Y)*pdfChartScale)
			f.CellFormat(float64(chartNameW)*pdfChartScale, float64(b.H)*pdfChartScale, pw.clean(b.Name), "", 0, "L", false, 0, "")
			r, g, bl := hexColor(b.Color)
			f.SetFillColor(r, g, bl)
			if b.W > 0 {
				f.Rect(x0+float64(b.X)*pdfChartScale, top+float64(b.Y)*pdfChartScale, float64(b.W)*pdfChartScale, float64(b.H)*pdfChartScale, "F")
			}
			f.SetXY(x0+float64(b.CountX)*pdfChartScale, top+float64(b.Y)*pdfChartScale)
			f.CellFormat(12, float64(b.H)*pdfChartScale, strconv.Itoa(b.Count), "", 0, "L", false, 0, "")
		}
	}
	f.SetXY(pdfMarginX, y0+6+h+2)
}

func (pw *pdfWriter) sentences() {
	pw.section("Sentences")
	for i := range pw.p.Sentences {
		pw.sentence(&pw.p.Sentences[i])
	}
}

func (pw *pdfWriter) sentence(s *Sentence) {
	f := pw.f
	head := fmt.Sprintf("%d. %s · %s", s.Number, labelText(s.Label), s.Status)
	if s.Verdict != "" {
		head += " · verdict: " + s.Verdict
	}
	// Keep the heading and the whole sentence on one page, so that the
	// sentence reads (and extracts) in one piece.
	textLines := pw.lines("", pdfTextSize+0.5, pw.width, s.Text)
	pw.ensure(pdfLine + float64(textLines)*pdfLine + pdfSmallLine)
	pw.color(labelColors[labelText(s.Label)])
	pw.text("B", pdfTextSize, pdfLine, head)
	pw.color("#111111")
	pw.text("", pdfTextSize+0.5, pdfLine, s.Text)
	pw.color("#444444")
	for _, m := range sentenceMeta(s) {
		pw.text("I", pdfSmall, pdfSmallLine, m)
	}
	for _, c := range s.Citations {
		pw.citation(c)
	}
	f.Ln(1.5)
	f.SetDrawColor(200, 200, 200)
	f.Line(pdfMarginX, f.GetY(), pdfMarginX+pw.width, f.GetY())
	f.Ln(2)
}

// sentenceMeta lists the lines under a sentence's text: where it is, who
// labeled it, attribution, exclusion, summary, note.
func sentenceMeta(s *Sentence) []string {
	pos := fmt.Sprintf("Paragraph %d, code points %d–%d", s.Paragraph, s.Start, s.End)
	if s.Label != "" {
		pos += " · labeled by " + orDash(s.LabeledBy) + ", " + humanOptTime(s.LabeledAt)
		if s.AcceptedSuggestion {
			pos += " (accepted suggestion)"
		}
	}
	if s.CheckedBy != "" {
		pos += " · status set by " + s.CheckedBy + ", " + humanOptTime(s.CheckedAt)
	}
	m := []string{pos}
	if a := attributionText(s.Attribution); a != "" {
		m = append(m, "Attributed to "+a)
	}
	if s.ExcludeReason != "" {
		m = append(m, "Excluded: "+s.ExcludeReason)
	}
	if s.ClaimReviewed != "" {
		m = append(m, "Claim reviewed: "+s.ClaimReviewed)
	}
	if s.Note != "" {
		m = append(m, "Note: "+s.Note)
	}
	return m
}

func (pw *pdfWriter) citation(c Citation) {
	f := pw.f
	line := string(c.Relation) + ": " + sourceTitle(c.Source)
	if c.Excerpt != "" {
		line += " — “" + c.Excerpt + "”"
	}
	if c.Locator != "" {
		line += " (" + c.Locator + ")"
	}
	rest := []string{}
	if c.Source.URL != "" && c.Source.Title != "" {
		rest = append(rest, c.Source.URL)
	}
	if c.Source.ArchivedURL != "" {
		rest = append(rest, "archived: "+c.Source.ArchivedURL)
	}
	if facts := sourceFacts(c.Source); len(facts) > 0 {
		rest = append(rest, strings.Join(facts, "; "))
	}
	if n := sourceChangeNote(c.Source); n != "" {
		rest = append(rest, "Note: "+n)
	}
	if c.AddedBy != "" {
		rest = append(rest, "cited by "+c.AddedBy+", "+humanOptTime(c.AddedAt))
	}
	pw.color("#111111")
	f.SetX(pdfMarginX + pdfIndent)
	pw.text("", pdfSmall+0.5, pdfSmallLine+0.2, line)
	pw.color("#555555")
	for _, r := range rest {
		f.SetX(pdfMarginX + pdfIndent)
		pw.text("", pdfSmall-0.5, pdfSmallLine, r)
	}
}

func (pw *pdfWriter) rounds() {
	pw.section("Review rounds")
	if len(pw.p.Rounds) == 0 {
		pw.text("", pdfTextSize, pdfLine, "No review round yet.")
	}
	for _, rd := range pw.p.Rounds {
		pw.heading(2, "Round "+strconv.Itoa(rd.Number))
		pw.fact("Opened", humanTime(rd.OpenedAt)+" by "+orDash(rd.OpenedBy))
		pw.fact("Submitted", humanOptTime(rd.SubmittedAt)+" by "+orDash(rd.SubmittedBy))
		decision := "undecided"
		if rd.Decision != "" {
			decision = strings.ReplaceAll(rd.Decision, "_", " ")
		}
		pw.fact("Decision", decision+", "+humanOptTime(rd.DecidedAt)+" by "+orDash(rd.DecidedBy))
		if rd.DecisionComment != "" {
			pw.fact("Decision comment", rd.DecisionComment)
		}
		for _, c := range rd.Comments {
			pw.f.Ln(1)
			pw.color("#444444")
			pw.text("I", pdfSmall, pdfSmallLine, fmt.Sprintf("%s, %s, on %s (%s)", humanTime(c.At), c.By, commentTarget(c), resolvedText(c)))
			pw.color("#111111")
			pw.text("", pdfTextSize-0.5, pdfLine-0.5, c.Body)
		}
	}
}

func (pw *pdfWriter) method() {
	m := pw.p.Method
	pw.section("Method")
	pw.heading(2, "Labels")
	for _, d := range m.Labels {
		pw.fact(d.Name, d.Definition)
	}
	pw.heading(2, "Statuses")
	for _, d := range m.Statuses {
		pw.fact(d.Name, d.Definition)
	}
	pw.heading(2, "Rating scale: "+orDash(m.Scale.Name))
	for _, rt := range m.Scale.Ratings {
		pw.fact(rt.Name+" ("+strconv.Itoa(rt.Value)+")", rt.Meaning)
	}
	for _, rt := range m.Scale.Unrated {
		pw.fact(rt.Name+" (not rated)", rt.Meaning)
	}
	pw.heading(2, "Corrections")
	if len(m.Corrections) == 0 {
		pw.text("", pdfTextSize, pdfLine, "No corrections.")
	}
	for _, c := range m.Corrections {
		pw.text("", pdfTextSize, pdfLine, fmt.Sprintf("Revision %d, %s by %s: %s", c.Revision, humanTime(c.At), c.By, c.Summary))
		for _, ch := range c.Changes {
			pw.f.SetX(pdfMarginX + pdfIndent)
			pw.text("", pdfSmall+0.5, pdfSmallLine+0.2, ch.Kind+": "+changeText(ch))
		}
	}
	pw.heading(2, "Revisions")
	if len(pw.p.Revisions) == 0 {
		pw.text("", pdfTextSize, pdfLine, "No revision recorded.")
	}
	for _, rv := range pw.p.Revisions {
		pw.fact("Revision "+strconv.Itoa(rv.Number), fmt.Sprintf("%s, imported %s by %s, %d sentences, body SHA-256 %s",
			rv.Title, humanTime(rv.ImportedAt), rv.ImportedBy, rv.Sentences, orDash(rv.BodySHA256)))
	}
}

func (pw *pdfWriter) audit() {
	v := pw.p.Audit.Verification
	pw.section("Audit trail")
	pw.verification()
	pw.fact("Checked", humanTime(v.CheckedAt))
	pw.fact("Hash chain", strings.Trim(okText(v.ChainOK), "*"))
	pw.fact("Replay", strings.Trim(okText(v.ReplayOK), "*"))
	pw.fact("Head hash", orDash(v.HeadHash))
	pw.f.Ln(3)
	for _, e := range pw.p.Audit.Events {
		pw.ensure(3 * pdfSmallLine)
		pw.color("#111111")
		pw.text("B", pdfSmall, pdfSmallLine, fmt.Sprintf("#%d · %s · %s · %s · %s %d", e.Seq, humanTime(e.At), e.Actor, e.Action, e.Entity, e.EntityID))
		pw.color("#333333")
		pw.text("", pdfSmall-1, pdfSmallLine-0.4, eventChange(e))
		pw.color("#777777")
		pw.text("", pdfSmall-1.5, pdfSmallLine-0.6, "hash "+orDash(e.Hash)+" · previous "+orDash(e.PrevHash))
		pw.f.Ln(1)
	}
}

// hexColor parses "#rrggbb"; anything else is black.
func hexColor(s string) (int, int, int) {
	if len(s) != 7 || s[0] != '#' {
		return 0, 0, 0
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return 0, 0, 0
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
