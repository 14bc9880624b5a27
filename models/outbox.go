package models

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The kinds of outbox messages.
const (
	OutboxEmail   = "email"
	OutboxWebhook = "webhook"
)

// OutboxMessage is a mail or a webhook delivery waiting to leave. It is
// written in the transaction of the event it tells of, so that no event is
// told without having happened and none that happened goes untold; a
// background sender leases due messages, delivers them and records each
// attempt (see package outbox).
type OutboxMessage struct {
	ID             int64  `gorm:"primaryKey" json:"id"`
	Kind           string `json:"kind"`
	WebhookID      *int64 `json:"webhook_id,omitempty"`
	NotificationID *int64 `json:"notification_id,omitempty"`
	// Event is what happened ("article.approved", "comment.mention" …).
	Event string `json:"event"`
	// MessageID stays the same across retries and redeliveries: the
	// webhook-id header, and the mail's Message-ID, by which a receiver
	// recognises a message it already has.
	MessageID string `json:"message_id"`
	// Recipient is the mail's address; empty for webhooks (the URL is the
	// webhook's).
	Recipient string `json:"-"`
	// Payload is the message: for mail, an OutboxMail as JSON; for a
	// webhook, the body POSTed, byte for byte.
	Payload       string     `json:"-"`
	CreatedAt     time.Time  `json:"created_at"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LeaseOwner    *string    `json:"-"`
	LeaseUntil    *time.Time `json:"-"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	FailedAt      *time.Time `json:"failed_at,omitempty"`
	LastStatus    *int       `json:"last_status,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
}

// TableName names the table of OutboxMessage.
func (OutboxMessage) TableName() string { return "outbox" }

// OutboxAttempt is one try at delivering an outbox message: the delivery
// log an admin reads.
type OutboxAttempt struct {
	ID         int64     `gorm:"primaryKey" json:"-"`
	OutboxID   int64     `json:"-"`
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	Status     *int      `json:"status,omitempty"` // the HTTP status or SMTP reply code, when one came back
	Error      string    `json:"error,omitempty"`
	DurationMS int       `gorm:"column:duration_ms" json:"duration_ms"`
}

// OutboxMail is the payload of a mail: rendered when the event happens, so
// that the sender needs nothing but the relay.
type OutboxMail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// newMessageID returns a fresh message id ("msg_" and 22 random
// characters), the form Standard Webhooks uses.
func newMessageID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("random message id: %v", err)) // crypto/rand never fails on supported systems
	}
	return "msg_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// enqueue writes m into the outbox inside tx, due at once.
func enqueue(tx *gorm.DB, m *OutboxMessage) error {
	now := tx.NowFunc()
	m.CreatedAt, m.NextAttemptAt = now, now
	if m.MessageID == "" {
		m.MessageID = newMessageID()
	}
	if err := tx.Create(m).Error; err != nil {
		return fmt.Errorf("queue %s %s: %w", m.Kind, m.Event, err)
	}
	if in, ok := tx.Statement.Context.Value(inboxKey{}).(*Inboxes); ok {
		in.markQueued()
	}
	return nil
}
