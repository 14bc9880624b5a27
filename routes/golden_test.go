package routes_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
)

var update = flag.Bool("update", false, "rewrite the golden files of the export test")

// TestExportGolden labels, sources and approves the example article by a
// fixed script, with the store's clock fixed, and checks that its reports
// come out the same bytes every time — on SQLite and on PostgreSQL alike
// (one set of golden files serves both).
func TestExportGolden(t *testing.T) {
	fixed := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	// In a fixed order: each export is an audit event the next report shows.
	formats := [][2]string{{"json", "json"}, {"csv", "csv"}, {"md", "md"}, {"claimreview", "claimreview.jsonld"}, {"annotations", "annotations.jsonld"}}
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			db := testdb.OpenWith(t, kind, models.Options{Clock: func() time.Time { return fixed }})
			e := newEnvWith(t, db, reviewers.Config{Organisation: "Example Fact Desk", OrganisationURL: "https://factdesk.example"}, nil,
				func(c *routes.Config) { c.PublicURL = "https://factdesk.example" })
			a := importSeed(t, e)
			src := e.createSource(t, map[string]any{"kind": "official_record", "title": "Russian Foreign Ministry statement",
				"url": "https://mid.example/statement?utm_source=x", "publisher": "Foreign Ministry", "reliability": "B", "credibility": 2})
			s := a.Sentences[26]
			if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/sentences/%d/citations", s.ID), map[string]any{
				"source_id": src.ID, "relation": "supports", "excerpt": "the number of staff will be reduced to 455", "locator": "para. 2"}); r.Status != 201 {
				t.Fatalf("cite: %d %s", r.Status, r.Body)
			}
			for i, st := range a.Sentences {
				if st.Status == "excluded" {
					continue
				}
				body := map[string]any{"label": scriptLabel(i, st), "version": st.Version}
				if i == 26 {
					body["status"], body["verdict"], body["note"] = "verified", "Mostly true", "The ministry's statement gives 455."
				}
				if r := patch(e, models.RoleChecker, st.ID, body); r.Status != 200 {
					t.Fatalf("label %d: %d %s", i, r.Status, r.Body)
				}
			}
			confirmAttributions(t, e, a.ID)
			if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), map[string]any{"comment": "Ready."}); r.Status != 200 {
				t.Fatalf("submit: %d %s", r.Status, r.Body)
			}
			if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/approve", a.ID), map[string]any{"comment": "Approved."}); r.Status != 200 {
				t.Fatalf("approve: %d %s", r.Status, r.Body)
			}
			// ClaimReview needs the published fact-check's URL.
			if r := e.api(models.RoleEditor, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), map[string]any{
				"factcheck_url": "https://factdesk.example/fact-checks/755-us-diplomats"}); r.Status != 200 {
				t.Fatalf("set the fact-check URL: %d %s", r.Status, r.Body)
			}
			for _, f := range formats {
				format, ext := f[0], f[1]
				r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=%s", a.ID, format), nil)
				if r.Status != 200 {
					t.Fatalf("%s: %d %s", format, r.Status, r.Body)
				}
				path := filepath.Join("testdata", "golden", "seed-report."+ext)
				if *update && kind == testdb.SQLite {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, r.Body, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to write it)", err)
				}
				if !bytes.Equal(r.Body, want) {
					t.Errorf("%s differs from %s (%d bytes, want %d); first difference at byte %d", format, path, len(r.Body), len(want), firstDiff(r.Body, want))
				}
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
