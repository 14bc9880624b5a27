package routes

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/reviewers"
)

// bulkPatch is the body of PATCH /api/v1/articles/{id}/sentences: the
// changes, each a sentence's id with the fields of PATCH
// /api/v1/sentences/{id}, and whether they are all-or-nothing (the
// default).
type bulkPatch struct {
	Atomic    *bool        `json:"atomic"`
	Sentences []bulkChange `json:"sentences"`
}

type bulkChange struct {
	ID *int64 `json:"id"`
	sentencePatch
}

// patchSentences is PATCH /api/v1/articles/{id}/sentences: many
// sentences of one article changed in one request, one audit event each.
func (h *Handler) patchSentences(c *gin.Context) {
	articleID, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req bulkPatch
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := required("sentences", &req.Sentences); err != nil {
		h.fail(c, err)
		return
	}
	changes := make([]reviewers.SentenceChange, len(req.Sentences))
	for i, s := range req.Sentences {
		if err := required("id", s.ID); err != nil {
			h.fail(c, err)
			return
		}
		if err := required("version", s.Version); err != nil {
			h.fail(c, err)
			return
		}
		changes[i] = reviewers.SentenceChange{ID: *s.ID, SentenceUpdate: s.update()}
	}
	atomic := req.Atomic == nil || *req.Atomic
	res, err := h.svc.UpdateSentences(c.Request.Context(), actor(c), articleID, changes, atomic)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
