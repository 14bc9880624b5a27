package routes

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
)

// registerAttribution lists the routes that record who a sentence's claim
// comes from: set, confirm and clear, over the API and as form posts of
// the review page.
func (h *Handler) registerAttribution(r *gin.Engine, api *gin.RouterGroup) {
	api.PUT("/sentences/:id/attribution", h.api(reviewers.ActEdit), h.putAttribution)
	api.POST("/sentences/:id/attribution/confirm", h.api(reviewers.ActEdit), h.confirmAttribution)
	api.DELETE("/sentences/:id/attribution", h.api(reviewers.ActEdit), h.deleteAttribution)
	r.POST("/sentences/:id/attribution", h.page(reviewers.ActEdit), h.saveAttributionForm)
}

// attributionPut is the body of PUT /api/v1/sentences/{id}/attribution.
type attributionPut struct {
	Speaker     string `json:"speaker"`
	Cue         string `json:"cue"`
	Medium      string `json:"medium"`
	CarriedOver bool   `json:"carried_over"`
	From        *int   `json:"from"`
	Version     *int   `json:"version"`
}

// attributionVersion is the optional body of confirm and delete.
type attributionVersion struct {
	Version *int `json:"version"`
}

func (h *Handler) putAttribution(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req attributionPut
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	res, err := h.svc.SetAttribution(c.Request.Context(), actor(c), id, models.AttributionEdit{
		Speaker: req.Speaker, Cue: req.Cue, Medium: req.Medium, CarriedOver: req.CarriedOver, From: req.From, Version: req.Version})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res.Attribution)
}

func (h *Handler) confirmAttribution(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req attributionVersion
	if err := decodeJSON(c, &req, true); err != nil {
		h.fail(c, err)
		return
	}
	res, err := h.svc.ConfirmAttribution(c.Request.Context(), actor(c), id, req.Version)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res.Attribution)
}

func (h *Handler) deleteAttribution(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req attributionVersion
	if err := decodeJSON(c, &req, true); err != nil {
		h.fail(c, err)
		return
	}
	if v := c.Query("version"); v != "" && req.Version == nil {
		n, err := strconv.Atoi(v)
		if err != nil {
			h.fail(c, models.FieldError("version", "version must be a whole number"))
			return
		}
		req.Version = &n
	}
	if _, err := h.svc.ClearAttribution(c.Request.Context(), actor(c), id, req.Version); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// saveAttributionForm takes the review page's attribution form: action
// "save" (the default) sets the fields as typed, "confirm" confirms the
// machine's attribution, "clear" removes it. It comes back to the sentence.
func (h *Handler) saveAttributionForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cur, err := h.svc.Sentence(ctx, actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	var version *int
	if v := strings.TrimSpace(c.PostForm("version")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			h.backToArticle(c, cur.ArticleID, cur.Number(), "the form did not say which version of the attribution you saw; reload the page", true)
			return
		}
		version = &n
	}
	action := c.DefaultPostForm("action", "save")
	var done string
	switch action {
	case "save":
		_, err = h.svc.SetAttribution(ctx, actor(c), id, models.AttributionEdit{
			Speaker: c.PostForm("speaker"), Cue: c.PostForm("cue"), Medium: c.PostForm("medium"),
			CarriedOver: formBool(c.PostForm("carried_over")), Version: version})
		done = "saved"
	case "confirm":
		_, err = h.svc.ConfirmAttribution(ctx, actor(c), id, version)
		done = "confirmed"
	case "clear":
		_, err = h.svc.ClearAttribution(ctx, actor(c), id, version)
		done = "cleared"
	default:
		err = models.FieldError("action", "the action must be save, confirm or clear, not %q", action)
	}
	if err != nil {
		status, d := classify(err)
		if status >= 500 || status == http.StatusForbidden {
			h.fail(c, err)
			return
		}
		if done == "" {
			done = "changed"
		}
		msg := fmt.Sprintf("The attribution of sentence %d was not %s: %s", cur.Number(), done, d.Message)
		h.backToArticle(c, cur.ArticleID, cur.Number(), msg, true)
		return
	}
	h.backToArticle(c, cur.ArticleID, cur.Number(), fmt.Sprintf("Attribution of sentence %d %s.", cur.Number(), done), false)
}

// formBool reads a checkbox: sent with any of the usual true values.
func formBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "on", "true", "yes":
		return true
	}
	return false
}
