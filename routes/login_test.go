package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	chromium "factdesk/internal/browser"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestFailedSignInFocusesPassword: after a wrong password the form comes
// back with the e-mail address kept, the problem once, and the password
// field focused, marked invalid and described by the problem; a fresh form
// focuses the e-mail address.
func TestFailedSignInFocusesPassword(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	b := e.browser()
	byID := func(page *html.Node, id string) *html.Node {
		t.Helper()
		n := findAll(page, func(n *html.Node) bool { return attr(n, "id") == id })
		if len(n) != 1 {
			t.Fatalf("%d elements #%s, want 1", len(n), id)
		}
		return n[0]
	}

	fresh := doc(t, b.get("/login"))
	if email, pw := byID(fresh, "email"), byID(fresh, "password"); !attrSet(email, "autofocus") || attrSet(pw, "autofocus") || attrSet(pw, "aria-invalid") {
		t.Errorf("fresh form: e-mail autofocus %v, password autofocus %v, invalid %v; want the e-mail focused only",
			attrSet(email, "autofocus"), attrSet(pw, "autofocus"), attrSet(pw, "aria-invalid"))
	}

	address := e.users[models.RoleChecker].Email
	r := b.post("/login", url.Values{"email": {address}, "password": {"not the password"}})
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.Status)
	}
	page := doc(t, r)
	email, pw := byID(page, "email"), byID(page, "password")
	if got := attr(email, "value"); got != address {
		t.Errorf("e-mail: got %q, want %q kept", got, address)
	}
	if attrSet(email, "autofocus") || !attrSet(pw, "autofocus") {
		t.Errorf("autofocus: e-mail %v, password %v; want the password field", attrSet(email, "autofocus"), attrSet(pw, "autofocus"))
	}
	if got := attr(pw, "aria-invalid"); got != "true" {
		t.Errorf("password aria-invalid: got %q, want true", got)
	}
	if described := attr(pw, "aria-describedby"); described == "" {
		t.Error("the password field has no aria-describedby, want it to point at the problem")
	} else if problem := byID(page, described); !strings.Contains(textOf(problem), "wrong") {
		t.Errorf("the password field is described by %q, want the problem", textOf(problem))
	}
	if alerts := findAll(page, func(n *html.Node) bool { return attr(n, "role") == "alert" }); len(alerts) != 1 {
		t.Errorf("%d alerts, want the problem once", len(alerts))
	}
}

// TestBrowserFailedSignInFocusesPassword signs in with a wrong password
// through the real form in Chromium: the page that comes back has the
// focus in the password field, ready for another try.
func TestBrowserFailedSignInFocusesPassword(t *testing.T) {
	ctx := chromium.New(t)
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	var focused, email string
	err := chromedp.Run(ctx,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, e.users[models.RoleChecker].Email),
		chromedp.SendKeys(`#password`, "not the password"),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`[role=alert]`),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
		chromedp.Value(`#email`, &email),
	)
	if err != nil {
		t.Fatal(err)
	}
	if focused != "password" {
		t.Errorf("focus after a wrong password: got #%s, want #password", focused)
	}
	if email != e.users[models.RoleChecker].Email {
		t.Errorf("e-mail after a wrong password: got %q, want it kept", email)
	}
}
