package routes

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/codebook"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// sourceChoices are the options of the library's selects.
type sourceChoices struct {
	Kinds         []models.SourceKind
	Reliabilities []models.Reliability
	Credibilities []models.Credibility
}

var choices = sourceChoices{Kinds: models.SourceKinds, Reliabilities: models.Reliabilities, Credibilities: models.Credibilities}

type sourcesPage struct {
	sourceChoices
	Rows        []models.SourceRow
	Query       string
	Kind        string
	Reliability string
	Credibility string
	Filtered    bool
	NextURL     string
	CanEdit     bool
}

func canEditSources(c *gin.Context) bool {
	return reviewers.Allowed(actor(c).Role, reviewers.ActEditSources)
}

func (h *Handler) listSourcesPage(c *gin.Context) {
	f, err := sourceFilter(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	page, err := h.svc.Sources(c.Request.Context(), actor(c), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	data := sourcesPage{sourceChoices: choices, Rows: page.Sources, Query: f.Query, Kind: string(f.Kind),
		Reliability: string(f.Reliability), CanEdit: canEditSources(c)}
	if f.Credibility != 0 {
		data.Credibility = strconv.Itoa(int(f.Credibility))
	}
	data.Filtered = f.Query != "" || f.Kind != "" || f.Reliability != "" || f.Credibility != 0
	if page.Next != 0 {
		q := url.Values{}
		for k, v := range map[string]string{"q": data.Query, "kind": data.Kind, "reliability": data.Reliability, "credibility": data.Credibility} {
			if v != "" {
				q.Set(k, v)
			}
		}
		q.Set("cursor", fmt.Sprint(page.Next))
		data.NextURL = "/sources?" + q.Encode()
	}
	h.render(c, http.StatusOK, "sources", web.Page{Title: "Sources", Nav: "sources", Data: data})
}

// sourceForm holds the source form's values as typed.
type sourceForm struct {
	Kind, Title, URL, Publisher, Author, PublishedAt, AccessedAt, ArchivedURL, Notes string
	Reliability, Credibility, WithheldReason                                         string
	Withheld                                                                         bool
}

// formOfSource fills the form with a stored source.
func formOfSource(s *models.Source) sourceForm {
	f := sourceForm{Kind: string(s.Kind), Title: s.Title, URL: s.URL, Publisher: s.Publisher, Author: s.Author,
		ArchivedURL: s.ArchivedURL, Notes: s.Notes, Withheld: s.Withheld, WithheldReason: s.WithheldReason,
		PublishedAt: dateValue(s.PublishedAt), AccessedAt: dateValue(s.AccessedAt)}
	if s.Reliability != nil {
		f.Reliability = string(*s.Reliability)
	}
	if s.Credibility != nil {
		f.Credibility = strconv.Itoa(int(*s.Credibility))
	}
	return f
}

func dateValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// postedSourceForm reads the source form; every field is sent, so an
// edit through it replaces them all.
func postedSourceForm(c *gin.Context) (sourceForm, reviewers.SourceFields) {
	f := sourceForm{Kind: c.PostForm("kind"), Title: c.PostForm("title"), URL: c.PostForm("url"),
		Publisher: c.PostForm("publisher"), Author: c.PostForm("author"), PublishedAt: c.PostForm("published_at"),
		AccessedAt: c.PostForm("accessed_at"), ArchivedURL: c.PostForm("archived_url"), Notes: c.PostForm("notes"),
		Reliability: c.PostForm("reliability"), Credibility: c.PostForm("credibility"),
		Withheld: c.PostForm("withheld") != "", WithheldReason: c.PostForm("withheld_reason")}
	in := reviewers.SourceFields{Kind: &f.Kind, Title: &f.Title, URL: &f.URL, Publisher: &f.Publisher, Author: &f.Author,
		PublishedAt: &f.PublishedAt, AccessedAt: &f.AccessedAt, ArchivedURL: &f.ArchivedURL, Notes: &f.Notes,
		Reliability: &f.Reliability, Credibility: &f.Credibility, Withheld: &f.Withheld, WithheldReason: &f.WithheldReason}
	return f, in
}

type sourcePage struct {
	sourceChoices
	Source    *models.Source // nil on the form that adds one
	Form      sourceForm
	Citations []models.SourceCitation
	// Articles counts the distinct articles among Citations.
	Articles int
	CanEdit  bool
	// EditOpen shows the edit form unfolded (after a mistake in it).
	EditOpen bool
}

func (h *Handler) newSourcePage(c *gin.Context) {
	h.render(c, http.StatusOK, "source", web.Page{Title: "Add a source", Nav: "sources",
		Data: sourcePage{sourceChoices: choices, Form: sourceForm{Kind: string(models.KindWebPage)}, CanEdit: true}})
}

func (h *Handler) createSourcePage(c *gin.Context) {
	form, in := postedSourceForm(c)
	src, created, err := h.svc.CreateSource(c.Request.Context(), actor(c), in)
	if err != nil {
		h.formFailed(c, err, func(status int, msg string) {
			h.render(c, status, "source", web.Page{Title: "Add a source", Nav: "sources", Error: fieldMessage(err, msg),
				Data: sourcePage{sourceChoices: choices, Form: form, CanEdit: true}})
		})
		return
	}
	if created {
		h.setFlash(c, "Added “"+src.Title+"” to the library.")
	} else {
		h.setFlash(c, "This URL is in the library already; here is its source.")
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/sources/%d", src.ID))
}

// sourcePageData loads what a source's page shows.
func (h *Handler) sourcePageData(c *gin.Context, id int64) (*sourcePage, error) {
	ctx := c.Request.Context()
	src, err := h.svc.Source(ctx, actor(c), id)
	if err != nil {
		return nil, err
	}
	cs, err := h.svc.SourceCitations(ctx, actor(c), id)
	if err != nil {
		return nil, err
	}
	articles := map[int64]bool{}
	for _, sc := range cs {
		articles[sc.ArticleID] = true
	}
	return &sourcePage{sourceChoices: choices, Source: src, Form: formOfSource(src), Citations: cs,
		Articles: len(articles), CanEdit: canEditSources(c)}, nil
}

func (h *Handler) showSource(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	data, err := h.sourcePageData(c, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "source", web.Page{Title: data.Source.Title, Nav: "sources", Data: data})
}

func (h *Handler) updateSourcePage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	form, in := postedSourceForm(c)
	src, err := h.svc.UpdateSource(c.Request.Context(), actor(c), id, in)
	if err != nil {
		h.formFailed(c, err, func(status int, msg string) {
			data, lerr := h.sourcePageData(c, id)
			if lerr != nil {
				h.fail(c, lerr)
				return
			}
			data.Form, data.EditOpen = form, true
			h.render(c, status, "source", web.Page{Title: data.Source.Title, Nav: "sources", Error: fieldMessage(err, msg), Data: data})
		})
		return
	}
	h.setFlash(c, "Saved “"+src.Title+"”.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/sources/%d", id))
}

// retrieveSourcePage takes a source's "Retrieve now" button and returns to
// the source's page, with what was retrieved or why nothing was.
func (h *Handler) retrieveSourcePage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	back := fmt.Sprintf("/sources/%d", id)
	src, err := h.svc.RetrieveSource(c.Request.Context(), actor(c), id)
	if err != nil {
		if e, ok := h.pageProblem(c, err); ok {
			h.setError(c, "Not retrieved: "+e.Message)
			c.Redirect(http.StatusSeeOther, back)
			return
		}
		status, d := classify(err)
		if status >= 500 || status == http.StatusForbidden || status == http.StatusNotFound {
			h.fail(c, err)
			return
		}
		h.setError(c, "Not retrieved: "+fieldMessage(err, d.Message))
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	msg := fmt.Sprintf("Retrieved: HTTP %d.", *src.HTTPStatus)
	if src.SHA256 != "" {
		msg = fmt.Sprintf("Retrieved: HTTP %d, %s, SHA-256 %s….", *src.HTTPStatus, src.ContentType, src.SHA256[:12])
	}
	h.setFlash(c, msg)
	c.Redirect(http.StatusSeeOther, back)
}

// fieldMessage puts the name of the field at fault, as the form labels
// it, in front of a form's error message.
func fieldMessage(err error, msg string) string {
	e, ok := models.AsError(err)
	if !ok || e.Field == "" {
		return msg
	}
	name, known := sourceFieldLabels[strings.TrimPrefix(e.Field, "source.")]
	if !known {
		name = strings.ToUpper(e.Field[:1]) + strings.ReplaceAll(e.Field[1:], "_", " ")
	}
	return name + ": " + msg
}

var sourceFieldLabels = map[string]string{
	"url": "URL", "archived_url": "Archived copy", "published_at": "Published", "accessed_at": "Accessed",
	"withheld_reason": "Reason for withholding", "source_id": "Source", "reliability": "Reliability",
	"credibility": "Credibility", "kind": "Kind", "title": "Title", "relation": "Relation",
}

// citePage is the page a citation form falls back to when it fails: the
// problem, the sentence, and the form again with what was typed.
type citePage struct {
	Heading   string
	Sentence  *models.Sentence
	Article   *models.Article
	Back      string
	Retry     bool   // show the citation form again
	Source    string // what was typed in the source field
	Choices   []models.SourceRow
	URL       string
	Relation  string
	Excerpt   string
	Locator   string
	Relations []codebook.Relation
}

// citeSentencePage takes the citation form of an article's page (POST
// /sentences/{id}/citations): source_id or url, relation, excerpt,
// locator, and optionally back, the local page to return to. It returns to
// the sentence on the article's page.
func (h *Handler) citeSentencePage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	in := reviewers.CitationInput{URL: c.PostForm("url"), Relation: c.PostForm("relation"),
		Excerpt: c.PostForm("excerpt"), Locator: c.PostForm("locator")}
	if v := strings.TrimSpace(c.PostForm("source_id")); v != "" {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n <= 0 {
			n = -1 // refused below as an unknown source
		}
		in.SourceID = n
	}
	ctx := c.Request.Context()
	typed := strings.TrimSpace(c.PostForm("source"))
	if typed != "" && c.PostForm("choosing") != "" {
		// On the page that lists the matches, words typed in "or another
		// source" win over the match picked by default.
		in.SourceID = 0
	}
	retry := &citePage{Retry: true, Source: typed, URL: in.URL, Relation: in.Relation, Excerpt: in.Excerpt, Locator: in.Locator}
	if in.SourceID == 0 && in.URL == "" && typed != "" {
		// Without JavaScript the source field is plain text: an address,
		// or words of a library source's title, publisher or address.
		var matches []models.SourceRow
		in.URL, matches, err = h.resolveSource(c, typed)
		if err != nil {
			h.fail(c, err)
			return
		}
		if in.URL == "" {
			if len(matches) != 1 {
				retry.Choices = matches
				msg := fmt.Sprintf("No source in the library matches “%s”; paste its address to add it as a new source.", typed)
				if len(matches) > 1 {
					msg = fmt.Sprintf("Several sources in the library match “%s”: pick one.", typed)
				}
				h.showCiteFailure(c, http.StatusUnprocessableEntity, id, "Which source?", msg, retry)
				return
			}
			in.SourceID = matches[0].ID
		}
	}
	cit, created, err := h.svc.AddCitation(ctx, actor(c), id, in)
	if err != nil {
		h.formFailed(c, err, func(status int, msg string) {
			h.showCiteFailure(c, status, id, "Citation not saved", fieldMessage(err, msg), retry)
		})
		return
	}
	st, err := h.svc.Store().Sentence(ctx, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	msg := fmt.Sprintf("Sentence %d cites “%s” (%s).", st.Number(), cit.Source.Title, cit.Relation)
	if created {
		msg += " The source was added to the library."
	}
	h.setFlash(c, msg)
	c.Redirect(http.StatusSeeOther, backTo(c, st))
}

// deleteCitationPage takes a citation's remove button (POST
// /citations/{id}/delete) and returns to its sentence.
func (h *Handler) deleteCitationPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cit, err := h.svc.Citation(ctx, actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	if _, err := h.svc.DeleteCitation(ctx, actor(c), id); err != nil {
		h.formFailed(c, err, func(status int, msg string) {
			h.showCiteFailure(c, status, cit.SentenceID, "Citation not removed", msg, &citePage{})
		})
		return
	}
	st, err := h.svc.Store().Sentence(ctx, cit.SentenceID)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, fmt.Sprintf("Sentence %d no longer cites “%s” (%s).", st.Number(), cit.Source.Title, cit.Relation))
	c.Redirect(http.StatusSeeOther, backTo(c, st))
}

