package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditEvent is one recorded change. Events of one article form a hash
// chain (Hash covers PrevHash and the event's canonical encoding); events
// that belong to no article (users, tokens) form the global chain.
type AuditEvent struct {
	ID        int64           `gorm:"primaryKey" json:"-"`
	ArticleID *int64          `json:"article_id,omitempty"`
	Seq       int64           `json:"seq"`
	At        time.Time       `json:"at"`
	ActorID   *int64          `json:"actor_id,omitempty"`
	Actor     string          `json:"actor"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  int64           `json:"entity_id"`
	Before    string          `json:"-"`
	After     string          `json:"-"`
	PrevHash  string          `json:"prev_hash"`
	Hash      string          `json:"hash"`
	BeforeRaw json.RawMessage `gorm:"-" json:"before,omitempty"`
	AfterRaw  json.RawMessage `gorm:"-" json:"after,omitempty"`
}

// TableName names the table of AuditEvent.
func (AuditEvent) TableName() string { return "audit_events" }

// Event is a change about to be recorded. Before and After are encoded as
// JSON (maps with sorted keys), so the same values always give the same
// bytes.
type Event struct {
	ArticleID int64 // 0 for events of the global chain
	Actor     Actor
	Action    string // "sentence.label", "article.submit", "user.create" …
	Entity    string // "sentence", "article", "user" …
	EntityID  int64
	Before    any
	After     any
}

// canonicalEvent fixes the order and form of the fields that the hash
// covers. Changing it invalidates every stored chain: never do.
type canonicalEvent struct {
	ArticleID int64  `json:"article_id"`
	Seq       int64  `json:"seq"`
	At        string `json:"at"`
	ActorID   int64  `json:"actor_id"`
	Actor     string `json:"actor"`
	Action    string `json:"action"`
	Entity    string `json:"entity"`
	EntityID  int64  `json:"entity_id"`
	Before    string `json:"before"`
	After     string `json:"after"`
}

// EventHash returns the chain hash of e given the hash of the event before
// it: hex(SHA-256(prev || "\n" || canonical JSON of e)).
func EventHash(prev string, e *AuditEvent) string {
	c := canonicalEvent{
		Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano),
		Actor: e.Actor, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
		Before: e.Before, After: e.After,
	}
	if e.ArticleID != nil {
		c.ArticleID = *e.ArticleID
	}
	if e.ActorID != nil {
		c.ActorID = *e.ActorID
	}
	b, err := json.Marshal(c)
	if err != nil {
		// A struct of strings and integers always encodes.
		panic(fmt.Sprintf("encode audit event: %v", err))
	}
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// chainHead is the state of a chain read while locking it.
type chainHead struct {
	Seq  int64
	Head string
}

// appendEvent writes ev at the end of its chain inside tx. It locks the
// chain's head row (the article, or the global head) with the UPDATE that
// advances it, so concurrent appends to one chain queue and never fork it,
// while appends to different articles do not wait for each other.
func (s *Store) appendEvent(tx *gorm.DB, ev Event) error {
	var head chainHead
	var err error
	if ev.ArticleID != 0 {
		err = tx.Raw(`UPDATE articles SET audit_seq = audit_seq + 1 WHERE id = ? RETURNING audit_seq AS seq, audit_head AS head`, ev.ArticleID).Scan(&head).Error
	} else {
		err = tx.Raw(`UPDATE audit_heads SET seq = seq + 1 WHERE name = 'global' RETURNING seq, head`).Scan(&head).Error
	}
	if err != nil {
		return fmt.Errorf("advance audit chain: %w", err)
	}
	if head.Seq == 0 {
		return fmt.Errorf("advance audit chain of article %d: %w", ev.ArticleID, ErrNotFound)
	}
	e, err := newAuditEvent(ev, head.Seq, head.Head, tx.NowFunc())
	if err != nil {
		return err
	}
	if err := tx.Create(e).Error; err != nil {
		return fmt.Errorf("write audit event %s: %w", ev.Action, err)
	}
	if ev.ArticleID != 0 {
		err = tx.Exec(`UPDATE articles SET audit_head = ? WHERE id = ?`, e.Hash, ev.ArticleID).Error
	} else {
		err = tx.Exec(`UPDATE audit_heads SET head = ? WHERE name = 'global'`, e.Hash).Error
	}
	if err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

// newAuditEvent builds the event that follows (seq-1, prev) in its chain,
// made at at, with its hash.
func newAuditEvent(ev Event, seq int64, prev string, at time.Time) (*AuditEvent, error) {
	before, err := encodeValue(ev.Before)
	if err != nil {
		return nil, fmt.Errorf("encode audit before: %w", err)
	}
	after, err := encodeValue(ev.After)
	if err != nil {
		return nil, fmt.Errorf("encode audit after: %w", err)
	}
	e := &AuditEvent{
		Seq: seq, At: at, Actor: ev.Actor.Label(), Action: ev.Action,
		Entity: ev.Entity, EntityID: ev.EntityID, Before: before, After: after, PrevHash: prev,
	}
	if ev.ArticleID != 0 {
		id := ev.ArticleID
		e.ArticleID = &id
	}
	if ev.Actor.ID != 0 {
		id := ev.Actor.ID
		e.ActorID = &id
	}
	e.Hash = EventHash(prev, e)
	return e, nil
}

func encodeValue(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// ArticleEvents returns the audit events of an article in chain order.
func (s *Store) ArticleEvents(ctx context.Context, articleID int64) ([]AuditEvent, error) {
	var evs []AuditEvent
	if err := s.db.gorm.WithContext(ctx).Where("article_id = ?", articleID).Order("seq").Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("load audit events of article %d: %w", articleID, err)
	}
	for i := range evs {
		evs[i].fillRaw()
	}
	return evs, nil
}

// GlobalEvents returns the events that belong to no article, in order.
func (s *Store) GlobalEvents(ctx context.Context) ([]AuditEvent, error) {
	var evs []AuditEvent
	if err := s.db.gorm.WithContext(ctx).Where("article_id IS NULL").Order("seq").Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("load global audit events: %w", err)
	}
	for i := range evs {
		evs[i].fillRaw()
	}
	return evs, nil
}

func (e *AuditEvent) fillRaw() {
	if json.Valid([]byte(e.Before)) {
		e.BeforeRaw = json.RawMessage(e.Before)
	}
	if json.Valid([]byte(e.After)) {
		e.AfterRaw = json.RawMessage(e.After)
	}
}

// ChainProblem is one way a chain fails to verify.
type ChainProblem struct {
	Seq     int64  `json:"seq"`
	Problem string `json:"problem"`
}

// VerifyChain checks a sequence of events read from one chain against the
// head recorded for it: contiguous sequence numbers from 1, each event's
// PrevHash equal to the hash before it, each Hash recomputed, and the last
// event equal to the recorded head (which catches a deleted tail).
func VerifyChain(events []AuditEvent, headSeq int64, headHash string) []ChainProblem {
	var problems []ChainProblem
	prev := ""
	for i := range events {
		e := &events[i]
		if want := int64(i + 1); e.Seq != want {
			problems = append(problems, ChainProblem{Seq: e.Seq, Problem: fmt.Sprintf("sequence number %d where %d was expected: an event is missing or was inserted", e.Seq, want)})
		}
		if e.PrevHash != prev {
			problems = append(problems, ChainProblem{Seq: e.Seq, Problem: "does not link to the event before it"})
		}
		if got := EventHash(e.PrevHash, e); got != e.Hash {
			problems = append(problems, ChainProblem{Seq: e.Seq, Problem: "its content does not match its hash: the event was altered"})
		}
		prev = e.Hash
	}
	if int64(len(events)) != headSeq || prev != headHash {
		problems = append(problems, ChainProblem{Seq: headSeq, Problem: fmt.Sprintf("the chain ends at event %d but the recorded head is event %d: events were removed or added outside factdesk", len(events), headSeq)})
	}
	return problems
}
