package routes_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// browserFrom is a browser whose connections come from the loopback
// address ip (127.0.0.2 …), so that the server, which trusts no proxy
// header, sees the sign-ins come from that address.
func (e *env) browserFrom(ip string) *browser {
	b := e.browser()
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	b.client = &http.Client{Jar: jar, Transport: &http.Transport{DialContext: dialer.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return b
}

// flashOf returns the confirmation on a page.
func flashOf(t *testing.T, r apiResponse) string {
	t.Helper()
	ns := findAll(doc(t, r), func(n *html.Node) bool { return attr(n, "class") == "flash" })
	if len(ns) != 1 {
		return ""
	}
	return textOf(ns[0])
}

// TestPasswordResetRevokesTokens: an admin's new password for a user, on
// the users page, ends the user's sessions and revokes every API token of
// theirs at once on this server (the token cache is emptied), says how
// many in the confirmation, and writes a token.revoke event for each; an
// admin's new password of their own revokes their tokens too.
func TestPasswordResetRevokesTokens(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		checker := e.users[models.RoleChecker]
		_, second, err := e.svc.CreateToken(ctx, models.System, checker.ID, "second")
		if err != nil {
			t.Fatal(err)
		}
		third, _, err := e.svc.CreateToken(ctx, models.System, checker.ID, "revoked before")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RevokeToken(ctx, models.System, third.ID); err != nil {
			t.Fatal(err)
		}
		// Both tokens work, and are remembered by the token cache.
		for _, tok := range []string{e.tokens[models.RoleChecker], second} {
			if r := (tokenClient{e: e, token: tok}).api("GET", "/api/v1/me", nil); r.Status != http.StatusOK {
				t.Fatalf("token before the reset: %d %s", r.Status, r.Body)
			}
		}
		user := e.browser()
		user.signIn(models.RoleChecker)

		admin := e.browser()
		admin.signIn(models.RoleAdmin)
		admin.get("/users")
		r := admin.post(formPath("/users/%d", checker.ID), url.Values{"reset_password": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("new password: %d %s", r.Status, r.Body)
		}
		page := admin.get("/users")
		if got, want := flashOf(t, page), "New password set for "+checker.Name+"; their sessions were ended and 2 API tokens were revoked."; got != want {
			t.Errorf("confirmation: %q, want %q", got, want)
		}
		for _, tok := range []string{e.tokens[models.RoleChecker], second} {
			if r := (tokenClient{e: e, token: tok}).api("GET", "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
				t.Errorf("token after the reset: %d, want 401 at once", r.Status)
			}
		}
		if r := user.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("the user's session after the reset: %d, want a redirect to sign in", r.Status)
		}
		toks, err := e.store.Tokens(ctx, checker.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range toks {
			if tk.RevokedAt == nil {
				t.Errorf("token %q is live after the reset", tk.Name)
			}
		}
		events, err := e.store.GlobalEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		revokedBy := map[int64]string{}
		for _, ev := range events {
			if ev.Action == "token.revoke" {
				revokedBy[ev.EntityID] = ev.Actor
			}
		}
		for _, tk := range toks {
			if tk.ID == third.ID {
				if revokedBy[tk.ID] != models.System.Label() {
					t.Errorf("the token revoked before: event by %q, want the one revocation", revokedBy[tk.ID])
				}
				continue
			}
			if want := e.users[models.RoleAdmin].Actor().Label(); revokedBy[tk.ID] != want {
				t.Errorf("token %q: token.revoke by %q, want one by %q", tk.Name, revokedBy[tk.ID], want)
			}
		}

		// An admin's own new password revokes their own tokens too.
		self := e.browser()
		self.signIn(models.RoleAdmin)
		self.get("/users")
		r = self.post(formPath("/users/%d", e.users[models.RoleAdmin].ID), url.Values{"reset_password": {"1"}})
		if r.Status != http.StatusOK || !strings.Contains(flashOf(t, r), "and 1 API token was revoked") {
			t.Errorf("own new password: %d, confirmation %q", r.Status, flashOf(t, r))
		}
		if r := e.api(models.RoleAdmin, "GET", "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("own token after one's own new password: %d, want 401", r.Status)
		}
		// Other users' tokens are untouched.
		if r := e.api(models.RoleEditor, "GET", "/api/v1/me", nil); r.Status != http.StatusOK {
			t.Errorf("another user's token: %d", r.Status)
		}
	})
}

// TestUsersPageSaysWhenDisableCounts: where an admin disables a user, the
// page says it counts at once here and within the token cache's time on
// other servers, from the setting the server runs with.
func TestUsersPageSaysWhenDisableCounts(t *testing.T) {
	for _, tc := range []struct {
		ttl  time.Duration
		want string
	}{
		{0, fmt.Sprintf("Takes effect at once here and within %d seconds on other servers.", models.DefaultTokenCacheTTL/time.Second)},
		{2 * time.Minute, "Takes effect at once here and within 2 minutes on other servers."},
		{-1, "Takes effect at once on every server."},
	} {
		t.Run(tc.ttl.String(), func(t *testing.T) {
			e := newEnv(t, testdb.OpenWith(t, testdb.SQLite, models.Options{TokenCacheTTL: tc.ttl}))
			admin := e.browser()
			admin.signIn(models.RoleAdmin)
			page := admin.get("/users")
			notes := findAll(doc(t, page), func(n *html.Node) bool { return attr(n, "id") == "disable-note" })
			if len(notes) != 1 || !strings.Contains(textOf(notes[0]), tc.want) {
				t.Fatalf("the users page does not say %q by the Disable buttons", tc.want)
			}
			disable := findAll(doc(t, page), func(n *html.Node) bool { return attr(n, "name") == "disabled" && attr(n, "value") == "true" })
			if len(disable) == 0 || attr(disable[0], "aria-describedby") != "disable-note" {
				t.Error("the Disable buttons are not described by the note")
			}
			r := admin.post(formPath("/users/%d", e.users[models.RoleViewer].ID), url.Values{"disabled": {"true"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("disable: %d %s", r.Status, r.Body)
			}
			if got := flashOf(t, admin.get("/users")); !strings.HasPrefix(got, "Disabled "+e.users[models.RoleViewer].Name) || !strings.HasSuffix(got, tc.want) {
				t.Errorf("confirmation %q, want it to say %q", got, tc.want)
			}
		})
	}
}

// TestSignInBehindSharedAddress: one person behind a newsroom's shared
// address (X) guessing at a colleague's password (A), and at others',
// slows only those accounts from that address: a colleague (B) signs in from X, and A from
// home (Y). An address trying a thousand accounts is stopped, for every
// account, while other addresses are not. The database's clock stands
// still, so that no wait runs out while the test runs.
func TestSignInBehindSharedAddress(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) { testSignInBehindSharedAddress(t, k) })
	}
}

