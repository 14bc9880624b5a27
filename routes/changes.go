package routes

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
)

// registerChanges lists the route that tells editors what changed in an
// article during a review round.
func (h *Handler) registerChanges(_ *gin.Engine, api *gin.RouterGroup) {
	api.GET("/articles/:id/changes", h.api(reviewers.ActRead), h.roundChanges)
}

// roundChanges answers GET /api/v1/articles/{id}/changes?round=N: the
// sentences changed during round N (default: the latest round) with their
// state before and after.
func (h *Handler) roundChanges(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	round := 0
	if v := c.Query("round"); v != "" {
		round, err = strconv.Atoi(v)
		if err != nil || round < 1 {
			h.fail(c, models.FieldError("round", "round must be a review round number, 1 or more"))
			return
		}
	}
	ch, err := h.svc.RoundChanges(c.Request.Context(), actor(c), id, round)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}
