package fuzzing

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"factdesk/auth"
	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
	"factdesk/web"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// apiSite is a router on a SQLite database with an article and an admin's
// token, shared by every input of one fuzzing process.
type apiSite struct {
	router *routes.Router
	routes []routes.Route
	token  string
	ids    map[string]string // path parameter → an existing id
}

func newAPISite(f *testing.F) *apiSite {
	f.Helper()
	db := testdb.Open(f, testdb.SQLite)
	svc := reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
	engine, err := web.New()
	if err != nil {
		f.Fatal(err)
	}
	r := routes.New(routes.Config{Service: svc, Web: engine, Version: "fuzz"})
	ctx := context.Background()
	u, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: "admin@fuzz.example", Name: "Fuzz admin", Role: models.RoleAdmin})
	if err != nil {
		f.Fatal(err)
	}
	_, tok, err := svc.CreateToken(ctx, models.System, u.ID, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Title: "Fuzz", Body: "The council met on Monday. \"We agree,\" the mayor said. Costs rose 3%."})
	if err != nil {
		f.Fatal(err)
	}
	ss, err := svc.Store().Sentences(ctx, *res.Article.CurrentRevisionID)
	if err != nil {
		f.Fatal(err)
	}
	s := &apiSite{router: r, token: tok, ids: map[string]string{
		":id": fmt.Sprint(res.Article.ID), ":sentence": fmt.Sprint(ss[0].ID)}}
	for _, rt := range r.Routes() {
		// The API's routes; event streams stay open by design and take no
		// body anyway.
		if !strings.HasPrefix(rt.Path, "/api/") || strings.HasSuffix(rt.Path, "/events") {
			continue
		}
		s.routes = append(s.routes, rt)
	}
	return s
}

// path fills a route's parameters: sentence routes get a sentence's id,
// other ids the article's, wildcards nothing.
func (s *apiSite) path(rt routes.Route) string {
	parts := strings.Split(rt.Path, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, ":") && i > 0 && parts[i-1] == "sentences":
			parts[i] = s.ids[":sentence"]
		case strings.HasPrefix(p, ":"):
			parts[i] = s.ids[":id"]
		case strings.HasPrefix(p, "*"):
			parts[i] = ""
		}
	}
	return strings.Join(parts, "/")
}

// FuzzAPIBodies sends arbitrary bodies as JSON to every API route of the
// real router, as an admin: whatever the body, the answer is not a 5xx (a panic
// is one, through the recovery middleware).
func FuzzAPIBodies(f *testing.F) {
	site := newAPISite(f)
	seeds := []string{
		`{}`, `null`, `[]`, `{"label":"fact","version":1}`, `{"label":"nonsense","version":-1}`,
		`{"version":1e400}`, `{"status":"verified","version":1}`, `{"title":"T","body":"A sentence."}`,
		`{"title":"T","url":"http://127.0.0.1/x"}`, `{"comment":"x","sentences":[{"sentence_id":-1}]}`,
		`{"email":"a@b.c","name":"A","role":"admin","password":"short"}`, `{"kind":"web_page","title":"S","url":"ftp://x"}`,
		`{"speaker":"` + strings.Repeat("x", 5000) + `"}`, "\xff\xfe", `{"a":` + strings.Repeat("[", 10000),
	}
	// Every route once with an empty object, every seed once on some
	// route: a baseline small enough for a 20-second run.
	for i := range site.routes {
		f.Add(uint16(i), []byte(seeds[i%len(seeds)]))
	}
	f.Fuzz(func(t *testing.T, which uint16, body []byte) {
		rt := site.routes[int(which)%len(site.routes)]
		path := site.path(rt)
		req := httptest.NewRequest(rt.Method, path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+site.token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		w := httptest.NewRecorder()
		site.router.ServeHTTP(w, req)
		if w.Code >= http.StatusInternalServerError {
			t.Fatalf("%s %s with %.300q: %d %.300s", rt.Method, path, body, w.Code, w.Body.String())
		}
	})
}
