package export

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"
	"time"

	"factdesk/codebook"
)

//go:embed templates/report.html.tmpl templates/report.css
var templateFS embed.FS

// HTMLStyle is the stylesheet of the HTML report. WriteHTML inlines it;
// a page that embeds WriteHTMLFragment serves or bundles it itself. Every
// rule is scoped to the fragment's root class, fd-report, so it does not
// leak into the surrounding page. The labels and statuses take their
// colours from the codebook's palette.
var HTMLStyle = mustRead("templates/report.css") + paletteStyle()

// paletteStyle colours the label and status names of the report (classes
// fd-label-NAME and fd-status-NAME) with the palette's light colours: the
// report is a document on white paper.
func paletteStyle() string {
	var b strings.Builder
	for _, p := range codebook.LabelPaints {
		fmt.Fprintf(&b, ".fd-report .fd-label-%s{color:%s}\n", className(p.Name), p.Light.Color)
	}
	for _, p := range codebook.StatusPaints {
		fmt.Fprintf(&b, ".fd-report .fd-status-%s{color:%s}\n", className(p.Name), p.Light.Color)
	}
	return b.String()
}

// reportTemplates is parsed once; html/template escapes every value from
// the report for the context it lands in.
var reportTemplates = template.Must(template.New("report").Funcs(template.FuncMap{
	"when":          htmlTime,
	"dash":          orDash,
	"ratio":         ratio,
	"coef":          coefficient,
	"labelText":     labelText,
	"attribution":   attributionText,
	"sourceTitle":   sourceTitle,
	"facts":         sourceFacts,
	"join":          func(s []string) string { return strings.Join(s, "; ") },
	"list":          func(s []string) string { return strings.Join(s, ", ") },
	"words":         func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"verification":  verificationText,
	"failed":        func() string { return verificationFailed },
	"eventChange":   eventChange,
	"shortHash":     shortHash,
	"commentTarget": commentTarget,
	"resolved":      resolvedText,
	"change":        changeText,
	"ok":            func(ok bool) string { return strings.TrimPrefix(strings.TrimSuffix(okText(ok), "**"), "**") },
	"link":          htmlLink,
	"sentenceRows":  sentenceRows,
	"eventRows":     eventRows,
}).ParseFS(templateFS, "templates/report.html.tmpl"))

func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("export: embedded %s: %v", name, err))
	}
	return string(b)
}

// htmlView is what the templates see.
type htmlView struct {
	R      *Report
	Title  string
	Lang   string
	CSS    template.CSS
	Charts []chart
}

// WriteHTML writes the report as one self-contained HTML5 page: its styles
// in one style element, no script, nothing fetched from elsewhere, the
// charts as inline SVG. It prints on A4 and Letter with a page break
// before each section and table headers repeated on every page. When the
// audit trail failed verification, the first page says so before anything
// else.
func WriteHTML(w io.Writer, r *Report) error {
	return writeHTML(w, r, "page")
}

// WriteHTMLFragment writes the report's body alone — an <article
// class="fd-report"> element with the same content as WriteHTML — for a
// page of the app to place inside its own layout. The page must provide
// the styles: serve HTMLStyle or bundle it into the app's stylesheet.
// Sentence rows carry the ids "s-1", "s-2", …, sections "fd-overview",
// "fd-sentences", "fd-rounds", "fd-method" and "fd-audit".
func WriteHTMLFragment(w io.Writer, r *Report) error {
	return writeHTML(w, r, "report")
}

func writeHTML(w io.Writer, r *Report, name string) error {
	p := prepare(r)
	v := htmlView{
		R:      p,
		Title:  paperTitle(p),
		Lang:   firstNonEmpty(p.Article.Language, "en"),
		CSS:    template.CSS(HTMLStyle),
		Charts: summaryCharts(p.Summary),
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := reportTemplates.ExecuteTemplate(bw, name, v); err != nil {
		return fmt.Errorf("write HTML report of article %d: %w", r.Article.ID, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write HTML report of article %d: %w", r.Article.ID, err)
	}
	return nil
}

// htmlTime prints a time (time.Time or *time.Time) for people inside a
// <time> element that carries it machine-readably.
func htmlTime(t any) template.HTML {
	var tt time.Time
	switch v := t.(type) {
	case time.Time:
		tt = v
	case *time.Time:
		if v == nil {
			return "—"
		}
		tt = *v
	default:
		return template.HTML(template.HTMLEscapeString(fmt.Sprint(t)))
	}
	if tt.IsZero() {
		return "—"
	}
	return template.HTML(`<time datetime="` + tt.UTC().Format(time.RFC3339) + `">` + humanTime(tt) + `</time>`)
}

// htmlLink makes a web address a link, and shows anything else as text.
func htmlLink(u string) template.HTML {
	if u == "" {
		return "—"
	}
	e := template.HTMLEscapeString(u)
	if webAddress(u) {
		return template.HTML(`<a href="` + e + `">` + e + `</a>`)
	}
	return template.HTML(e)
}

// webAddress reports whether u is an absolute http or https URL that can
// be used as a link as it is.
func webAddress(u string) bool {
	if strings.ContainsAny(u, " \t\r\n<>\"`") {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != ""
}
