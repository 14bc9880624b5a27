package routes

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// healthz answers as long as the process serves requests.
func (h *Handler) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": h.cfg.Version})
}

// readyz answers 200 when the database is reachable and its schema current.
func (h *Handler) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := h.store.DB().Ready(ctx); err != nil {
		h.logger(c).Warn("not ready", "error", err)
		// As every 503: when to ask again, and the reason in words (the
		// cause, which names the database's address, is in the log).
		c.Header("Retry-After", "5")
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": models.ErrorMessage(err)})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
