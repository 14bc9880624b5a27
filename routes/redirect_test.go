package routes_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"factdesk/fetch"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
)

// formPost is one successful post of a page's form: who sends it, what it
// needs beforehand, and where the person expects to land.
type formPost struct {
	role models.Role // "" posts without signing in (the sign-in form)
	// prepare makes what the form acts on, as another user would over the
	// API, and returns the path to post to and the form's fields.
	prepare func(t *testing.T, f *formFixture) (path string, form url.Values)
	// want matches the Location: the page a person expects after it.
	want string
	// quiet: the page landed on has no confirmation to show (signing in
	// and out).
	quiet bool
}

// notForms are the POST routes outside /api/v1 that no page's form
// posts to, and why.
var notForms = map[string]string{
	"POST /debug/pprof/*profile": "pprof's symbol lookup for operators' tools, API-authenticated",
}

// articleLoc is the article's page, at a sentence or not.
const articleLoc = `^/articles/\d+([?#].*)?$`

// formPosts lists a successful post of every form, by route as the router
// registers it ("POST /articles/:id/submit"). A new form route needs a case
// here, or TestEveryFormRedirects fails.
func formPosts() map[string]formPost {
	return map[string]formPost{
		// Signing in and out.
		"POST /login": {role: "", want: `^/sources$`, quiet: true, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/login", url.Values{"email": {f.e.users[models.RoleChecker].Email}, "password": {testPassword}, "next": {"/sources"}}
		}},
		"POST /logout": {role: models.RoleChecker, want: `^/login$`, quiet: true, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/logout", url.Values{}
		}},

		// Import, revisions, users and tokens.
		"POST /import": {role: models.RoleChecker, want: `^/articles/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/import", url.Values{"body": {f.unique("The council met on Monday") + ". It approved the budget."}, "format": {"text"}}
		}},
		"POST /articles/:id/revisions": {role: models.RoleChecker, want: `^/articles/\d+/revisions/2$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			a := f.article(t)
			return formPath("/articles/%d/revisions", a.ID), url.Values{"body": {a.Sentences[0].Text + " The budget grew by a tenth."}, "format": {"text"}}
		}},
		"POST /users": {role: models.RoleAdmin, want: `^/users$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/users", url.Values{"name": {"New"}, "email": {f.slug("new") + "@test.example"}, "role": {"viewer"}}
		}},
		"POST /users/:id": {role: models.RoleAdmin, want: `^/users$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/users/%d", f.e.users[models.RoleViewer].ID), url.Values{"role": {"viewer"}}
		}},
		"POST /tokens": {role: models.RoleAdmin, want: `^/users$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/tokens", url.Values{"user_id": {itoa(f.e.users[models.RoleViewer].ID)}, "name": {"script"}}
		}},
		"POST /tokens/:id/revoke": {role: models.RoleAdmin, want: `^/users$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			tok, _, err := f.e.svc.CreateToken(t.Context(), models.System, f.e.users[models.RoleViewer].ID, "to revoke")
			if err != nil {
				t.Fatal(err)
			}
			return formPath("/tokens/%d/revoke", tok.ID), url.Values{}
		}},

		// The review page's forms.
		"POST /sentences/:id": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			s := f.article(t).Sentences[0]
			return formPath("/sentences/%d", s.ID), url.Values{"label": {"fact"}, "version": {fmt.Sprint(s.Version)}}
		}},
		"POST /articles/:id/undo": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			a := f.article(t)
			f.label(t, models.RoleChecker, a.Sentences[0], "fact")
			return formPath("/articles/%d/undo", a.ID), url.Values{}
		}},
		"POST /articles/:id/redo": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			a := f.article(t)
			f.label(t, models.RoleChecker, a.Sentences[0], "fact")
			f.ok(t, f.e.api(models.RoleChecker, "POST", formPath("/api/v1/articles/%d/undo", a.ID), nil))
			return formPath("/articles/%d/redo", a.ID), url.Values{}
		}},
		"POST /articles/:id/start-review": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/start-review", f.article(t).ID), url.Values{}
		}},
		"POST /articles/:id/submit": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/submit", f.labeled(t).ID), url.Values{}
		}},
		"POST /articles/:id/approve": {role: models.RoleEditor, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/approve", f.submitted(t)), url.Values{}
		}},
		"POST /articles/:id/request-changes": {role: models.RoleEditor, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/request-changes", f.submitted(t)), url.Values{"comment": {"Source the second sentence."}}
		}},
		"POST /articles/:id/reopen": {role: models.RoleEditor, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			id := f.submitted(t)
			f.ok(t, f.e.api(models.RoleAdmin, "POST", formPath("/api/v1/articles/%d/approve", id), nil))
			return formPath("/articles/%d/reopen", id), url.Values{"comment": {"A correction came in."}}
		}},
		"POST /articles/:id/comments": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/comments", f.article(t).ID), url.Values{"body": {"Who said this?"}}
		}},
		"POST /comments/:id/resolve": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			var cm struct {
				ID int64 `json:"id"`
			}
			f.ok(t, f.e.api(models.RoleEditor, "POST", formPath("/api/v1/articles/%d/comments", f.article(t).ID), map[string]any{"body": "Check the date."})).decode(t, &cm)
			return formPath("/comments/%d/resolve", cm.ID), url.Values{}
		}},
		"POST /sentences/:id/attribution": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/sentences/%d/attribution", f.article(t).Sentences[1].ID), url.Values{"speaker": {"the council"}, "cue": {"said"}}
		}},
		"POST /articles/:id/suggestions": {role: models.RoleEditor, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/suggestions", f.article(t).ID), url.Values{}
		}},
		"POST /articles/:id/suggestions/accept": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/suggestions/accept", f.article(t).ID), url.Values{"from": {"1"}, "to": {"2"}}
		}},

		// The report page's fact-check URL.
		"POST /articles/:id/factcheck-url": {role: models.RoleChecker, want: `^/articles/\d+/report$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/factcheck-url", f.article(t).ID), url.Values{"factcheck_url": {"https://factcheck.example/" + f.slug("council")}}
		}},

		// Sources and citations.
		"POST /sources": {role: models.RoleChecker, want: `^/sources/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/sources", url.Values{"kind": {"person"}, "title": {f.unique("Council clerk")}}
		}},
		"POST /sources/:id": {role: models.RoleChecker, want: `^/sources/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			s := f.e.createSource(t, map[string]any{"kind": "person", "title": f.unique("Budget office")})
			return formPath("/sources/%d", s.ID), url.Values{"kind": {"person"}, "title": {s.Title + ", edited"}}
		}},
		"POST /sources/:id/retrieve": {role: models.RoleChecker, want: `^/sources/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			s := f.e.createSource(t, map[string]any{"url": f.page + "/" + f.slug("release")})
			return formPath("/sources/%d/retrieve", s.ID), url.Values{}
		}},
		"POST /sentences/:id/citations": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/sentences/%d/citations", f.article(t).Sentences[0].ID), url.Values{"url": {"https://minutes.example/" + f.slug("m")}, "relation": {"supports"}}
		}},
		"POST /citations/:id/delete": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			s := f.e.createSource(t, map[string]any{"kind": "person", "title": f.unique("Mayor's office")})
			cit := f.e.citeOverAPI(t, f.article(t).Sentences[0].ID, s.ID, "context")
			return formPath("/citations/%d/delete", cit.ID), url.Values{}
		}},
		"POST /sentences/:id/reuse": {role: models.RoleChecker, want: articleLoc, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			const claim = "The bill targets Russian energy, financial, railways, shipping and metals and mining sectors."
			from := f.e.importSmall(t, f.unique("Sanctions"), claim+" "+f.unique("Congress voted on it last week")+".")
			to := f.e.importSmall(t, f.unique("Sanctions again"), "The bill targets Russia's energy, financial, railway, shipping, metals and mining sectors. "+f.unique("The Kremlin answered")+".")
			s := f.e.createSource(t, map[string]any{"kind": "official_record", "title": f.unique("H.R.3364")})
			cit := f.e.citeOverAPI(t, from.Sentences[0].ID, s.ID, "supports")
			return formPath("/sentences/%d/reuse", to.Sentences[0].ID), url.Values{"from_sentence_id": {itoa(from.Sentences[0].ID)}, "citation_id": {itoa(cit.ID)}}
		}},

		// Webhooks.
		"POST /settings/webhooks": {role: models.RoleAdmin, want: `^/settings/webhooks$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/settings/webhooks", url.Values{"url": {"https://cms.example/" + f.slug("hook")}, "events": {"article.approved", "comment.created"}}
		}},
		"POST /settings/webhooks/:id/delete": {role: models.RoleAdmin, want: `^/settings/webhooks$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/settings/webhooks/%d/delete", f.webhook(t)), url.Values{}
		}},
		"POST /settings/webhooks/:id/deliveries/:delivery_id/redeliver": {role: models.RoleAdmin, want: `^/settings/webhooks/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			id := f.webhook(t)
			f.article(t) // article.imported, for every webhook
			var page models.DeliveryPage
			f.ok(t, f.e.api(models.RoleAdmin, "GET", formPath("/api/v1/webhooks/%d/deliveries", id), nil)).decode(t, &page)
			if len(page.Deliveries) == 0 {
				t.Fatal("importing an article queued no delivery")
			}
			return fmt.Sprintf("/settings/webhooks/%d/deliveries/%d/redeliver", id, page.Deliveries[0].ID), url.Values{}
		}},

		// The desk: assignments, the inbox, notification settings.
		"POST /articles/:id/assignees": {role: models.RoleEditor, want: `^/articles/\d+#assignees$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/assignees", f.article(t).ID), url.Values{"user_id": {itoa(f.e.users[models.RoleChecker].ID)}, "due": {"2030-01-02T15:04"}, "priority": {"high"}}
		}},
		"POST /articles/:id/assignees/:user_id/delete": {role: models.RoleEditor, want: `^/articles/\d+#assignees$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			a, checker := f.article(t), f.e.users[models.RoleChecker].ID
			f.ok(t, f.e.api(models.RoleEditor, "POST", formPath("/api/v1/articles/%d/assignees", a.ID), map[string]any{"user_id": checker}))
			return fmt.Sprintf("/articles/%d/assignees/%d/delete", a.ID, checker), url.Values{}
		}},
		"POST /articles/assign": {role: models.RoleEditor, want: `^/\?assignee=none$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			a, b := f.article(t), f.article(t)
			return "/articles/assign", url.Values{"article": {itoa(a.ID), itoa(b.ID)}, "user_id": {itoa(f.e.users[models.RoleChecker].ID)}, "back": {"/?assignee=none"}}
		}},
		"POST /inbox/read": {role: models.RoleChecker, want: `^/inbox$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/inbox/read", url.Values{"all": {"1"}}
		}},
		"POST /inbox/:id/open": {role: models.RoleChecker, want: `^/articles/\d+$`, quiet: true, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			a := f.article(t)
			f.ok(t, f.e.api(models.RoleEditor, "POST", formPath("/api/v1/articles/%d/assignees", a.ID), map[string]any{"user_id": f.e.users[models.RoleChecker].ID}))
			var page models.NotificationPage
			f.ok(t, f.e.api(models.RoleChecker, "GET", "/api/v1/notifications?unread=true", nil)).decode(t, &page)
			if len(page.Notifications) == 0 {
				t.Fatal("assigning the checker notified nobody")
			}
			return formPath("/inbox/%d/open", page.Notifications[0].ID), url.Values{}
		}},
		"POST /settings/notifications": {role: models.RoleChecker, want: `^/settings/notifications$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return "/settings/notifications", url.Values{"app": {"article.assigned", "comment.mention"}}
		}},

		// Second opinions: the editor asks the checker, who labels blind.
		"POST /articles/:id/opinions": {role: models.RoleEditor, want: `^/opinions/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			return formPath("/articles/%d/opinions", f.article(t).ID), url.Values{"assignee_id": {itoa(f.e.users[models.RoleChecker].ID)}}
		}},
		"POST /opinions/:id/labels": {role: models.RoleChecker, want: `^/opinions/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			o, a := f.opinion(t)
			return formPath("/opinions/%d/labels", o), url.Values{"label_" + itoa(a.Sentences[0].ID): {"quote"}}
		}},
		"POST /opinions/:id/complete": {role: models.RoleChecker, want: `^/opinions/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			o, _ := f.labeledOpinion(t)
			return formPath("/opinions/%d/complete", o), url.Values{}
		}},
		"POST /opinions/:id/settle": {role: models.RoleEditor, want: `^/opinions/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			o, a := f.labeledOpinion(t)
			f.ok(t, f.e.api(models.RoleChecker, "POST", formPath("/api/v1/opinions/%d/complete", o), nil))
			s := f.sentence(t, a.Sentences[0].ID)
			return formPath("/opinions/%d/settle", o), url.Values{"sentence_id": {itoa(s.ID)}, "label": {"quote"}, "version": {fmt.Sprint(s.Version)}}
		}},
		"POST /opinions/:id/close": {role: models.RoleEditor, want: `^/opinions/\d+$`, prepare: func(t *testing.T, f *formFixture) (string, url.Values) {
			o, _ := f.opinion(t)
			return formPath("/opinions/%d/close", o), url.Values{"status": {"cancelled"}}
		}},
	}
}

