package routes_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// webhookJSON is a webhook as the API answers it.
type webhookJSON struct {
	ID           int64         `json:"id"`
	URL          string        `json:"url"`
	Events       []string      `json:"events"`
	Secret       string        `json:"secret"`
	LastDelivery *deliveryJSON `json:"last_delivery"`
}

type deliveryJSON struct {
	ID         int64  `json:"id"`
	Event      string `json:"event"`
	MessageID  string `json:"message_id"`
	Attempts   int    `json:"attempts"`
	AttemptLog []struct {
		Attempt int `json:"attempt"`
	} `json:"attempt_log"`
}

type deliveryPageJSON struct {
	Deliveries []deliveryJSON `json:"deliveries"`
	Next       int64          `json:"next_cursor"`
}

const givenSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// TestWebhookAPI registers, reads, redelivers and deletes webhooks over
// the API, as an admin and as someone who may not.
func TestWebhookAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		create := func(body any) apiResponse { return e.api(models.RoleAdmin, "POST", "/api/v1/webhooks", body) }

		r := create(map[string]any{"url": "https://cms.example/hooks/factdesk", "events": []string{"article.approved", "comment.created", "article.approved"}})
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var made webhookJSON
		r.decode(t, &made)
		if !strings.HasPrefix(made.Secret, "whsec_") || len(made.Events) != 2 || made.URL != "https://cms.example/hooks/factdesk" {
			t.Errorf("created %s", r.Body)
		}
		if loc := r.Header.Get("Location"); loc != "/api/v1/webhooks/"+itoa(made.ID) {
			t.Errorf("Location %q", loc)
		}
		r = create(map[string]any{"url": "https://all.example/hook", "events": []string{"*"}, "secret": givenSecret})
		if r.Status != http.StatusCreated || strings.Contains(string(r.Body), "secret") {
			t.Fatalf("create with a secret: %d %s (the given secret is not echoed)", r.Status, r.Body)
		}
		var all webhookJSON
		r.decode(t, &all)

		for _, tc := range []struct {
			name  string
			body  any
			field string
		}{
			{"ftp", map[string]any{"url": "ftp://files.example/x", "events": []string{"*"}}, "url"},
			{"relative", map[string]any{"url": "/hooks", "events": []string{"*"}}, "url"},
			{"credentials", map[string]any{"url": "https://user:pw@cms.example/hook", "events": []string{"*"}}, "url"},
			{"too long", map[string]any{"url": "https://cms.example/" + strings.Repeat("a", 2000), "events": []string{"*"}}, "url"},
			{"no events", map[string]any{"url": "https://cms.example/hook", "events": []string{}}, "events"},
			{"unknown event", map[string]any{"url": "https://cms.example/hook", "events": []string{"article.deleted"}}, "events"},
			{"unknown event beside *", map[string]any{"url": "https://cms.example/hook", "events": []string{"*", "article.deleted"}}, "events"},
			{"secret not whsec_", map[string]any{"url": "https://cms.example/hook", "events": []string{"*"}, "secret": "hunter2"}, "secret"},
			{"secret too short", map[string]any{"url": "https://cms.example/hook", "events": []string{"*"}, "secret": "whsec_c2hvcnQ="}, "secret"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := create(tc.body)
				var body struct {
					Error struct{ Code, Message, Field string } `json:"error"`
				}
				r.decode(t, &body)
				if r.Status != http.StatusUnprocessableEntity || body.Error.Field != tc.field || body.Error.Message == "" {
					t.Errorf("got %d %s, want 422 on %s", r.Status, r.Body, tc.field)
				}
			})
		}
		if r := create(`{"url": `); r.Status != http.StatusBadRequest {
			t.Errorf("malformed JSON: %d", r.Status)
		}
		for _, role := range []models.Role{models.RoleEditor, models.RoleChecker, models.RoleViewer} {
			if r := e.api(role, "GET", "/api/v1/webhooks", nil); r.Status != http.StatusForbidden || r.errorCode(t) != "forbidden" {
				t.Errorf("%s lists webhooks: %d %s", role, r.Status, r.Body)
			}
		}

		r = e.api(models.RoleAdmin, "GET", "/api/v1/webhooks", nil)
		if r.Status != http.StatusOK || strings.Contains(string(r.Body), "whsec_") || strings.Contains(string(r.Body), `"secret"`) {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		var list struct{ Webhooks []webhookJSON }
		r.decode(t, &list)
		if len(list.Webhooks) != 2 || list.Webhooks[0].ID != all.ID {
			t.Fatalf("list: %s", r.Body)
		}
		if r := e.api(models.RoleAdmin, "GET", "/api/v1/webhooks/"+itoa(all.ID), nil); r.Status != http.StatusOK || strings.Contains(string(r.Body), "whsec_") {
			t.Errorf("get: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleAdmin, "GET", "/api/v1/webhooks/999999", nil); r.Status != http.StatusNotFound {
			t.Errorf("get a missing webhook: %d", r.Status)
		}

		// Two imports, two deliveries to the catch-all, none to the other.
		e.importSmall(t, "One", "The council met on Monday. It approved the budget.")
		e.importSmall(t, "Two", "The mayor spoke on Tuesday. She thanked the council.")
		deliveries := func(id int64, query string) deliveryPageJSON {
			t.Helper()
			r := e.api(models.RoleAdmin, "GET", "/api/v1/webhooks/"+itoa(id)+"/deliveries"+query, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("deliveries: %d %s", r.Status, r.Body)
			}
			var p deliveryPageJSON
			r.decode(t, &p)
			return p
		}
		if p := deliveries(made.ID, ""); len(p.Deliveries) != 0 {
			t.Errorf("the approvals webhook got %d deliveries of imports", len(p.Deliveries))
		}
		first := deliveries(all.ID, "?limit=1")
		if len(first.Deliveries) != 1 || first.Next == 0 || first.Deliveries[0].Event != "article.imported" || first.Deliveries[0].AttemptLog == nil {
			t.Fatalf("first page: %+v", first)
		}
		second := deliveries(all.ID, "?limit=1&cursor="+itoa(first.Next))
		if len(second.Deliveries) != 1 || second.Next != 0 || second.Deliveries[0].ID >= first.Deliveries[0].ID {
			t.Fatalf("second page: %+v", second)
		}
		if r := e.api(models.RoleAdmin, "GET", "/api/v1/webhooks/"+itoa(all.ID)+"/deliveries?cursor=x", nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a bad cursor: %d", r.Status)
		}

		old := second.Deliveries[0]
		r = e.api(models.RoleAdmin, "POST", "/api/v1/webhooks/"+itoa(all.ID)+"/deliveries/"+itoa(old.ID)+"/redeliver", nil)
		var again deliveryJSON
		r.decode(t, &again)
		if r.Status != http.StatusCreated || again.MessageID != old.MessageID || again.ID <= first.Deliveries[0].ID || again.Attempts != 0 {
			t.Errorf("redeliver: %d %s, want a new delivery of %s", r.Status, r.Body, old.MessageID)
		}
		if r := e.api(models.RoleAdmin, "POST", "/api/v1/webhooks/"+itoa(made.ID)+"/deliveries/"+itoa(old.ID)+"/redeliver", nil); r.Status != http.StatusNotFound {
			t.Errorf("redeliver another webhook's delivery: %d", r.Status)
		}
		if p := deliveries(all.ID, ""); len(p.Deliveries) != 3 || p.Deliveries[0].ID != again.ID {
			t.Errorf("after redelivery: %+v", p)
		}

		if r := e.api(models.RoleEditor, "DELETE", "/api/v1/webhooks/"+itoa(all.ID), nil); r.Status != http.StatusForbidden {
			t.Errorf("an editor deletes: %d", r.Status)
		}
		if r := e.api(models.RoleAdmin, "DELETE", "/api/v1/webhooks/"+itoa(all.ID), nil); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		for _, p := range []string{"", "/deliveries"} {
			if r := e.api(models.RoleAdmin, "GET", "/api/v1/webhooks/"+itoa(all.ID)+p, nil); r.Status != http.StatusNotFound {
				t.Errorf("GET%s of a deleted webhook: %d", p, r.Status)
			}
		}
		if r := e.api(models.RoleAdmin, "DELETE", "/api/v1/webhooks/"+itoa(all.ID), nil); r.Status != http.StatusNotFound {
			t.Errorf("delete again: %d", r.Status)
		}

		evs, err := e.store.GlobalEvents(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range evs {
			if ev.Entity == "webhook" {
				actions = append(actions, ev.Action)
				if strings.Contains(ev.After+ev.Before, "whsec_") {
					t.Errorf("%s holds a secret", ev.Action)
				}
			}
		}
		if got, want := strings.Join(actions, " "), "webhook.create webhook.create webhook.redeliver webhook.delete"; got != want {
			t.Errorf("audit: %s, want %s", got, want)
		}
	})
}

