package routes

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/ingest"
	"factdesk/models"
	"factdesk/web"
)

// importArticle is POST /api/v1/articles: 201 with the new article, or 200
// with the existing one when the same body was imported before.
func (h *Handler) importArticle(c *gin.Context) {
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
	res, err := h.svc.Import(c.Request.Context(), actor(c), in)
	if err != nil {
		h.fail(c, h.withPasteHint(c, err))
		return
	}
	d, err := h.svc.ArticleDetail(c.Request.Context(), actor(c), res.Article.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	status := http.StatusCreated
	if !res.Created {
		status = http.StatusOK
	}
	c.Header("Location", fmt.Sprintf("/api/v1/articles/%d", d.ID))
	c.JSON(status, d)
}

// requireJSON refuses a body that is not declared as JSON.
func requireJSON(c *gin.Context) error {
	ct := c.GetHeader("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return models.Errorf(models.EUNSUPPORTED, "send JSON with Content-Type: application/json (got %q)", ct)
	}
	return nil
}

// readError explains a failure to read a request body.
func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return models.Errorf(models.ETOOLARGE, "the request is larger than %d bytes", mbe.Limit)
	}
	return models.Errorf(models.EMALFORMED, "could not read the request body")
}

// importErrorOf maps ingest's errors for the API; the business layer does
// the same for what it validates.
func importErrorOf(err error) error {
	var ie *ingest.Error
	if !errors.As(err, &ie) {
		return err
	}
	code := models.EINVALID
	switch ie.Kind {
	case ingest.Malformed:
		code = models.EMALFORMED
	case ingest.TooLarge:
		code = models.ETOOLARGE
	case ingest.Unsupported:
		code = models.EUNSUPPORTED
	}
	return &models.Error{Code: code, Field: ie.Field, Message: ie.Message}
}

// formatChoice is an option of the import forms' format select.
type formatChoice struct{ Value, Label string }

// formatChoices are the import forms' formats. The first, the default,
// leaves the format to the input: an uploaded file's name, a fetched
// page's type, plain text for pasted text. (A default of "text" imported
// a fetched page's HTML source as text.)
var formatChoices = []formatChoice{{"", "automatic"}, {"text", "text"}, {"markdown", "markdown"}, {"html", "html"}}

type importPage struct {
	ingest.ArticleInput
	Formats []formatChoice
	MaxMB   int
	// DateValue is PublishedAt when it is a date the date field can show.
	DateValue string
	// PasteInstead says the URL could not be imported: the form offers
	// the text box instead, and focuses it.
	PasteInstead bool
}

func (h *Handler) importPageData(in ingest.ArticleInput) importPage {
	p := importPage{ArticleInput: in, Formats: formatChoices,
		MaxMB: h.svc.Config().MaxBodyBytes >> 20}
	if t, err := time.Parse(time.DateOnly, in.PublishedAt); err == nil {
		p.DateValue = t.Format(time.DateOnly)
	}
	return p
}

func (h *Handler) showImport(c *gin.Context) {
	h.render(c, http.StatusOK, "import", web.Page{Title: "Import", Nav: "import", Data: h.importPageData(ingest.ArticleInput{})})
}

// importArticlePage takes the import form: pasted text, an uploaded file
// or a URL to fetch.
func (h *Handler) importArticlePage(c *gin.Context) {
	in := ingest.ArticleInput{
		Title: c.PostForm("title"), Outlet: c.PostForm("outlet"), Byline: c.PostForm("byline"),
		URL: c.PostForm("url"), PublishedAt: c.PostForm("published_at"), Format: c.PostForm("format"),
		Body: c.PostForm("body"),
	}
	pasteInstead := false
	again := func(status int, msg string) {
		p := h.importPageData(in)
		p.PasteInstead = pasteInstead
		h.render(c, status, "import", web.Page{Title: "Import", Nav: "import", Error: msg, Data: p})
	}
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > int64(h.svc.Config().MaxBodyBytes)*5 {
			again(http.StatusRequestEntityTooLarge, "The file is larger than the import limit.")
			return
		}
		f, err := fh.Open()
		if err != nil {
			h.fail(c, fmt.Errorf("open upload: %w", err))
			return
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			h.fail(c, fmt.Errorf("read upload: %w", err))
			return
		}
		in.Body = string(b)
		if format, ok := ingest.FormatFromFilename(fh.Filename); ok {
			in.Format = string(format)
		}
	} else if err != nil && !errors.Is(err, http.ErrMissingFile) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			again(http.StatusRequestEntityTooLarge, "The upload is larger than the server accepts.")
			return
		}
	}
	res, err := h.svc.Import(c.Request.Context(), actor(c), in)
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
	flash := fmt.Sprintf("Imported: %s, %d excluded.", web.Plural(res.Sentences, "sentence", "sentences"), res.Excluded)
	if !res.Created {
		flash = "This text was imported before; here is that article."
	}
	h.setFlash(c, flash)
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d", res.Article.ID))
}

func fieldLabel(f string) string {
	switch f {
	case "published_at":
		return "Published"
	case "url":
		return "URL"
	case "body":
		return "Text"
	}
	return strings.ToUpper(f[:1]) + f[1:]
}

// apiPasteHint ends an API client's message about a URL that could not be
// imported.
const apiPasteHint = "; send the article's text as body instead"

// pageProblem reports whether err says that the page a URL named could not
// be fetched or is not an article factdesk reads (an error of the field
// url with the fetch's or the ingest's error underneath), and logs what
// lies underneath with the request id: it names addresses and the
// resolver, which the person is not shown.
func (h *Handler) pageProblem(c *gin.Context, err error) (*models.Error, bool) {
	e, ok := models.AsError(err)
	if !ok || e.Field != "url" || e.Err == nil {
		return nil, false
	}
	h.logger(c).Warn("page not imported", "error", e.Err)
	return e, true
}

// withPasteHint is the error of a URL an API client asked to import, with
// the advice to send the text instead when the page is the problem.
func (h *Handler) withPasteHint(c *gin.Context, err error) error {
	if e, ok := h.pageProblem(c, err); ok {
		hinted := *e
		hinted.Message += apiPasteHint
		return &hinted
	}
	return err
}
