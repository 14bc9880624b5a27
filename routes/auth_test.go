package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

func TestSignInSessionAndCSRF(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		b := e.browser()

		// Anonymous pages send people to the sign-in form and back.
		r := b.get("/articles/1")
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Farticles%2F1" {
			t.Fatalf("anonymous article page: %d → %q", r.Status, r.Header.Get("Location"))
		}
		b.get("/login")
		r = b.post("/login", url.Values{"email": {"checker@test.example"}, "password": {"wrong password!"}})
		if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), "wrong") {
			t.Errorf("wrong password: %d", r.Status)
		}
		// A sign-in without the form's token is refused.
		r = b.post("/login", url.Values{"email": {"checker@test.example"}, "password": {testPassword}, "csrf_token": {"forged"}})
		if r.Status != http.StatusForbidden {
			t.Errorf("sign-in with a forged token: got %d, want 403", r.Status)
		}
		b.get("/login")
		r = b.post("/login", url.Values{"email": {"Checker@Test.example"}, "password": {testPassword}, "next": {"/import"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/import" {
			t.Fatalf("sign-in: %d → %q", r.Status, r.Header.Get("Location"))
		}
		var cookie *http.Cookie
		for _, c := range resp(r).Cookies() {
			if c.Name == "factdesk_session" {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie: %+v", cookie)
		}
		var stored models.Session
		if err := db.Gorm().First(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if stored.IDHash == cookie.Value || strings.Contains(stored.IDHash, cookie.Value) {
			t.Error("the database keeps the session secret itself, not its digest")
		}
		if r := b.get("/"); r.Status != http.StatusOK {
			t.Fatalf("front page: %d", r.Status)
		}
		// A state-changing form without the session's token is refused.
		r = b.post("/import", url.Values{"body": {"Some text here."}, "csrf_token": {"nope"}})
		if r.Status != http.StatusForbidden {
			t.Errorf("import without CSRF token: got %d, want 403", r.Status)
		}
		if n := countArticles(t, e); n != 0 {
			t.Errorf("a refused form changed the database: %d articles", n)
		}
		// A cross-site request is refused even with the right token.
		req, _ := http.NewRequest("POST", e.srv.URL+"/import", strings.NewReader(url.Values{"body": {"X y z."}, "csrf_token": {b.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := b.send(req); r.Status != http.StatusForbidden {
			t.Errorf("cross-site post: got %d, want 403", r.Status)
		}
		r = b.post("/import", url.Values{"body": {"The council met on Monday. It approved the budget."}, "format": {"text"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("import with the token: %d %s", r.Status, r.Body)
		}
		// Sign out ends the session in the database too.
		b.post("/logout", url.Values{})
		var n int64
		db.Gorm().Model(&models.Session{}).Count(&n)
		if n != 0 {
			t.Errorf("sessions after sign-out: %d", n)
		}
		if r := b.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("front page after sign-out: %d, want a redirect", r.Status)
		}
	})
}

func TestSignInThrottle(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		b := e.browser()
		var last apiResponse
		for i := 0; i < 7; i++ {
			b.get("/login")
			last = b.post("/login", url.Values{"email": {"editor@test.example"}, "password": {"not the password"}})
		}
		if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
			t.Fatalf("after 7 failures: got %d (Retry-After %q), want 429", last.Status, last.Header.Get("Retry-After"))
		}
		// Even the right password waits: the account is slowed, not the guess.
		b.get("/login")
		if r := b.post("/login", url.Values{"email": {"editor@test.example"}, "password": {testPassword}}); r.Status != http.StatusTooManyRequests {
			t.Errorf("right password while throttled: got %d, want 429", r.Status)
		}
		// Another account from another address is not affected.
		other := e.browser()
		other.signIn(models.RoleViewer)
	})
}

func TestBearerTokens(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		r := e.api(models.RoleViewer, "GET", "/api/v1/me", nil)
		var me models.User
		r.decode(t, &me)
		if r.Status != 200 || me.Email != "viewer@test.example" {
			t.Fatalf("me: %d %s", r.Status, r.Body)
		}
		if strings.Contains(string(r.Body), "argon2") {
			t.Error("the password hash leaks through /me")
		}
		if r := e.api("", "GET", "/api/v1/articles", nil); r.Status != 401 || r.errorCode(t) != "unauthorized" {
			t.Errorf("no token: %d %s", r.Status, r.Body)
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/articles", nil)
		req.Header.Set("Authorization", "Bearer fdk_not-a-token")
		if r := e.do(req); r.Status != 401 {
			t.Errorf("bad token: %d", r.Status)
		}
		// A revoked token stops working at once.
		toks, err := e.store.Tokens(t.Context(), e.users[models.RoleViewer].ID)
		if err != nil || len(toks) != 1 {
			t.Fatal(err, toks)
		}
		if err := e.svc.RevokeToken(t.Context(), e.users[models.RoleViewer].Actor(), toks[0].ID); err != nil {
			t.Fatal(err)
		}
		if r := e.api(models.RoleViewer, "GET", "/api/v1/me", nil); r.Status != 401 {
			t.Errorf("revoked token: got %d, want 401", r.Status)
		}
		// Token requests need no CSRF token: they carry no ambient credential.
		if r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": "A short story. It ends."}); r.Status != 201 {
			t.Errorf("token import: %d %s", r.Status, r.Body)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	for _, path := range []string{"/login", "/api/v1/articles", "/healthz", "/nowhere"} {
		r := e.api("", "GET", path, nil)
		h := r.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Request-Id") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	if r := e.api("", "GET", "/nowhere", nil); r.Status != 404 {
		t.Errorf("unknown page: %d", r.Status)
	}
	if r := e.api(models.RoleViewer, "GET", "/api/v1/nowhere", nil); r.Status != 404 || r.errorCode(t) != "not_found" {
		t.Errorf("unknown API path: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleViewer, "DELETE", "/api/v1/articles", nil); r.Status != 405 {
		t.Errorf("wrong method: %d", r.Status)
	}
}

func resp(r apiResponse) *http.Response { return &http.Response{Header: r.Header} }
