package routes_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// everyone, writers, deciders and admins are the role sets of PRODUCT.md's
// table, written out here rather than read from the policy under test.
var (
	everyone = []models.Role{models.RoleViewer, models.RoleChecker, models.RoleEditor, models.RoleAdmin}
	writers  = []models.Role{models.RoleChecker, models.RoleEditor, models.RoleAdmin}
	deciders = []models.Role{models.RoleEditor, models.RoleAdmin}
	admins   = []models.Role{models.RoleAdmin}
	public   = []models.Role{}
)

// routeRule says who may call a route and how to call it.
type routeRule struct {
	method, path string // path in gin syntax, as registered
	allowed      []models.Role
	anonymous    bool   // reachable without signing in
	body         string // JSON for API routes, form for pages
}

func routeRules(articleID string) []routeRule {
	return []routeRule{
		{"GET", "/healthz", public, true, ""},
		{"GET", "/readyz", public, true, ""},
		{"GET", "/static/:file", public, true, ""},
		{"GET", "/login", public, true, ""},
		{"POST", "/login", public, true, ""},
		{"POST", "/logout", everyone, true, ""},
		{"GET", "/", everyone, false, ""},
		{"GET", "/articles/:id", everyone, false, ""},
		{"GET", "/import", writers, false, ""},
		{"POST", "/import", writers, false, "body=One+sentence+here.+Another+one."},
		{"GET", "/users", admins, false, ""},
		{"POST", "/users", admins, false, "name=New&email=new@test.example&role=viewer"},
		{"POST", "/users/:id", admins, false, "role=viewer"},
		{"POST", "/tokens", admins, false, "name=t"},
		{"POST", "/tokens/:id/revoke", admins, false, ""},
		{"GET", "/api/v1/openapi.json", public, true, ""},
		{"GET", "/api/v1/me", everyone, false, ""},
		{"GET", "/api/v1/articles", everyone, false, ""},
		{"POST", "/api/v1/articles", writers, false, `{"body":"Roles test. Second sentence."}`},
		{"GET", "/api/v1/articles/:id", everyone, false, ""},
		// The review workflow.
		{"GET", "/api/v1/sentences/:id", everyone, false, ""},
		{"PATCH", "/api/v1/sentences/:id", writers, false, `{"note":"roles","version":1}`},
		{"PATCH", "/api/v1/articles/:id/sentences", writers, false, `{"sentences":[{"id":1,"note":"roles","version":1}]}`},
		{"GET", "/api/v1/sentences/:id/history", everyone, false, ""},
		{"POST", "/api/v1/articles/:id/undo", writers, false, ""},
		{"POST", "/api/v1/articles/:id/start-review", writers, false, ""},
		{"POST", "/api/v1/articles/:id/submit", writers, false, ""},
		{"POST", "/api/v1/articles/:id/approve", deciders, false, ""},
		{"POST", "/api/v1/articles/:id/request-changes", deciders, false, `{"comment":"x"}`},
		{"POST", "/api/v1/articles/:id/reopen", deciders, false, `{"comment":"x"}`},
		{"GET", "/api/v1/articles/:id/rounds", everyone, false, ""},
		{"GET", "/api/v1/articles/:id/comments", everyone, false, ""},
		{"POST", "/api/v1/articles/:id/comments", writers, false, `{"body":"a comment"}`},
		{"POST", "/api/v1/comments/:id/resolve", writers, false, ""},
		{"GET", "/api/v1/articles/:id/audit", everyone, false, ""},
		{"GET", "/api/v1/articles/:id/events", everyone, false, "stream"},
		{"GET", "/api/v1/articles/:id/changes", everyone, false, ""},
		{"GET", "/api/v1/queue", everyone, false, ""},
		// Second opinions.
		{"GET", "/api/v1/articles/:id/opinions", everyone, false, ""},
		{"POST", "/api/v1/articles/:id/opinions", deciders, false, `{"assignee_id":999999}`},
		{"GET", "/api/v1/opinions/:id", writers, false, ""},
		{"PUT", "/api/v1/opinions/:id/labels", writers, false, `{"labels":[]}`},
		{"POST", "/api/v1/opinions/:id/complete", writers, false, ""},
		{"POST", "/api/v1/opinions/:id/settle", deciders, false, `{"sentence_id":1,"label":"fact","version":1}`},
		{"POST", "/api/v1/opinions/:id/close", deciders, false, `{"status":"cancelled"}`},
		{"GET", "/articles/:id/opinions", everyone, false, ""},
		{"POST", "/articles/:id/opinions", deciders, false, "assignee_id=999999"},
		{"GET", "/opinions/:id", writers, false, ""},
		{"POST", "/opinions/:id/labels", writers, false, ""},
		{"POST", "/opinions/:id/complete", writers, false, ""},
		{"POST", "/opinions/:id/settle", deciders, false, "sentence_id=1&label=fact&version=1"},
		{"POST", "/opinions/:id/close", deciders, false, "status=cancelled"},
		// Reports.
		{"GET", "/api/v1/schemas/report.json", public, true, ""},
		{"GET", "/api/v1/articles/:id/report", everyone, false, ""},
		{"GET", "/articles/:id/report", everyone, false, ""},
		{"GET", "/articles/:id/export", everyone, false, ""},
		{"GET", "/queue", everyone, false, ""},
		{"POST", "/sentences/:id", writers, false, "note=roles&version=1"},
		{"POST", "/articles/:id/undo", writers, false, ""},
		{"POST", "/articles/:id/submit", writers, false, ""},
		{"POST", "/articles/:id/approve", deciders, false, ""},
		{"POST", "/articles/:id/request-changes", deciders, false, "comment=x"},
		{"POST", "/articles/:id/reopen", deciders, false, "comment=x"},
		{"POST", "/articles/:id/comments", writers, false, "body=hello"},
		{"POST", "/comments/:id/resolve", writers, false, ""},
		// Undo and redo, readiness, bulk accept (issue 15).
		{"GET", "/api/v1/articles/:id/undo", writers, false, ""},
		{"POST", "/api/v1/articles/:id/redo", writers, false, ""},
		{"POST", "/articles/:id/redo", writers, false, ""},
		{"GET", "/api/v1/articles/:id/readiness", everyone, false, ""},
		{"POST", "/api/v1/articles/:id/suggestions/accept", writers, false, `{"confident":true}`},
		{"POST", "/articles/:id/suggestions/accept", writers, false, "confident=1"},
		// Attributions and the machine reviewer's suggestions.
		{"PUT", "/api/v1/sentences/:id/attribution", writers, false, `{"speaker":"Roles test","cue":"said"}`},
		{"POST", "/api/v1/sentences/:id/attribution/confirm", writers, false, ""},
		{"DELETE", "/api/v1/sentences/:id/attribution", writers, false, ""},
		{"POST", "/sentences/:id/attribution", writers, false, "speaker=Roles&cue=said"},
		{"POST", "/api/v1/articles/:id/suggestions", deciders, false, ""},
		{"POST", "/articles/:id/suggestions", deciders, false, ""},
		// The source library and citations.
		{"GET", "/api/v1/sources", everyone, false, ""},
		{"POST", "/api/v1/sources", writers, false, `{"kind":"person","title":"Roles test"}`},
		{"GET", "/api/v1/sources/:id", everyone, false, ""},
		{"PATCH", "/api/v1/sources/:id", writers, false, `{"notes":"roles"}`},
		{"POST", "/api/v1/sources/:id/retrieve", writers, false, ""},
		{"GET", "/api/v1/sources/:id/citations", everyone, false, ""},
		{"GET", "/api/v1/articles/:id/citations", everyone, false, ""},
		{"POST", "/api/v1/sentences/:id/citations", writers, false, `{"url":"https://roles.example/page","relation":"context"}`},
		{"DELETE", "/api/v1/citations/:id", writers, false, ""},
		{"GET", "/sources", everyone, false, ""},
		{"POST", "/sources", writers, false, "kind=person&title=Roles"},
		{"GET", "/sources/new", writers, false, ""},
		{"GET", "/sources/:id", everyone, false, ""},
		{"POST", "/sources/:id", writers, false, "kind=person&title=Roles+edited"},
		{"POST", "/sources/:id/retrieve", writers, false, ""},
		{"POST", "/sentences/:id/citations", writers, false, "url=https://roles.example/form&relation=context"},
		{"POST", "/citations/:id/delete", writers, false, ""},
		// Revisions and the same claim elsewhere.
		{"GET", "/api/v1/articles/:id/revisions", everyone, false, ""},
		{"GET", "/api/v1/articles/:id/revisions/:number", everyone, false, ""},
		{"GET", "/api/v1/sentences/:id/similar", everyone, false, ""},
		{"POST", "/api/v1/sentences/:id/reuse", writers, false, `{"from_sentence_id":1,"attribution":true}`},
		{"GET", "/articles/:id/revise", writers, false, ""},
		{"GET", "/articles/:id/revisions/:number", everyone, false, ""},
		{"GET", "/sentences/:id/similar", everyone, false, ""},
		{"POST", "/sentences/:id/reuse", writers, false, "from_sentence_id=1&attribution=1"},
		{"POST", "/api/v1/articles/:id/revisions", writers, false, `{"body":"Roles test revision. Second sentence."}`},
		{"POST", "/articles/:id/revisions", writers, false, "body=Roles+form+revision.+Another+one."},
		// The published fact-check's URL.
		{"PATCH", "/api/v1/articles/:id", writers, false, `{"factcheck_url":"https://roles.example/fact-check"}`},
		{"POST", "/articles/:id/factcheck-url", writers, false, "factcheck_url=https://roles.example/fact-check-form"},
		// The desk: assignments, My work, the inbox, notification settings.
		// A checker may only take an article for themselves: assigning
		// someone else (user 999999) is refused by the service.
		{"GET", "/api/v1/articles/:id/assignees", everyone, false, ""},
		{"POST", "/api/v1/articles/:id/assignees", deciders, false, `{"user_id":999999}`},
		{"DELETE", "/api/v1/articles/:id/assignees/:user_id", writers, false, ""},
		{"POST", "/articles/:id/assignees", deciders, false, "user_id=999999"},
		{"POST", "/articles/:id/assignees/:user_id/delete", writers, false, ""},
		{"POST", "/articles/assign", deciders, false, "article=1&user_id=999999"},
		{"GET", "/api/v1/me/work", everyone, false, ""},
		{"GET", "/api/v1/search", everyone, false, ""},
		{"GET", "/api/v1/people", everyone, false, ""},
		{"GET", "/api/v1/notifications", everyone, false, ""},
		{"POST", "/api/v1/notifications/read", everyone, false, `{"all":true}`},
		{"GET", "/api/v1/notifications/events", everyone, false, "stream"},
		{"GET", "/api/v1/me/notification-settings", everyone, false, ""},
		{"PUT", "/api/v1/me/notification-settings", everyone, false, `{"settings":[]}`},
		{"GET", "/work", everyone, false, ""},
		{"GET", "/search", everyone, false, ""},
		{"GET", "/inbox", everyone, false, ""},
		{"POST", "/inbox/read", everyone, false, "all=1"},
		{"POST", "/inbox/:id/open", everyone, false, ""},
		{"GET", "/settings/notifications", everyone, false, ""},
		{"POST", "/settings/notifications", everyone, false, "app=article.assigned"},
		// Webhooks.
		{"GET", "/api/v1/webhooks", admins, false, ""},
		{"POST", "/api/v1/webhooks", admins, false, `{"url":"https://roles.example/hook","events":["*"]}`},
		{"GET", "/api/v1/webhooks/:id", admins, false, ""},
		{"DELETE", "/api/v1/webhooks/:id", admins, false, ""},
		{"GET", "/api/v1/webhooks/:id/deliveries", admins, false, ""},
		{"POST", "/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver", admins, false, ""},
		{"GET", "/settings/webhooks", admins, false, ""},
		{"POST", "/settings/webhooks", admins, false, "url=https://roles.example/form-hook&events=*"},
		{"GET", "/settings/webhooks/:id", admins, false, ""},
		{"POST", "/settings/webhooks/:id/delete", admins, false, ""},
		{"POST", "/settings/webhooks/:id/deliveries/:delivery_id/redeliver", admins, false, ""},
	}
}

