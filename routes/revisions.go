package routes

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/ingest"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// registerRevisions lists the routes of corrected versions of an article:
// adding one (API, form, and the form's page), the list of revisions and
// what each changed, and the read-only page of a revision.
func (h *Handler) registerRevisions(r *gin.Engine, api *gin.RouterGroup) {
	api.POST("/articles/:id/revisions", h.api(reviewers.ActImport), h.addRevision)
	api.GET("/articles/:id/revisions", h.api(reviewers.ActRead), h.listRevisions)
	api.GET("/articles/:id/revisions/:number", h.api(reviewers.ActRead), h.revisionChanges)

	r.GET("/articles/:id/revise", h.page(reviewers.ActImport), h.showRevise)
	r.POST("/articles/:id/revisions", h.page(reviewers.ActImport), h.addRevisionPage)
	r.GET("/articles/:id/revisions/:number", h.page(reviewers.ActRead), h.showRevision)
}

// addRevision is POST /api/v1/articles/{id}/revisions with a body like an
// import's: 201 with the new revision and what it changed, or 200 with
// the current revision when the body is the current revision's.
func (h *Handler) addRevision(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := requireJSON(c); err != nil {
		h.fail(c, err)
		return
	}
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		h.fail(c, readError(err))
		return
	}
	in, err := ingest.DecodeArticle(raw)
	if err != nil {
		h.fail(c, importErrorOf(err))
		return
	}
	res, err := h.svc.AddRevision(c.Request.Context(), actor(c), id, in)
	if err != nil {
		h.fail(c, h.withPasteHint(c, err))
		return
	}
	status := http.StatusCreated
	if !res.Created {
		status = http.StatusOK
	}
	c.Header("Location", fmt.Sprintf("/api/v1/articles/%d/revisions/%d", id, res.Revision.Number))
	c.JSON(status, res)
}

// listRevisions is GET /api/v1/articles/{id}/revisions: every revision,
// oldest first, with the counts of what it changed.
func (h *Handler) listRevisions(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	revs, err := h.svc.Revisions(c.Request.Context(), actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"article_id": id, "revisions": revs})
}

// revisionChanges is GET /api/v1/articles/{id}/revisions/{number}: what
// that revision changed, sentence by sentence.
func (h *Handler) revisionChanges(c *gin.Context) {
	id, number, err := revisionParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	ch, err := h.svc.RevisionChanges(c.Request.Context(), actor(c), id, number)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}

// revisionParams reads the article id and the revision number of a path.
func revisionParams(c *gin.Context) (int64, int, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return 0, 0, err
	}
	n, err := strconv.Atoi(c.Param("number"))
	if err != nil || n <= 0 {
		return 0, 0, models.Errorf(models.ENOTFOUND, "no revision %q", c.Param("number"))
	}
	return id, n, nil
}

// revisionQuery reads the optional ?revision=N of an article's page or
// API answer: 0 when absent (the current revision).
func revisionQuery(c *gin.Context) (int, error) {
	v := c.Query("revision")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, models.FieldError("revision", "revision must be a revision number, 1 or more")
	}
	return n, nil
}

// revisePage is the data of the "import a new version" form.
type revisePage struct {
	Article *models.Article
	Bar     *revisionBar
	Input   ingest.ArticleInput
	Formats []formatChoice
	MaxMB   int
	// PasteInstead says the URL could not be imported: the form offers
	// the text box instead, and focuses it.
	PasteInstead bool
}

func (h *Handler) revisePageData(c *gin.Context, id int64, in ingest.ArticleInput) (*revisePage, error) {
	a, err := h.svc.Store().Article(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	bar, err := h.revisionBarOf(c, id)
	if err != nil {
		return nil, err
	}
	return &revisePage{Article: a, Bar: bar, Input: in, Formats: formatChoices,
		MaxMB: h.svc.Config().MaxBodyBytes >> 20}, nil
}

// showRevise shows the form that imports a new version of an article.
func (h *Handler) showRevise(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.revisePageData(c, id, ingest.ArticleInput{})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "revision", web.Page{Title: "New version of " + p.Article.Title, Nav: "articles", Data: p})
}

// addRevisionPage takes the "import a new version" form: pasted text, an
// uploaded file or a URL to fetch. It shows what the revision changed.
func (h *Handler) addRevisionPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	in := ingest.ArticleInput{Title: c.PostForm("title"), URL: c.PostForm("url"), Format: c.PostForm("format"), Body: c.PostForm("body")}
	pasteInstead := false
	again := func(status int, msg string) {
		p, err := h.revisePageData(c, id, in)
		if err != nil {
			h.fail(c, err)
			return
		}
		p.PasteInstead = pasteInstead
		h.render(c, status, "revision", web.Page{Title: "New version of " + p.Article.Title, Nav: "articles", Error: msg, Data: p})
	}
	if status, msg, err := h.uploadedBody(c, &in); err != nil {
		h.fail(c, err)
		return
	} else if msg != "" {
		again(status, msg)
		return
	}
	res, err := h.svc.AddRevision(c.Request.Context(), actor(c), id, in)
	if err != nil {
		_, pasteInstead = h.pageProblem(c, err)
		h.formFailed(c, err, func(status int, msg string) {
			if e, ok := models.AsError(err); ok && e.Field != "" && !pasteInstead {
				msg = fieldLabel(e.Field) + ": " + msg
			}
			again(status, msg)
		})
		return
	}
	if !res.Created {
		h.setFlash(c, fmt.Sprintf("This text is revision %d already; nothing changed.", res.Revision.Number))
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d", id))
		return
	}
	n := res.Revision.Counts
	h.setFlash(c, fmt.Sprintf("Revision %d: %d unchanged, %d moved, %d changed, %d new, %d removed.",
		res.Revision.Number, n.Unchanged, n.Moved, n.Changed, n.New, n.Removed))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d/revisions/%d", id, res.Revision.Number))
}

