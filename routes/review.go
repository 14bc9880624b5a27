package routes

import "github.com/gin-gonic/gin"

// registerReview lists the routes of the review workflow: labeling
// sentences, comments, workflow steps and the audit trail.
func (h *Handler) registerReview(r *gin.Engine, api *gin.RouterGroup) {
}