// TestWebhookPages adds webhooks through the settings page, sees a made
// secret once, reads a delivery log, redelivers and deletes.
func TestWebhookPages(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		b := e.browser()
		b.signIn(models.RoleAdmin)
		if r := b.get("/settings/webhooks"); r.Status != http.StatusOK || !strings.Contains(string(r.Body), "No webhooks yet") {
			t.Fatalf("empty list: %d", r.Status)
		}

		// A mistake is said on the page, with the input kept.
		r := b.post("/settings/webhooks", url.Values{"url": {"ftp://cms.example/x"}, "events": {"comment.created"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad URL: %d", r.Status)
		}
		page := doc(t, r)
		if a := findAll(page, func(n *html.Node) bool { return hasClass(n, "alert") }); len(a) != 1 || !strings.Contains(textOf(a[0]), "https://") {
			t.Errorf("the problem shown: %v", alertText(r))
		}
		if in := findAll(page, func(n *html.Node) bool { return attr(n, "name") == "url" }); len(in) != 1 || attr(in[0], "value") != "ftp://cms.example/x" {
			t.Error("the URL typed is not kept")
		}
		checked := findAll(page, func(n *html.Node) bool { return attr(n, "name") == "events" && hasAttr(n, "checked") })
		if len(checked) != 1 || attr(checked[0], "value") != "comment.created" {
			t.Errorf("%d events checked, want comment.created alone", len(checked))
		}
		if r := b.post("/settings/webhooks", url.Values{"url": {"https://cms.example/x"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(alertText(r), "at least one event") {
			t.Errorf("no event: %d %s", r.Status, alertText(r))
		}

		// A made secret is shown once, after the redirect.
		r = b.post("/settings/webhooks", url.Values{"url": {"https://receiver.example/hook"}, "events": {"*"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/settings/webhooks" {
			t.Fatalf("add: %d %s", r.Status, r.Header.Get("Location"))
		}
		shown := b.get("/settings/webhooks")
		secrets := findAll(doc(t, shown), func(n *html.Node) bool { return hasClass(n, "copy") })
		if len(secrets) != 1 || !strings.HasPrefix(textOf(secrets[0]), "whsec_") {
			t.Fatalf("the made secret is not shown: %s", shown.Body)
		}
		if again := b.get("/settings/webhooks"); strings.Contains(string(again.Body), textOf(secrets[0])) || strings.Contains(string(again.Body), `class="copy"`) {
			t.Error("the secret is shown a second time")
		}
		if !strings.Contains(string(shown.Body), "All events") || !strings.Contains(string(shown.Body), "https://receiver.example/hook") {
			t.Error("the list does not show the webhook")
		}
		r = b.post("/settings/webhooks", url.Values{"url": {"https://given.example/hook"}, "events": {"article.approved"}, "secret": {givenSecret}})
		if r.Status != http.StatusSeeOther || strings.Contains(string(b.get("/settings/webhooks").Body), `class="copy"`) {
			t.Errorf("add with a secret: %d, or the secret was shown", r.Status)
		}

		var list struct{ Webhooks []webhookJSON }
		e.api(models.RoleAdmin, "GET", "/api/v1/webhooks", nil).decode(t, &list)
		var id int64
		for _, w := range list.Webhooks {
			if w.URL == "https://receiver.example/hook" {
				id = w.ID
			}
		}
		e.importSmall(t, "One", "The council met on Monday. It approved the budget.")
		log := b.get("/settings/webhooks/" + itoa(id))
		if log.Status != http.StatusOK || !strings.Contains(string(log.Body), "article.imported") {
			t.Fatalf("delivery log: %d", log.Status)
		}
		forms := findAll(doc(t, log), func(n *html.Node) bool {
			return n.Data == "form" && strings.HasSuffix(attr(n, "action"), "/redeliver")
		})
		if len(forms) != 1 {
			t.Fatalf("%d redeliver buttons, want 1", len(forms))
		}
		r = b.post(attr(forms[0], "action"), url.Values{})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/settings/webhooks/"+itoa(id) {
			t.Fatalf("redeliver: %d %s", r.Status, r.Header.Get("Location"))
		}
		if n := strings.Count(string(b.get("/settings/webhooks/"+itoa(id)).Body), "/redeliver\""); n != 2 {
			t.Errorf("%d deliveries after redelivery, want 2", n)
		}
		if !strings.Contains(string(b.get("/settings/webhooks").Body), "Pending") {
			t.Error("the list does not show the last delivery's state")
		}

		r = b.post("/settings/webhooks/"+itoa(id)+"/delete", url.Values{})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/settings/webhooks" {
			t.Fatalf("delete: %d", r.Status)
		}
		after := b.get("/settings/webhooks")
		if !strings.Contains(string(after.Body), "deleted") || strings.Contains(string(after.Body), `href="/settings/webhooks/`+itoa(id)+`"`) {
			t.Error("a deleted webhook is listed, or no confirmation")
		}
		if r := b.get("/settings/webhooks/" + itoa(id)); r.Status != http.StatusNotFound {
			t.Errorf("a deleted webhook's page: %d", r.Status)
		}

		editor := e.browser()
		editor.signIn(models.RoleEditor)
		if r := editor.get("/settings/webhooks"); r.Status != http.StatusForbidden {
			t.Errorf("an editor opens the settings: %d", r.Status)
		}
	})
}

// webhookPageDocs renders the webhook settings in the states that matter,
// for the HTML checker: empty, with a mistake, with a made secret, and a
// delivery log with a failed attempt.
func webhookPageDocs(t *testing.T, e *env, admin *browser) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	docs["webhooks-empty"] = admin.get("/settings/webhooks").Body
	docs["webhooks-error"] = admin.post("/settings/webhooks", url.Values{"url": {"ftp://x.example/"}, "events": {"*", "comment.created"}}).Body
	admin.post("/settings/webhooks", url.Values{"url": {"https://cms.example/hook"}, "events": {"article.approved", "comment.created"}})
	docs["webhooks-secret"] = admin.get("/settings/webhooks").Body
	var w webhookJSON
	e.api(models.RoleAdmin, "POST", "/api/v1/webhooks", map[string]any{"url": "https://all.example/hook", "events": []string{"*"}}).decode(t, &w)
	docs["webhook-empty"] = admin.get("/settings/webhooks/" + itoa(w.ID)).Body
	e.importSmall(t, "Webhook log", "The council met on Monday. It approved the budget.")
	ms, err := e.store.ClaimOutbox(t.Context(), "vnu", []string{models.OutboxWebhook}, 10, time.Minute)
	if err != nil || len(ms) == 0 {
		t.Fatalf("claim: %v, %d messages", err, len(ms))
	}
	for _, m := range ms {
		if err := e.store.FinishOutbox(t.Context(), "vnu", m.ID, models.OutboxOutcome{Status: 503, Err: errors.New("the receiver answered 503 Service Unavailable"), Retry: time.Minute}); err != nil {
			t.Fatal(err)
		}
	}
	docs["webhooks"] = admin.get("/settings/webhooks").Body
	docs["webhook"] = admin.get("/settings/webhooks/" + itoa(w.ID)).Body
	return docs
}
