package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/internal/testdb"
	"factdesk/internal/vnu"
	"factdesk/models"
	"factdesk/reviewers"
)

const publishedCheck = "https://newsroom.example/fact-checks/755-diplomats"

// auditOf returns an article's verified audit trail over the API.
func auditOf(t *testing.T, e *env, id int64) (actions []string, events []map[string]json.RawMessage, ok bool) {
	t.Helper()
	var trail struct {
		Events       []map[string]json.RawMessage `json:"events"`
		Verification struct {
			OK bool `json:"ok"`
		} `json:"verification"`
	}
	e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", id), nil).decode(t, &trail)
	for _, ev := range trail.Events {
		var a string
		json.Unmarshal(ev["action"], &a)
		actions = append(actions, a)
	}
	return actions, trail.Events, trail.Verification.OK
}

// TestClaimReviewNeedsPublishedFactCheck checks that ClaimReview is
// refused until the article's published fact-check is known — with a 422
// naming factcheck_url and no export recorded — and that once it is set
// through PATCH /api/v1/articles/{id}, every ClaimReview points there and
// not at factdesk's sign-in-only report.
func TestClaimReviewNeedsPublishedFactCheck(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{Organisation: "Example Desk"}, nil)
		a := checkSeed(t, e)
		claimReview := func() apiResponse {
			return e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=claimreview", a.ID), nil)
		}
		before, _, _ := auditOf(t, e, a.ID)
		r := claimReview()
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("claimreview without a fact-check URL: %d %s, want 422", r.Status, r.Body)
		}
		if ae := r.apiError(t); ae.Code != models.EINVALID || ae.Field != "factcheck_url" || !strings.Contains(ae.Message, "fact-check URL") {
			t.Errorf("error: %+v, want invalid factcheck_url saying what is missing", ae)
		}
		if after, _, _ := auditOf(t, e, a.ID); len(after) != len(before) {
			t.Errorf("a refused export was recorded: %v", after[len(before):])
		}

		path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		for _, tc := range []struct {
			name   string
			body   any
			status int
		}{
			{"not http", `{"factcheck_url":"ftp://newsroom.example/check"}`, 422},
			{"relative", `{"factcheck_url":"/fact-checks/1"}`, 422},
			{"no host", `{"factcheck_url":"https://"}`, 422},
			{"space inside", `{"factcheck_url":"https://newsroom.example/a b"}`, 422},
			{"too long", map[string]any{"factcheck_url": "https://newsroom.example/" + strings.Repeat("a", 2000)}, 422},
			{"missing", `{}`, 422},
			{"not a string", `{"factcheck_url":12}`, 422},
			{"unknown field", `{"factcheck_url":"https://newsroom.example/x","title":"new"}`, 400},
			{"malformed", `{"factcheck_url":`, 400},
		} {
			r := e.api(models.RoleChecker, "PATCH", path, tc.body)
			if r.Status != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.status)
				continue
			}
			if ae := r.apiError(t); tc.status == 422 && (ae.Code != models.EINVALID || ae.Field != "factcheck_url") {
				t.Errorf("%s: error %+v, want invalid factcheck_url", tc.name, ae)
			}
		}
		exactly2000 := "https://newsroom.example/" + strings.Repeat("a", 2000-len("https://newsroom.example/"))
		if r := e.api(models.RoleEditor, "PATCH", path, map[string]any{"factcheck_url": exactly2000}); r.Status != 200 {
			t.Errorf("a URL of 2000 characters: %d %s", r.Status, r.Body)
		}

		r = e.api(models.RoleChecker, "PATCH", path, map[string]any{"factcheck_url": " " + publishedCheck + " "})
		if r.Status != http.StatusOK {
			t.Fatalf("set: %d %s", r.Status, r.Body)
		}
		var got struct {
			ID           int64   `json:"id"`
			FactCheckURL *string `json:"factcheck_url"`
		}
		r.decode(t, &got)
		if got.ID != a.ID || got.FactCheckURL == nil || *got.FactCheckURL != publishedCheck {
			t.Errorf("answer: %s, want the article with factcheck_url %s", r.Body, publishedCheck)
		}
		got.FactCheckURL = nil
		e.api(models.RoleViewer, "GET", path, nil).decode(t, &got)
		if got.FactCheckURL == nil || *got.FactCheckURL != publishedCheck {
			t.Errorf("GET the article: factcheck_url %v, want %s", got.FactCheckURL, publishedCheck)
		}

		r = claimReview()
		if r.Status != http.StatusOK {
			t.Fatalf("claimreview with a fact-check URL: %d %s", r.Status, r.Body)
		}
		var reviews []struct {
			URL string `json:"url"`
		}
		r.decode(t, &reviews)
		if len(reviews) == 0 {
			t.Fatal("no ClaimReview for the sentence with a verdict")
		}
		for _, cr := range reviews {
			if cr.URL != publishedCheck {
				t.Errorf("ClaimReview url %q, want the published fact-check %s", cr.URL, publishedCheck)
			}
		}
		if strings.Contains(string(r.Body), "/report") {
			t.Errorf("ClaimReview names factdesk's report: %.300s", r.Body)
		}

		actions, events, ok := auditOf(t, e, a.ID)
		if !ok {
			t.Error("the article does not verify after its fact-check URL changed")
		}
		var last map[string]json.RawMessage
		for i, act := range actions {
			if act == "article.update" {
				last = events[i]
			}
		}
		if last == nil || string(last["after"]) != `{"factcheck_url":"`+publishedCheck+`"}` || !strings.Contains(string(last["before"]), "newsroom.example/aaa") {
			t.Errorf("last article.update event: %v", last)
		}

		if r := e.api(models.RoleChecker, "PATCH", path, map[string]any{"factcheck_url": ""}); r.Status != 200 || !strings.Contains(string(r.Body), `"factcheck_url":null`) {
			t.Errorf("clear: %d %s", r.Status, r.Body)
		}
		if r := claimReview(); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("claimreview after clearing: %d, want 422", r.Status)
		}
		if r := e.api(models.RoleViewer, "PATCH", path, map[string]any{"factcheck_url": publishedCheck}); r.Status != http.StatusForbidden {
			t.Errorf("a viewer sets it: %d, want 403", r.Status)
		}
		if r := e.api(models.RoleChecker, "PATCH", "/api/v1/articles/999999", map[string]any{"factcheck_url": publishedCheck}); r.Status != http.StatusNotFound {
			t.Errorf("unknown article: %d, want 404", r.Status)
		}
	})
}

