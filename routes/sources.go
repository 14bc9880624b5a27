package routes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
)

// registerSources lists the routes of the source library and of
// citations: the API, the library's pages and the form endpoints that cite
// and un-cite from an article's page.
func (h *Handler) registerSources(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/sources", h.api(reviewers.ActRead), h.listSources)
	api.POST("/sources", h.api(reviewers.ActEditSources), h.createSource)
	api.GET("/sources/:id", h.api(reviewers.ActRead), answerByID(h, h.svc.Source))
	api.PATCH("/sources/:id", h.api(reviewers.ActEditSources), h.patchSource)
	api.POST("/sources/:id/retrieve", h.api(reviewers.ActEditSources), answerByID(h, h.svc.RetrieveSource))
	api.GET("/sources/:id/citations", h.api(reviewers.ActRead), answerByID(h, wrapped("citations", h.svc.SourceCitations)))
	api.GET("/articles/:id/citations", h.api(reviewers.ActRead), answerByID(h, wrapped("citations", h.svc.ArticleCitations)))
	api.POST("/sentences/:id/citations", h.api(reviewers.ActEditSources), h.createCitation)
	api.DELETE("/citations/:id", h.api(reviewers.ActEditSources), h.deleteCitation)

	r.GET("/sources", h.page(reviewers.ActRead), h.listSourcesPage)
	r.POST("/sources", h.page(reviewers.ActEditSources), h.createSourcePage)
	r.GET("/sources/new", h.page(reviewers.ActEditSources), h.newSourcePage)
	r.GET("/sources/:id", h.page(reviewers.ActRead), h.showSource)
	r.POST("/sources/:id", h.page(reviewers.ActEditSources), h.updateSourcePage)
	r.POST("/sources/:id/retrieve", h.page(reviewers.ActEditSources), h.retrieveSourcePage)
	r.POST("/sentences/:id/citations", h.page(reviewers.ActEditSources), h.citeSentencePage)
	r.POST("/citations/:id/delete", h.page(reviewers.ActEditSources), h.deleteCitationPage)
}

func (h *Handler) listSources(c *gin.Context) {
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
	c.JSON(http.StatusOK, page)
}

// sourceResult is a source as POST /sources answers it.
type sourceResult struct {
	*models.Source
	Created bool `json:"created"`
}

