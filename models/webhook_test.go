package models_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

const testWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// webhookAdmin creates an admin to act as.
func webhookAdmin(t *testing.T, st *models.Store) models.Actor {
	t.Helper()
	u, err := st.CreateUser(t.Context(), models.System, models.NewUser{Email: "ada@example.org", Name: "Ada", Role: models.RoleAdmin, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// outboxOf returns the webhook ids the outbox holds a message of event for.
func outboxOf(t *testing.T, db *models.DB, event string) []int64 {
	t.Helper()
	var ms []models.OutboxMessage
	if err := db.Gorm().Where("event = ?", event).Order("webhook_id").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, m := range ms {
		if m.Kind != models.OutboxWebhook || m.WebhookID == nil {
			t.Fatalf("message %d: kind %q, webhook %v", m.ID, m.Kind, m.WebhookID)
		}
		ids = append(ids, *m.WebhookID)
	}
	return ids
}

// TestWebhookEnqueue queues events only for live webhooks subscribed to
// them, "*" taking every event, each with the payload POSTed.
func TestWebhookEnqueue(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := t.Context()
		st := models.NewStore(db)
		admin := webhookAdmin(t, st)
		create := func(events ...string) *models.Webhook {
			t.Helper()
			w, err := st.CreateWebhook(ctx, admin, models.NewWebhook{URL: "https://hooks.example/" + events[0], Events: events, Secret: testWebhookSecret})
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		approved := create("article.approved", "article.reopened")
		all := create("*")
		comments := create("comment.created")

		if err := models.EnqueueWebhooks(ctx, st, "article.approved", map[string]any{"article_id": 7}); err != nil {
			t.Fatal(err)
		}
		if got, want := outboxOf(t, db, "article.approved"), []int64{approved.ID, all.ID}; !slices.Equal(got, want) {
			t.Errorf("article.approved queued for %v, want %v", got, want)
		}
		var m models.OutboxMessage
		if err := db.Gorm().Where("event = ?", "article.approved").First(&m).Error; err != nil {
			t.Fatal(err)
		}
		var p struct {
			Type      string         `json:"type"`
			Timestamp string         `json:"timestamp"`
			Data      map[string]int `json:"data"`
		}
		if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
			t.Fatalf("payload %s: %v", m.Payload, err)
		}
		if p.Type != "article.approved" || p.Data["article_id"] != 7 || p.Timestamp == "" {
			t.Errorf("payload %s", m.Payload)
		}
		if !strings.HasPrefix(m.MessageID, "msg_") || m.State() != models.DeliveryPending {
			t.Errorf("message id %q, state %q", m.MessageID, m.State())
		}

		if err := st.DeleteWebhook(ctx, admin, all.ID); err != nil {
			t.Fatal(err)
		}
		if err := models.EnqueueWebhooks(ctx, st, "comment.created", map[string]any{}); err != nil {
			t.Fatal(err)
		}
		if got, want := outboxOf(t, db, "comment.created"), []int64{comments.ID}; !slices.Equal(got, want) {
			t.Errorf("comment.created queued for %v, want %v (the deleted catch-all gets nothing)", got, want)
		}
		if err := models.EnqueueWebhooks(ctx, st, "article.submitted", map[string]any{}); err != nil {
			t.Fatal(err)
		}
		if got := outboxOf(t, db, "article.submitted"); len(got) != 0 {
			t.Errorf("article.submitted queued for %v, want nobody", got)
		}
	})
}

// TestWebhookStore registers, lists, deletes and redelivers, each change
// an audit event of the global chain that never holds the secret.
func TestWebhookStore(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := t.Context()
		st := models.NewStore(db)
		admin := webhookAdmin(t, st)
		a, err := st.CreateWebhook(ctx, admin, models.NewWebhook{URL: "https://a.example/hook", Events: []string{"article.approved"}, Secret: testWebhookSecret})
		if err != nil {
			t.Fatal(err)
		}
		b, err := st.CreateWebhook(ctx, admin, models.NewWebhook{URL: "https://b.example/hook", Events: []string{"*"}, Secret: testWebhookSecret})
		if err != nil {
			t.Fatal(err)
		}
		if a.CreatedBy == nil || *a.CreatedBy != admin.ID {
			t.Errorf("created by %v, want %d", a.CreatedBy, admin.ID)
		}
		j, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(j); !strings.Contains(s, `"events":["article.approved"]`) || strings.Contains(s, "whsec_") || strings.Contains(s, "secret") {
			t.Errorf("JSON of a webhook: %s", s)
		}

		ws, err := st.Webhooks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 2 || ws[0].ID != b.ID || ws[1].ID != a.ID || ws[0].LastDelivery != nil {
			t.Fatalf("webhooks: %+v, want b then a, no deliveries", ws)
		}

		// Three deliveries for a, one for b.
		for range 3 {
			if err := models.EnqueueWebhooks(ctx, st, "article.approved", map[string]any{"n": 1}); err != nil {
				t.Fatal(err)
			}
		}
		page, err := st.WebhookDeliveries(ctx, a.ID, 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Deliveries) != 2 || page.Next == 0 || page.Deliveries[0].ID < page.Deliveries[1].ID {
			t.Fatalf("first page: %d deliveries, next %d", len(page.Deliveries), page.Next)
		}
		rest, err := st.WebhookDeliveries(ctx, a.ID, page.Next, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest.Deliveries) != 1 || rest.Next != 0 || rest.Deliveries[0].ID >= page.Next {
			t.Fatalf("second page: %+v", rest)
		}
		oldest := rest.Deliveries[0]
		if oldest.Log == nil || len(oldest.Log) != 0 || *oldest.WebhookID != a.ID {
			t.Errorf("an untried delivery: log %v, webhook %v", oldest.Log, oldest.WebhookID)
		}

		again, err := st.RedeliverWebhook(ctx, admin, a.ID, oldest.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.ID <= page.Deliveries[0].ID || again.MessageID != oldest.MessageID || again.Payload != oldest.Payload ||
			again.Event != oldest.Event || again.Attempts != 0 || again.NextAttemptAt.After(st.Now()) {
			t.Errorf("redelivery %+v of %+v", again.OutboxMessage, oldest.OutboxMessage)
		}
		ws, err = st.Webhooks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ws[1].LastDelivery == nil || ws[1].LastDelivery.ID != again.ID || ws[0].LastDelivery == nil {
			t.Errorf("latest deliveries: %+v / %+v", ws[0].LastDelivery, ws[1].LastDelivery)
		}
		// A delivery of another webhook is not this one's.
		bPage, err := st.WebhookDeliveries(ctx, b.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.RedeliverWebhook(ctx, admin, a.ID, bPage.Deliveries[0].ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("redeliver b's delivery as a's: %v, want not found", err)
		}

		if err := st.DeleteWebhook(ctx, admin, a.ID); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{
			"delete again": st.DeleteWebhook(ctx, admin, a.ID),
			"get":          second(st.Webhook(ctx, a.ID)),
			"deliveries":   second(st.WebhookDeliveries(ctx, a.ID, 0, 0)),
			"redeliver":    second(st.RedeliverWebhook(ctx, admin, a.ID, oldest.ID)),
			"get missing":  second(st.Webhook(ctx, 999999)),
		} {
			if models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("%s of a deleted webhook: %v, want not found", name, err)
			}
		}
		gone, err := st.WebhookForDelivery(ctx, a.ID)
		if err != nil || gone.DeletedAt == nil {
			t.Errorf("the sender's view of a deleted webhook: %+v, %v", gone, err)
		}
		if ws, err := st.Webhooks(ctx); err != nil || len(ws) != 1 || ws[0].ID != b.ID {
			t.Errorf("after delete: %v, %v", ws, err)
		}

		evs, err := st.GlobalEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range evs {
			if e.Entity != "webhook" {
				continue
			}
			actions = append(actions, e.Action)
			if e.Actor != admin.Label() {
				t.Errorf("%s by %q, want %q", e.Action, e.Actor, admin.Label())
			}
			if strings.Contains(e.Before+e.After, "whsec_") {
				t.Errorf("%s records the secret: %s %s", e.Action, e.Before, e.After)
			}
		}
		want := []string{"webhook.create", "webhook.create", "webhook.redeliver", "webhook.delete"}
		if !slices.Equal(actions, want) {
			t.Errorf("audit: %v, want %v", actions, want)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestWebhookDeleteOnce: of two deletes at once one wins and
// the other finds nothing, with one audit event.
func TestWebhookDeleteOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		st := models.NewStore(db)
		admin := webhookAdmin(t, st)
		w, err := st.CreateWebhook(ctx, admin, models.NewWebhook{URL: "https://a.example/hook", Events: []string{"*"}, Secret: testWebhookSecret})
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		for range 2 {
			go func() { errs <- st.DeleteWebhook(ctx, admin, w.ID) }()
		}
		var ok, missing int
		for range 2 {
			switch err := <-errs; models.ErrorCode(err) {
			case "":
				ok++
			case models.ENOTFOUND:
				missing++
			default:
				t.Errorf("delete: %v", err)
			}
		}
		if ok != 1 || missing != 1 {
			t.Errorf("%d deletes succeeded, %d found nothing; want 1 and 1", ok, missing)
		}
		evs, err := st.GlobalEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Action == "webhook.delete" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d delete events, want 1", n)
		}
	})
}
