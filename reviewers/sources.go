package reviewers

import (
	"context"
	"errors"
	"strings"
	"time"

	"factdesk/codebook"
	"factdesk/fetch"
	"factdesk/models"
)

// CreateSource adds a source to the library; when its URL is there
// already it returns that source with created false and changes nothing.
func (s *Service) CreateSource(ctx context.Context, actor models.Actor, in SourceFields) (*models.Source, bool, error) {
	if err := Authorize(actor, ActEditSources); err != nil {
		return nil, false, err
	}
	ns, err := in.newSource()
	if err != nil {
		return nil, false, err
	}
	return s.store.CreateSource(ctx, actor, ns)
}

// UpdateSource changes the given fields of a source.
func (s *Service) UpdateSource(ctx context.Context, actor models.Actor, id int64, in SourceFields) (*models.Source, error) {
	if err := Authorize(actor, ActEditSources); err != nil {
		return nil, err
	}
	ch, err := in.change()
	if err != nil {
		return nil, err
	}
	return s.store.UpdateSource(ctx, actor, id, ch)
}

// Source returns one source of the library.
func (s *Service) Source(ctx context.Context, actor models.Actor, id int64) (*models.Source, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	return s.store.Source(ctx, id)
}

// Sources searches the library.
func (s *Service) Sources(ctx context.Context, actor models.Actor, f models.SourceFilter) (*models.SourcePage, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	return s.store.Sources(ctx, f)
}

// SourceCitations lists every sentence that cites a source.
func (s *Service) SourceCitations(ctx context.Context, actor models.Actor, id int64) ([]models.SourceCitation, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if _, err := s.store.Source(ctx, id); err != nil {
		return nil, err
	}
	return withoutBlind(ctx, s, actor, func(c models.SourceCitation) int64 { return c.ArticleID })(s.store.SourceCitations(ctx, id))
}

// ArticleCitations returns the citations of an article's current revision
// with their sources, in sentence order.
func (s *Service) ArticleCitations(ctx context.Context, actor models.Actor, articleID int64) ([]models.Citation, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	if a.CurrentRevisionID == nil {
		return []models.Citation{}, nil
	}
	return s.store.RevisionCitations(ctx, *a.CurrentRevisionID)
}

// RetrieveSource fetches a source's URL with the service's fetcher (the
// address rules and limits of URL import) and records what came back: the
// time, the HTTP status, the content type, the SHA-256 of the body and the
// final URL after redirects. An answer with an error status is recorded
// too, without a hash; a page that could not be reached at all records
// nothing and says why.
func (s *Service) RetrieveSource(ctx context.Context, actor models.Actor, id int64) (*models.Source, error) {
	if err := Authorize(actor, ActEditSources); err != nil {
		return nil, err
	}
	src, err := s.store.Source(ctx, id)
	if err != nil {
		return nil, err
	}
	if src.URL == "" {
		return nil, models.FieldError("url", "this source has no URL to retrieve")
	}
	if s.fetcher == nil {
		return nil, models.Errorf(models.EUNSUPPORTED, "this server does not fetch pages")
	}
	page, err := s.fetcher.Fetch(ctx, src.URL)
	var rec models.Retrieval
	var se *fetch.StatusError
	switch {
	case err == nil:
		rec = models.Retrieval{At: page.RetrievedAt, HTTPStatus: page.Status, ContentType: page.ContentType,
			SHA256: page.SHA256, FinalURL: page.FinalURL}
	case errors.As(err, &se):
		rec = models.Retrieval{At: time.Now(), HTTPStatus: se.StatusCode, FinalURL: se.URL}
	default:
		return nil, retrieveError(err)
	}
	return s.store.RecordRetrieval(ctx, actor, id, rec)
}

// retrieveError is fetchError for a source's page, with advice for a
// page of a kind factdesk does not keep.
func retrieveError(err error) error {
	err = fetchError(err)
	if e, ok := models.AsError(err); ok && errors.Is(err, fetch.ErrUnsupportedType) {
		e.Message += "; keep a copy of it and its hash by hand"
	}
	return err
}

// CitationInput is a citation as people send it: the source by id, by URL
// (found in the library or added to it) or as a new source's fields;
// exactly one of the three.
type CitationInput struct {
	SourceID int64
	URL      string
	Source   *SourceFields
	Relation string
	Excerpt  string
	Locator  string
}

// AddCitation cites a source for a sentence. It reports whether the
// source was added to the library on the way.
func (s *Service) AddCitation(ctx context.Context, actor models.Actor, sentenceID int64, in CitationInput) (*models.Citation, bool, error) {
	if err := Authorize(actor, ActEditSources); err != nil {
		return nil, false, err
	}
	// The answer and the sentence's other citations are the first
	// reading: someone giving a blind second opinion does not cite here.
	if err := s.blindToSentence(ctx, actor, sentenceID); err != nil {
		return nil, false, err
	}
	nc := models.NewCitation{SourceID: in.SourceID, Relation: codebook.Relation(strings.TrimSpace(in.Relation)),
		Excerpt: in.Excerpt, Locator: in.Locator}
	given := 0
	if in.SourceID != 0 {
		given++
	}
	if strings.TrimSpace(in.URL) != "" {
		given++
		u := in.URL
		ns, err := SourceFields{URL: &u}.newSource()
		if err != nil {
			return nil, false, err
		}
		nc.NewSource = &ns
	}
	if in.Source != nil {
		given++
		ns, err := in.Source.newSource()
		if err != nil {
			return nil, false, prefixField("source.", err)
		}
		nc.NewSource = &ns
	}
	if given > 1 {
		return nil, false, models.FieldError("source_id", "name the source once: a source_id, a url or a new source")
	}
	c, created, err := s.store.AddCitation(ctx, actor, sentenceID, nc)
	if err != nil {
		return nil, false, err
	}
	s.publish(ctx, actor, "citation", c.ArticleID, c.SentenceID, 0, c)
	return c, created, nil
}

// prefixField names a nested field ("source.kind") in a field error.
func prefixField(prefix string, err error) error {
	if e, ok := models.AsError(err); ok && e.Field != "" {
		c := *e
		c.Field = prefix + e.Field
		return &c
	}
	return err
}

// DeleteCitation removes a citation and returns it.
func (s *Service) DeleteCitation(ctx context.Context, actor models.Actor, id int64) (*models.Citation, error) {
	if err := Authorize(actor, ActEditSources); err != nil {
		return nil, err
	}
	cur, err := s.store.Citation(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, cur.ArticleID); err != nil {
		return nil, err
	}
	c, err := s.store.DeleteCitation(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	s.publish(ctx, actor, "citation", c.ArticleID, c.SentenceID, 0, map[string]any{"deleted": c.ID, "sentence_id": c.SentenceID})
	return c, nil
}

// Citation returns a citation with its source.
func (s *Service) Citation(ctx context.Context, actor models.Actor, id int64) (*models.Citation, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	c, err := s.store.Citation(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, c.ArticleID); err != nil {
		return nil, err
	}
	return c, nil
}
