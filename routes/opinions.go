package routes

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// registerOpinions lists the routes of blind second opinions: an editor
// asks another checker to label an article without seeing its labels,
// then settles the disagreements.
func (h *Handler) registerOpinions(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/articles/:id/opinions", h.api(reviewers.ActRead), answerByID(h, wrapped("opinions", h.svc.Opinions)))
	api.POST("/articles/:id/opinions", h.api(reviewers.ActDecide), h.requestOpinion)
	api.GET("/opinions/:id", h.api(reviewers.ActEdit), h.getOpinion)
	api.PUT("/opinions/:id/labels", h.api(reviewers.ActEdit), h.labelOpinion)
	api.POST("/opinions/:id/complete", h.api(reviewers.ActEdit), answerByID(h, h.svc.CompleteOpinion))
	api.POST("/opinions/:id/settle", h.api(reviewers.ActDecide), h.settleOpinion)
	api.POST("/opinions/:id/close", h.api(reviewers.ActDecide), h.closeOpinion)

	r.GET("/articles/:id/opinions", h.page(reviewers.ActRead), h.showOpinions)
	r.POST("/articles/:id/opinions", h.page(reviewers.ActDecide), h.requestOpinionForm)
	r.GET("/opinions/:id", h.page(reviewers.ActEdit), h.showOpinion)
	r.POST("/opinions/:id/labels", h.page(reviewers.ActEdit), h.labelOpinionForm)
	r.POST("/opinions/:id/complete", h.page(reviewers.ActEdit), h.completeOpinionForm)
	r.POST("/opinions/:id/settle", h.page(reviewers.ActDecide), h.settleOpinionForm)
	r.POST("/opinions/:id/close", h.page(reviewers.ActDecide), h.closeOpinionForm)
}

func (h *Handler) requestOpinion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req struct {
		AssigneeID *int64 `json:"assignee_id"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := required("assignee_id", req.AssigneeID); err != nil {
		h.fail(c, err)
		return
	}
	o, err := h.svc.RequestOpinion(c.Request.Context(), actor(c), id, *req.AssigneeID)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, o)
}

func (h *Handler) getOpinion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	v, err := h.svc.Opinion(c.Request.Context(), actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (h *Handler) labelOpinion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req struct {
		Labels []struct {
			SentenceID int64  `json:"sentence_id"`
			Label      string `json:"label"`
		} `json:"labels"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	labels := map[int64]string{}
	for _, l := range req.Labels {
		labels[l.SentenceID] = l.Label
	}
	if err := h.svc.LabelOpinion(c.Request.Context(), actor(c), id, labels); err != nil {
		h.fail(c, err)
		return
	}
	h.getOpinion(c)
}

func (h *Handler) settleOpinion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req struct {
		SentenceID *int64 `json:"sentence_id"`
		Label      string `json:"label"`
		Version    *int   `json:"version"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := required("sentence_id", req.SentenceID); err != nil {
		h.fail(c, err)
		return
	}
	if err := required("version", req.Version); err != nil {
		h.fail(c, err)
		return
	}
	st, err := h.svc.Settle(c.Request.Context(), actor(c), id, *req.SentenceID, req.Label, *req.Version)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

func (h *Handler) closeOpinion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req struct {
		Status string `json:"status"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	o, err := h.svc.CloseOpinion(c.Request.Context(), actor(c), id, req.Status)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, o)
}

// Pages.

type opinionsPage struct {
	ArticleID int64
	Title     string
	Opinions  []models.SecondOpinion
	Names     map[int64]string
	Checkers  []models.User
}