// TestEveryFormRedirects posts every form of the pages, as someone who may,
// and checks that a success answers 303 See Other to the page a person
// expects, which shows the confirmation: reloading it never posts again
// ("Method not allowed" after "Create token", a reload that retrieves a
// source twice). Every POST route the router registers outside the API
// needs a case in formPosts.
func TestEveryFormRedirects(t *testing.T) {
	srv := httptestServer(t, "<!DOCTYPE html><html><head><title>Release</title></head><body><p>The budget passed.</p></body></html>")
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{}, fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
		f := &formFixture{e: e, page: srv.URL}
		cases := formPosts()
		registered := map[string]bool{}
		for _, rt := range routerRoutes(e) {
			key := rt.Method + " " + rt.Path
			registered[key] = true
			if rt.Method != http.MethodPost || strings.HasPrefix(rt.Path, "/api/") {
				continue
			}
			if _, ok := cases[key]; !ok && notForms[key] == "" {
				t.Errorf("%s has no successful post in formPosts: add one (or say in notForms why no form posts to it)", key)
			}
		}
		for key, fp := range cases {
			t.Run(key, func(t *testing.T) {
				if !registered[key] {
					t.Skipf("%s is not registered (yet)", key)
				}
				b := e.browser()
				if fp.role == "" {
					b.get("/login")
				} else {
					b.signIn(fp.role)
				}
				p, form := fp.prepare(t, f)
				r := b.post(p, form)
				loc := r.Header.Get("Location")
				if r.Status != http.StatusSeeOther {
					t.Fatalf("POST %s: got %d, want 303 See Other\n%s", p, r.Status, alertText(r))
				}
				if !regexp.MustCompile(fp.want).MatchString(loc) {
					t.Errorf("POST %s: Location %q, want one matching %s", p, loc, fp.want)
				}
				// The form's own address is fine only where it is also a page
				// (POST /users adds a user, GET /users lists them).
				if target, _, _ := strings.Cut(loc, "?"); target == p && !registered["GET "+strings.TrimPrefix(key, "POST ")] {
					t.Errorf("POST %s: Location %q is the form's own address, not a page", p, loc)
				}
				landed := b.get(loc)
				if landed.Status != http.StatusOK {
					t.Fatalf("GET %s after POST %s: %d", loc, p, landed.Status)
				}
				page := doc(t, landed)
				if problems := findAll(page, func(n *html.Node) bool { return hasClass(n, "alert") }); len(problems) > 0 {
					t.Errorf("GET %s after POST %s shows a problem: %s", loc, p, textOf(problems[0]))
				}
				flash := findAll(page, func(n *html.Node) bool { return hasClass(n, "flash") })
				if !fp.quiet && len(flash) != 1 {
					t.Errorf("GET %s after POST %s: %d confirmations, want 1", loc, p, len(flash))
				}
				if again := b.get(loc); bytes.Contains(again.Body, []byte(`class="flash"`)) {
					t.Errorf("GET %s again: the confirmation is shown twice", loc)
				}
			})
		}
	})
}

