package routes_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// doc parses a page and fails the test when it is not HTML.
func doc(t *testing.T, r apiResponse) *html.Node {
	t.Helper()
	n, err := html.Parse(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// findAll returns the elements for which match is true, in document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestImportFormAndArticlePage(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		b := e.browser()
		b.signIn(models.RoleChecker)

		// A bad date comes back on the form, with the user's text kept.
		b.get("/import")
		r := b.post("/import", url.Values{"body": {"Text that is kept."}, "published_at": {"not a date"}, "title": {"Kept title"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad date: %d", r.Status)
		}
		page := doc(t, r)
		alerts := findAll(page, func(n *html.Node) bool { return attr(n, "role") == "alert" })
		if len(alerts) != 1 || !strings.Contains(textOf(alerts[0]), "Published") {
			t.Errorf("no readable error on the form: %v", alerts)
		}
		if ta := findAll(page, func(n *html.Node) bool { return n.Data == "textarea" }); len(ta) != 1 || textOf(ta[0]) != "Text that is kept." {
			t.Error("the text was not kept on the form")
		}

		r = b.post("/import", url.Values{"body": {seedArticle(t)}, "format": {"text"}, "outlet": {"Example News"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		r = b.get(loc)
		if r.Status != 200 {
			t.Fatalf("article page %s: %d", loc, r.Status)
		}
		page = doc(t, r)
		sents := findAll(page, func(n *html.Node) bool { return hasClass(n, "sentence") })
		if len(sents) != 30 {
			t.Fatalf("sentences on the page: %d, want 30", len(sents))
		}
		var excluded []string
		for _, s := range sents {
			if attr(s, "data-status") == "excluded" {
				excluded = append(excluded, attr(s, "id")+": "+textOf(s))
			}
		}
		if len(excluded) != 2 || !strings.Contains(excluded[0], "s-5") || !strings.Contains(excluded[1], "duplicate") {
			t.Errorf("excluded sentences: %q", excluded)
		}
		if flash := findAll(page, func(n *html.Node) bool { return hasClass(n, "flash") }); len(flash) != 1 || !strings.Contains(textOf(flash[0]), "30 sentences") {
			t.Errorf("no confirmation after import")
		}
		if h1 := findAll(page, func(n *html.Node) bool { return n.Data == "h1" }); len(h1) != 1 || textOf(h1[0]) != "755 US diplomats ousted" {
			t.Errorf("title: %v", h1)
		}

		// The list shows it with its progress, and search finds it.
		list := doc(t, b.get("/?q=DIPLOMATS"))
		rows := findAll(list, func(n *html.Node) bool { return n.Data == "tr" })
		if len(rows) != 2 || !strings.Contains(textOf(rows[1]), "755 US diplomats ousted") {
			t.Errorf("search result rows: %d", len(rows))
		}
		if p := findAll(list, func(n *html.Node) bool { return n.Data == "progress" }); len(p) != 1 || attr(p[0], "max") != "30" || attr(p[0], "value") != "2" {
			t.Errorf("progress bar: %v", p)
		}
		none := doc(t, b.get("/?q=no+such+title"))
		if rows := findAll(none, func(n *html.Node) bool { return n.Data == "tr" }); len(rows) != 0 {
			t.Errorf("search for a missing title found %d rows", len(rows))
		}
	})
}

func TestArticleListPages(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		for i := 0; i < 7; i++ {
			r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{
				"title": "Story " + itoa(int64(i)), "body": "Story number " + itoa(int64(i)) + " happened. It was news."})
			if r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		var seen []string
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			r := e.api(models.RoleViewer, "GET", "/api/v1/articles?limit=3"+cursor, nil)
			var p struct {
				Articles []struct {
					Title string `json:"title"`
				} `json:"articles"`
				Next int64 `json:"next_cursor"`
			}
			r.decode(t, &p)
			for _, a := range p.Articles {
				seen = append(seen, a.Title)
			}
			if p.Next == 0 {
				break
			}
			cursor = "&cursor=" + itoa(p.Next)
		}
		want := "Story 6,Story 5,Story 4,Story 3,Story 2,Story 1,Story 0"
		if got := strings.Join(seen, ","); got != want {
			t.Errorf("pages: got %s, want %s", got, want)
		}
		if r := e.api(models.RoleViewer, "GET", "/api/v1/articles?limit=0", nil); r.Status != 422 {
			t.Errorf("limit=0: %d", r.Status)
		}
		if r := e.api(models.RoleViewer, "GET", "/api/v1/articles?status=lost", nil); r.Status != 422 {
			t.Errorf("unknown status: %d", r.Status)
		}
	})
}

func TestUsersPage(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		b := e.browser()
		b.signIn(models.RoleAdmin)
		b.get("/users")
		r := b.post("/users", url.Values{"name": {"Nadia Newcomer"}, "email": {"nadia@test.example"}, "role": {"checker"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add user: %d", r.Status)
		}
		secret := findAll(doc(t, b.get(r.Header.Get("Location"))), func(n *html.Node) bool { return hasClass(n, "copy") })
		if len(secret) != 1 || len(textOf(secret[0])) < 10 {
			t.Fatal("generated password not shown once")
		}
		// The new user signs in with the shown password.
		u, err := e.store.UserByEmail(t.Context(), "nadia@test.example")
		if err != nil {
			t.Fatal(err)
		}
		e.users["nadia"] = u
		e.passwords["nadia"] = textOf(secret[0])
		nb := e.browser()
		nb.signIn("nadia")

		r = b.post("/users", url.Values{"name": {"Dup"}, "email": {"nadia@test.example"}, "role": {"viewer"}})
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "exists") {
			t.Errorf("duplicate e-mail: %d", r.Status)
		}
		// Disabling ends the user's sessions at once.
		r = b.post("/users/"+itoa(u.ID), url.Values{"disabled": {"true"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("disable: %d", r.Status)
		}
		if r := nb.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("disabled user's page: %d, want a redirect to sign in", r.Status)
		}
		// An admin cannot disable themselves.
		r = b.post("/users/"+itoa(e.users[models.RoleAdmin].ID), url.Values{"disabled": {"true"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("self-disable: %d", r.Status)
		}
	})
}