func (h *Handler) showCiteFailure(c *gin.Context, status int, sentenceID int64, heading, msg string, p *citePage) {
	ctx := c.Request.Context()
	st, err := h.svc.Store().Sentence(ctx, sentenceID)
	if err != nil {
		h.fail(c, err)
		return
	}
	a, err := h.svc.Store().Article(ctx, st.ArticleID)
	if err != nil {
		h.fail(c, err)
		return
	}
	p.Heading, p.Sentence, p.Article, p.Back, p.Relations = heading, st, a, backTo(c, st), codebook.Relations
	h.render(c, status, "source_cite", web.Page{Title: heading, Nav: "articles", Error: msg, Data: p})
}

// backTo is where a citation form returns: the form's back field when it
// is a path on this site, else the sentence on its article's page.
func backTo(c *gin.Context, st *models.Sentence) string {
	if b := c.PostForm("back"); strings.HasPrefix(b, "/") && !strings.HasPrefix(b, "//") && !strings.ContainsAny(b, "\\\r\n") {
		return b
	}
	return fmt.Sprintf("/articles/%d#s-%d", st.ArticleID, st.Number())
}

// resolveSource reads the plain-text source field of the citation form:
// an address (with or without https://) is returned as url; other words
// search the library, and the sources found (at most ten) are returned.
func (h *Handler) resolveSource(c *gin.Context, typed string) (url string, matches []models.SourceRow, err error) {
	if looksLikeAddress(typed) {
		if !strings.Contains(typed, "://") {
			typed = "https://" + typed
		}
		return typed, nil, nil
	}
	if len(typed) > 200 {
		typed = typed[:200]
	}
	page, err := h.svc.Sources(c.Request.Context(), actor(c), models.SourceFilter{Query: typed, Limit: 10})
	if err != nil {
		return "", nil, err
	}
	return "", page.Sources, nil
}

// looksLikeAddress tells a typed web address ("https://…", "www.x.org/a",
// "congress.gov/bill") from words of a title.
func looksLikeAddress(s string) bool {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return true
	}
	if strings.ContainsAny(s, " \t") {
		return false
	}
	host, _, _ := strings.Cut(s, "/")
	dot := strings.LastIndexByte(host, '.')
	return dot > 0 && dot < len(host)-2
}
