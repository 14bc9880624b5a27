package routes

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/live"
	"factdesk/models"
)

// heartbeat keeps idle event streams (and the proxies in between) alive.
const heartbeat = 15 * time.Second

// events streams an article's changes as server-sent events until the
// client goes away or the server shuts down. Each event is a JSON
// live.Event under its type's name ("sentence", "article", "comment" …).
func (h *Handler) events(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.Watch(c.Request.Context(), actor(c), id); err != nil {
		h.fail(c, err)
		return
	}
	who := actor(c)
	// The person's inbox travels on the same stream, so that a review page
	// holds one connection, not two: browsers allow six per site over
	// HTTP/1.1, for all of its tabs.
	ch, cancel, ok := h.subscribe(c, func(b live.Broker) (<-chan live.Event, func(), error) { return b.SubscribeWithInbox(id, who.ID) })
	if !ok {
		return
	}
	defer cancel()
	unread, err := h.store.UnreadNotifications(c.Request.Context(), who.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.stream(c, fmt.Sprintf(`{"article_id":%d,"unread":%d}`, id, unread), ch, h.streamGuard(c, id), func(e live.Event) (string, string, bool) {
		if e.UserID != 0 {
			return h.inboxEvent(c, who.ID)
		}
		b, err := json.Marshal(e)
		if err != nil {
			return "", "", false
		}
		return e.Type, string(b), true
	})
}

// inboxEvent is the "inbox" event that tells a page the person's unread
// count.
func (h *Handler) inboxEvent(c *gin.Context, userID int64) (string, string, bool) {
	n, err := h.store.UnreadNotifications(c.Request.Context(), userID)
	if err != nil {
		return "", "", false
	}
	return "inbox", fmt.Sprintf(`{"unread":%d}`, n), true
}

// subscribe opens a subscription with the server's broker, or answers
// why it cannot (no live updates here, too many streams open) and
// returns false.
func (h *Handler) subscribe(c *gin.Context, open func(live.Broker) (<-chan live.Event, func(), error)) (<-chan live.Event, func(), bool) {
	broker := h.svc.Broker()
	if broker == nil {
		h.fail(c, models.Errorf(models.EUNAVAILABLE, "live updates are not enabled on this server"))
		return nil, nil, false
	}
	ch, cancel, err := open(broker)
	if errors.Is(err, live.ErrTooMany) {
		h.fail(c, models.Errorf(models.ETHROTTLED, "you have %d live streams open; close some tabs", live.MaxPerUser))
		return nil, nil, false
	}
	if err != nil {
		h.fail(c, err)
		return nil, nil, false
	}
	return ch, cancel, true
}

// recheckEvery is how long a stream trusts its last check that its user
// may still read what it carries; an access event checks at once.
const recheckEvery = time.Second

// streamGuard returns the check a stream makes before it sends: that its
// user is still active with the same role and, for an article's stream
// (articleID > 0), may still read the article — not blind to it because a
// second opinion was asked of them meanwhile. It asks the database again
// when forced (an access event) or when its last answer is older than
// recheckEvery.
func (h *Handler) streamGuard(c *gin.Context, articleID int64) func(force bool) bool {
	who := actor(c)
	last := time.Now()
	return func(force bool) bool {
		if !force && time.Since(last) < recheckEvery {
			return true
		}
		last = time.Now()
		ctx := c.Request.Context()
		u, err := h.store.User(ctx, who.ID)
		if err != nil || u.Disabled() || u.Role != who.Role {
			return false
		}
		return articleID == 0 || h.svc.Watch(ctx, u.Actor(), articleID) == nil
	}
}

// stream writes server-sent events: "ready" with the given data first,
// then each event of ch as format renders it (skipping those it refuses),
// with heartbeats, until the client goes away, the server shuts down, the
// channel closes or allowed says the user may no longer have the stream
// (asked before every event and heartbeat; forced by an access event).
func (h *Handler) stream(c *gin.Context, ready string, ch <-chan live.Event, allowed func(force bool) bool, format func(live.Event) (name, data string, ok bool)) {
	w := c.Writer
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	// A stream outlives the server's write timeout by design.
	_ = rc.SetWriteDeadline(time.Time{})
	fmt.Fprintf(w, "retry: 2000\nevent: ready\ndata: %s\n\n", ready)
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-c.Request.Context().Done():
			return
		case <-h.streamsDone:
			return
		case <-tick.C:
			if !allowed(true) {
				return
			}
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
		case e, ok := <-ch:
			if !ok {
				return
			}
			if !allowed(e.Type == live.AccessChanged) {
				return
			}
			if e.Type == live.AccessChanged {
				continue
			}
			name, data, ok := format(e)
			if !ok {
				continue
			}
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, data); err != nil {
				return
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
