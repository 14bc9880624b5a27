package routes_test

import (
	"maps"
	"net/url"
	"strings"
	"testing"
	"time"

	"factdesk/internal/seedrev"
	"factdesk/internal/testdb"
	"factdesk/internal/vnu"
	"factdesk/models"
)

// TestPagesPassNuHTMLChecker renders every page a user can reach, in the
// states that matter (with errors, flashes, secrets), and runs them all
// through the W3C Nu HTML checker.
func TestPagesPassNuHTMLChecker(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": seedArticle(t), "url": "https://news.example/a"})
	var a articleJSON
	r.decode(t, &a)

	docs := map[string][]byte{}
	anon := e.browser()
	docs["login"] = anon.get("/login").Body
	docs["login-error"] = anon.post("/login", url.Values{"email": {"x@test.example"}, "password": {"wrongwrong"}}).Body
	docs["not-found"] = anon.get("/no/such/page").Body

	admin := e.browser()
	admin.signIn(models.RoleAdmin)
	docs["articles"] = admin.get("/").Body
	docs["articles-empty-search"] = admin.get("/?q=nothing+matches").Body
	docs["article"] = admin.get("/articles/" + itoa(a.ID)).Body
	docs["import"] = admin.get("/import").Body
	docs["import-error"] = admin.post("/import", url.Values{"body": {"x"}, "published_at": {"never"}}).Body
	docs["users"] = admin.get("/users").Body
	admin.post("/users", url.Values{"name": {"Val"}, "email": {"val@test.example"}, "role": {"viewer"}})
	docs["users-secret"] = admin.get("/users").Body

	// The desk, with an overdue assignment, a mention and notifications.
	adminUser := e.users[models.RoleAdmin]
	if r := e.api(models.RoleEditor, "POST", "/api/v1/articles/"+itoa(a.ID)+"/assignees", map[string]any{"user_id": adminUser.ID, "due_at": "2020-01-02T15:04:05Z", "priority": "high"}); r.Status != 201 {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+itoa(a.ID)+"/comments", map[string]any{"body": "@" + adminUser.Name + " please look"}); r.Status != 201 {
		t.Fatalf("mention: %d %s", r.Status, r.Body)
	}
	docs["work"] = admin.get("/work").Body
	docs["inbox"] = admin.get("/inbox").Body
	docs["search"] = admin.get("/search?q=putin+OR+source*").Body
	docs["search-filtered"] = admin.get("/search?q=the+of&label=fact&from=2026-01-01").Body
	docs["search-error"] = admin.get("/search?q=-putin").Body
	docs["notification-settings"] = admin.get("/settings/notifications").Body
	docs["articles-assigned"] = admin.get("/?assignee=" + itoa(adminUser.ID) + "&sort=due").Body
	docs["article-assigned"] = admin.get("/articles/" + itoa(a.ID)).Body

	maps.Copy(docs, webhookPageDocs(t, e, admin))

	viewer := e.browser()
	viewer.signIn(models.RoleViewer)
	docs["forbidden"] = viewer.get("/import").Body
	maps.Copy(docs, opinionPageDocs(t, e, a.ID))
	maps.Copy(docs, reviewPageDocs(t, e))
	maps.Copy(docs, reviewStateDocs(t, e))

	// The source library and the citation forms' fallbacks.
	src := e.createSource(t, map[string]any{"kind": "official_record", "title": "H.R.3364", "url": "https://congress.example/bill/3364",
		"publisher": "US Congress", "reliability": "A", "credibility": 2, "notes": "Two lines\nof notes.", "archived_url": "https://archive.example/bill"})
	if _, err := e.store.RecordRetrieval(t.Context(), models.System, src.ID, models.Retrieval{At: time.Now(), HTTPStatus: 200,
		ContentType: "text/html; charset=utf-8", SHA256: strings.Repeat("0f", 32), FinalURL: "https://congress.example/bill/3364/text"}); err != nil {
		t.Fatal(err)
	}
	withheld := e.createSource(t, map[string]any{"kind": "interview", "title": "Ministry official", "withheld": true, "withheld_reason": "would identify the informant"})
	cited := e.citeOverAPI(t, a.Sentences[3].ID, src.ID, "supports")
	e.citeOverAPI(t, a.Sentences[3].ID, withheld.ID, "context")
	if r := e.api(models.RoleChecker, "PATCH", "/api/v1/sentences/"+itoa(cited.SentenceID), map[string]any{"label": "fact", "status": "verified", "version": 1}); r.Status != 200 {
		t.Fatalf("verify: %d %s", r.Status, r.Body)
	}
	docs["sources"] = admin.get("/sources").Body
	docs["sources-empty-search"] = admin.get("/sources?q=nothing+matches&kind=person&reliability=B&credibility=3").Body
	docs["source"] = admin.get("/sources/" + itoa(src.ID)).Body
	docs["source-withheld-viewer"] = viewer.get("/sources/" + itoa(withheld.ID)).Body
	docs["source-new"] = admin.get("/sources/new").Body
	docs["source-new-error"] = admin.post("/sources", url.Values{"kind": {"web_page"}, "url": {"ftp://files.example/x"}}).Body
	docs["source-edit-error"] = admin.post("/sources/"+itoa(src.ID), url.Values{"kind": {"document"}, "title": {"x"}, "credibility": {"9"}}).Body
	docs["source-cite-error"] = admin.post("/sentences/"+itoa(cited.SentenceID)+"/citations", url.Values{"url": {"https://x.example/"}, "relation": {"endorses"}}).Body
	docs["source-uncite-error"] = admin.post("/citations/"+itoa(cited.ID)+"/delete", url.Values{}).Body

	// Revisions and the same claim elsewhere.
	docs["revise"] = admin.get("/articles/" + itoa(a.ID) + "/revise").Body
	docs["revise-error"] = admin.post("/articles/"+itoa(a.ID)+"/revisions", url.Values{"body": {""}, "format": {"text"}}).Body
	revised, err := seedrev.Revise(seedArticle(t))
	if err != nil {
		t.Fatal(err)
	}
	if r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+itoa(a.ID)+"/revisions", map[string]any{"body": revised}); r.Status != 201 {
		t.Fatalf("revision: %d %s", r.Status, r.Body)
	}
	docs["revise-revised"] = admin.get("/articles/" + itoa(a.ID) + "/revise").Body
	docs["revision-current"] = admin.get("/articles/" + itoa(a.ID) + "/revisions/2").Body
	docs["revision-earlier-query"] = admin.get("/articles/" + itoa(a.ID) + "?revision=1").Body
	docs["revision-earlier"] = admin.get("/articles/" + itoa(a.ID) + "/revisions/1").Body
	again := e.importSmall(t, "Intelligence claims", a.Sentences[3].Text+" Short one.")
	docs["similar"] = admin.get("/sentences/" + itoa(again.Sentences[0].ID) + "/similar").Body
	docs["similar-short"] = admin.get("/sentences/" + itoa(again.Sentences[1].ID) + "/similar").Body

	for name, msgs := range vnu.Check(t, docs) {
		for _, m := range msgs {
			t.Errorf("%s: %s", name, m)
		}
	}
}
