package export

import (
	"errors"
	"fmt"
	"io"
)

// The formats an article's report can be written in.
const (
	FormatJSON        = "json"
	FormatCSV         = "csv"
	FormatMarkdown    = "md"
	FormatHTML        = "html"
	FormatPDF         = "pdf"
	FormatClaimReview = "claimreview"
	FormatAnnotations = "annotations"
)

// The formats of a bulk export (see BulkWriter).
const (
	FormatJSONL = "jsonl"
	FormatZip   = "zip"
)

// Formats lists the formats Write accepts, in the order a menu shows them.
var Formats = []string{FormatJSON, FormatCSV, FormatMarkdown, FormatHTML, FormatPDF, FormatClaimReview, FormatAnnotations}

// ErrUnknownFormat is returned (wrapped) for a format that is not in
// Formats; callers map it to a bad request.
var ErrUnknownFormat = errors.New("unknown export format")

// Option adjusts how a report is written. Options a format has no use for
// are ignored.
type Option func(*options)

type options struct {
	paper  string
	emails bool
}

// WithPaper sets the PDF's paper size: "A4" (the default) or "Letter".
func WithPaper(paper string) Option {
	return func(o *options) { o.paper = paper }
}

// WithEmails lets the formats meant for publication (the annotations)
// carry the e-mail addresses of the newsroom's staff. By default they name
// people by their display name alone; the audit report's own formats
// (JSON, CSV, Markdown, HTML, PDF) are internal and always show people as
// the audit trail records them.
func WithEmails(on bool) Option {
	return func(o *options) { o.emails = on }
}

func collect(opts []Option) options {
	o := options{paper: "A4"}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// Write writes r to w in format, one of Formats.
func Write(w io.Writer, format string, r *Report, opts ...Option) error {
	switch format {
	case FormatJSON:
		return WriteJSON(w, r)
	case FormatCSV:
		return WriteCSV(w, r)
	case FormatMarkdown:
		return WriteMarkdown(w, r)
	case FormatHTML:
		return WriteHTML(w, r)
	case FormatPDF:
		return WritePDF(w, r, opts...)
	case FormatClaimReview:
		return WriteClaimReview(w, r)
	case FormatAnnotations:
		return WriteAnnotations(w, r, opts...)
	}
	return fmt.Errorf("write report as %q: %w", format, ErrUnknownFormat)
}

// ContentType returns the media type to serve format with, or "" for an
// unknown format. It knows the bulk formats too.
func ContentType(format string) string {
	switch format {
	case FormatJSON:
		return "application/json"
	case FormatCSV:
		return "text/csv; charset=utf-8; header=present"
	case FormatMarkdown:
		return "text/markdown; charset=utf-8"
	case FormatHTML:
		return "text/html; charset=utf-8"
	case FormatPDF:
		return "application/pdf"
	case FormatClaimReview:
		return "application/ld+json"
	case FormatAnnotations:
		return `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`
	case FormatJSONL:
		return "application/jsonl"
	case FormatZip:
		return "application/zip"
	}
	return ""
}

// extensions gives each format's file name suffix.
var extensions = map[string]string{
	FormatJSON:        "report.json",
	FormatCSV:         "report.csv",
	FormatMarkdown:    "report.md",
	FormatHTML:        "report.html",
	FormatPDF:         "report.pdf",
	FormatClaimReview: "claimreview.jsonld",
	FormatAnnotations: "annotations.jsonld",
}

// FileName returns the download name of r's report in format, such as
// "article-12-report.json" or "article-12-claimreview.jsonld"; a report on
// an earlier revision than the latest gets "-r2" after the id. It returns
// "" for an unknown format.
func FileName(r *Report, format string) string {
	ext, ok := extensions[format]
	if !ok {
		return ""
	}
	rev := ""
	if r.Article.Revision > 0 && r.Article.Revision < r.Article.RevisionCount {
		rev = fmt.Sprintf("-r%d", r.Article.Revision)
	}
	return fmt.Sprintf("article-%d%s-%s", r.Article.ID, rev, ext)
}
