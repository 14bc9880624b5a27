package routes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"factdesk/auth"
	"factdesk/fetch"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
	"factdesk/web"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// env is a running factdesk on a real database and a real HTTP server.
type env struct {
	t     *testing.T
	db    *models.DB
	store *models.Store
	svc   *reviewers.Service
	srv   *httptest.Server
	users map[models.Role]*models.User
	// passwords of the users above
	passwords map[models.Role]string
	tokens    map[models.Role]string
}

const testPassword = "correct horse battery staple"

func newEnv(t *testing.T, db *models.DB) *env {
	t.Helper()
	return newEnvWith(t, db, reviewers.Config{}, nil)
}

func newEnvWith(t *testing.T, db *models.DB, cfg reviewers.Config, fetcher *fetch.Fetcher, opts ...func(*routes.Config)) *env {
	t.Helper()
	store := models.NewStore(db)
	svc := reviewers.New(store, cfg, fetcher, nil).WithPasswordParams(auth.TestParams)
	engine, err := web.New()
	if err != nil {
		t.Fatal(err)
	}
	rc := routes.Config{Service: svc, Web: engine, Version: "test", Fetcher: fetcher}
	for _, o := range opts {
		o(&rc)
	}
	h := routes.New(rc)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, store: store, svc: svc, srv: srv, users: map[models.Role]*models.User{},
		passwords: map[models.Role]string{}, tokens: map[models.Role]string{}}
	ctx := context.Background()
	for _, r := range models.Roles {
		u, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: string(r) + "@test.example", Name: "Test " + string(r), Role: r, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		e.users[r] = u
		e.passwords[r] = testPassword
		_, tok, err := svc.CreateToken(ctx, models.System, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[r] = tok
	}
	return e
}

// apiResponse is a decoded JSON answer.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r apiResponse) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errorCode returns the code of a JSON error answer.
func (r apiResponse) errorCode(t *testing.T) string {
	t.Helper()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	r.decode(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not a JSON error: %s", r.Body)
	}
	return e.Error.Code
}

// api calls the API as the role's token holder (role "" sends no token).
func (e *env) api(role models.Role, method, path string, body any) apiResponse {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	return e.do(req)
}

func (e *env) do(req *http.Request) apiResponse {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// browser is a cookie-keeping client that signs in through the form.
type browser struct {
	e      *env
	client *http.Client
	csrf   string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// get fetches a page and remembers the CSRF token it carries.
func (b *browser) get(path string) apiResponse {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	r := b.send(req)
	if m := csrfInput.FindSubmatch(r.Body); m != nil {
		b.csrf = string(m[1])
	}
	return r
}

// post sends a form with the remembered CSRF token (unless the form sets one).
func (b *browser) post(path string, form url.Values) apiResponse {
	b.e.t.Helper()
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", b.csrf)
	}
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r := b.send(req)
	if m := csrfInput.FindSubmatch(r.Body); m != nil {
		b.csrf = string(m[1])
	}
	return r
}

func (b *browser) send(req *http.Request) apiResponse {
	b.e.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// signIn signs the browser in as the role's user and loads the front page.
func (b *browser) signIn(role models.Role) {
	b.e.t.Helper()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {b.e.users[role].Email}, "password": {b.e.passwords[role]}})
	if r.Status != http.StatusSeeOther {
		b.e.t.Fatalf("sign in as %s: status %d: %s", role, r.Status, r.Body)
	}
	if r := b.get("/"); r.Status != http.StatusOK {
		b.e.t.Fatalf("front page after sign-in: %d", r.Status)
	}
}

// tokenClient calls the API with one user's token.
type tokenClient struct {
	e     *env
	token string
}

func (c tokenClient) api(method, path string, body any) apiResponse {
	c.e.t.Helper()
	saved := c.e.tokens["_extra"]
	c.e.tokens["_extra"] = c.token
	defer func() { c.e.tokens["_extra"] = saved }()
	return c.e.api("_extra", method, path, body)
}

// extraUser adds another user of a role, with a token.
func (e *env) extraUser(t *testing.T, email string, role models.Role) tokenClient {
	t.Helper()
	u, _, err := e.svc.CreateUser(context.Background(), models.System, reviewers.NewUserInput{Email: email, Name: "Extra " + string(role), Role: role, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	e.users[models.Role(email)] = u
	e.passwords[models.Role(email)] = testPassword
	_, tok, err := e.svc.CreateToken(context.Background(), models.System, u.ID, "extra")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens[models.Role(email)] = tok
	return tokenClient{e: e, token: tok}
}
