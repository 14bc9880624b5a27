package web

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"factdesk/codebook"
)

// TestStylesheetUsesThePalette: the stylesheet the pages get declares the
// label and status colours of the codebook's one palette (light, and dark
// under prefers-color-scheme), and nothing else declares them — so the
// review page shows a label in the colour the report and the PDF use.
func TestStylesheetUsesThePalette(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	e.ServeAsset(rec, httptest.NewRequest("GET", e.AssetURL("app.css"), nil), strings.TrimPrefix(e.AssetURL("app.css"), "/static/"))
	css := rec.Body.String()
	light, dark := codebook.CSSCustomProperties(false), codebook.CSSCustomProperties(true)
	if !strings.Contains(css, light) {
		t.Error("the stylesheet does not declare the palette's light colours")
	}
	darkBlock := regexp.MustCompile(`@media \(prefers-color-scheme: dark\) \{\s*:root \{\s*` + regexp.QuoteMeta(dark))
	if !darkBlock.MatchString(css) {
		t.Error("the stylesheet does not declare the palette's dark colours for dark mode")
	}
	for _, p := range append(codebook.LabelPaints, codebook.StatusPaints...) {
		decl := regexp.MustCompile(`--` + regexp.QuoteMeta(p.CSSName()) + `(-bg)?\s*:`)
		if n := len(decl.FindAllString(css, -1)); n != 4 {
			t.Errorf("--%s is declared %d times, want 4 (colour and tint, light and dark, all from the palette)", p.CSSName(), n)
		}
	}
	for _, p := range codebook.LabelPaints[:4] {
		if !strings.Contains(css, "var(--"+p.Name+")") {
			t.Errorf("the stylesheet never uses --%s", p.Name)
		}
	}
}
