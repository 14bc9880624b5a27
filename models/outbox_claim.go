package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"factdesk/migrations"
)

// ErrLeaseLost means an outbox message is no longer leased by the one
// recording its outcome: its lease ran out and another sender took it, or
// it was already recorded. Nothing was changed.
var ErrLeaseLost = &Error{Code: ECONFLICT, Message: "the outbox message is no longer leased by this sender"}

// OutboxOutcome is what became of one delivery attempt, for FinishOutbox.
type OutboxOutcome struct {
	// Status is the receiver's answer code (HTTP status, SMTP reply), 0
	// when none came back.
	Status int
	// Err is why the attempt failed; nil means the message was delivered.
	Err error
	// Duration is how long the attempt took.
	Duration time.Duration
	// GiveUp, after a failure, marks the message failed for good.
	GiveUp bool
	// Retry, after a failure that is not given up, is how long to wait
	// before the next attempt.
	Retry time.Duration
}

// OutboxCounts counts the outbox's messages by state, for metrics.
type OutboxCounts struct {
	Queued int64 `json:"queued"` // neither sent nor given up (leased ones included)
	Leased int64 `json:"leased"` // queued and leased by a sender right now
	Sent   int64 `json:"sent"`
	Failed int64 `json:"failed"`
}

// maxOutboxError bounds the error text kept per attempt: a relay's
// multi-line reply is useful, a megabyte of it is not.
const maxOutboxError = 1000

// ClaimOutbox leases up to limit due messages of the given kinds to owner
// for lease, oldest due first, and counts an attempt on each. A message is
// due when it is neither sent nor given up, its next attempt is not in the
// future and no live lease holds it. Concurrent claims (other processes on
// the same database included) never get the same message while its lease
// lasts: PostgreSQL skips the rows another claim has locked, SQLite has one
// writer at a time.
func (s *Store) ClaimOutbox(ctx context.Context, owner string, kinds []string, limit int, lease time.Duration) ([]OutboxMessage, error) {
	if owner == "" {
		return nil, errors.New("claim outbox: no owner")
	}
	if len(kinds) == 0 || limit <= 0 {
		return []OutboxMessage{}, nil
	}
	now := s.now()
	const due = `sent_at IS NULL AND failed_at IS NULL AND kind IN ? AND next_attempt_at <= ?
		AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, id LIMIT ?`
	var q string
	if s.db.dialect == migrations.Postgres {
		// MATERIALIZED keeps the locking SELECT a step of its own, run
		// once, rather than folded into the UPDATE.
		q = `WITH due AS MATERIALIZED (SELECT id FROM outbox WHERE ` + due + ` FOR UPDATE SKIP LOCKED)
			UPDATE outbox o SET lease_owner = ?, lease_until = ?, attempts = o.attempts + 1
			FROM due WHERE o.id = due.id RETURNING o.*`
	} else {
		q = `UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox WHERE ` + due + `) RETURNING *`
	}
	args := []any{kinds, now, now, limit, owner, now.Add(lease)}
	if s.db.dialect != migrations.Postgres {
		args = []any{owner, now.Add(lease), kinds, now, now, limit}
	}
	var ms []OutboxMessage
	if err := s.db.gorm.WithContext(ctx).Raw(q, args...).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("claim outbox messages: %w", err)
	}
	// RETURNING promises no order.
	sort.Slice(ms, func(i, j int) bool {
		if !ms[i].NextAttemptAt.Equal(ms[j].NextAttemptAt) {
			return ms[i].NextAttemptAt.Before(ms[j].NextAttemptAt)
		}
		return ms[i].ID < ms[j].ID
	})
	return ms, nil
}