func (h *Handler) showOpinions(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	a, err := h.store.Article(ctx, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	os, err := h.svc.Opinions(ctx, actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	users, err := h.store.Users(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := opinionsPage{ArticleID: id, Title: a.Title, Opinions: os, Names: map[int64]string{}}
	for _, u := range users {
		p.Names[u.ID] = u.Name
		if !u.Disabled() && u.ID != actor(c).ID && (u.Role == models.RoleChecker || u.Role == models.RoleEditor) {
			p.Checkers = append(p.Checkers, u)
		}
	}
	h.render(c, http.StatusOK, "opinions", web.Page{Title: "Second opinions: " + a.Title, Nav: "articles", Data: p})
}

func (h *Handler) requestOpinionForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	assignee, _ := strconv.ParseInt(c.PostForm("assignee_id"), 10, 64)
	o, err := h.svc.RequestOpinion(c.Request.Context(), actor(c), id, assignee)
	if err != nil {
		h.formBack(c, fmt.Sprintf("/articles/%d/opinions", id), err)
		return
	}
	h.setFlash(c, "Second opinion requested.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/opinions/%d", o.ID))
}

func (h *Handler) showOpinion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	v, err := h.svc.Opinion(c.Request.Context(), actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "opinion", web.Page{Title: "Second opinion: " + v.ArticleTitle, Nav: "articles", Data: opinionPage{
		View: v, Labels: []string{"fact", "allegation", "quote", "assessment"}}})
}

type opinionPage struct {
	View   *reviewers.OpinionView
	Labels []string
}

func (h *Handler) labelOpinionForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		h.fail(c, models.Errorf(models.EMALFORMED, "the form could not be read"))
		return
	}
	labels := map[int64]string{}
	for k, vs := range c.Request.PostForm {
		sid, ok := strings.CutPrefix(k, "label_")
		if !ok || len(vs) == 0 || vs[0] == "" {
			continue
		}
		n, err := strconv.ParseInt(sid, 10, 64)
		if err != nil {
			continue
		}
		labels[n] = vs[0]
	}
	back := fmt.Sprintf("/opinions/%d", id)
	if err := h.svc.LabelOpinion(c.Request.Context(), actor(c), id, labels); err != nil {
		h.formBack(c, back, err)
		return
	}
	if c.PostForm("complete") != "" {
		if _, err := h.svc.CompleteOpinion(c.Request.Context(), actor(c), id); err != nil {
			h.formBack(c, back, err)
			return
		}
		h.setFlash(c, "Labels saved and handed to the editor. Thank you.")
	} else {
		h.setFlash(c, web.Plural(len(labels), "label", "labels")+" saved.")
	}
	c.Redirect(http.StatusSeeOther, back)
}

func (h *Handler) completeOpinionForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	back := fmt.Sprintf("/opinions/%d", id)
	if _, err := h.svc.CompleteOpinion(c.Request.Context(), actor(c), id); err != nil {
		h.formBack(c, back, err)
		return
	}
	h.setFlash(c, "Handed to the editor.")
	c.Redirect(http.StatusSeeOther, back)
}

func (h *Handler) settleOpinionForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	sid, _ := strconv.ParseInt(c.PostForm("sentence_id"), 10, 64)
	version, _ := strconv.Atoi(c.PostForm("version"))
	back := fmt.Sprintf("/opinions/%d", id)
	st, err := h.svc.Settle(c.Request.Context(), actor(c), id, sid, c.PostForm("label"), version)
	if err != nil {
		h.formBack(c, back, err)
		return
	}
	h.setFlash(c, fmt.Sprintf("Sentence %d settled as %s.", st.Number(), st.LabelString()))
	c.Redirect(http.StatusSeeOther, back)
}

func (h *Handler) closeOpinionForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	back := fmt.Sprintf("/opinions/%d", id)
	if _, err := h.svc.CloseOpinion(c.Request.Context(), actor(c), id, c.PostForm("status")); err != nil {
		h.formBack(c, back, err)
		return
	}
	h.setFlash(c, "Second opinion closed.")
	c.Redirect(http.StatusSeeOther, back)
}

// formBack returns to a page with a user's mistake shown there, or fails.
func (h *Handler) formBack(c *gin.Context, back string, err error) {
	status, d := classify(err)
	if status >= 500 || status == http.StatusForbidden || status == http.StatusNotFound {
		h.fail(c, err)
		return
	}
	h.setError(c, d.Message)
	c.Redirect(http.StatusSeeOther, back)
}
