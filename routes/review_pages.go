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

// registerReviewPages lists the form posts of the review page (each works
// without JavaScript and comes back to the article) and the queue.
func (h *Handler) registerReviewPages(r *gin.Engine) {
	r.POST("/sentences/:id", h.page(reviewers.ActEdit), h.saveSentenceForm)
	r.POST("/articles/:id/undo", h.page(reviewers.ActEdit), h.undoForm(false))
	r.POST("/articles/:id/redo", h.page(reviewers.ActEdit), h.undoForm(true))
	r.POST("/articles/:id/submit", h.page(reviewers.ActSubmit), h.stepForm("submit"))
	r.POST("/articles/:id/approve", h.page(reviewers.ActDecide), h.stepForm("approve"))
	r.POST("/articles/:id/request-changes", h.page(reviewers.ActDecide), h.stepForm("request-changes"))
	r.POST("/articles/:id/reopen", h.page(reviewers.ActDecide), h.stepForm("reopen"))
	r.POST("/articles/:id/comments", h.page(reviewers.ActComment), h.addCommentForm)
	r.POST("/comments/:id/resolve", h.page(reviewers.ActComment), h.resolveCommentForm)
	r.GET("/queue", h.page(reviewers.ActRead), h.showQueue)
	r.GET("/api/v1/queue", h.api(reviewers.ActRead), h.queue)
}

// backToArticle redirects to the article, at the sentence when one is
// named, with a confirmation or a problem to show there.
func (h *Handler) backToArticle(c *gin.Context, articleID int64, sentence int, msg string, failed bool) {
	if failed {
		h.setError(c, msg)
	} else if msg != "" {
		h.setFlash(c, msg)
	}
	url := fmt.Sprintf("/articles/%d", articleID)
	if sentence > 0 {
		// ?s= selects the sentence for the server-rendered panel (the
		// fragment never reaches the server); #s- scrolls to it.
		url += fmt.Sprintf("?s=%d#s-%d", sentence, sentence)
	}
	c.Redirect(http.StatusSeeOther, url)
}

// optional returns a pointer to the form value when the field was sent.
func optional(c *gin.Context, name string) *string {
	if v, ok := c.GetPostForm(name); ok {
		return &v
	}
	return nil
}

func (h *Handler) saveSentenceForm(c *gin.Context) {
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
	version, err := strconv.Atoi(c.PostForm("version"))
	if err != nil {
		h.backToArticle(c, cur.ArticleID, cur.Number(), "the form did not say which version of the sentence you saw; reload the page", true)
		return
	}
	up := reviewers.SentenceUpdate{Label: optional(c, "label"), Status: optional(c, "status"), Verdict: optional(c, "verdict"),
		Note: optional(c, "note"), ExcludeReason: optional(c, "exclude_reason"), AcceptSuggestion: c.PostForm("accept_suggestion") != "",
		Version: version}
	st, err := h.svc.UpdateSentence(ctx, actor(c), id, up)
	if err != nil {
		status, d := classify(err)
		if status >= 500 || status == http.StatusForbidden {
			h.fail(c, err)
			return
		}
		msg := fmt.Sprintf("Sentence %d was not saved: %s", cur.Number(), d.Message)
		if e, ok := models.AsError(err); ok && e.Code == models.ECONFLICT {
			if now, ok := e.Data.(*models.Sentence); ok {
				msg += fmt.Sprintf(" It is now %s, %s. You asked for: %s.", labelOrNone(now), now.Status, describeUpdate(up))
			}
		}
		h.backToArticle(c, cur.ArticleID, cur.Number(), msg, true)
		return
	}
	h.backToArticle(c, st.ArticleID, st.Number(), fmt.Sprintf("Sentence %d saved.", st.Number()), false)
}

func labelOrNone(s *models.Sentence) string {
	if s.Label == nil {
		return "no label"
	}
	return string(*s.Label)
}