// TestReportPageFactCheckForm works the report page's form as a browser
// without JavaScript: without a URL the ClaimReview download is replaced
// by a sentence saying what it needs; a bad URL comes back with the
// problem and what was typed; a good one redirects to the report with a
// confirmation and brings the download back.
func TestReportPageFactCheckForm(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		reportPath := fmt.Sprintf("/articles/%d/report", a.ID)
		formPath := fmt.Sprintf("/articles/%d/factcheck-url", a.ID)
		downloads := func(n *html.Node) []string {
			var out []string
			for _, l := range findAll(n, func(n *html.Node) bool { return n.Data == "a" && strings.Contains(attr(n, "href"), "/export?format=") }) {
				out = append(out, textOf(l))
			}
			return out
		}
		forms := func(n *html.Node) []*html.Node {
			return findAll(n, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == formPath })
		}

		viewer := e.browser()
		viewer.signIn(models.RoleViewer)
		page := doc(t, viewer.get(reportPath))
		if got := downloads(page); strings.Contains(strings.Join(got, " "), "claimreview") || len(got) != 6 {
			t.Errorf("viewer's downloads without a URL: %v, want every format but claimreview", got)
		}
		if text := textOf(page); !strings.Contains(text, "needs the published fact-check’s URL") || !strings.Contains(text, "A checker or an editor can set it") {
			t.Errorf("the page does not say what ClaimReview needs")
		}
		if len(forms(page)) != 0 {
			t.Error("a viewer is shown the fact-check URL form")
		}

		b := e.browser()
		b.signIn(models.RoleChecker)
		page = doc(t, b.get(reportPath))
		if len(forms(page)) != 1 {
			t.Fatalf("the checker's report page has %d fact-check URL forms, want 1", len(forms(page)))
		}
		r := b.post(formPath, url.Values{"factcheck_url": {"not a url"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad URL: %d, want 422", r.Status)
		}
		page = doc(t, r)
		if f := forms(page); len(f) != 1 || field(f[0], "factcheck_url") != "not a url" {
			t.Errorf("the refused form does not keep what was typed")
		}
		if text := textOf(page); !strings.Contains(text, "Fact-check URL:") || !strings.Contains(text, "must not contain spaces") {
			t.Errorf("the refused form does not say why")
		}

		r = b.follow(t, b.post(formPath, url.Values{"factcheck_url": {publishedCheck}}), reportPath)
		if r.Status != http.StatusOK {
			t.Fatalf("report after saving: %d", r.Status)
		}
		page = doc(t, r)
		if text := textOf(page); !strings.Contains(text, "Fact-check URL saved") || !strings.Contains(text, publishedCheck) {
			t.Errorf("no confirmation after saving")
		}
		if got := downloads(page); !strings.Contains(strings.Join(got, " "), "claimreview") {
			t.Errorf("downloads after saving: %v, want claimreview among them", got)
		}
		if f := forms(page); len(f) != 1 || field(f[0], "factcheck_url") != publishedCheck {
			t.Errorf("the form does not show the saved URL")
		}
		r = b.follow(t, b.post(formPath, url.Values{"factcheck_url": {""}}), reportPath)
		if text := textOf(doc(t, r)); !strings.Contains(text, "Fact-check URL removed") {
			t.Errorf("no confirmation after clearing")
		}
	})
}

