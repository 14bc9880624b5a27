package export

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSamples writes the fixture report in every format (and its
// tampered twin as HTML and PDF) to the directory named by
// FACTDESK_EXPORT_SAMPLES, for a person to look at:
//
//	FACTDESK_EXPORT_SAMPLES=/tmp/reports go test ./export -run TestWriteSamples
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("FACTDESK_EXPORT_SAMPLES")
	if dir == "" {
		t.Skip("set FACTDESK_EXPORT_SAMPLES to a directory to write sample reports")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := seedReport(t)
	write := func(name, format string, r *Report, opts ...Option) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), render(t, format, r, opts...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range Formats {
		write(FileName(r, f), f, r)
	}
	write("tampered-report.html", FormatHTML, tampered(r))
	write("tampered-report.pdf", FormatPDF, tampered(r))
	write("letter-report.pdf", FormatPDF, r, WithPaper("Letter"))
}
