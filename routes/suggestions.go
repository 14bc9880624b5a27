package routes

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"factdesk/reviewers"
	"factdesk/web"
)

// registerSuggestions lists the routes of the machine reviewer's
// suggestions: running it again on an article (the API and the review
// page's button, for editors) and accepting its suggestions in bulk
// (routes/suggestions_accept.go, for whoever may label).
func (h *Handler) registerSuggestions(r *gin.Engine, api *gin.RouterGroup) {
	api.POST("/articles/:id/suggestions", h.api(reviewers.ActDecide), answerByID(h, h.svc.RerunSuggestions))
	r.POST("/articles/:id/suggestions", h.page(reviewers.ActDecide), h.rerunSuggestionsForm)
	api.POST("/articles/:id/suggestions/accept", h.api(reviewers.ActEdit), h.acceptSuggestions)
	r.POST("/articles/:id/suggestions/accept", h.page(reviewers.ActEdit), h.acceptSuggestionsForm)
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
	h.backToArticle(c, id, 0, fmt.Sprintf("The machine reviewer (%s %s) suggested labels for %s again.", sum.Reviewer, sum.Version, web.Plural(sum.Sentences, "sentence", "sentences")), false)
}
