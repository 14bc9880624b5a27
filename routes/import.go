package routes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/fetch"
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
	ctx, ft := traceFetch(c)
	res, err := h.svc.Import(ctx, actor(c), in)
	if err != nil {
		h.fail(c, h.explainFetch(c, ft, err, apiPasteHint))
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
	ctx, ft := traceFetch(c)
	res, err := h.svc.Import(ctx, actor(c), in)
	if err != nil {
		if explained := h.explainFetch(c, ft, err, ""); explained != err {
			err, pasteInstead = explained, true
		}
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

// fetchTrace notes the page a call fetched on the person's behalf (a URL
// import, a new version from a URL, a source's retrieval), or why it
// could not, so that a failure can be logged whole and explained in words:
// the business layer keeps only a message.
type fetchTrace struct {
	mu   sync.Mutex
	url  string
	page *fetch.Page
	err  error
}

// traceFetch returns the request's context with a trace of the fetches
// made under it.
func traceFetch(c *gin.Context) (context.Context, *fetchTrace) {
	ft := &fetchTrace{}
	ctx := fetch.WithTrace(c.Request.Context(), &fetch.Trace{Done: func(url string, p *fetch.Page, err error) {
		ft.mu.Lock()
		defer ft.mu.Unlock()
		ft.url, ft.page, ft.err = url, p, err
	}})
	return ctx, ft
}

// apiPasteHint ends an API client's message about a URL that could not be
// imported.
const apiPasteHint = "; send the article's text as body instead"

// explainFetch turns the failure of a call that fetched a page into what
// the person should read, for the field "url": why the page could not be
// fetched, in words (fetch.Explain), or that what was fetched is not an
// article factdesk reads. The whole error goes to the log with the
// request id; it names addresses and the resolver, which the person is
// not shown. hint is added to the message. Other errors come back
// unchanged (the same value, so that a caller can tell).
func (h *Handler) explainFetch(c *gin.Context, ft *fetchTrace, err error, hint string) error {
	ft.mu.Lock()
	url, page, ferr := ft.url, ft.page, ft.err
	ft.mu.Unlock()
	e, ok := models.AsError(err)
	switch {
	case ferr != nil:
		h.logger(c).Warn("fetch failed", "url", url, "error", ferr)
		if !ok {
			return err
		}
		return &models.Error{Code: e.Code, Field: "url", Message: fetch.Explain(ferr) + hint}
	case page != nil && ok:
		switch e.Code {
		case models.EINVALID, models.EMALFORMED, models.ETOOLARGE, models.EUNSUPPORTED:
			h.logger(c).Info("fetched page not imported", "url", url, "final_url", page.FinalURL, "error", err)
			return &models.Error{Code: e.Code, Field: "url",
				Message: fmt.Sprintf("the page at %s is not an article factdesk can read (%s)", url, e.Message) + hint}
		}
	}
	return err
}
