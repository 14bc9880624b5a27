package routes

import (
	"github.com/gin-gonic/gin"

	"factdesk/reviewers"
)

// registerOperations serves Config.Operations (metrics and profiles) to
// admins on the public listener, when the server is configured so; an
// operator's own listener (serve --metrics-addr) is the other way.
func (h *Handler) registerOperations(r *gin.Engine) {
	if h.cfg.Operations == nil {
		return
	}
	ops := gin.WrapH(h.cfg.Operations)
	r.GET("/metrics", h.api(reviewers.ActManageUsers), ops)
	r.GET("/debug/pprof/*profile", h.api(reviewers.ActManageUsers), ops)
	r.POST("/debug/pprof/*profile", h.api(reviewers.ActManageUsers), ops)
}