// alertText returns the problem a page reports, for failure messages.
func alertText(r apiResponse) string {
	n, err := html.Parse(bytes.NewReader(r.Body))
	if err != nil {
		return string(r.Body)
	}
	var out []string
	for _, a := range findAll(n, func(n *html.Node) bool { return attr(n, "role") == "alert" || hasClass(n, "message") }) {
		out = append(out, textOf(a))
	}
	return strings.Join(out, "; ")
}

// formPath puts an id into a path.
func formPath(format string, id int64) string { return fmt.Sprintf(format, id) }

// formFixture makes what the forms act on, over the API.
type formFixture struct {
	e    *env
	page string // a local web page's address, for retrievals
	n    int
}

// unique makes s distinct from every other string it returned, so that
// articles and sources are never taken for ones imported before.
func (f *formFixture) unique(s string) string {
	f.n++
	return fmt.Sprintf("%s %d", s, f.n)
}

// slug is unique for addresses: no spaces.
func (f *formFixture) slug(s string) string {
	f.n++
	return fmt.Sprintf("%s-%d", s, f.n)
}

// ok fails the test unless the API call succeeded.
func (f *formFixture) ok(t *testing.T, r apiResponse) apiResponse {
	t.Helper()
	if r.Status >= 300 {
		t.Fatalf("setup: %d %s", r.Status, r.Body)
	}
	return r
}

