package routes_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// checkSeed labels every open sentence of the example article, cites a
// source for one, gives a verdict and gets the article approved.
func checkSeed(t *testing.T, e *env) articleJSON {
	t.Helper()
	a := importSeed(t, e)
	for i, s := range a.Sentences {
		if s.Status == "excluded" {
			continue
		}
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": scriptLabel(i, s), "version": s.Version}); r.Status != 200 {
			t.Fatalf("label %d: %d %s", i, r.Status, r.Body)
		}
	}
	s := a.Sentences[26]
	r := patch(e, models.RoleChecker, s.ID, map[string]any{"verdict": "Mostly true", "note": "The embassy confirmed =2+3 figures.", "version": 2})
	if r.Status != 200 {
		t.Fatalf("verdict: %d %s", r.Status, r.Body)
	}
	confirmAttributions(t, e, a.ID)
	r = e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil)
	if r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/approve", a.ID), map[string]any{"comment": "Approved."}); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	return a
}

func TestReportFormats(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := checkSeed(t, e)
		get := func(format string) apiResponse {
			t.Helper()
			r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=%s", a.ID, format), nil)
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", format, r.Status, r.Body)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, fmt.Sprintf("article-%d", a.ID)) {
				t.Errorf("%s: Content-Disposition %q", format, cd)
			}
			return r
		}
		// JSON validates against the schema the API serves.
		js := get("json")
		schema := e.api("", "GET", "/api/v1/schemas/report.json", nil)
		if schema.Status != 200 {
			t.Fatalf("schema: %d", schema.Status)
		}
		c := jsonschema.NewCompiler()
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Body))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("report.json", doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("report.json")
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js.Body))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("the JSON report does not validate: %v", err)
		}
		var rep struct {
			Article   struct{ State string }
			Sentences []struct {
				Label       string
				Status      string
				Verdict     string
				LabeledBy   string `json:"labeled_by"`
				Attribution *struct{ Speaker string }
			}
			Rounds []struct {
				Decision    string
				SubmittedBy string `json:"submitted_by"`
				DecidedBy   string `json:"decided_by"`
			} `json:"rounds"`
			Audit struct {
				Verification struct{ OK bool }
				Events       []struct{ Action string }
			}
			Summary struct {
				Agreement *struct{ Raters []string }
			}
		}
		json.Unmarshal(js.Body, &rep)
		if rep.Article.State != "approved" || len(rep.Sentences) != 30 || !rep.Audit.Verification.OK {
			t.Errorf("report: state %q, %d sentences, verified %v", rep.Article.State, len(rep.Sentences), rep.Audit.Verification.OK)
		}
		if len(rep.Rounds) != 1 || rep.Rounds[0].Decision != "approved" || !strings.Contains(rep.Rounds[0].SubmittedBy, "checker@") || !strings.Contains(rep.Rounds[0].DecidedBy, "editor@") {
			t.Errorf("rounds: %+v", rep.Rounds)
		}
		if s := rep.Sentences[26]; s.Verdict != "Mostly true" || !strings.Contains(s.LabeledBy, "checker@") {
			t.Errorf("sentence 27: %+v", s)
		}
		if rep.Sentences[3].Attribution == nil || !strings.Contains(rep.Sentences[3].Attribution.Speaker, "intelligence") {
			t.Errorf("sentence 4's attribution: %+v", rep.Sentences[3].Attribution)
		}
		last := rep.Audit.Events[len(rep.Audit.Events)-1]
		if last.Action != "report.export" {
			t.Errorf("the export is not in the trail: last event %q", last.Action)
		}
		if rep.Summary.Agreement == nil || len(rep.Summary.Agreement.Raters) < 2 {
			t.Errorf("no agreement figures: %+v", rep.Summary.Agreement)
		}

		// CSV: RFC 4180 with a header and one row per sentence; a formula
		// in a note is neutralised.
		rows, err := csv.NewReader(bytes.NewReader(get("csv").Body)).ReadAll()
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		if len(rows) != 31 {
			t.Errorf("csv rows: %d, want a header and 30", len(rows))
		}
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("a cell a spreadsheet would run: %q", cell)
				}
			}
		}
		if md := get("md"); !strings.Contains(string(md.Body), "755 US diplomats ousted") {
			t.Error("markdown lacks the title")
		}
		if h := get("html"); !strings.Contains(string(h.Body), "<!DOCTYPE html>") || strings.Contains(string(h.Body), "<script") {
			t.Error("html report is not a self-contained page")
		}
		if pdf := get("pdf"); !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) {
			t.Error("pdf is not a PDF")
		}
		// ClaimReview points to the published fact-check, which it needs.
		if r := e.api(models.RoleChecker, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), map[string]any{"factcheck_url": "https://news.example/checks/1"}); r.Status != 200 {
			t.Fatalf("set the fact-check URL: %d %s", r.Status, r.Body)
		}
		var cr []map[string]any
		crb := get("claimreview").Body
		if err := json.Unmarshal(crb, &cr); err != nil {
			var one map[string]any
			if err2 := json.Unmarshal(crb, &one); err2 != nil {
				t.Fatalf("claimreview: %v", err)
			}
		}
		if !strings.Contains(string(crb), `"ClaimReview"`) || !strings.Contains(string(crb), "Mostly true") {
			t.Errorf("claimreview lacks the verdict: %.300s", crb)
		}
		ann := get("annotations").Body
		if !strings.Contains(string(ann), "TextQuoteSelector") || !strings.Contains(string(ann), "http://www.w3.org/ns/anno.jsonld") {
			t.Errorf("annotations: %.300s", ann)
		}
		if r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=docx", a.ID), nil); r.Status != 422 {
			t.Errorf("unknown format: %d", r.Status)
		}
	})
}

// TestTamperedReportSaysSo changes an event in the database and expects
// the report to say verification failed, in JSON and on the HTML's first
// page.
func TestTamperedReportSaysSo(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := checkSeed(t, e)
		if err := db.Gorm().Exec(`UPDATE audit_events SET actor = 'someone else' WHERE article_id = ? AND seq = 2`, a.ID).Error; err != nil {
			t.Fatal(err)
		}
		r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=json", a.ID), nil)
		var rep struct {
			Audit struct {
				Verification struct {
					OK       bool
					Problems []string
				}
			}
		}
		json.Unmarshal(r.Body, &rep)
		if rep.Audit.Verification.OK || len(rep.Audit.Verification.Problems) == 0 {
			t.Errorf("tampered report verifies: %+v", rep.Audit.Verification)
		}
		h := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=html", a.ID), nil).Body
		i := bytes.Index(h, []byte("VERIFICATION FAILED"))
		if i < 0 || i > bytes.Index(h, []byte("755 US diplomats ousted</td>"))+1 && bytes.Index(h, []byte("755 US diplomats ousted</td>")) > 0 {
			t.Errorf("the HTML report does not say so first (at %d)", i)
		}
		b := e.browser()
		b.signIn(models.RoleViewer)
		page := b.get(fmt.Sprintf("/articles/%d/report", a.ID))
		if page.Status != 200 || !strings.Contains(string(page.Body), "Verification failed") {
			t.Errorf("report page: %d", page.Status)
		}
	})
}
