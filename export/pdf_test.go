package export

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writePDF renders r as PDF into a temporary file and returns its path.
func writePDF(t *testing.T, r *Report, opts ...Option) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, render(t, FormatPDF, r, opts...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfText extracts a PDF's text with pdftotext, pages first to last (or
// the given range), without the running header and footer lines.
func pdfText(t *testing.T, path string, pages ...string) string {
	t.Helper()
	return runningLines.ReplaceAllString(pdfRawText(t, path, pages...), "")
}

// pdfRawText extracts a PDF's text with pdftotext, running lines included.
func pdfRawText(t *testing.T, path string, pages ...string) string {
	t.Helper()
	bin := needTool(t, "pdftotext", "apt-get install -y poppler-utils")
	args := append(append([]string{"-enc", "UTF-8"}, pages...), path, "-")
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// runningLines match the page header and footer, which pdftotext may put
// in the middle of text that runs across a page break.
var runningLines = regexp.MustCompile(`(?m)^(Audit report: .* · article \d+, revision \d+|Generated .* factdesk .*|Page \d+ of \d+)$`)

func TestPDFPassesQPDF(t *testing.T) {
	qpdf := needTool(t, "qpdf", "apt-get install -y qpdf")
	for _, tc := range []struct {
		name string
		r    *Report
		opts []Option
	}{
		{"seed A4", seedReport(t), nil},
		{"seed Letter", seedReport(t), []Option{WithPaper("Letter")}},
		{"tampered", tampered(seedReport(t)), nil},
		{"empty", &Report{Summary: Summarize(nil, nil)}, nil},
		{"large", largeReport(t, 600), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command(qpdf, "--check", writePDF(t, tc.r, tc.opts...)).CombinedOutput()
			if err != nil {
				t.Errorf("qpdf --check: %v\n%s", err, out)
			}
		})
	}
}

// TestPDFTextComesBack checks that pdftotext gives back every sentence.
// Line wrapping turns spaces into line breaks, so text is compared with
// all white space removed: each sentence must appear whole and in order.
func TestPDFTextComesBack(t *testing.T) {
	r := seedReport(t)
	text := squeeze(pdfText(t, writePDF(t, r)))
	from := 0
	for _, s := range r.Sentences {
		i := strings.Index(text[from:], squeeze(s.Text))
		if i < 0 {
			t.Errorf("sentence %d not found (in order) in the PDF text: %q", s.Number, s.Text)
			continue
		}
		from += i
	}
	for _, want := range []string{"Zoë Ångström and José Núñez", "Benoît Vitkine", "Countering America’s Adversaries", "“influence campaign”", "Over 1,000 employees — diplomats"} {
		if !strings.Contains(text, squeeze(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	checkNoSecrets(t, "pdf text", []byte(text))
}

// TestPDFPageNumbers checks that every page says "Page N of M" with the
// real page count.
func TestPDFPageNumbers(t *testing.T) {
	raw := pdfRawText(t, writePDF(t, seedReport(t)))
	pages := strings.Split(strings.TrimRight(raw, "\f"), "\f")
	if len(pages) < 5 {
		t.Fatalf("%d pages, want the overview, sentences, rounds, method and audit trail on pages of their own", len(pages))
	}
	for i, p := range pages {
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
}

func TestPDFLargeTextComesBack(t *testing.T) {
	r := largeReport(t, 400)
	text := squeeze(pdfText(t, writePDF(t, r)))
	missing := 0
	for _, s := range r.Sentences {
		if !strings.Contains(text, squeeze(s.Text)) {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d sentences missing from the PDF text", missing, len(r.Sentences))
	}
}

func TestPDFVerificationFailedOnFirstPage(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *Report
		want bool
	}{
		{"verified", seedReport(t), false},
		{"tampered", tampered(seedReport(t)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := pdfText(t, writePDF(t, tc.r), "-f", "1", "-l", "1")
			if got := strings.Contains(first, verificationFailed); got != tc.want {
				t.Errorf("first page says %q: %v, want %v", verificationFailed, got, tc.want)
			}
			if tc.want && !strings.Contains(first, "event 7") {
				t.Errorf("first page does not say what failed")
			}
		})
	}
}

func TestPDFPaper(t *testing.T) {
	for _, tc := range []struct {
		paper, mediaBox string
	}{
		{"A4", "595.28 841.89"},
		{"Letter", "612.00 792.00"},
	} {
		t.Run(tc.paper, func(t *testing.T) {
			out := render(t, FormatPDF, seedReport(t), WithPaper(tc.paper))
			if !bytes.Contains(out, []byte("/MediaBox [0 0 "+tc.mediaBox+"]")) {
				t.Errorf("no %s media box", tc.paper)
			}
		})
	}
	if err := WritePDF(&bytes.Buffer{}, seedReport(t), WithPaper("A3")); err == nil {
		t.Errorf("WritePDF accepted paper A3")
	}
}

// TestPDFUncoveredCharacters checks that characters the fonts lack do
// not break the PDF.
func TestPDFUncoveredCharacters(t *testing.T) {
	r := seedReport(t)
	r.Sentences[0].Text = "北京 says 🙂 — fine"
	r.Article.Title = "Ω 日本"
	text := pdfText(t, writePDF(t, r))
	if !strings.Contains(text, "?? says ? — fine") {
		t.Errorf("uncovered characters not replaced by ?: %q", text[:min(len(text), 400)])
	}
}
