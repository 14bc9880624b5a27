package routes_test

import (
	"net/http"
	"net/url"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestSignInNeverLeavesTheSite: whatever next= a link carries, signing in
// lands on a page of this site (issue 18, finding 2: "/%09/host" and
// "/%09%5Chost" passed the old check, and browsers turn them into
// "//host").
func TestSignInNeverLeavesTheSite(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	user := e.users[models.RoleChecker]
	for _, tc := range []struct{ next, want string }{
		{"/%09/evil.example", "/work"},
		{"/%09%5Cevil.example", "/work"},
		{"/\t/evil.example", "/work"},
		{"/\t\\evil.example", "/work"},
		{"/\r\n/evil.example", "/work"},
		{"/\\evil.example", "/work"},
		{"/%5Cevil.example", "/work"},
		{"/%2509/evil.example", "/%2509/evil.example"}, // a path on this site: browsers do not decode it
		{"//evil.example", "/work"},
		{"///evil.example", "/work"},
		{"https://evil.example/", "/work"},
		{"javascript:alert(1)", "/work"},
		{"evil.example", "/work"},
		{"", "/work"},
		{"/sources?q=a%20b#top", "/sources?q=a%20b#top"},
		{"/articles/1?s=3", "/articles/1?s=3"},
	} {
		b := e.browser()
		b.get("/login")
		// The form posts next as the sign-in page received it (a link's
		// "?next=/%09/x" arrives as "/\t/x"); both forms are tried.
		r := b.post("/login", url.Values{"email": {user.Email}, "password": {testPassword}, "next": {tc.next}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != tc.want {
			t.Errorf("next=%q: %d to %q, want %q", tc.next, r.Status, r.Header.Get("Location"), tc.want)
		}
	}
}
