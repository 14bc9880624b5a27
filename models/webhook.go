package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// WebhookEvents lists the events a webhook can subscribe to; "*" stands
// for all of them.
var WebhookEvents = []string{
	"article.imported", "article.assigned", "article.submitted", "article.changes_requested",
	"article.approved", "article.reopened", "article.revised", "comment.created",
}

// Webhook is an address an admin registered to be told of events, signed
// with its secret the Standard Webhooks way.
type Webhook struct {
	ID  int64  `gorm:"primaryKey" json:"id"`
	URL string `gorm:"column:url" json:"url"`
	// Events is the JSON array of subscribed event names (["*"]: all).
	Events    string     `json:"-"`
	Secret    string     `json:"-"`
	CreatedBy *int64     `json:"created_by,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	DeletedAt *time.Time `json:"-"`
	// LastDelivery is the latest delivery, where a list shows it.
	LastDelivery *OutboxMessage `gorm:"-" json:"last_delivery,omitempty"`
}

// EventList returns the subscribed events.
func (w *Webhook) EventList() []string {
	var evs []string
	if err := json.Unmarshal([]byte(w.Events), &evs); err != nil {
		return nil
	}
	return evs
}

// Wants reports whether the webhook subscribes to event.
func (w *Webhook) Wants(event string) bool {
	evs := w.EventList()
	return slices.Contains(evs, "*") || slices.Contains(evs, event)
}

// WebhookPayload is the body POSTed to a webhook.
type WebhookPayload struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      any    `json:"data"`
}

// enqueueWebhooks queues the event for every live webhook subscribed to
// it, inside the transaction that made it happen.
func enqueueWebhooks(tx *gorm.DB, event string, data any) error {
	var hooks []Webhook
	if err := tx.Where("deleted_at IS NULL").Order("id").Find(&hooks).Error; err != nil {
		return fmt.Errorf("load webhooks: %w", err)
	}
	var body []byte
	for i := range hooks {
		if !hooks[i].Wants(event) {
			continue
		}
		if body == nil {
			var err error
			body, err = json.Marshal(WebhookPayload{Type: event, Timestamp: tx.NowFunc().UTC().Format(time.RFC3339Nano), Data: data})
			if err != nil {
				return fmt.Errorf("encode webhook %s: %w", event, err)
			}
		}
		id := hooks[i].ID
		if err := enqueue(tx, &OutboxMessage{Kind: OutboxWebhook, WebhookID: &id, Event: event, Payload: string(body)}); err != nil {
			return err
		}
	}
	return nil
}

// MarshalJSON writes the webhook with its events as a list, and never its
// secret.
func (w Webhook) MarshalJSON() ([]byte, error) {
	type plain Webhook // without this method
	return json.Marshal(struct {
		plain
		Events []string `json:"events"`
	}{plain(w), w.EventList()})
}

// NewWebhook is a webhook about to be registered, checked by the business
// layer: an http(s) URL, known event names or "*", a secret in the Standard
// Webhooks form.
type NewWebhook struct {
	URL    string
	Events []string
	Secret string
}

// CreateWebhook registers a webhook, with its audit event (which never
// holds the secret).
func (s *Store) CreateWebhook(ctx context.Context, actor Actor, in NewWebhook) (*Webhook, error) {
	events, err := json.Marshal(in.Events)
	if err != nil {
		return nil, fmt.Errorf("encode webhook events: %w", err)
	}
	w := &Webhook{URL: in.URL, Events: string(events), Secret: in.Secret, CreatedAt: s.now()}
	if actor.ID != 0 {
		id := actor.ID
		w.CreatedBy = &id
	}
	err = s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(w).Error; err != nil {
			return fmt.Errorf("create webhook: %w", err)
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "webhook.create", Entity: "webhook", EntityID: w.ID,
			After: map[string]any{"url": w.URL, "events": in.Events}})
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// Webhooks lists the live webhooks, newest first, each with its latest
// delivery (two queries whatever their number).
func (s *Store) Webhooks(ctx context.Context) ([]Webhook, error) {
	db := s.db.gorm.WithContext(ctx)
	var hooks []Webhook
	if err := db.Where("deleted_at IS NULL").Order("id DESC").Find(&hooks).Error; err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	if len(hooks) == 0 {
		return hooks, nil
	}
	ids := make([]int64, len(hooks))
	for i := range hooks {
		ids[i] = hooks[i].ID
	}
	var last []OutboxMessage
	latest := db.Model(&OutboxMessage{}).Select("MAX(id)").Where("webhook_id IN ?", ids).Group("webhook_id")
	if err := db.Where("id IN (?)", latest).Find(&last).Error; err != nil {
		return nil, fmt.Errorf("load the latest webhook deliveries: %w", err)
	}
	byHook := make(map[int64]*OutboxMessage, len(last))
	for i := range last {
		byHook[*last[i].WebhookID] = &last[i]
	}
	for i := range hooks {
		hooks[i].LastDelivery = byHook[hooks[i].ID]
	}
	return hooks, nil
}

// Webhook returns a live webhook; ErrNotFound when there is none or it was
// deleted.
func (s *Store) Webhook(ctx context.Context, id int64) (*Webhook, error) {
	return liveWebhook(s.db.gorm.WithContext(ctx), id)
}

func liveWebhook(tx *gorm.DB, id int64) (*Webhook, error) {
	var w Webhook
	if err := tx.Where("deleted_at IS NULL").First(&w, id).Error; err != nil {
		return nil, notFound(err, "webhook %d", id)
	}
	return &w, nil
}

// WebhookForDelivery returns a webhook whether deleted or not, for the
// sender, which must know that a webhook was deleted to give up its
// pending deliveries.
func (s *Store) WebhookForDelivery(ctx context.Context, id int64) (*Webhook, error) {
	var w Webhook
	if err := s.db.gorm.WithContext(ctx).First(&w, id).Error; err != nil {
		return nil, notFound(err, "webhook %d", id)
	}
	return &w, nil
}

// DeleteWebhook deletes a webhook, keeping its row and delivery log
// (deleted_at): nothing more is queued for it, and its pending deliveries
// are given up by the sender.
func (s *Store) DeleteWebhook(ctx context.Context, actor Actor, id int64) error {
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		w, err := liveWebhook(tx, id)
		if err != nil {
			return err
		}
		res := tx.Model(&Webhook{}).Where("id = ? AND deleted_at IS NULL", id).Update("deleted_at", tx.NowFunc())
		if res.Error != nil {
			return fmt.Errorf("delete webhook %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			// Someone else deleted it meanwhile.
			return fmt.Errorf("delete webhook %d: %w", id, ErrNotFound)
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "webhook.delete", Entity: "webhook", EntityID: id,
			Before: map[string]any{"url": w.URL, "events": w.EventList()}})
	})
}

// WebhookDelivery is one message queued for a webhook, with every attempt
// to deliver it.
type WebhookDelivery struct {
	OutboxMessage
	Log []OutboxAttempt `json:"attempt_log"`
}

// DeliveryPage is one page of a webhook's deliveries, newest first.
type DeliveryPage struct {
	Deliveries []WebhookDelivery `json:"deliveries"`
	// Next is the cursor of the following page, 0 when this is the last.
	Next int64 `json:"next_cursor,omitempty"`
}

// WebhookDeliveries returns a live webhook's deliveries older than the
// delivery before (0: from the newest), at most limit (1–200, default 50),
// each with its attempts, by keyset in two queries.
func (s *Store) WebhookDeliveries(ctx context.Context, webhookID, before int64, limit int) (*DeliveryPage, error) {
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	db := s.db.gorm.WithContext(ctx)
	if _, err := liveWebhook(db, webhookID); err != nil {
		return nil, err
	}
	q := db.Where("webhook_id = ? AND kind = ?", webhookID, OutboxWebhook)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var msgs []OutboxMessage
	if err := q.Order("id DESC").Limit(limit + 1).Find(&msgs).Error; err != nil {
		return nil, fmt.Errorf("list deliveries of webhook %d: %w", webhookID, err)
	}
	page := &DeliveryPage{Deliveries: make([]WebhookDelivery, 0, len(msgs))}
	if len(msgs) > limit {
		msgs = msgs[:limit]
		page.Next = msgs[limit-1].ID
	}
	if len(msgs) == 0 {
		return page, nil
	}
	ids := make([]int64, len(msgs))
	for i := range msgs {
		ids[i] = msgs[i].ID
	}
	var attempts []OutboxAttempt
	if err := db.Where("outbox_id IN ?", ids).Order("outbox_id, attempt").Find(&attempts).Error; err != nil {
		return nil, fmt.Errorf("load delivery attempts of webhook %d: %w", webhookID, err)
	}
	byMsg := make(map[int64][]OutboxAttempt, len(msgs))
	for _, a := range attempts {
		byMsg[a.OutboxID] = append(byMsg[a.OutboxID], a)
	}
	for _, m := range msgs {
		log := byMsg[m.ID]
		if log == nil {
			log = []OutboxAttempt{}
		}
		page.Deliveries = append(page.Deliveries, WebhookDelivery{OutboxMessage: m, Log: log})
	}
	return page, nil
}

// RedeliverWebhook queues a delivery of a live webhook again, due now: a
// new outbox row with the same message id and payload, so that a receiver
// that did get it the first time recognises it (Standard Webhooks'
// webhook-id) while one that lost it gets it now.
func (s *Store) RedeliverWebhook(ctx context.Context, actor Actor, webhookID, deliveryID int64) (*WebhookDelivery, error) {
	var again OutboxMessage
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := liveWebhook(tx, webhookID); err != nil {
			return err
		}
		var orig OutboxMessage
		err := tx.Where("webhook_id = ? AND kind = ?", webhookID, OutboxWebhook).First(&orig, deliveryID).Error
		if err != nil {
			return notFound(err, "delivery %d of webhook %d", deliveryID, webhookID)
		}
		id := webhookID
		again = OutboxMessage{Kind: OutboxWebhook, WebhookID: &id, Event: orig.Event, MessageID: orig.MessageID, Payload: orig.Payload}
		if err := enqueue(tx, &again); err != nil {
			return err
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "webhook.redeliver", Entity: "webhook", EntityID: webhookID,
			After: map[string]any{"delivery_id": again.ID, "redelivers": orig.ID, "message_id": orig.MessageID, "event": orig.Event}})
	})
	if err != nil {
		return nil, err
	}
	return &WebhookDelivery{OutboxMessage: again, Log: []OutboxAttempt{}}, nil
}

// The states of an outbox message, as State names them.
const (
	DeliveryPending  = "pending"  // not tried yet
	DeliveryRetrying = "retrying" // tried, failed, to be tried again
	DeliverySent     = "sent"
	DeliveryFailed   = "failed" // given up
)

// State says where a message stands: DeliveryPending, DeliveryRetrying,
// DeliverySent or DeliveryFailed.
func (m OutboxMessage) State() string {
	switch {
	case m.SentAt != nil:
		return DeliverySent
	case m.FailedAt != nil:
		return DeliveryFailed
	case m.Attempts > 0:
		return DeliveryRetrying
	}
	return DeliveryPending
}