// FinishOutbox records the outcome of owner's attempt at message id in
// one transaction: an outbox_attempts row, and the message marked sent,
// given up, or due again after o.Retry, its lease dropped. It changes
// nothing and returns ErrLeaseLost unless owner still holds the message.
// A lease that ran out but was not taken by anyone else still counts as
// held: recording what happened is better than sending again.
func (s *Store) FinishOutbox(ctx context.Context, owner string, id int64, o OutboxOutcome) error {
	now := s.now()
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx
		if s.db.dialect == migrations.Postgres {
			q = tx.Clauses(lockForUpdate())
		}
		var m OutboxMessage
		err := q.Where("id = ? AND lease_owner = ? AND sent_at IS NULL AND failed_at IS NULL", id, owner).Take(&m).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("finish outbox message %d: %w", id, ErrLeaseLost)
		}
		if err != nil {
			return fmt.Errorf("finish outbox message %d: %w", id, err)
		}
		var status *int
		if o.Status != 0 {
			status = &o.Status
		}
		errText := ""
		if o.Err != nil {
			errText = clipError(o.Err.Error())
		}
		change := map[string]any{"lease_owner": nil, "lease_until": nil, "last_status": status, "last_error": errText}
		switch {
		case o.Err == nil:
			change["sent_at"] = now
		case o.GiveUp:
			change["failed_at"] = now
		default:
			change["next_attempt_at"] = now.Add(o.Retry)
		}
		if err := tx.Model(&OutboxMessage{}).Where("id = ?", id).Updates(change).Error; err != nil {
			return fmt.Errorf("record outbox message %d: %w", id, err)
		}
		a := OutboxAttempt{OutboxID: id, Attempt: m.Attempts, At: now, Status: status, Error: errText, DurationMS: int(o.Duration.Milliseconds())}
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("record attempt %d of outbox message %d: %w", m.Attempts, id, err)
		}
		return nil
	})
}

// ReleaseOutbox drops owner's leases on messages it has not attempted, so
// that another sender may take them at once instead of after the lease, and
// uncounts the attempt their claim counted. Call it only when none of
// owner's deliveries is in flight (a sender shutting down); it returns how
// many were released.
func (s *Store) ReleaseOutbox(ctx context.Context, owner string) (int64, error) {
	res := s.db.gorm.WithContext(ctx).Exec(`UPDATE outbox SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1
		WHERE lease_owner = ? AND sent_at IS NULL AND failed_at IS NULL`, owner)
	if res.Error != nil {
		return 0, fmt.Errorf("release outbox leases of %s: %w", owner, res.Error)
	}
	return res.RowsAffected, nil
}

// OutboxMessageByID returns one outbox message.
func (s *Store) OutboxMessageByID(ctx context.Context, id int64) (*OutboxMessage, error) {
	var m OutboxMessage
	err := s.db.gorm.WithContext(ctx).Where("id = ?", id).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("outbox message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load outbox message %d: %w", id, err)
	}
	return &m, nil
}

// OutboxAttempts returns the delivery log of message id, first attempt
// first.
func (s *Store) OutboxAttempts(ctx context.Context, id int64) ([]OutboxAttempt, error) {
	as := []OutboxAttempt{}
	if err := s.db.gorm.WithContext(ctx).Where("outbox_id = ?", id).Order("attempt, id").Find(&as).Error; err != nil {
		return nil, fmt.Errorf("load attempts of outbox message %d: %w", id, err)
	}
	return as, nil
}

// CountOutbox counts the outbox's messages by state in one query.
func (s *Store) CountOutbox(ctx context.Context) (OutboxCounts, error) {
	var c OutboxCounts
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0) AS queued,
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL AND lease_until > ? THEN 1 ELSE 0 END), 0) AS leased,
		COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent,
		COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed
		FROM outbox`, s.now()).Scan(&c).Error
	if err != nil {
		return c, fmt.Errorf("count outbox messages: %w", err)
	}
	return c, nil
}

// QueueMail queues one mail to m.To for event in a transaction of its
// own, for mail that no other change carries (a test message an admin
// sends, tests of the sender); mail about a change is queued inside that
// change's transaction instead.
func (s *Store) QueueMail(ctx context.Context, event string, m OutboxMail) (*OutboxMessage, error) {
	if strings.TrimSpace(m.To) == "" {
		return nil, FieldError("to", "a mail needs a recipient")
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode mail: %w", err)
	}
	msg := &OutboxMessage{Kind: OutboxEmail, Event: event, Recipient: m.To, Payload: string(body)}
	if err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return enqueue(tx, msg) }); err != nil {
		return nil, err
	}
	return msg, nil
}

// clipError keeps an error text storable: valid UTF-8 (PostgreSQL refuses
// anything else, and a relay's reply may be anything) and bounded.
func clipError(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxOutboxError {
		return s
	}
	cut := maxOutboxError
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
