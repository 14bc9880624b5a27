package routes

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/export"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// registerReports lists the audit report routes: the report in every
// format over the API and from the page, the report page with its form
// for the published fact-check's URL, and the JSON Schema of the JSON
// report.
func (h *Handler) registerReports(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/schemas/report.json", h.reportSchema)
	api.GET("/articles/:id/report", h.api(reviewers.ActExport), h.downloadReport)
	r.GET("/articles/:id/report", h.page(reviewers.ActExport), h.showReport)
	r.GET("/articles/:id/export", h.page(reviewers.ActExport), h.downloadReport)
	r.POST("/articles/:id/factcheck-url", h.page(reviewers.ActEdit), h.saveFactCheckURLPage)
}

func (h *Handler) reportSchema(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/schema+json", export.SchemaJSON)
}

// reportOptions reads ?format= and ?revision=.
func reportOptions(c *gin.Context, defaultFormat string) (reviewers.ReportOptions, string, error) {
	format := c.DefaultQuery("format", defaultFormat)
	known := false
	for _, f := range export.Formats {
		known = known || f == format
	}
	if !known {
		return reviewers.ReportOptions{}, "", &models.Error{Code: models.EINVALID, Field: "format",
			Message: fmt.Sprintf("unknown format %q: use %s", format, strings.Join(export.Formats, ", "))}
	}
	opts := reviewers.ReportOptions{Format: format}
	if v := c.Query("revision"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return opts, "", models.FieldError("revision", "revision must be a revision number")
		}
		opts.Revision = n
	}
	return opts, format, nil
}

// downloadReport writes the report in the format asked for, as a
// download, and records the export in the audit trail.
func (h *Handler) downloadReport(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	opts, format, err := reportOptions(c, export.FormatJSON)
	if err != nil {
		h.fail(c, err)
		return
	}
	opts.URL = h.reportURL(c, id)
	rep, err := h.svc.Report(c.Request.Context(), actor(c), id, opts)
	if err != nil {
		h.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, format, rep, h.svc.ExportOptions(c.DefaultQuery("paper", "A4"))...); err != nil {
		if errors.Is(err, export.ErrUnknownFormat) {
			h.fail(c, models.FieldError("format", "%v", err))
			return
		}
		if errors.Is(err, export.ErrNoFactCheckURL) {
			h.fail(c, models.FieldError("factcheck_url", "%v", export.ErrNoFactCheckURL))
			return
		}
		h.fail(c, fmt.Errorf("write %s report of article %d: %w", format, id, err))
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, export.FileName(rep, format)))
	c.Header("Cache-Control", "no-store")
	if format == export.FormatHTML {
		// The report is a self-contained page with its own inline style,
		// no script and no external request.
		c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
	}
	c.Data(http.StatusOK, export.ContentType(format), buf.Bytes())
}

// reportURL is the address of the article's report page on this server.
func (h *Handler) reportURL(c *gin.Context, id int64) string {
	if h.cfg.PublicURL != "" {
		return fmt.Sprintf("%s/articles/%d/report", strings.TrimRight(h.cfg.PublicURL, "/"), id)
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return fmt.Sprintf("%s://%s/articles/%d/report", scheme, c.Request.Host, id)
}

type reportPage struct {
	Report  *export.Report
	Body    template.HTML
	Formats []string
	// FactCheckURL is the form's value: the stored URL, or what was typed
	// when it was refused.
	FactCheckURL string
}

// showReport renders the HTML report inside the layout, with the download
// buttons, the verification badge and the fact-check URL form.
func (h *Handler) showReport(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	h.renderReport(c, id, http.StatusOK, "", nil)
}

// renderReport renders the report page of article id; problem and typed
// are a refused fact-check URL form's message and value.
func (h *Handler) renderReport(c *gin.Context, id int64, status int, problem string, typed *string) {
	opts, _, err := reportOptions(c, export.FormatHTML)
	if err != nil {
		h.fail(c, err)
		return
	}
	opts.Format = "" // viewing the page is not an export
	opts.URL = h.reportURL(c, id)
	rep, err := h.svc.Report(c.Request.Context(), actor(c), id, opts)
	if err != nil {
		h.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := export.WriteHTMLFragment(&buf, rep); err != nil {
		h.fail(c, fmt.Errorf("render report of article %d: %w", id, err))
		return
	}
	data := reportPage{
		// The fragment is built by the export package's own templates,
		// which escape everything that came from users.
		Report: rep, Body: template.HTML(buf.String()), Formats: export.Formats, FactCheckURL: rep.Article.FactCheckURL,
	}
	if typed != nil {
		data.FactCheckURL = *typed
	}
	h.render(c, status, "report", web.Page{Title: "Audit report: " + rep.Article.Title, Nav: "articles", Error: problem, Data: data})
}

// saveFactCheckURLPage takes the report page's form for the URL of the
// published fact-check and returns to the report, saying what was done;
// a refused URL shows the page again with the problem and what was typed.
func (h *Handler) saveFactCheckURLPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	typed := c.PostForm("factcheck_url")
	a, err := h.svc.SetFactCheckURL(c.Request.Context(), actor(c), id, typed)
	if err != nil {
		h.formFailed(c, err, func(status int, msg string) {
			h.renderReport(c, id, status, "Fact-check URL: "+msg, &typed)
		})
		return
	}
	if a.FactCheckURL == nil {
		h.setFlash(c, "Fact-check URL removed. ClaimReview cannot be exported until it is set again.")
	} else {
		h.setFlash(c, "Fact-check URL saved: ClaimReview now points to "+*a.FactCheckURL+".")
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/articles/%d/report", id))
}