// describeUpdate says what a form asked for, so that a refused change is
// not lost on the person who made it.
func describeUpdate(up reviewers.SentenceUpdate) string {
	var parts []string
	add := func(name string, v *string) {
		if v != nil {
			parts = append(parts, fmt.Sprintf("%s %q", name, *v))
		}
	}
	add("label", up.Label)
	add("status", up.Status)
	add("verdict", up.Verdict)
	add("note", up.Note)
	add("exclusion reason", up.ExcludeReason)
	if up.AcceptSuggestion {
		parts = append(parts, "the machine's suggestion")
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// undoForm undoes (or redoes) the person's last change from a form and
// comes back to its sentence saying what changed.
func (h *Handler) undoForm(redo bool) gin.HandlerFunc {
	verb, call := "Undone", h.svc.Undo
	if redo {
		verb, call = "Redone", h.svc.Redo
	}
	return func(c *gin.Context) {
		id, err := idParam(c, "id")
		if err != nil {
			h.fail(c, err)
			return
		}
		r, err := call(c.Request.Context(), actor(c), id)
		if err != nil {
			if status, d := classify(err); status < 500 && status != http.StatusForbidden {
				// The layout says "Not done:" before every problem.
				h.backToArticle(c, id, 0, d.Message, true)
				return
			}
			h.fail(c, err)
			return
		}
		n := r.Step.Number()
		h.backToArticle(c, id, n, fmt.Sprintf("%s on sentence %d: %s.", verb, n, describeStep(r.Step)), false)
	}
}

// stepForm runs a workflow step from a form and returns to the article.
func (h *Handler) stepForm(step string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := idParam(c, "id")
		if err != nil {
			h.fail(c, err)
			return
		}
		ctx, who, comment := c.Request.Context(), actor(c), c.PostForm("comment")
		var a *models.Article
		var done string
		switch step {
		case "submit":
			a, err = h.svc.Submit(ctx, who, id, comment)
			done = "Submitted for approval."
		case "approve":
			a, err = h.svc.Approve(ctx, who, id, comment)
			done = "Approved."
		case "request-changes":
			a, err = h.svc.RequestChanges(ctx, who, id, comment, nil)
			done = "Sent back to the checkers with your comment."
		case "reopen":
			a, err = h.svc.Reopen(ctx, who, id, comment)
			done = "Reopened: a new review round has started."
		}
		if err != nil {
			if status, d := classify(err); status < 500 {
				// The layout says "Not done:" before every problem.
				h.backToArticle(c, id, 0, d.Message, true)
				return
			}
			h.fail(c, err)
			return
		}
		h.backToArticle(c, a.ID, 0, done, false)
	}
}

func (h *Handler) addCommentForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	nc := models.NewComment{ArticleID: id, Body: c.PostForm("body")}
	nc.SentenceID, _ = strconv.ParseInt(c.PostForm("sentence_id"), 10, 64)
	nc.ParentID, _ = strconv.ParseInt(c.PostForm("parent_id"), 10, 64)
	number, _ := strconv.Atoi(c.PostForm("sentence_number"))
	if _, err := h.svc.AddComment(c.Request.Context(), actor(c), nc); err != nil {
		if status, d := classify(err); status < 500 && status != http.StatusForbidden {
			h.backToArticle(c, id, number, "Comment not added: "+d.Message, true)
			return
		}
		h.fail(c, err)
		return
	}
	h.backToArticle(c, id, number, "Comment added.", false)
}

func (h *Handler) resolveCommentForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	cm, err := h.svc.ResolveComment(c.Request.Context(), actor(c), id, c.PostForm("resolved") != "false")
	if err != nil {
		h.fail(c, err)
		return
	}
	h.backToArticle(c, cm.ArticleID, 0, "Thread updated.", false)
}

func (h *Handler) queue(c *gin.Context) {
	rows, err := h.svc.ApprovalQueue(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"articles": rows})
}

func (h *Handler) showQueue(c *gin.Context) {
	rows, err := h.svc.ApprovalQueue(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "queue", web.Page{Title: "Approval queue", Nav: "queue", Data: rows})
}