// uploadedBody replaces the form's text with an uploaded file, if one was
// sent. A file too large comes back as a status and a message.
func (h *Handler) uploadedBody(c *gin.Context, in *ingest.ArticleInput) (int, string, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		// No file (or not a multipart form): the pasted text stands.
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return http.StatusRequestEntityTooLarge, "The upload is larger than the server accepts.", nil
		}
		return 0, "", nil
	}
	if fh.Size == 0 {
		return 0, "", nil
	}
	if fh.Size > int64(h.svc.Config().MaxBodyBytes)*5 {
		return http.StatusRequestEntityTooLarge, "The file is larger than the import limit.", nil
	}
	f, err := fh.Open()
	if err != nil {
		return 0, "", fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return 0, "", fmt.Errorf("read upload: %w", err)
	}
	in.Body = string(b)
	if format, ok := ingest.FormatFromFilename(fh.Filename); ok {
		in.Format = string(format)
	}
	return 0, "", nil
}

// revisionPage is the data of a revision's read-only page.
type revisionPage struct {
	At      *reviewers.ArticleAt
	Changes *reviewers.RevisionChanges
	// Paragraphs are the revision's sentences by paragraph.
	Paragraphs [][]reviewers.SentenceView
	// Changed marks the sentences the revision changed, by id.
	Changed map[int64]*models.RevisionChangeView
	// CurrentID is the id of the article's current revision.
	CurrentID int64
}

// showRevision is the read-only page of one revision of an article: what
// it changed, and its sentences with their checks as they are there.
func (h *Handler) showRevision(c *gin.Context) {
	id, number, err := revisionParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.renderRevision(c, id, number)
}

// showArticleRevision renders GET /articles/{id}?revision=N, the same
// read-only page as /articles/{id}/revisions/{N}; the article page's
// handler hands over to it when the query names a revision.
func (h *Handler) showArticleRevision(c *gin.Context, id int64) {
	number, err := revisionQuery(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.renderRevision(c, id, number)
}

func (h *Handler) renderRevision(c *gin.Context, id int64, number int) {
	ctx, who := c.Request.Context(), actor(c)
	at, err := h.svc.ArticleAtRevision(ctx, who, id, number)
	if err != nil {
		h.fail(c, err)
		return
	}
	ch, err := h.svc.RevisionChanges(ctx, who, id, at.Revision)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := &revisionPage{At: at, Changes: ch, Changed: map[int64]*models.RevisionChangeView{}}
	if id := at.Article.CurrentRevisionID; id != nil {
		p.CurrentID = *id
	}
	for i := range ch.Changes {
		if sid := ch.Changes[i].SentenceID; sid != nil {
			p.Changed[*sid] = &ch.Changes[i]
		}
	}
	for _, s := range at.Sentences {
		if n := len(p.Paragraphs); n == 0 || p.Paragraphs[n-1][0].Paragraph != s.Paragraph {
			p.Paragraphs = append(p.Paragraphs, nil)
		}
		p.Paragraphs[len(p.Paragraphs)-1] = append(p.Paragraphs[len(p.Paragraphs)-1], s)
	}
	title := fmt.Sprintf("%s, revision %d", at.Title, at.Revision)
	h.render(c, http.StatusOK, "revision_view", web.Page{Title: title, Nav: "articles", Data: p})
}

// revisionBar is what the review page shows of an article's revisions
// (the revision-bar partial) and which of its sentences the current
// revision changed.
type revisionBar struct {
	ArticleID int64
	Current   models.RevisionSummary
	Revisions []models.RevisionSummary
	// Changed holds the current revision's changes by sentence id: the
	// moved, changed (with its word-level difference) and new sentences.
	Changed   map[int64]*models.RevisionChangeView
	MayImport bool
}

// revisionBarOf loads the revision bar of an article at its current
// revision, for the review page.
func (h *Handler) revisionBarOf(c *gin.Context, articleID int64) (*revisionBar, error) {
	ch, err := h.svc.RevisionChanges(c.Request.Context(), actor(c), articleID, 0)
	if err != nil {
		return nil, err
	}
	revs, err := h.svc.Revisions(c.Request.Context(), actor(c), articleID)
	if err != nil {
		return nil, err
	}
	b := &revisionBar{ArticleID: articleID, Current: ch.Revision, Revisions: revs, Changed: map[int64]*models.RevisionChangeView{},
		MayImport: reviewers.Allowed(actor(c).Role, reviewers.ActImport)}
	for i := range ch.Changes {
		if id := ch.Changes[i].SentenceID; id != nil {
			b.Changed[*id] = &ch.Changes[i]
		}
	}
	return b, nil
}
