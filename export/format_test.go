package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	r := seedReport(t)
	for _, tc := range []struct{ format, file, ctype string }{
		{FormatJSON, "article-1-report.json", "application/json"},
		{FormatCSV, "article-1-report.csv", "text/csv; charset=utf-8; header=present"},
		{FormatMarkdown, "article-1-report.md", "text/markdown; charset=utf-8"},
		{FormatHTML, "article-1-report.html", "text/html; charset=utf-8"},
		{FormatPDF, "article-1-report.pdf", "application/pdf"},
		{FormatClaimReview, "article-1-claimreview.jsonld", "application/ld+json"},
		{FormatAnnotations, "article-1-annotations.jsonld", `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`},
	} {
		t.Run(tc.format, func(t *testing.T) {
			if got := FileName(r, tc.format); got != tc.file {
				t.Errorf("FileName = %q, want %q", got, tc.file)
			}
			if got := ContentType(tc.format); got != tc.ctype {
				t.Errorf("ContentType = %q, want %q", got, tc.ctype)
			}
			if len(render(t, tc.format, r)) == 0 {
				t.Errorf("empty output")
			}
		})
	}
	if len(Formats) != 7 {
		t.Errorf("Formats = %v, want the 7 tested here", Formats)
	}
}

func TestFileNameOldRevision(t *testing.T) {
	r := seedReport(t)
	r.Article.ID, r.Article.Revision, r.Article.RevisionCount = 12, 2, 3
	if got, want := FileName(r, FormatJSON), "article-12-r2-report.json"; got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "docx", seedReport(t))
	if !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Write(docx) = %v, want ErrUnknownFormat", err)
	}
	if ContentType("docx") != "" || FileName(seedReport(t), "docx") != "" {
		t.Errorf("unknown format has a content type or file name")
	}
}

// TestWithheldSourceNeverNamed renders every format and checks that none
// names the withheld source, while each shows that it exists.
func TestWithheldSourceNeverNamed(t *testing.T) {
	r := seedReport(t)
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			out := render(t, format, r)
			checkNoSecrets(t, format, out)
			if format == FormatPDF || format == FormatClaimReview {
				return // compressed text; ClaimReview only lists named sources
			}
			if !strings.Contains(strings.ToLower(string(out)), "withheld") {
				t.Errorf("%s output does not show that a source is withheld", format)
			}
		})
	}
}

// TestRenderersLeaveReportAlone checks that rendering does not change the
// caller's report (redaction works on a copy).
func TestRenderersLeaveReportAlone(t *testing.T) {
	r := seedReport(t)
	before, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range Formats {
		render(t, format, r)
	}
	after, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("rendering changed the report")
	}
	if !r.Sentences[26].Citations[0].Source.Withheld || r.Sentences[26].Citations[0].Source.Title != withheldTitle {
		t.Errorf("the caller's withheld source lost its data")
	}
}

func TestUndefinedCoefficients(t *testing.T) {
	r := seedReport(t)
	nan, inf := math.NaN(), math.Inf(1)
	r.Summary.Agreement.Pairs[0].CohenKappa = &nan
	r.Summary.Agreement.Multi = &MultiRaterResult{FleissKappa: &inf}
	var got Report
	if err := json.Unmarshal(render(t, FormatJSON, r), &got); err != nil {
		t.Fatalf("JSON with NaN agreement: %v", err)
	}
	if p := got.Summary.Agreement.Pairs[0]; p.CohenKappa != nil || p.Observed == nil {
		t.Errorf("pair = %+v, want kappa null and observed kept", p)
	}
	if !strings.Contains(string(render(t, FormatMarkdown, r)), "undefined") {
		t.Errorf("Markdown does not call the coefficient undefined")
	}
}
