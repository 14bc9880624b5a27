package routes_test

import (
	"net/url"
	"testing"

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
	docs["users-secret"] = admin.post("/users", url.Values{"name": {"Val"}, "email": {"val@test.example"}, "role": {"viewer"}}).Body

	viewer := e.browser()
	viewer.signIn(models.RoleViewer)
	docs["forbidden"] = viewer.get("/import").Body

	for name, msgs := range vnu.Check(t, docs) {
		for _, m := range msgs {
			t.Errorf("%s: %s", name, m)
		}
	}
}
