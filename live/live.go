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
	// Open returns the number of open subscriptions in this process.
	Open() int
	// Close ends every subscription and stops the broker.
	Close() error
}

// MaxPerUser bounds the event streams one user may hold open at once in
// one process, so that one client cannot exhaust the server. Every page
// holds one (the inbox's unread count) and a review page a second, so
// this is about sixteen tabs.
const MaxPerUser = 32

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
}

func newHub() *hub {
	return &hub{subs: map[topic]map[*sub]struct{}{}, byUser: map[int64]int{}}
}

func (h *hub) subscribe(t topic, userID int64) (<-chan Event, func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, errors.New("broker closed")
	}
	if h.byUser[userID] >= MaxPerUser {
		return nil, nil, ErrTooMany
	}
	s := &sub{ch: make(chan Event, 64), userID: userID}
	if h.subs[t] == nil {
		h.subs[t] = map[*sub]struct{}{}
	}
	h.subs[t][s] = struct{}{}
	h.byUser[userID]++
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if _, ok := h.subs[t][s]; !ok {
				return
			}
			delete(h.subs[t], s)
			if len(h.subs[t]) == 0 {
				delete(h.subs, t)
			}
			h.byUser[userID]--
			if h.byUser[userID] == 0 {
				delete(h.byUser, userID)
			}
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

func (h *hub) open() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, ss := range h.subs {
		n += len(ss)
	}
	return n
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for a, ss := range h.subs {
		for s := range ss {
			close(s.ch)
		}
		delete(h.subs, a)
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
	return l.h.subscribe(topic{article: articleID}, userID)
}

// SubscribeUser subscribes to a user's inbox events.
func (l *Local) SubscribeUser(userID int64) (<-chan Event, func(), error) {
	return l.h.subscribe(topic{user: userID}, userID)
}

// Open returns the number of open subscriptions.
func (l *Local) Open() int { return l.h.open() }

// Close ends every subscription.
func (l *Local) Close() error { l.h.close(); return nil }
