package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// reportSourceJSON is a report citation's source as the JSON report
// gives it.
type reportSourceJSON struct {
	ID                   int64  `json:"id"`
	Title                string `json:"title"`
	URL                  string `json:"url"`
	Version              int    `json:"version"`
	ChangedSinceApproval bool   `json:"changed_since_approval"`
	Changes              []struct {
		Field string `json:"field"`
		Now   string `json:"now"`
	} `json:"changes"`
}

// reportCitations returns the citations of an article's JSON report, by
// sentence number.
func reportCitations(t *testing.T, e *env, articleID int64) map[int][]struct {
	SourceVersion int              `json:"source_version"`
	Source        reportSourceJSON `json:"source"`
} {
	t.Helper()
	r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report", articleID), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("report: %d %s", r.Status, r.Body)
	}
	var rep struct {
		Sentences []struct {
			Number    int `json:"number"`
			Citations []struct {
				SourceVersion int              `json:"source_version"`
				Source        reportSourceJSON `json:"source"`
			} `json:"citations"`
		} `json:"sentences"`
	}
	if err := json.Unmarshal(r.Body, &rep); err != nil {
		t.Fatal(err)
	}
	out := map[int][]struct {
		SourceVersion int              `json:"source_version"`
		Source        reportSourceJSON `json:"source"`
	}{}
	for _, s := range rep.Sentences {
		if len(s.Citations) > 0 {
			out[s.Number] = s.Citations
		}
	}
	return out
}

// TestApprovedReportShowsSourceAsApproved is issue 18, finding 8: a
// checker edits the title and URL of a source that an approved article
// cites; the approved article's report still shows the source as it was
// when the editor approved, and says what has changed since, while the
// report of an article not approved shows the source as it is.
func TestApprovedReportShowsSourceAsApproved(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Bridge opens", "The bridge opened on Monday. It cost $4.2bn. Critics said it was late.")
		for _, s := range a.Sentences {
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "assessment", "version": s.Version}); r.Status != http.StatusOK {
				t.Fatalf("label: %d %s", r.Status, r.Body)
			}
		}
		r := e.api(models.RoleChecker, "POST", "/api/v1/sentences/"+itoa(a.Sentences[1].ID)+"/citations",
			map[string]any{"url": "https://city.example/bridge-cost", "relation": "context"})
		if r.Status != http.StatusCreated {
			t.Fatalf("cite: %d %s", r.Status, r.Body)
		}
		var c citationJSON
		r.decode(t, &c)
		oldTitle := c.Source.Title
		confirmAttributions(t, e, a.ID)
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/approve", a.ID), map[string]any{"comment": "Approved."}); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		// Before any edit the report shows the source as it is, unmarked.
		got := reportCitations(t, e, a.ID)[2]
		if len(got) != 1 || got[0].Source.Title != oldTitle || got[0].Source.ChangedSinceApproval || got[0].Source.Version != 0 || got[0].SourceVersion != 0 {
			t.Fatalf("report before the edit: %+v", got)
		}

		r = e.api(models.RoleChecker, "PATCH", "/api/v1/sources/"+itoa(c.SourceID),
			map[string]any{"title": "Bridge cost overrun, corrected", "url": "https://city.example/bridge-cost-2"})
		if r.Status != http.StatusOK {
			t.Fatalf("edit source: %d %s", r.Status, r.Body)
		}

		got = reportCitations(t, e, a.ID)[2]
		if len(got) != 1 {
			t.Fatalf("approved report: citations %+v", got)
		}
		src := got[0].Source
		if src.Title != oldTitle || src.URL != "https://city.example/bridge-cost" || src.Version != 1 || !src.ChangedSinceApproval {
			t.Errorf("approved report shows %+v; want the source as approved (%q, https://city.example/bridge-cost, version 1), marked changed", src, oldTitle)
		}
		now := map[string]string{}
		for _, ch := range src.Changes {
			now[ch.Field] = ch.Now
		}
		if len(now) != 2 || now["title"] != "Bridge cost overrun, corrected" || now["url"] != "https://city.example/bridge-cost-2" {
			t.Errorf("changes since approval: %+v", src.Changes)
		}

		for format, want := range map[string][]string{
			"md": {oldTitle, "https://city.example/bridge-cost>", "title changed since approval; now: Bridge cost overrun, corrected",
				"url changed since approval; now: https://city.example/bridge-cost-2"},
			"html": {`href="https://city.example/bridge-cost"`, "title changed since approval; now: Bridge cost overrun, corrected",
				"url changed since approval; now: https://city.example/bridge-cost-2"},
		} {
			r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=%s", a.ID, format), nil)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", format, r.Status, r.Body)
			}
			for _, w := range want {
				if !strings.Contains(string(r.Body), w) {
					t.Errorf("%s report lacks %q", format, w)
				}
			}
		}

		// An article not approved cites the source as it is now.
		b := e.importSmall(t, "Bridge costs", "The bridge cost $4.2bn. It opened late.")
		r = e.api(models.RoleChecker, "POST", "/api/v1/sentences/"+itoa(b.Sentences[0].ID)+"/citations",
			map[string]any{"url": "https://city.example/bridge-cost-2", "relation": "context"})
		if r.Status != http.StatusCreated {
			t.Fatalf("cite in a draft: %d %s", r.Status, r.Body)
		}
		got = reportCitations(t, e, b.ID)[1]
		if len(got) != 1 || got[0].Source.Title != "Bridge cost overrun, corrected" || got[0].Source.URL != "https://city.example/bridge-cost-2" ||
			got[0].Source.ChangedSinceApproval || got[0].Source.Version != 0 || got[0].SourceVersion != 0 {
			t.Errorf("draft report: %+v", got)
		}

		// A citation made before an edit, in an article not approved: the
		// current source, with the version cited and the version shown.
		r = e.api(models.RoleChecker, "PATCH", "/api/v1/sources/"+itoa(c.SourceID), map[string]any{"title": "Bridge cost overrun, final"})
		if r.Status != http.StatusOK {
			t.Fatalf("edit source again: %d %s", r.Status, r.Body)
		}
		got = reportCitations(t, e, b.ID)[1]
		if len(got) != 1 || got[0].Source.Title != "Bridge cost overrun, final" || got[0].Source.ChangedSinceApproval ||
			got[0].Source.Version != 3 || got[0].SourceVersion != 2 {
			t.Errorf("draft report after another edit: %+v", got)
		}
		// A new revision's copy of the citation keeps the version cited.
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/revisions", b.ID),
			map[string]any{"body": "The bridge cost $4.2bn. It opened very late."}); r.Status != http.StatusCreated {
			t.Fatalf("new revision: %d %s", r.Status, r.Body)
		}
		got = reportCitations(t, e, b.ID)[1]
		if len(got) != 1 || got[0].Source.Version != 3 || got[0].SourceVersion != 2 {
			t.Errorf("report of the new revision: %+v", got)
		}

		// The approved report still shows version 1, and the changes up to now.
		got = reportCitations(t, e, a.ID)[2]
		if len(got) != 1 || got[0].Source.Title != oldTitle || got[0].Source.Version != 1 || len(got[0].Source.Changes) != 2 ||
			got[0].Source.Changes[0].Now != "Bridge cost overrun, final" {
			t.Errorf("approved report after another edit: %+v", got)
		}
	})
}
