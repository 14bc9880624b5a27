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
	broker := h.svc.Broker()
	if broker == nil {
		h.fail(c, models.Errorf(models.EUNAVAILABLE, "live updates are not enabled on this server"))
		return
	}
	ch, cancel, err := broker.Subscribe(id, actor(c).ID)
	if errors.Is(err, live.ErrTooMany) {
		h.fail(c, models.Errorf(models.ETHROTTLED, "you have %d live streams open; close some tabs", live.MaxPerUser))
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	defer cancel()
	w := c.Writer
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	// A stream outlives the server's write timeout by design.
	_ = rc.SetWriteDeadline(time.Time{})
	fmt.Fprintf(w, "retry: 2000\nevent: ready\ndata: {\"article_id\":%d}\n\n", id)
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
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
		case e, ok := <-ch:
			if !ok {
				return
			}
			b, err := json.Marshal(e)
			if err != nil {
				continue
			}
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, b); err != nil {
				return
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
