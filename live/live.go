// Package live carries changes to the people looking at an article, as
// they happen. A Broker fans events out to subscribers of an article; the
// local broker serves one process (SQLite), the PostgreSQL broker sends
// every event through LISTEN/NOTIFY so that several server processes on one
// database serve each other's changes.
package live

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
)

// Event is one change, as subscribers receive it.
type Event struct {
	Type      string `json:"type"` // "sentence", "article", "comment", "citation", …
	ArticleID int64  `json:"article_id"`
	// UserID, when set, addresses the event to one person's inbox stream
	// (see SubscribeUser) instead of an article's watchers.
	UserID   int64           `json:"user_id,omitempty"`
	EntityID int64           `json:"entity_id,omitempty"`
	Version  int             `json:"version,omitempty"`
	ActorID  int64           `json:"actor_id,omitempty"`
	Actor    string          `json:"actor,omitempty"`
	Data     json.RawMessage `json:"data,omitempty"`
}

// AccessChanged is the type of the event that tells a user's streams
// that what the user may see changed: each checks again before it sends
// anything more.
const AccessChanged = "access"

// Broker publishes events and hands them to subscribers.
type Broker interface {
	// Publish sends e to every subscriber of its article, in every process.
	Publish(ctx context.Context, e Event) error
	// Subscribe returns a channel of the article's events for one user and
	// a function that ends the subscription. It fails with ErrTooMany when
	// the user has MaxPerUser subscriptions open in this process.
	Subscribe(articleID, userID int64) (<-chan Event, func(), error)
	// SubscribeUser returns a channel of the events addressed to one
	// user (their inbox), under the same limits as Subscribe.
	SubscribeUser(userID int64) (<-chan Event, func(), error)
	// SubscribeWithInbox returns one channel of an article's events and
	// the user's inbox events: one stream for a page that shows both.
	SubscribeWithInbox(articleID, userID int64) (<-chan Event, func(), error)
	// Open returns the number of open subscriptions in this process.
	Open() int
	// Close ends every subscription and stops the broker.
	Close() error
}

// MaxPerUser bounds the event streams one user may hold open at once in
// one process, so that one client cannot exhaust the server. Every page
// holds one (a review page's carries the inbox too), so this is sixteen
// tabs.
const MaxPerUser = 16

// ErrTooMany means a user holds too many event streams already.
var ErrTooMany = errors.New("too many open event streams for this user")

// hub is the fan-out shared by both brokers: subscribers by article, with
// a bounded buffer each; a subscriber too slow to keep up misses events
// rather than slowing everyone (the page resynchronises on a gap).
type hub struct {
	mu     sync.Mutex
	subs   map[topic]map[*sub]struct{}
	byUser map[int64]int
	closed bool
}

// topic is what a subscriber follows: an article, or a user's inbox.
type topic struct {
	article, user int64
}

// topicOf returns the topic an event is published to.
func topicOf(e Event) topic {
	if e.UserID != 0 {
		return topic{user: e.UserID}
	}
	return topic{article: e.ArticleID}
}

type sub struct {
	ch     chan Event
	userID int64
	closed bool // under the hub's lock
}

func newHub() *hub {
	return &hub{subs: map[topic]map[*sub]struct{}{}, byUser: map[int64]int{}}
}

// subscribe opens one subscription of userID to the topics: one stream,
// counted once against MaxPerUser, receiving the events of each.
func (h *hub) subscribe(userID int64, topics ...topic) (<-chan Event, func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, errors.New("broker closed")
	}
	if h.byUser[userID] >= MaxPerUser {
		return nil, nil, ErrTooMany
	}
	s := &sub{ch: make(chan Event, 64), userID: userID}
	for _, t := range topics {
		if h.subs[t] == nil {
			h.subs[t] = map[*sub]struct{}{}
		}
		h.subs[t][s] = struct{}{}
	}
	h.byUser[userID]++
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if s.closed {
				return
			}
			for _, t := range topics {
				delete(h.subs[t], s)
				if len(h.subs[t]) == 0 {
					delete(h.subs, t)
				}
			}
			h.byUser[userID]--
			if h.byUser[userID] == 0 {
				delete(h.byUser, userID)
			}
			s.closed = true
			close(s.ch)
		})
	}, nil
}

func (h *hub) deliver(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[topicOf(e)] {
		select {
		case s.ch <- e:
		default:
		}
	}
}

// open counts the open subscriptions (streams).
func (h *hub) open() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.byUser {
		n += c
	}
	return n
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for t, ss := range h.subs {
		for s := range ss {
			if !s.closed {
				s.closed = true
				close(s.ch)
			}
		}
		delete(h.subs, t)
	}
	h.byUser = map[int64]int{}
}

// Local is the broker of a single process.
type Local struct{ h *hub }

// NewLocal returns an in-process broker.
func NewLocal() *Local { return &Local{h: newHub()} }

// Publish hands e to this process's subscribers.
func (l *Local) Publish(_ context.Context, e Event) error { l.h.deliver(e); return nil }

// Subscribe subscribes to an article's events.
func (l *Local) Subscribe(articleID, userID int64) (<-chan Event, func(), error) {
	return l.h.subscribe(userID, topic{article: articleID})
}

// SubscribeUser subscribes to a user's inbox events.
func (l *Local) SubscribeUser(userID int64) (<-chan Event, func(), error) {
	return l.h.subscribe(userID, topic{user: userID})
}

// SubscribeWithInbox subscribes to an article's events and the user's
// inbox events on one stream.
func (l *Local) SubscribeWithInbox(articleID, userID int64) (<-chan Event, func(), error) {
	return l.h.subscribe(userID, topic{article: articleID}, topic{user: userID})
}

// Open returns the number of open subscriptions.
func (l *Local) Open() int { return l.h.open() }

// Close ends every subscription.
func (l *Local) Close() error { l.h.close(); return nil }
