package routes

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"factdesk/reviewers"
)

// registerSuggestions lists the routes that run the machine reviewer again
// on an article: the API and the review page's button, for editors.
func (h *Handler) registerSuggestions(r *gin.Engine, api *gin.RouterGroup) {
	api.POST("/articles/:id/suggestions", h.api(reviewers.ActDecide), answerByID(h, h.svc.RerunSuggestions))
	r.POST("/articles/:id/suggestions", h.page(reviewers.ActDecide), h.rerunSuggestionsForm)
}

func (h *Handler) rerunSuggestionsForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	sum, err := h.svc.RerunSuggestions(c.Request.Context(), actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.backToArticle(c, id, 0, fmt.Sprintf("The machine reviewer (%s %s) suggested labels for %d sentences again.", sum.Reviewer, sum.Version, sum.Sentences), false)
}
