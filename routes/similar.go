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

// registerSimilar lists the routes of the same claim elsewhere: the
// sentences of other articles that make a sentence's claim, and taking
// over one of their citations or their attribution.
func (h *Handler) registerSimilar(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/sentences/:id/similar", h.api(reviewers.ActRead), answerByID(h, h.svc.SimilarSentences))
	api.POST("/sentences/:id/reuse", h.api(reviewers.ActEdit), h.reuse)

	r.GET("/sentences/:id/similar", h.page(reviewers.ActRead), h.showSimilar)
	r.POST("/sentences/:id/reuse", h.page(reviewers.ActEdit), h.reuseForm)
}

// reuseRequest is the body of POST /api/v1/sentences/{id}/reuse.
type reuseRequest struct {
	FromSentenceID int64 `json:"from_sentence_id"`
	CitationID     int64 `json:"citation_id"`
	Attribution    bool  `json:"attribution"`
}

// reuse is POST /api/v1/sentences/{id}/reuse: 201 with the citation or
// attribution taken over.
func (h *Handler) reuse(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req reuseRequest
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	res, err := h.svc.Reuse(c.Request.Context(), actor(c), id,
		reviewers.ReuseInput{FromSentenceID: req.FromSentenceID, CitationID: req.CitationID, Attribution: req.Attribution})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, res)
}

// similarPage is the data of the page (and the _similar partial) that
// lists the same claim in other articles.
type similarPage struct {
	Sentence *models.Sentence
	Article  *models.Article
	Result   *models.SimilarResult
	// MayReuse says whether the reader may take a citation or an
	// attribution over: the right to edit, on an article open to edits.
	MayReuse bool
}

// similarPanel loads what the _similar partial shows for a sentence, for
// pages that include it (the review panel).
func (h *Handler) similarPanel(c *gin.Context, sentenceID int64) (*similarPage, error) {
	ctx, who := c.Request.Context(), actor(c)
	res, err := h.svc.SimilarSentences(ctx, who, sentenceID)
	if err != nil {
		return nil, err
	}
	st, err := h.svc.Store().Sentence(ctx, sentenceID)
	if err != nil {
		return nil, err
	}
	a, err := h.svc.Store().Article(ctx, st.ArticleID)
	if err != nil {
		return nil, err
	}
	current := a.CurrentRevisionID != nil && *a.CurrentRevisionID == st.RevisionID
	may := reviewers.Allowed(who.Role, reviewers.ActEdit) && current &&
		a.Status != models.ArticleSubmitted && a.Status != models.ArticleApproved
	return &similarPage{Sentence: st, Article: a, Result: res, MayReuse: may}, nil
}

// showSimilar is the page of the same claim elsewhere, for one sentence:
// what the review panel shows, as a page of its own that works without
// JavaScript.
func (h *Handler) showSimilar(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.similarPanel(c, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "similar", web.Page{Title: fmt.Sprintf("Sentence %d elsewhere", p.Sentence.Number()), Nav: "articles", Data: p})
}

// reuseForm takes a reuse button (POST /sentences/{id}/reuse with
// from_sentence_id and citation_id, or attribution=1) and returns to the
// sentence with what was done, or the problem.
func (h *Handler) reuseForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	in := reviewers.ReuseInput{Attribution: c.PostForm("attribution") != ""}
	in.FromSentenceID, _ = strconv.ParseInt(strings.TrimSpace(c.PostForm("from_sentence_id")), 10, 64)
	if v := strings.TrimSpace(c.PostForm("citation_id")); v != "" {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n <= 0 {
			n = -1 // refused as not a citation id
		}
		in.CitationID = n
	}
	ctx := c.Request.Context()
	st, err := h.svc.Sentence(ctx, actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	res, err := h.svc.Reuse(ctx, actor(c), id, in)
	if err != nil {
		h.formFailed(c, err, func(_ int, msg string) {
			h.setError(c, "Not reused: "+msg)
			c.Redirect(http.StatusSeeOther, backTo(c, st))
		})
		return
	}
	var msg string
	switch {
	case res.Citation != nil:
		title := ""
		if res.Citation.Source != nil {
			title = res.Citation.Source.Title
		}
		msg = fmt.Sprintf("Sentence %d cites “%s” (%s), as the same claim does elsewhere.", st.Number(), title, res.Citation.Relation)
	case res.Attribution != nil:
		msg = fmt.Sprintf("Sentence %d has the attribution of the same claim elsewhere: %s.", st.Number(), res.Attribution.Speaker)
	}
	h.setFlash(c, msg)
	c.Redirect(http.StatusSeeOther, backTo(c, st))
}