func contains(rs []models.Role, r models.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// TestEveryRouteChecksRoles calls every registered route as every role and
// as nobody, over the API with tokens and over pages with a session, and
// checks who gets through.
func TestEveryRouteChecksRoles(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": seedArticle(t)})
		var a articleJSON
		r.decode(t, &a)
		id := itoa(a.ID)
		rules := routeRules(id)
		seen := map[string]bool{}
		for _, rr := range rules {
			seen[rr.method+" "+rr.path] = true
		}
		for _, rt := range routerRoutes(e) {
			if !seen[rt.Method+" "+rt.Path] {
				t.Errorf("route %s %s has no role rule in this test: add one", rt.Method, rt.Path)
			}
		}
		for _, rr := range rules {
			if rr.anonymous {
				continue
			}
			path := strings.NewReplacer(":id", id, ":file", "x", ":number", "1").Replace(rr.path)
			if strings.HasPrefix(rr.path, "/users/") {
				path = "/users/" + itoa(e.users[models.RoleViewer].ID)
			}
			if strings.HasPrefix(rr.path, "/tokens/") {
				tok, _, err := e.svc.CreateToken(t.Context(), models.System, e.users[models.RoleViewer].ID, "to revoke")
				if err != nil {
					t.Fatal(err)
				}
				path = strings.Replace(rr.path, ":id", itoa(tok.ID), 1)
			}
			t.Run(rr.method+" "+rr.path, func(t *testing.T) {
				// Nobody signed in.
				if rr.body == "stream" {
					if got := e.streamStatus("", path); got != http.StatusUnauthorized {
						t.Errorf("anonymous: got %d, want 401", got)
					}
				} else if strings.HasPrefix(path, "/api/") {
					if got := e.api("", rr.method, path, bodyOrNil(rr.body)).Status; got != http.StatusUnauthorized {
						t.Errorf("anonymous: got %d, want 401", got)
					}
				} else {
					b := e.browser()
					b.get("/login")
					var got int
					if rr.method == "GET" {
						got = b.get(path).Status
					} else {
						got = b.post(path, formOf(rr.body)).Status
					}
					if got != http.StatusSeeOther && got != http.StatusForbidden {
						t.Errorf("anonymous: got %d, want a redirect to sign in or 403", got)
					}
				}
				for _, role := range everyone {
					var got int
					if rr.body == "stream" {
						got = e.streamStatus(role, path)
					} else if strings.HasPrefix(path, "/api/") {
						got = e.api(role, rr.method, path, bodyOrNil(rr.body)).Status
					} else {
						b := e.browser()
						b.signIn(role)
						if rr.method == "GET" {
							got = b.get(path).Status
						} else {
							got = b.post(path, formOf(rr.body)).Status
						}
					}
					allowed := contains(rr.allowed, role)
					if allowed && (got == 401 || got == 403) {
						t.Errorf("%s: got %d, want it allowed", role, got)
					}
					if !allowed && got != 403 {
						t.Errorf("%s: got %d, want 403", role, got)
					}
				}
			})
		}
	})
}

func bodyOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func formOf(s string) url.Values {
	v, _ := url.ParseQuery(s)
	if v == nil {
		v = url.Values{}
	}
	return v
}

// streamStatus opens an event stream as the role and returns its status
// without waiting for the stream to end.
func (e *env) streamStatus(role models.Role, path string) int {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+path, nil)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
