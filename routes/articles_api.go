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
	h.writeArticleAt(c, d)
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
	before, limit, err := pageParams(c)
	if err != nil {
		return f, err
	}
	f.Before, f.Limit = before, limit
	return f, deskFilter(c, &f)
}

// deskFilter reads the list's desk filters: assignee (me, none or a user
// id), due (overdue, today, week), outlet, progress and sort.
func deskFilter(c *gin.Context, f *models.ArticleFilter) error {
	switch v := c.Query("assignee"); v {
	case "":
	case "me":
		f.Assignee = actor(c).ID
	case "none":
		f.Unassigned = true
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return models.FieldError("assignee", `assignee is "me", "none" or a user id`)
		}
		f.Assignee = n
	}
	f.Due = models.DueFilter(c.Query("due"))
	if f.Due != "" && !f.Due.Valid() {
		return models.FieldError("due", `due is "overdue", "today" or "week"`)
	}
	f.Outlet = c.Query("outlet")
	if len(f.Outlet) > 200 {
		return models.FieldError("outlet", "an outlet of at most 200 characters")
	}
	f.Progress = models.Progress(c.Query("progress"))
	if f.Progress != "" && !f.Progress.Valid() {
		return models.FieldError("progress", `progress is "unstarted", "started" or "labeled"`)
	}
	f.Sort = models.ArticleSort(c.Query("sort"))
	if !f.Sort.Valid() {
		return models.FieldError("sort", `sort is "newest", "oldest" or "due"`)
	}
	return nil
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