func testSignInBehindSharedAddress(t *testing.T, k testdb.Kind) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	e := newEnv(t, testdb.OpenWith(t, k, models.Options{Clock: func() time.Time { return now }}))
	const x, y, sprayer = "127.0.0.1", "127.0.0.2", "127.0.0.3"
	a, b := e.users[models.RoleEditor], e.users[models.RoleChecker]
	signIn := func(from, email, password string) apiResponse {
		t.Helper()
		br := e.browserFrom(from)
		br.get("/login")
		return br.post("/login", url.Values{"email": {email}, "password": {password}})
	}

	attacker := e.browserFrom(x)
	attacker.get("/login")
	outcomes := map[int]int{}
	for i := range 40 {
		r := attacker.post("/login", url.Values{"email": {a.Email}, "password": {fmt.Sprintf("guess %d", i)}})
		outcomes[r.Status]++
	}
	if outcomes[http.StatusUnauthorized] != reviewers.FreeFailures || outcomes[http.StatusTooManyRequests] != 40-reviewers.FreeFailures {
		t.Errorf("40 guesses from X: %v; want %d checked and the rest told to wait", outcomes, reviewers.FreeFailures)
	}
	// And a few guesses at other accounts: more failures from X than the
	// 30 that used to shut X out.
	for i := range 40 {
		if r := attacker.post("/login", url.Values{"email": {fmt.Sprintf("colleague%d@test.example", i/5)}, "password": {fmt.Sprintf("guess %d", i)}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("guess %d at another account from X: %d, want 401", i, r.Status)
		}
	}
	// The guesser's own address still waits for the account, even
	// with its password.
	if r := signIn(x, a.Email, testPassword); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("A's right password from X: %d (Retry-After %q), want 429", r.Status, r.Header.Get("Retry-After"))
	}
	if r := signIn(x, b.Email, testPassword); r.Status != http.StatusSeeOther {
		t.Errorf("B from X after 40 failures for A from X: %d, want signed in", r.Status)
	}
	if r := signIn(y, a.Email, testPassword); r.Status != http.StatusSeeOther {
		t.Errorf("A from Y after 40 failures for A from X: %d, want signed in", r.Status)
	}

	// A thousand failures from one address over many accounts, then
	// one more: the address waits, even with a right password.
	ctx := context.Background()
	for i := range reviewers.AddressCeiling {
		_, err := e.svc.SignIn(ctx, fmt.Sprintf("sprayed%d@test.example", i), "Summer2025!", sprayer)
		if models.ErrorCode(err) != models.EUNAUTHORIZED {
			t.Fatalf("failure %d from one address over many accounts: %v, want the password refused", i+1, err)
		}
	}
	r := signIn(sprayer, "sprayed-last@test.example", "Summer2025!")
	if r.Status != http.StatusTooManyRequests {
		t.Errorf("failure %d from one address: %d, want 429", reviewers.AddressCeiling+1, r.Status)
	}
	if r := signIn(sprayer, b.Email, testPassword); r.Status != http.StatusTooManyRequests {
		t.Errorf("B's right password from the spraying address: %d, want 429", r.Status)
	}
	if r := signIn(x, e.users[models.RoleViewer].Email, testPassword); r.Status != http.StatusSeeOther {
		t.Errorf("another address while one sprays: %d, want signed in", r.Status)
	}
}
