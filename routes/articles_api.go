package routes

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// me answers who the token or session belongs to.
func (h *Handler) me(c *gin.Context) {
	c.JSON(http.StatusOK, userOf(c))
}

func (h *Handler) listArticles(c *gin.Context) {
	f, err := articleFilter(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	page, err := h.svc.Articles(c.Request.Context(), actor(c), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// getArticle is GET /api/v1/articles/{id}: the article at its current
// revision, or at ?revision=N (read-only), with its revisions and what the
// shown revision changed.
func (h *Handler) getArticle(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	number, err := revisionQuery(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	d, err := h.svc.ArticleAtRevision(c.Request.Context(), actor(c), id, number)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// articlePatch is the body of PATCH /api/v1/articles/{id}: the fields of
// an article that may change after its import. Only factcheck_url does,
// for now; "" clears it.
type articlePatch struct {
	FactCheckURL *string `json:"factcheck_url"`
}

// patchArticle is PATCH /api/v1/articles/{id}: it sets the URL of the
// published fact-check and answers with the article.
func (h *Handler) patchArticle(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req articlePatch
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := required("factcheck_url", req.FactCheckURL); err != nil {
		h.fail(c, err)
		return
	}
	a, err := h.svc.SetFactCheckURL(c.Request.Context(), actor(c), id, *req.FactCheckURL)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

// articleFilter reads the list's query parameters: q, status, cursor, limit.
func articleFilter(c *gin.Context) (models.ArticleFilter, error) {
	f := models.ArticleFilter{Query: c.Query("q"), Status: models.ArticleStatus(c.Query("status"))}
	if f.Status != "" && !f.Status.Valid() {
		return f, models.FieldError("status", "unknown article status %q", f.Status)
	}
	if len(f.Query) > 200 {
		return f, models.FieldError("q", "a search of at most 200 characters")
	}
	if v := c.Query("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, models.FieldError("cursor", "the cursor must be the next_cursor of a previous page")
		}
		f.Before = n
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return f, models.FieldError("limit", "limit must be a number from 1 to 200")
		}
		f.Limit = n
	}
	return f, nil
}

// idParam parses a positive integer path parameter.
func idParam(c *gin.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, models.Errorf(models.ENOTFOUND, "no %s %q", name, c.Param(name))
	}
	return n, nil
}

// answerByID is the handler of a route that names one thing by the id in
// its path and answers with what call returns for it.
func answerByID[T any](h *Handler, call func(ctx context.Context, a models.Actor, id int64) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := idParam(c, "id")
		if err != nil {
			h.fail(c, err)
			return
		}
		v, err := call(c.Request.Context(), actor(c), id)
		if err != nil {
			h.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, v)
	}
}

// wrapped answers a list under its name: {"name": [...]}.
func wrapped[T any](name string, call func(ctx context.Context, a models.Actor, id int64) (T, error)) func(context.Context, models.Actor, int64) (gin.H, error) {
	return func(ctx context.Context, a models.Actor, id int64) (gin.H, error) {
		v, err := call(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return gin.H{name: v}, nil
	}
}