// article imports a new two-sentence article.
func (f *formFixture) article(t *testing.T) articleJSON {
	t.Helper()
	return f.e.importSmall(t, f.unique("Council"), f.unique("The council met on Monday")+". It approved the budget by seven votes to two.")
}

func (f *formFixture) label(t *testing.T, role models.Role, s sentenceJSON, label string) {
	t.Helper()
	f.ok(t, patch(f.e, role, s.ID, map[string]any{"label": label, "version": s.Version}))
}

func (f *formFixture) sentence(t *testing.T, id int64) sentenceJSON {
	t.Helper()
	var s sentenceJSON
	f.ok(t, f.e.api(models.RoleEditor, "GET", formPath("/api/v1/sentences/%d", id), nil)).decode(t, &s)
	return s
}

// webhook registers a webhook for every event, over the API.
func (f *formFixture) webhook(t *testing.T) int64 {
	t.Helper()
	var w models.Webhook
	f.ok(t, f.e.api(models.RoleAdmin, "POST", "/api/v1/webhooks", map[string]any{"url": "https://cms.example/" + f.slug("hook"), "events": []string{"*"}})).decode(t, &w)
	return w.ID
}

// labeled imports an article and labels every sentence a fact.
func (f *formFixture) labeled(t *testing.T) articleJSON {
	t.Helper()
	a := f.article(t)
	for _, s := range a.Sentences {
		if s.Status != "excluded" {
			f.label(t, models.RoleChecker, s, "fact")
		}
	}
	return a
}

