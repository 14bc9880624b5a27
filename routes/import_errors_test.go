package routes_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"factdesk/fetch"
	"factdesk/internal/testdb"
	"factdesk/internal/vnu"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
)

// anIPAddress matches an IPv4 address or the start of an IPv6 one.
var anIPAddress = regexp.MustCompile(`\b\d{1,3}(\.\d{1,3}){3}\b|\[?[0-9a-fA-F]*::`)

// TestURLImportErrorsSayWhatHappened imports pages that cannot be imported
// (from a real local server, an unresolvable name under the reserved
// .invalid domain and an address on a private network) through the import
// form, the API and the "new version" form, and checks that each says
// what happened in words, names the host and never an address or the
// resolver's words; the forms keep the URL and offer the text box. The
// whole error is in the log, with the request id.
func TestURLImportErrorsSayWhatHappened(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.Error(w, "gone", http.StatusNotFound)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/big":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(strings.Repeat("A long sentence. ", 1000)))
		case "/empty":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html><html><head></head><body><script>var x = 1;</script></body></html>"))
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.7"))
		}
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	host := "localhost:" + u.Port() // by name: the message names the host as the URL gave it
	base := "http://" + host
	cases := []struct {
		name, url, want string
	}{
		{"404", base + "/missing", host + " answered 404 Not Found"},
		{"timeout", base + "/slow", host + " did not answer in time"},
		{"redirect loop", base + "/loop", host + " redirected factdesk too many times"},
		{"too large", base + "/big", "the page at " + host + " is larger than factdesk fetches"},
		{"not html", base + "/pdf", "the page at " + host + " is not an article factdesk can read"},
		{"no article in it", base + "/empty", "the page at " + base + "/empty is not an article factdesk can read"},
		{"no such host", "https://www.factdesk-test.invalid/story", "factdesk could not reach www.factdesk-test.invalid"},
		{"private network", "http://10.1.2.3/story", "factdesk does not fetch addresses on private networks"},
	}
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		var logged syncBuffer
		e := newEnvWith(t, db, reviewers.Config{},
			fetch.New(fetch.Config{AllowHosts: []string{"localhost"}, Timeout: 500 * time.Millisecond, MaxBytes: 4000}),
			func(rc *routes.Config) { rc.Logger = slog.New(slog.NewTextHandler(&logged, nil)) })
		a := e.importSmall(t, "Council", "The council met on Monday. It approved the budget.")
		b := e.browser()
		b.signIn(models.RoleChecker)
		clean := func(t *testing.T, where, msg string) {
			t.Helper()
			if ip := anIPAddress.FindString(msg); ip != "" {
				t.Errorf("%s: %q shows the address %q", where, msg, ip)
			}
			for _, word := range []string{"lookup", "dial tcp", "fetch http", "could not be fetched"} {
				if strings.Contains(msg, word) {
					t.Errorf("%s: %q says %q", where, msg, word)
				}
			}
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				forms := map[string]string{"import form": "/import", "new version form": formPath("/articles/%d/revisions", a.ID)}
				for where, p := range forms {
					b.get("/import")
					r := b.post(p, url.Values{"url": {tc.url}, "format": {""}}) // the form's default format
					if r.Status < 400 || r.Status > 499 {
						t.Fatalf("%s: got %d, want the form again with a 4xx", where, r.Status)
					}
					page := doc(t, r)
					alerts := findAll(page, func(n *html.Node) bool { return attr(n, "role") == "alert" })
					if len(alerts) != 1 {
						t.Fatalf("%s: %d alerts, want 1", where, len(alerts))
					}
					msg := textOf(alerts[0])
					if !strings.Contains(msg, tc.want) {
						t.Errorf("%s: got %q, want it to say %q", where, msg, tc.want)
					}
					clean(t, where, msg)
					if in := findAll(page, func(n *html.Node) bool { return attr(n, "id") == "url" }); len(in) != 1 || attr(in[0], "value") != tc.url {
						t.Errorf("%s: the URL is not kept on the form", where)
					}
					body := findAll(page, func(n *html.Node) bool { return attr(n, "id") == "body" })
					hint := findAll(page, func(n *html.Node) bool { return attr(n, "id") == "body-hint" })
					if len(body) != 1 || !attrSet(body[0], "autofocus") || len(hint) != 1 || attr(body[0], "aria-describedby") != "body-hint" ||
						!strings.Contains(textOf(hint[0]), "paste") {
						t.Errorf("%s: the text box is not offered (focused, with a hint to paste the text)", where)
					}
				}

				r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"url": tc.url})
				if r.Status < 400 || r.Status > 499 {
					t.Fatalf("API: got %d, want a 4xx: %s", r.Status, r.Body)
				}
				got := r.apiError(t)
				if got.Field != "url" || !strings.Contains(got.Message, tc.want) || !strings.Contains(got.Message, "body") {
					t.Errorf("API: got %+v, want field url, saying %q and to send the text as body", got, tc.want)
				}
				clean(t, "API", got.Message)
			})
		}
		// The log keeps what the person is not shown, with the request id.
		for _, line := range strings.Split(logged.String(), "\n") {
			if strings.Contains(line, "www.factdesk-test.invalid") && strings.Contains(line, "no such host") {
				if !strings.Contains(line, "request_id=") {
					t.Errorf("log line without request id: %s", line)
				}
				return
			}
		}
		t.Errorf("the log does not have the resolver's answer:\n%s", logged.String())
	})
}

