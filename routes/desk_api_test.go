package routes_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"testing"

	"factdesk/fetch"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// assigneesJSON is the answer of the assignees routes.
type assigneesJSON struct {
	Assignees []struct {
		UserID   int64   `json:"user_id"`
		Name     string  `json:"name"`
		Priority string  `json:"priority"`
		DueAt    *string `json:"due_at"`
	} `json:"assignees"`
}

// TestAssigneesAPI checks who may assign whom, over the API, on both
// databases, and that the article's JSON carries its assignees.
func TestAssigneesAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Assign me", "One sentence here. Another one there.")
		path := fmt.Sprintf("/api/v1/articles/%d/assignees", a.ID)
		checker := e.users[models.RoleChecker]
		other := e.extraUser(t, "other@test.example", models.RoleChecker)
		otherID := e.users["other@test.example"].ID
		disabled := true
		if _, err := e.store.UpdateUser(context.Background(), models.System, otherID, models.UserChange{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			role   models.Role
			body   map[string]any
			status int
		}{
			{"a viewer cannot be assigned", models.RoleEditor, map[string]any{"user_id": e.users[models.RoleViewer].ID}, 422},
			{"a disabled user cannot be assigned", models.RoleEditor, map[string]any{"user_id": otherID}, 422},
			{"nobody", models.RoleEditor, map[string]any{"user_id": 999999}, 422},
			{"no user", models.RoleEditor, map[string]any{"priority": "high"}, 422},
			{"a bad due time", models.RoleEditor, map[string]any{"user_id": checker.ID, "due_at": "tomorrow"}, 422},
			{"a bad priority", models.RoleEditor, map[string]any{"user_id": checker.ID, "priority": "asap"}, 422},
			{"a checker assigning another", models.RoleChecker, map[string]any{"user_id": e.users[models.RoleEditor].ID}, 403},
			{"a viewer", models.RoleViewer, map[string]any{"user_id": e.users[models.RoleViewer].ID}, 403},
			{"the editor", models.RoleEditor, map[string]any{"user_id": checker.ID, "due_at": "2030-01-02T15:04:05+01:00", "priority": "urgent"}, 201},
		} {
			if r := e.api(tc.role, "POST", path, tc.body); r.Status != tc.status {
				t.Errorf("%s: got %d %s, want %d", tc.name, r.Status, r.Body, tc.status)
			}
		}
		var got assigneesJSON
		e.api(models.RoleViewer, "GET", path, nil).decode(t, &got)
		if len(got.Assignees) != 1 || got.Assignees[0].UserID != checker.ID || got.Assignees[0].Priority != "urgent" ||
			got.Assignees[0].DueAt == nil || *got.Assignees[0].DueAt != "2030-01-02T14:04:05Z" {
			t.Fatalf("assignees: got %+v", got)
		}
		var art struct {
			DueAt     *string `json:"due_at"`
			Assignees []struct {
				Name string `json:"name"`
			} `json:"assignees"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), nil).decode(t, &art)
		if len(art.Assignees) != 1 || art.Assignees[0].Name != checker.Name || art.DueAt == nil {
			t.Errorf("article JSON: got %+v", art)
		}
		// A checker takes an article nobody has, not one somebody has.
		b := e.importSmall(t, "Take me", "A third sentence. And a fourth.")
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/assignees", b.ID), map[string]any{"user_id": checker.ID}); r.Status != 201 {
			t.Errorf("taking an unassigned article: %d %s", r.Status, r.Body)
		}
		if r := other.api("POST", path, map[string]any{"user_id": otherID}); r.Status != 401 && r.Status != 403 {
			t.Errorf("a disabled user's token: %d", r.Status)
		}
		admin2 := e.users[models.RoleAdmin].ID
		if r := e.api(models.RoleEditor, "POST", path, map[string]any{"user_id": admin2}); r.Status != 201 {
			t.Fatalf("second assignee: %d %s", r.Status, r.Body)
		}
		// Unassigning: the checker gives back their own, not another's.
		if r := e.api(models.RoleChecker, "DELETE", fmt.Sprintf("%s/%d", path, admin2), nil); r.Status != 403 {
			t.Errorf("a checker unassigning another: %d", r.Status)
		}
		if r := e.api(models.RoleChecker, "DELETE", fmt.Sprintf("%s/%d", path, checker.ID), nil); r.Status != 204 {
			t.Errorf("a checker giving back: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleEditor, "DELETE", fmt.Sprintf("%s/%d", path, checker.ID), nil); r.Status != 404 {
			t.Errorf("unassigning again: %d", r.Status)
		}
	})
}

// TestSelfAssignOff checks --self-assign=false: checkers can no longer
// take articles; the page offers no button.
func TestSelfAssignOff(t *testing.T) {
	e := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{NoSelfAssign: true}, nil)
	a := e.importSmall(t, "Editors assign", "One sentence here. Another one there.")
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/assignees", a.ID), map[string]any{"user_id": e.users[models.RoleChecker].ID}); r.Status != 403 {
		t.Errorf("self-assign when turned off: %d %s", r.Status, r.Body)
	}
	b := e.browser()
	b.signIn(models.RoleChecker)
	if page := b.get(fmt.Sprintf("/articles/%d", a.ID)); bytes.Contains(page.Body, []byte(`data-form="take"`)) {
		t.Error("the review page offers to take the article when checkers may not")
	}
	e2 := newEnv(t, testdb.Open(t, testdb.SQLite))
	a2 := e2.importSmall(t, "Checkers take", "One sentence here. Another one there.")
	b2 := e2.browser()
	b2.signIn(models.RoleChecker)
	if page := b2.get(fmt.Sprintf("/articles/%d", a2.ID)); !bytes.Contains(page.Body, []byte(`data-form="take"`)) {
		t.Error("the review page does not offer to take an unassigned article")
	}
}

// TestNotificationsAPI checks the inbox over the API: nobody reads or
// marks another person's notifications.
func TestNotificationsAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Inbox", "One sentence here. Another one there.")
		checker := e.users[models.RoleChecker]
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/assignees", a.ID), map[string]any{"user_id": checker.ID}); r.Status != 201 {
			t.Fatal(r.Status)
		}
		if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "@" + checker.Name + " see this"}); r.Status != 201 {
			t.Fatal(r.Status)
		}
		var page models.NotificationPage
		e.api(models.RoleChecker, "GET", "/api/v1/notifications", nil).decode(t, &page)
		if page.Unread != 2 || len(page.Notifications) != 2 || page.Notifications[0].Event != "comment.mention" || page.Notifications[1].Event != "article.assigned" {
			t.Fatalf("checker's inbox: %+v", page)
		}
		mine := page.Notifications[0].ID
		e.api(models.RoleEditor, "GET", "/api/v1/notifications", nil).decode(t, &page)
		if page.Unread != 0 || len(page.Notifications) != 0 {
			t.Errorf("the editor sees %d notifications, want none of the checker's", len(page.Notifications))
		}
		// The editor cannot mark or open the checker's.
		var unread struct {
			Unread int `json:"unread"`
		}
		e.api(models.RoleEditor, "POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{mine}}).decode(t, &unread)
		e.api(models.RoleChecker, "GET", "/api/v1/notifications?unread=true", nil).decode(t, &page)
		if page.Unread != 2 {
			t.Errorf("after the editor's try, the checker has %d unread, want 2", page.Unread)
		}
		b := e.browser()
		b.signIn(models.RoleEditor)
		if r := b.post(fmt.Sprintf("/inbox/%d/open", mine), url.Values{}); r.Status != 404 {
			t.Errorf("the editor opening the checker's notification: %d, want 404", r.Status)
		}
		for _, bad := range []any{map[string]any{}, map[string]any{"ids": "all"}, "not json"} {
			if r := e.api(models.RoleChecker, "POST", "/api/v1/notifications/read", bad); r.Status != 422 && r.Status != 400 {
				t.Errorf("mark read with %v: %d", bad, r.Status)
			}
		}
		if r := e.api(models.RoleChecker, "GET", "/api/v1/notifications?limit=0", nil); r.Status != 422 {
			t.Errorf("limit 0: %d", r.Status)
		}
		e.api(models.RoleChecker, "POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{mine}}).decode(t, &unread)
		if unread.Unread != 1 {
			t.Errorf("after reading one: %d unread, want 1", unread.Unread)
		}
		e.api(models.RoleChecker, "POST", "/api/v1/notifications/read", map[string]any{"all": true}).decode(t, &unread)
		if unread.Unread != 0 {
			t.Errorf("after reading all: %d unread, want 0", unread.Unread)
		}
		// My work as JSON: a checker's lists, an editor's more.
		var work map[string]any
		e.api(models.RoleChecker, "GET", "/api/v1/me/work", nil).decode(t, &work)
		assigned, _ := work["assigned"].([]any)
		if len(assigned) != 1 || assigned[0].(map[string]any)["id"].(float64) != float64(a.ID) {
			t.Errorf("checker's assigned: %v", work["assigned"])
		}
		if _, ok := work["to_decide"]; ok {
			t.Error("a checker's work lists articles to decide")
		}
		e.api(models.RoleEditor, "GET", "/api/v1/me/work", nil).decode(t, &work)
		for _, k := range []string{"assigned", "sent_back", "mentions", "to_decide", "overdue", "unassigned"} {
			if _, ok := work[k].([]any); !ok {
				t.Errorf("editor's work: %q is %v, want a list", k, work[k])
			}
		}
		// Settings: the defaults, then a change.
		var settings struct {
			MailEnabled bool                      `json:"mail_enabled"`
			Settings    []models.NotificationPref `json:"settings"`
		}
		e.api(models.RoleChecker, "GET", "/api/v1/me/notification-settings", nil).decode(t, &settings)
		if settings.MailEnabled || len(settings.Settings) != len(models.NotificationEvents) {
			t.Errorf("settings: %+v", settings)
		}
		r := e.api(models.RoleChecker, "PUT", "/api/v1/me/notification-settings", map[string]any{"settings": []map[string]any{{"event": "comment.reply", "in_app": false, "email": false}}})
		r.decode(t, &settings)
		for _, p := range settings.Settings {
			if p.Event == "comment.reply" && p.InApp {
				t.Errorf("reply still in the app after turning it off")
			}
		}
		if r := e.api(models.RoleChecker, "PUT", "/api/v1/me/notification-settings", map[string]any{"settings": []map[string]any{{"event": "nope"}}}); r.Status != 422 {
			t.Errorf("an unknown event: %d", r.Status)
		}
	})
}

// TestWebhookToLoopbackRefused: a webhook to 127.0.0.1 is refused when it
// is registered, unless --fetch-allow names the address.
func TestWebhookToLoopbackRefused(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	for _, u := range []string{"http://127.0.0.1:9/hook", "http://[::1]/hook", "http://10.0.0.8/hook", "http://169.254.169.254/latest"} {
		r := e.api(models.RoleAdmin, "POST", "/api/v1/webhooks", map[string]any{"url": u, "events": []string{"*"}})
		if r.Status != http.StatusUnprocessableEntity || !bytes.Contains(r.Body, []byte("--fetch-allow")) {
			t.Errorf("%s: got %d %s, want 422 naming --fetch-allow", u, r.Status, r.Body)
		}
	}
	allowed := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{}, fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
	if r := allowed.api(models.RoleAdmin, "POST", "/api/v1/webhooks", map[string]any{"url": "http://127.0.0.1:9/hook", "events": []string{"*"}}); r.Status != http.StatusCreated {
		t.Errorf("allowed loopback: %d %s", r.Status, r.Body)
	}
}

// TestNotificationSettingsPage: the settings form turns events off in the
// app; without a relay it shows no mail column and keeps the mail choices.
func TestNotificationSettingsPage(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	b := e.browser()
	b.signIn(models.RoleChecker)
	page := b.get("/settings/notifications")
	if !bytes.Contains(page.Body, []byte("This server sends no e-mail")) || bytes.Contains(page.Body, []byte(`name="email"`)) {
		t.Errorf("without a relay the page should say so and offer no mail column")
	}
	if r := b.post("/settings/notifications", url.Values{"app": {"article.assigned", "comment.mention"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	var settings struct {
		Settings []models.NotificationPref `json:"settings"`
	}
	e.api(models.RoleChecker, "GET", "/api/v1/me/notification-settings", nil).decode(t, &settings)
	for i, p := range settings.Settings {
		wantApp := p.Event == "article.assigned" || p.Event == "comment.mention"
		if p.InApp != wantApp || p.Email != models.NotificationEvents[i].Mail {
			t.Errorf("%s: in app %v, mail %v; want %v, %v", p.Event, p.InApp, p.Email, wantApp, models.NotificationEvents[i].Mail)
		}
	}
	// Now unassigned is off in the app: being unassigned leaves no notice.
	a := e.importSmall(t, "Quiet", "One sentence here. Another one there.")
	checker := e.users[models.RoleChecker].ID
	e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/assignees", a.ID), map[string]any{"user_id": checker})
	e.api(models.RoleEditor, "DELETE", fmt.Sprintf("/api/v1/articles/%d/assignees/%d", a.ID, checker), nil)
	var inbox models.NotificationPage
	e.api(models.RoleChecker, "GET", "/api/v1/notifications", nil).decode(t, &inbox)
	if len(inbox.Notifications) != 1 || inbox.Notifications[0].Event != "article.assigned" {
		t.Errorf("inbox: %+v, want the assignment only", inbox.Notifications)
	}
}