// submitted returns an article the checker submitted.
func (f *formFixture) submitted(t *testing.T) int64 {
	t.Helper()
	a := f.labeled(t)
	f.ok(t, f.e.api(models.RoleChecker, "POST", formPath("/api/v1/articles/%d/submit", a.ID), nil))
	return a.ID
}

// opinion returns an open second opinion the editor asked of the checker
// on an article the admin labeled.
func (f *formFixture) opinion(t *testing.T) (int64, articleJSON) {
	t.Helper()
	a := f.article(t)
	for _, s := range a.Sentences {
		f.label(t, models.RoleAdmin, s, "fact")
	}
	var o models.SecondOpinion
	f.ok(t, f.e.api(models.RoleEditor, "POST", formPath("/api/v1/articles/%d/opinions", a.ID),
		map[string]any{"assignee_id": f.e.users[models.RoleChecker].ID})).decode(t, &o)
	return o.ID, a
}

// labeledOpinion is an opinion whose every sentence the checker labeled,
// the first differently from the article.
func (f *formFixture) labeledOpinion(t *testing.T) (int64, articleJSON) {
	t.Helper()
	o, a := f.opinion(t)
	var labels []map[string]any
	for i, s := range a.Sentences {
		labels = append(labels, map[string]any{"sentence_id": s.ID, "label": map[bool]string{true: "quote", false: "fact"}[i == 0]})
	}
	f.ok(t, f.e.api(models.RoleChecker, "PUT", formPath("/api/v1/opinions/%d/labels", o), map[string]any{"labels": labels}))
	return o, a
}