// TestRetrieveNowReturnsToTheSource retrieves sources from the source's
// page: success and failure both return to the source's page (so that a
// reload does not retrieve again), a failure saying what happened without
// an address.
func TestRetrieveNowReturnsToTheSource(t *testing.T) {
	srv := httptestServer(t, "<!DOCTYPE html><html><head><title>Release</title></head><body><p>The budget passed.</p></body></html>")
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{}, fetch.New(fetch.Config{AllowHosts: []string{"localhost"}}))
		b := e.browser()
		b.signIn(models.RoleChecker)
		port := strings.TrimPrefix(srv.URL[strings.LastIndex(srv.URL, ":"):], ":")
		for _, tc := range []struct {
			name, url, want string
			problem         bool
		}{
			{"retrieved", "http://localhost:" + port + "/release", "Retrieved: HTTP 200", false},
			{"no such host", "https://press.factdesk-test.invalid/release", "Not retrieved: factdesk could not reach press.factdesk-test.invalid", true},
			{"private network", "http://10.1.2.3/release", "Not retrieved: factdesk does not fetch addresses on private networks", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := e.createSource(t, map[string]any{"url": tc.url})
				back := formPath("/sources/%d", s.ID)
				b.get(back)
				r := b.post(back+"/retrieve", url.Values{})
				if r.Status != http.StatusSeeOther || r.Header.Get("Location") != back {
					t.Fatalf("retrieve: %d → %q, want 303 to %s", r.Status, r.Header.Get("Location"), back)
				}
				page := doc(t, b.get(back))
				class := map[bool]string{true: "alert", false: "flash"}[tc.problem]
				shown := findAll(page, func(n *html.Node) bool { return hasClass(n, class) })
				if len(shown) != 1 || !strings.Contains(textOf(shown[0]), tc.want) {
					t.Fatalf("source page: %d .%s, want one saying %q", len(shown), class, tc.want)
				}
				if ip := anIPAddress.FindString(textOf(shown[0])); ip != "" || strings.Contains(textOf(shown[0]), "lookup") {
					t.Errorf("source page: %q shows an address or the resolver's words", textOf(shown[0]))
				}
			})
		}
	})
}

