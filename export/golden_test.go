package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// TestGolden checks that the fixture report renders to the same bytes as
// the golden files, for the formats whose output people and tools diff.
func TestGolden(t *testing.T) {
	r := seedReport(t)
	for _, tc := range []struct{ format, file string }{
		{FormatJSON, "seed-report.json"},
		{FormatCSV, "seed-report.csv"},
		{FormatMarkdown, "seed-report.md"},
		{FormatClaimReview, "seed-claimreview.jsonld"},
		{FormatAnnotations, "seed-annotations.jsonld"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			got := render(t, tc.format, r)
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatalf("update %s: %v", path, err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run go test -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s output differs from %s (%d bytes, want %d); first difference at byte %d; run go test ./export -update and review the diff",
					tc.format, path, len(got), len(want), firstDiff(got, want))
			}
		})
	}
}

// TestDeterministic checks that every format, the PDF included, gives the
// same bytes twice.
func TestDeterministic(t *testing.T) {
	r := seedReport(t)
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			a, b := render(t, format, r), render(t, format, r)
			if !bytes.Equal(a, b) {
				t.Errorf("two renderings differ at byte %d of %d", firstDiff(a, b), len(a))
			}
		})
	}
}

// render writes r in format and fails the test on error.
func render(t testing.TB, format string, r *Report, opts ...Option) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, r, opts...); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.Bytes()
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
