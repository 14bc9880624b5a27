package export

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"factdesk/codebook"
)

// paletteColor is the light colour the codebook gives a label or status
// name.
func paletteColor(t *testing.T, name string) string {
	t.Helper()
	for _, ps := range [][]codebook.Paint{codebook.LabelPaints, codebook.StatusPaints} {
		for _, p := range ps {
			if p.Name == name {
				return p.Light.Color
			}
		}
	}
	t.Fatalf("no palette colour for %q", name)
	return ""
}

// TestHTMLColoursComeFromThePalette checks that the HTML report colours
// label and status names and the chart bars with the codebook's palette,
// the colours of the review page.
func TestHTMLColoursComeFromThePalette(t *testing.T) {
	html := string(render(t, FormatHTML, seedReport(t)))
	for _, p := range codebook.LabelPaints {
		if want := fmt.Sprintf(".fd-report .fd-label-%s{color:%s}", p.Name, p.Light.Color); !strings.Contains(html, want) {
			t.Errorf("the report's style lacks %s", want)
		}
	}
	for _, p := range codebook.StatusPaints {
		if want := fmt.Sprintf(".fd-report .fd-status-%s{color:%s}", p.Name, p.Light.Color); !strings.Contains(html, want) {
			t.Errorf("the report's style lacks %s", want)
		}
	}
	bars := regexp.MustCompile(`<title>([a-z_]+): \d+</title><text[^>]*>[^<]*</text><rect [^>]*fill="([^"]*)"`).FindAllStringSubmatch(html, -1)
	if want := len(codebook.LabelPaints) + len(codebook.StatusPaints); len(bars) != want {
		t.Fatalf("chart bars: got %d, want %d", len(bars), want)
	}
	for _, b := range bars {
		if got, want := b[2], paletteColor(t, b[1]); got != want {
			t.Errorf("chart bar %s: fill %s, want the palette's %s", b[1], got, want)
		}
	}
}

// TestPDFColoursComeFromThePalette checks that the PDF's chart bars and
// sentence headings use the palette's colours: every label and status
// colour is set in its uncompressed page content.
func TestPDFColoursComeFromThePalette(t *testing.T) {
	qpdf := needTool(t, "qpdf", "apt-get install -y qpdf")
	in := writePDF(t, seedReport(t))
	out := filepath.Join(t.TempDir(), "plain.pdf")
	if b, err := exec.Command(qpdf, "--qdf", "--object-streams=disable", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --qdf: %v\n%s", err, b)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range [][]codebook.Paint{codebook.LabelPaints, codebook.StatusPaints} {
		for _, p := range ps {
			r, g, b := hexColor(p.Light.Color)
			op := fmt.Sprintf("%.3f %.3f %.3f rg", float64(r)/255, float64(g)/255, float64(b)/255)
			if r == g && g == b {
				op = fmt.Sprintf("%.3f g", float64(r)/255) // fpdf sets a grey as a grey
			}
			if !strings.Contains(string(raw), op) {
				t.Errorf("%s: the PDF never sets its colour %s (%q)", p.Name, p.Light.Color, op)
			}
		}
	}
}