// TestImportConfirmationCounts checks the words that count on the import
// form's and the second-opinion form's confirmations: "1 sentence",
// "2 sentences", "1 label".
func TestImportConfirmationCounts(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	b := e.browser()
	b.signIn(models.RoleChecker)
	flashAfter := func(t *testing.T, r apiResponse) string {
		t.Helper()
		if r.Status != http.StatusSeeOther {
			t.Fatalf("post: %d %s", r.Status, alertText(r))
		}
		flash := findAll(doc(t, b.get(r.Header.Get("Location"))), func(n *html.Node) bool { return hasClass(n, "flash") })
		if len(flash) != 1 {
			t.Fatalf("%d confirmations, want 1", len(flash))
		}
		return textOf(flash[0])
	}
	for _, tc := range []struct{ body, want string }{
		{"The council met on Monday.", "Imported: 1 sentence, 0 excluded."},
		{"The council met on Tuesday. It approved the budget.", "Imported: 2 sentences, 0 excluded."},
	} {
		b.get("/import")
		if got := flashAfter(t, b.post("/import", url.Values{"body": {tc.body}, "format": {"text"}})); got != tc.want {
			t.Errorf("import of %q: got %q, want %q", tc.body, got, tc.want)
		}
	}

	a := e.importSmall(t, "Opinion", "The mayor resigned on Friday. Her deputy takes over.")
	for _, s := range a.Sentences {
		if r := patch(e, models.RoleAdmin, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != http.StatusOK {
			t.Fatal(r.Status, string(r.Body))
		}
	}
	var o models.SecondOpinion
	e.api(models.RoleEditor, "POST", formPath("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": e.users[models.RoleChecker].ID}).decode(t, &o)
	b.get(formPath("/opinions/%d", o.ID))
	if got, want := flashAfter(t, b.post(formPath("/opinions/%d/labels", o.ID), url.Values{"label_" + itoa(a.Sentences[0].ID): {"fact"}})), "1 label saved."; got != want {
		t.Errorf("one label: got %q, want %q", got, want)
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines may write to
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// attrSet reports whether the element has the attribute, whatever its value.
func attrSet(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// TestImportFormFetchesURL imports a page by its URL through the import
// form as a person does, leaving the format select as the form offers it:
// the article is the page's text, not its HTML source.
func TestImportFormFetchesURL(t *testing.T) {
	srv := httptestServer(t, `<!DOCTYPE html><html><head><title>Bridge opens</title></head>
<body><article><h1>Bridge opens</h1><p>The mayor opened the bridge on Monday. It cost $4.2bn.</p></article></body></html>`)
	e := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{},
		fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
	b := e.browser()
	b.signIn(models.RoleChecker)
	form := doc(t, b.get("/import"))
	options := findAll(form, func(n *html.Node) bool {
		return n.Data == "option" && n.Parent != nil && attr(n.Parent, "id") == "format"
	})
	if len(options) == 0 {
		t.Fatal("no format select on the import form")
	}
	format := attr(options[0], "value")
	for _, o := range options {
		if attrSet(o, "selected") {
			format = attr(o, "value")
		}
	}
	r := b.post("/import", url.Values{"url": {srv.URL + "/bridge"}, "format": {format}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("import: %d %s", r.Status, alertText(r))
	}
	page := doc(t, b.get(r.Header.Get("Location")))
	var texts []string
	for _, s := range findAll(page, func(n *html.Node) bool { return hasClass(n, "sentence") }) {
		texts = append(texts, textOf(s))
	}
	joined := strings.Join(texts, " | ")
	if strings.Contains(joined, "<") || strings.Contains(joined, "DOCTYPE") || !strings.Contains(joined, "The mayor opened the bridge on Monday.") {
		t.Errorf("the format select's default (%q) imported %q, want the page's text", format, joined)
	}
}

// TestURLImportErrorPagesPassNuHTMLChecker runs the forms that offer the
// text box after a URL could not be imported, and the sign-in form after a
// wrong password, through the W3C Nu HTML checker.
func TestURLImportErrorPagesPassNuHTMLChecker(t *testing.T) {
	e := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{}, fetch.New(fetch.Config{}))
	a := e.importSmall(t, "Council", "The council met on Monday. It approved the budget.")
	b := e.browser()
	docs := map[string][]byte{}
	b.get("/login")
	docs["login-wrong-password"] = b.post("/login", url.Values{"email": {e.users[models.RoleChecker].Email}, "password": {"not the password"}}).Body
	b.signIn(models.RoleChecker)
	docs["import-url-refused"] = b.post("/import", url.Values{"url": {"http://10.1.2.3/story"}, "format": {""}}).Body
	docs["revise-url-refused"] = b.post(formPath("/articles/%d/revisions", a.ID), url.Values{"url": {"http://10.1.2.3/story"}, "format": {""}}).Body
	for name, doc := range docs {
		if !bytes.Contains(doc, []byte(`id="body-hint"`)) && !strings.HasPrefix(name, "login") {
			t.Errorf("%s: not the form offering the text box", name)
		}
	}
	for name, msgs := range vnu.Check(t, docs) {
		for _, m := range msgs {
			t.Errorf("%s: %s", name, m)
		}
	}
}

// TestRetrieveAPISaysWhatHappened: the API's retrieve (which the service
// answers without the page's trace) says in words why a page could not be
// reached, never the resolver's message or an address.
func TestRetrieveAPISaysWhatHappened(t *testing.T) {
	e := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{}, fetch.New(fetch.Config{}))
	s := e.createSource(t, map[string]any{"url": "https://press.factdesk-test.invalid/release"})
	r := e.api(models.RoleChecker, "POST", formPath("/api/v1/sources/%d/retrieve", s.ID), nil)
	if r.Status < 400 {
		t.Fatalf("retrieve of an unknown host: %d", r.Status)
	}
	msg := string(r.Body)
	if !strings.Contains(msg, "factdesk could not reach press.factdesk-test.invalid") {
		t.Errorf("the answer does not say what happened: %s", msg)
	}
	if anIPAddress.MatchString(msg) || strings.Contains(msg, "lookup") {
		t.Errorf("the answer shows an address or the resolver's words: %s", msg)
	}
}