// createSource is POST /api/v1/sources: 201 with the new source, or 200
// with the source that already has the URL.
func (h *Handler) createSource(c *gin.Context) {
	m, err := decodeFields(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	in, err := sourceFieldsOf(m, "")
	if err != nil {
		h.fail(c, err)
		return
	}
	src, created, err := h.svc.CreateSource(c.Request.Context(), actor(c), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.Header("Location", fmt.Sprintf("/api/v1/sources/%d", src.ID))
	c.JSON(status, sourceResult{Source: src, Created: created})
}

// patchSource is PATCH /api/v1/sources/{id}: the fields sent change, the
// others stay; null clears an optional field.
func (h *Handler) patchSource(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	m, err := decodeFields(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	in, err := sourceFieldsOf(m, "")
	if err != nil {
		h.fail(c, err)
		return
	}
	src, err := h.svc.UpdateSource(c.Request.Context(), actor(c), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, src)
}

// citationResult is a new citation as POST /sentences/{id}/citations
// answers it.
type citationResult struct {
	*models.Citation
	SourceCreated bool `json:"source_created"`
}

func (h *Handler) createCitation(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	m, err := decodeFields(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	in, err := citationInputOf(m)
	if err != nil {
		h.fail(c, err)
		return
	}
	cit, created, err := h.svc.AddCitation(c.Request.Context(), actor(c), id, in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, citationResult{Citation: cit, SourceCreated: created})
}

func (h *Handler) deleteCitation(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if _, err := h.svc.DeleteCitation(c.Request.Context(), actor(c), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// sourceFilter reads the library's query parameters: q, kind,
// reliability, credibility, cursor, limit.
func sourceFilter(c *gin.Context) (models.SourceFilter, error) {
	f := models.SourceFilter{Query: strings.TrimSpace(c.Query("q")), Kind: models.SourceKind(c.Query("kind")),
		Reliability: models.Reliability(strings.ToUpper(c.Query("reliability")))}
	if len(f.Query) > 200 {
		return f, models.FieldError("q", "a search of at most 200 characters")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return f, models.FieldError("kind", "unknown kind %q", f.Kind)
	}
	if f.Reliability != "" && !f.Reliability.Valid() {
		return f, models.FieldError("reliability", "reliability is a grade from A to F, not %q", f.Reliability)
	}
	if v := c.Query("credibility"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !models.Credibility(n).Valid() {
			return f, models.FieldError("credibility", "credibility is a grade from 1 to 6, not %q", v)
		}
		f.Credibility = models.Credibility(n)
	}
	before, limit, err := pageParams(c)
	if err != nil {
		return f, err
	}
	f.Before, f.Limit = before, limit
	return f, nil
}

// decodeFields reads a JSON object body into its members, so that each
// can be checked on its own: a wrong type or an unknown name is a 422
// naming the field, and a member that is absent can be told from null.
func decodeFields(c *gin.Context) (map[string]json.RawMessage, error) {
	if err := requireJSON(c); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return nil, readError(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, models.Errorf(models.EMALFORMED, "the body must be one JSON object")
	}
	return m, nil
}

// sortedKeys returns m's keys in order, so that the first error reported
// does not depend on map order.
func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// readOnlySourceFields are set by factdesk, never by a client.
var readOnlySourceFields = map[string]bool{"id": true, "retrieved_at": true, "http_status": true, "content_type": true,
	"sha256": true, "final_url": true, "created_by": true, "created_at": true, "updated_at": true, "created": true}

// sourceFieldsOf reads a source's fields from a JSON object; prefix names
// the object in errors ("source." for a source inside a citation).
func sourceFieldsOf(m map[string]json.RawMessage, prefix string) (reviewers.SourceFields, error) {
	var f reviewers.SourceFields
	texts := map[string]**string{
		"kind": &f.Kind, "title": &f.Title, "url": &f.URL, "publisher": &f.Publisher, "author": &f.Author,
		"published_at": &f.PublishedAt, "accessed_at": &f.AccessedAt, "archived_url": &f.ArchivedURL,
		"notes": &f.Notes, "withheld_reason": &f.WithheldReason, "reliability": &f.Reliability,
	}
	for _, k := range sortedKeys(m) {
		v := m[k]
		field := prefix + k
		switch {
		case texts[k] != nil:
			s, err := jsonText(field, v)
			if err != nil {
				return f, err
			}
			*texts[k] = &s
		case k == "credibility":
			s, err := jsonGrade(field, v)
			if err != nil {
				return f, err
			}
			f.Credibility = &s
		case k == "withheld":
			var b bool
			if err := json.Unmarshal(v, &b); err != nil || isNull(v) {
				return f, models.FieldError(field, "%s must be true or false", field)
			}
			f.Withheld = &b
		case readOnlySourceFields[k]:
			return f, models.FieldError(field, "%s is recorded by factdesk and cannot be set", field)
		default:
			return f, models.FieldError(field, "unknown field %q", field)
		}
	}
	return f, nil
}

// citationInputOf reads a citation from a JSON object.
func citationInputOf(m map[string]json.RawMessage) (reviewers.CitationInput, error) {
	var in reviewers.CitationInput
	for _, k := range sortedKeys(m) {
		v := m[k]
		var err error
		switch k {
		case "source_id":
			if err := json.Unmarshal(v, &in.SourceID); err != nil || in.SourceID < 0 {
				return in, models.FieldError(k, "source_id must be a source's id")
			}
		case "url":
			in.URL, err = jsonText(k, v)
		case "relation":
			in.Relation, err = jsonText(k, v)
		case "excerpt":
			in.Excerpt, err = jsonText(k, v)
		case "locator":
			in.Locator, err = jsonText(k, v)
		case "source":
			var sm map[string]json.RawMessage
			if json.Unmarshal(v, &sm) != nil || sm == nil {
				return in, models.FieldError(k, "source must be an object with the new source's fields")
			}
			sf, err := sourceFieldsOf(sm, "source.")
			if err != nil {
				return in, err
			}
			in.Source = &sf
		default:
			return in, models.FieldError(k, "unknown field %q", k)
		}
		if err != nil {
			return in, err
		}
	}
	return in, nil
}

// jsonText reads a JSON string; null reads as "".
func jsonText(field string, v json.RawMessage) (string, error) {
	if isNull(v) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", models.FieldError(field, "%s must be a string", field)
	}
	return s, nil
}

// jsonGrade reads a number (or a string holding one) as text; null reads
// as "", which clears the grade.
func jsonGrade(field string, v json.RawMessage) (string, error) {
	if isNull(v) {
		return "", nil
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&n); err == nil {
		return n.String(), nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, nil
	}
	return "", models.FieldError(field, "%s must be a number from 1 to 6", field)
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }
