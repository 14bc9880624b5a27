package fuzzing

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"factdesk/auth"
	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
	"factdesk/web"
)

// formFields lists, for every form POST of the UI by route, the fields
// its form sends, each with a value that gets the request past the first
// checks, so that a fuzzed field reaches the handler's own validation and
// the store. A new form route needs a row here, or FuzzFormFields fails.
var formFields = map[string]url.Values{
	"POST /login":  {"email": {"login@fuzz.example"}, "password": {fuzzPassword}, "next": {"/sources"}},
	"POST /logout": {},
	"POST /import": {"title": {"Fuzz"}, "outlet": {"Outlet"}, "byline": {"Byline"}, "url": {""},
		"published_at": {"2024-01-02"}, "format": {"text"}, "body": {"The council met on Monday. It approved the budget."}},
	"POST /users":                           {"email": {"new@fuzz.example"}, "name": {"New"}, "role": {"viewer"}, "password": {""}},
	"POST /users/:id":                       {"role": {"viewer"}, "disabled": {""}, "reset_password": {""}},
	"POST /tokens":                          {"user_id": {":victim"}, "name": {"script"}},
	"POST /tokens/:id/revoke":               {},
	"POST /sentences/:id":                   {"label": {"fact"}, "status": {""}, "verdict": {""}, "version": {"1"}, "note": {"A note"}, "exclude_reason": {""}, "accept_suggestion": {""}},
	"POST /articles/:id/undo":               {},
	"POST /articles/:id/redo":               {},
	"POST /articles/:id/start-review":       {},
	"POST /articles/:id/submit":             {"comment": {"Done."}},
	"POST /articles/:id/approve":            {"comment": {"Good."}},
	"POST /articles/:id/request-changes":    {"comment": {"Source the second sentence."}},
	"POST /articles/:id/reopen":             {"comment": {"A correction came in."}},
	"POST /articles/:id/comments":           {"body": {"Who said this?"}, "sentence_id": {""}, "parent_id": {""}, "sentence_number": {""}},
	"POST /comments/:id/resolve":            {"resolved": {"true"}},
	"POST /sentences/:id/attribution":       {"version": {""}, "action": {"save"}, "speaker": {"the council"}, "cue": {"said"}, "medium": {""}, "carried_over": {""}},
	"POST /articles/:id/suggestions":        {},
	"POST /articles/:id/suggestions/accept": {"from": {"1"}, "to": {"2"}, "min_confidence": {""}, "confident": {""}},
	"POST /articles/:id/factcheck-url":      {"factcheck_url": {"https://factcheck.example/council"}},
	"POST /articles/:id/revisions":          {"title": {"Fuzz"}, "url": {""}, "format": {"text"}, "body": {"The council met on Monday. It approved a smaller budget."}},
	"POST /articles/:id/opinions":           {"assignee_id": {":admin"}},
	"POST /opinions/:id/labels":             {"label_1": {"fact"}, "complete": {""}},
	"POST /opinions/:id/complete":           {},
	"POST /opinions/:id/settle":             {"sentence_id": {":sentence"}, "version": {"1"}, "label": {"fact"}},
	"POST /opinions/:id/close":              {"status": {"closed"}},
	"POST /sources": {"kind": {"person"}, "title": {"Council clerk"}, "url": {""}, "publisher": {""}, "author": {""}, "published_at": {""},
		"accessed_at": {""}, "archived_url": {""}, "notes": {""}, "reliability": {""}, "credibility": {""}, "withheld": {""}, "withheld_reason": {""}},
	"POST /sources/:id": {"kind": {"person"}, "title": {"Budget office"}, "url": {""}, "publisher": {""}, "author": {""}, "published_at": {""},
		"accessed_at": {""}, "archived_url": {""}, "notes": {""}, "reliability": {""}, "credibility": {""}, "withheld": {""}, "withheld_reason": {""}},
	"POST /sources/:id/retrieve": {},
	"POST /sentences/:id/citations": {"url": {"https://minutes.example/m"}, "relation": {"supports"}, "excerpt": {""}, "locator": {""},
		"source_id": {""}, "source": {""}, "choosing": {""}, "back": {""}},
	"POST /citations/:id/delete":                                    {"back": {""}},
	"POST /sentences/:id/reuse":                                     {"from_sentence_id": {":sentence"}, "citation_id": {""}, "attribution": {""}},
	"POST /settings/webhooks":                                       {"url": {"https://cms.example/hook"}, "events": {"article.approved"}, "secret": {""}},
	"POST /settings/webhooks/:id/delete":                            {},
	"POST /settings/webhooks/:id/deliveries/:delivery_id/redeliver": {},
	"POST /inbox/read":                                              {"all": {""}, "id": {"1"}},
	"POST /inbox/:id/open":                                          {},
	"POST /settings/notifications":                                  {"app": {"assigned"}, "email": {""}},
	"POST /articles/:id/assignees":                                  {"user_id": {":victim"}, "priority": {"high"}, "due": {"2030-01-02T15:04"}},
	"POST /articles/:id/assignees/:user_id/delete":                  {},
	"POST /articles/assign":                                         {"article": {":article"}, "user_id": {":victim"}, "back": {"/?assignee=none"}},
}

// notForms are the POST routes outside /api/v1 that no form posts to.
var notForms = map[string]bool{"POST /debug/pprof/*profile": true}

const fuzzPassword = "correct horse battery staple"

// formSite is a router with one of everything a form acts on and an admin
// signed in, shared by every input of one fuzzing process.
type formSite struct {
	router *routes.Router
	forms  []formRoute
	ids    map[string]string // a path parameter's preceding segment, or a :placeholder → an id
	// The admin's session cookie and its CSRF token.
	session, csrf string
}

type formRoute struct {
	routes.Route
	names []string // the form's fields, in order
}

func newFormSite(f *testing.F) *formSite {
	f.Helper()
	// Plain "go test" runs the seeds on PostgreSQL, which refuses a NUL
	// in text (the 500s this target guards against); fuzzing proper
	// mutates on SQLite, whose files leave nothing behind when a worker
	// is stopped.
	kind := testdb.Postgres
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		kind = testdb.SQLite
	}
	db := testdb.Open(f, kind)
	svc := reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
	engine, err := web.New()
	if err != nil {
		f.Fatal(err)
	}
	s := &formSite{router: routes.New(routes.Config{Service: svc, Web: engine, Version: "fuzz"})}
	ctx := context.Background()
	user := func(email string, role models.Role) *models.User {
		u, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: email, Name: email, Role: role, Password: fuzzPassword})
		if err != nil {
			f.Fatal(err)
		}
		return u
	}
	admin := user("admin@fuzz.example", models.RoleAdmin)
	victim := user("victim@fuzz.example", models.RoleChecker)
	user("login@fuzz.example", models.RoleViewer)
	user("logout@fuzz.example", models.RoleViewer)
	_, tok, err := svc.CreateToken(ctx, models.System, admin.ID, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	victimToken, _, err := svc.CreateToken(ctx, models.System, victim.ID, "victim")
	if err != nil {
		f.Fatal(err)
	}
	api := func(method, path string, body any, v any) {
		b, err := json.Marshal(body)
		if err != nil {
			f.Fatal(err)
		}
		req := httptest.NewRequest(method, path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.router.ServeHTTP(w, req)
		if w.Code >= 300 {
			f.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
		}
		if v != nil {
			if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
				f.Fatal(err)
			}
		}
	}
	var obj struct {
		ID int64 `json:"id"`
	}
	ids := map[string]string{":admin": fmt.Sprint(admin.ID), ":victim": fmt.Sprint(victim.ID),
		"users": fmt.Sprint(victim.ID), "assignees": fmt.Sprint(victim.ID), "tokens": fmt.Sprint(victimToken.ID)}
	// The webhook first, so that the import queues a delivery.
	api("POST", "/api/v1/webhooks", map[string]any{"url": "https://cms.example/hook", "events": []string{"*"}}, &obj)
	ids["webhooks"] = fmt.Sprint(obj.ID)
	res, err := svc.Import(ctx, admin.Actor(), ingest.ArticleInput{Title: "Fuzz", Body: "The council met on Monday. \"We agree,\" the mayor said. Costs rose 3%."})
	if err != nil {
		f.Fatal(err)
	}
	ids["articles"], ids[":article"] = fmt.Sprint(res.Article.ID), fmt.Sprint(res.Article.ID)
	ss, err := svc.Store().Sentences(ctx, *res.Article.CurrentRevisionID)
	if err != nil {
		f.Fatal(err)
	}
	ids["sentences"], ids[":sentence"] = fmt.Sprint(ss[0].ID), fmt.Sprint(ss[0].ID)
	var deliveries struct {
		Deliveries []struct {
			ID int64 `json:"id"`
		} `json:"deliveries"`
	}
	api("GET", "/api/v1/webhooks/"+ids["webhooks"]+"/deliveries", nil, &deliveries)
	if len(deliveries.Deliveries) > 0 {
		ids["deliveries"] = fmt.Sprint(deliveries.Deliveries[0].ID)
	}
	api("POST", "/api/v1/sources", map[string]any{"kind": "person", "title": "Council clerk"}, &obj)
	ids["sources"] = fmt.Sprint(obj.ID)
	api("POST", "/api/v1/sentences/"+ids["sentences"]+"/citations", map[string]any{"source_id": obj.ID, "relation": "supports"}, &obj)
	ids["citations"] = fmt.Sprint(obj.ID)
	api("POST", "/api/v1/articles/"+ids["articles"]+"/comments", map[string]any{"body": "Check the date."}, &obj)
	ids["comments"] = fmt.Sprint(obj.ID)
	if o, err := svc.RequestOpinion(ctx, admin.Actor(), res.Article.ID, victim.ID); err == nil {
		ids["opinions"] = fmt.Sprint(o.ID)
	} else {
		f.Logf("no second opinion to post to: %v", err)
	}
	s.ids = ids

	for _, rt := range s.router.Routes() {
		key := rt.Method + " " + rt.Path
		if rt.Method != http.MethodPost || strings.HasPrefix(rt.Path, "/api/") || notForms[key] {
			continue
		}
		fields, ok := formFields[key]
		if !ok {
			f.Fatalf("%s: a form route without a row in formFields", key)
		}
		s.forms = append(s.forms, formRoute{Route: rt, names: slices.Sorted(func(yield func(string) bool) {
			for k := range fields {
				if !yield(k) {
					return
				}
			}
		})})
	}
	var ok bool
	if s.session, ok = s.signIn("admin@fuzz.example", "192.0.2.10:1234"); !ok {
		f.Fatal("the admin could not sign in")
	}
	s.csrf = s.token("/", s.session)
	return s
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// serve answers one request; cookie is "name=value" or "".
func (s *formSite) serve(req *http.Request, cookie string) *httptest.ResponseRecorder {
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, req)
	return w
}

// token reads the CSRF token of the form on a page.
func (s *formSite) token(path, cookie string) string {
	w := s.serve(httptest.NewRequest("GET", path, nil), cookie)
	if m := csrfInput.FindSubmatch(w.Body.Bytes()); m != nil {
		return string(m[1])
	}
	return ""
}

// loginForm returns the sign-in form's cookie and token.
func (s *formSite) loginForm() (cookie, token string) {
	w := s.serve(httptest.NewRequest("GET", "/login", nil), "")
	for _, c := range w.Result().Cookies() {
		if c.Name == "factdesk_login_csrf" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if m := csrfInput.FindSubmatch(w.Body.Bytes()); m != nil {
		token = string(m[1])
	}
	return cookie, token
}

// signIn signs in from addr (each caller its own, for the sign-in
// throttle) and returns the session cookie.
func (s *formSite) signIn(email, addr string) (string, bool) {
	cookie, token := s.loginForm()
	form := url.Values{"email": {email}, "password": {fuzzPassword}, "csrf_token": {token}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr
	w := s.serve(req, cookie)
	for _, c := range w.Result().Cookies() {
		if c.Name == "factdesk_session" && c.Value != "" {
			return c.Name + "=" + c.Value, true
		}
	}
	return "", false
}

// path fills a route's parameters with the ids of what the forms act on.
func (s *formSite) path(rt routes.Route) string {
	parts := strings.Split(rt.Path, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		prev := ""
		if i > 0 {
			prev = parts[i-1]
		}
		if p == ":delivery_id" {
			prev = "deliveries"
		}
		id, ok := s.ids[prev]
		if !ok {
			id = "1"
		}
		parts[i] = id
	}
	return strings.Join(parts, "/")
}

// validText reports whether the edge check lets v through: UTF-8 without
// control characters but tab, newline and carriage return.
func validText(v []byte) bool {
	if !utf8.Valid(v) {
		return false
	}
	for _, r := range string(v) {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f) {
			return false
		}
	}
	return true
}

// FuzzFormFields sends arbitrary bytes as the value of one field, or of
// every field, of every form POST of the UI, url-encoded or multipart, as
// a signed-in admin with the CSRF token (the sign-in form without one):
// whatever the bytes, the answer is not a 5xx, and text the edge check
// refuses is answered 400 before any handler runs.
func FuzzFormFields(f *testing.F) {
	site := newFormSite(f)
	seeds := []string{"\x00", "\xff", "\xed\xa0\x80", "a\x00b", "Ж 🙂 中文\tx\r\ny", "\x1b[31m", "\u0085", "-1", "99999999999999999999",
		strings.Repeat("x", 70000), strings.Repeat("Ж", 20000), strings.Repeat("\xed\xa0\x80", 1000)}
	for i := range site.forms {
		f.Add(uint16(i), uint8(255), i%3 == 0, []byte(seeds[i%len(seeds)]))
		f.Add(uint16(i), uint8(i), false, []byte(seeds[(i+1)%len(seeds)]))
	}
	f.Fuzz(func(t *testing.T, which uint16, field uint8, asMultipart bool, value []byte) {
		fr := site.forms[int(which)%len(site.forms)]
		form := url.Values{}
		for k, vs := range formFields[fr.Method+" "+fr.Path] {
			for _, v := range vs {
				if id, ok := site.ids[v]; ok && strings.HasPrefix(v, ":") {
					v = id
				}
				form.Add(k, v)
			}
		}
		// One field, or (the index past the last) every field; a form
		// without fields gets one it does not read, which the edge check
		// judges all the same.
		if len(fr.names) == 0 {
			form.Set("unread", string(value))
		} else if n := int(field) % (len(fr.names) + 1); n < len(fr.names) {
			form.Set(fr.names[n], string(value))
		} else {
			for _, name := range fr.names {
				form.Set(name, string(value))
			}
		}
		cookie, addr := site.session, "192.0.2.10:1234"
		switch fr.Path {
		case "/login":
			cookie, form["csrf_token"] = site.loginFormToken()
			addr = "192.0.2.20:1234"
		case "/logout":
			var ok bool
			if cookie, ok = site.signIn("logout@fuzz.example", "192.0.2.30:1234"); !ok {
				return // throttled: nothing to sign out of
			}
			form.Set("csrf_token", site.token("/", cookie))
		default:
			form.Set("csrf_token", site.csrf)
		}
		path := site.path(fr.Route)
		var req *http.Request
		if asMultipart {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for k, vs := range form {
				for _, v := range vs {
					if err := mw.WriteField(k, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := mw.Close(); err != nil {
				t.Fatal(err)
			}
			req = httptest.NewRequest("POST", path, &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
		} else {
			req = httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.RemoteAddr = addr
		w := site.serve(req, cookie)
		if w.Code >= http.StatusInternalServerError {
			t.Fatalf("POST %s (multipart %v) with %.300q: %d %.300s", path, asMultipart, value, w.Code, w.Body.String())
		}
		if !validText(value) && w.Code != http.StatusBadRequest {
			t.Fatalf("POST %s (multipart %v) with %.300q, not valid text: %d, want 400", path, asMultipart, value, w.Code)
		}
	})
}

// loginFormToken returns the sign-in form's cookie and its token as a
// form value.
func (s *formSite) loginFormToken() (string, []string) {
	cookie, token := s.loginForm()
	return cookie, []string{token}
}