// TestPublicExportsWithoutEmails checks that the annotations, meant for
// publication, name the checkers by their display name and carry no staff
// e-mail address unless the server is told to (--export-emails), while
// the internal JSON report keeps the audit trail's names.
func TestPublicExportsWithoutEmails(t *testing.T) {
	for _, emails := range []bool{false, true} {
		t.Run(fmt.Sprintf("emails=%v", emails), func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *models.DB) {
				e := newEnvWith(t, db, reviewers.Config{ExportEmails: emails}, nil)
				a := importSeed(t, e)
				for _, s := range a.Sentences[:3] {
					if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
						t.Fatalf("label: %d %s", r.Status, r.Body)
					}
				}
				get := func(format string) string {
					r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=%s", a.ID, format), nil)
					if r.Status != 200 {
						t.Fatalf("%s: %d %s", format, r.Status, r.Body)
					}
					return string(r.Body)
				}
				checker := e.users[models.RoleChecker]
				ann := get("annotations")
				if !strings.Contains(ann, `"name": "`+checker.Name+`"`) {
					t.Errorf("annotations do not name the checker %q", checker.Name)
				}
				if has := strings.Contains(ann, checker.Email); has != emails {
					t.Errorf("annotations carry the checker's e-mail: %v, want %v", has, emails)
				}
				if emails && !strings.Contains(ann, `"email": "mailto:`+checker.Email+`"`) {
					t.Errorf("annotations with --export-emails lack mailto:%s", checker.Email)
				}
				if !strings.Contains(get("json"), checker.Email) {
					t.Error("the internal JSON report lost the audit trail's names")
				}
			})
		})
	}
}

// TestReportPagePassesNuHTMLChecker validates the report page in each
// state of its fact-check form: without a URL for a viewer and for a
// checker, with a refused URL, and with a saved one.
func TestReportPagePassesNuHTMLChecker(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	a := importSeed(t, e)
	reportPath := fmt.Sprintf("/articles/%d/report", a.ID)
	formPath := fmt.Sprintf("/articles/%d/factcheck-url", a.ID)
	viewer, checker := e.browser(), e.browser()
	viewer.signIn(models.RoleViewer)
	checker.signIn(models.RoleChecker)
	docs := map[string][]byte{
		"report-viewer-no-url":  viewer.get(reportPath).Body,
		"report-checker-no-url": checker.get(reportPath).Body,
		"report-refused-url":    checker.post(formPath, url.Values{"factcheck_url": {"javascript:alert(1)"}}).Body,
	}
	checker.post(formPath, url.Values{"factcheck_url": {publishedCheck}})
	docs["report-saved-url"] = checker.get(reportPath).Body
	docs["report-viewer-url"] = viewer.get(reportPath).Body
	for name, msgs := range vnu.Check(t, docs) {
		for _, m := range msgs {
			t.Errorf("%s: %s", name, m)
		}
	}
}
