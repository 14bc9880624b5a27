package export

import (
	"strings"
	"testing"
)

// changedSourceReport is the fixture with two sources edited since the
// approval: a named one (its title and URL) and the withheld one (its
// title, which no export may show, and its reason).
func changedSourceReport(t *testing.T) *Report {
	t.Helper()
	r := seedReport(t)
	marked := map[string]bool{}
	for i := range r.Sentences {
		for j := range r.Sentences[i].Citations {
			src := &r.Sentences[i].Citations[j].Source
			switch {
			case src.Withheld && !marked["withheld"]:
				marked["withheld"] = true
				src.Version, src.ChangedSinceApproval = 1, true
				src.Changes = []SourceChange{{Field: "title", Now: withheldTitle + " (2)"}, {Field: "withheld_reason", Now: "protects a new informant"}}
			case !src.Withheld && src.URL != "" && !marked["named"]:
				marked["named"] = true
				src.Version, src.ChangedSinceApproval = 2, true
				src.Changes = []SourceChange{{Field: "title", Now: "Renamed source"}, {Field: "url", Now: "https://moved.example/page"}}
			}
		}
	}
	if len(marked) != 2 {
		t.Fatalf("fixture: marked %v, want a named and a withheld source", marked)
	}
	return r
}

// TestSourceChangedSinceApproval checks that every format that shows a
// source says what has changed since the approval, that the JSON stays
// valid, and that the changes of a withheld source never name it.
func TestSourceChangedSinceApproval(t *testing.T) {
	r := changedSourceReport(t)
	js := render(t, FormatJSON, r)
	if err := validateJSON(t, reportSchema(t), js); err != nil {
		t.Fatalf("JSON with changes does not validate: %v", err)
	}
	for _, w := range []string{`"changed_since_approval": true`, `"field": "url"`, `"now": "https://moved.example/page"`, `"now": "protects a new informant"`} {
		if !strings.Contains(string(js), w) {
			t.Errorf("JSON lacks %s", w)
		}
	}
	for _, format := range []string{FormatJSON, FormatMarkdown, FormatHTML, FormatCSV, FormatClaimReview, FormatAnnotations} {
		out := render(t, format, r)
		checkNoSecrets(t, format, out)
		if strings.Contains(string(out), withheldTitle+" (2)") {
			t.Errorf("%s output names the withheld source by its new title", format)
		}
		if format == FormatJSON || format == FormatClaimReview || format == FormatAnnotations {
			continue
		}
		for _, w := range []string{"title changed since approval; now: Renamed source", "url changed since approval; now: https://moved.example/page",
			"withheld reason changed since approval; now: protects a new informant"} {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s output lacks %q", format, w)
			}
		}
	}
	text := squeeze(pdfText(t, writePDF(t, r)))
	for _, w := range []string{"title changed since approval; now: Renamed source", "withheld reason changed since approval; now: protects a new informant"} {
		if !strings.Contains(text, squeeze(w)) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	if strings.Contains(text, squeeze(withheldTitle)) {
		t.Error("PDF names the withheld source")
	}
}