// TestNewSecretsShownOnceAfterRedirect creates a token and a user with a
// generated password through the users page: each answers 303 to the
// page, which shows the secret once; a reload does not, nor does another
// session, and neither the redirect nor the log carries it.
func TestNewSecretsShownOnceAfterRedirect(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		var logged syncBuffer
		e := newEnvWith(t, db, reviewers.Config{}, nil, func(rc *routes.Config) {
			rc.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		admin, other := e.browser(), e.browser()
		admin.signIn(models.RoleAdmin)
		other.signIn(models.RoleAdmin)
		secretOf := func(r apiResponse) (label, value string) {
			t.Helper()
			page := doc(t, r)
			box := findAll(page, func(n *html.Node) bool { return hasClass(n, "secret") })
			if len(box) == 0 {
				return "", ""
			}
			code := findAll(box[0], func(n *html.Node) bool { return hasClass(n, "copy") })
			if len(box) != 1 || len(code) != 1 {
				t.Fatalf("secret boxes: %d", len(box))
			}
			return textOf(box[0]), textOf(code[0])
		}

		for _, tc := range []struct {
			name  string
			path  string
			form  url.Values
			label string
			works func(t *testing.T, secret string)
		}{
			{"token", "/tokens", url.Values{"user_id": {itoa(e.users[models.RoleViewer].ID)}, "name": {"CMS import"}}, "API token “CMS import”",
				func(t *testing.T, secret string) {
					if r := (tokenClient{e: e, token: secret}).api("GET", "/api/v1/me", nil); r.Status != http.StatusOK {
						t.Errorf("the shown token does not work: %d", r.Status)
					}
				}},
			{"password", "/users", url.Values{"name": {"Nadia"}, "email": {"nadia@test.example"}, "role": {"checker"}}, "Password for nadia@test.example",
				func(t *testing.T, secret string) {
					u, err := e.store.UserByEmail(t.Context(), "nadia@test.example")
					if err != nil {
						t.Fatal(err)
					}
					e.users["nadia"], e.passwords["nadia"] = u, secret
					e.browser().signIn("nadia")
				}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				admin.get("/users")
				r := admin.post(tc.path, tc.form)
				if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/users" {
					t.Fatalf("POST %s: %d → %q, want 303 to /users", tc.path, r.Status, r.Header.Get("Location"))
				}
				first := admin.get("/users")
				label, secret := secretOf(first)
				if secret == "" || !strings.Contains(label, tc.label) {
					t.Fatalf("GET /users after POST %s: secret %q labelled %q, want one for %s", tc.path, secret, label, tc.label)
				}
				tc.works(t, secret)
				for name, got := range map[string][]byte{"the redirect": []byte(fmt.Sprint(r.Header)), "the log": []byte(logged.String())} {
					if bytes.Contains(got, []byte(secret)) {
						t.Errorf("%s carries the secret", name)
					}
				}
				if _, again := secretOf(other.get("/users")); again != "" {
					t.Error("another admin's session shows the secret")
				}
				reload := admin.get("/users")
				if _, again := secretOf(reload); again != "" || bytes.Contains(reload.Body, []byte(secret)) {
					t.Error("a reload shows the secret again")
				}
			})
		}

		// A new password of one's own ends one's sessions: with no session
		// to keep it for the next page, the answer shows it at once, and a
		// reload asks to sign in.
		t.Run("own new password", func(t *testing.T) {
			self := e.browser()
			self.signIn(models.RoleAdmin)
			self.get("/users")
			r := self.post(formPath("/users/%d", e.users[models.RoleAdmin].ID), url.Values{"reset_password": {"1"}})
			_, secret := secretOf(r)
			if r.Status != http.StatusOK || secret == "" {
				t.Fatalf("own new password: %d, secret %q; want the page with it", r.Status, secret)
			}
			if r := self.get("/users"); r.Status != http.StatusSeeOther {
				t.Errorf("reload after one's own new password: %d, want a redirect to sign in", r.Status)
			}
			e.passwords[models.RoleAdmin] = secret
			e.browser().signIn(models.RoleAdmin)
		})
	})
}
