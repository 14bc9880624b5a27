package reviewers

import (
	"context"

	"factdesk/models"
)

// SimilarSentences lists the sentences of other articles that make the
// same or nearly the same claim as sentence id, best first, with the
// check each has there (see models.Store.SimilarSentences).
func (s *Service) SimilarSentences(ctx context.Context, actor models.Actor, id int64) (*models.SimilarResult, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	res, err := s.store.SimilarSentences(ctx, id, models.MaxSimilar)
	if err != nil {
		return nil, err
	}
	// A match carries its sentence's check (label, note, attribution,
	// citations). One in an article the actor gives a blind second
	// opinion on is left out, not stripped to its text: a match with an
	// empty check would pass for an unchecked sentence, and taking over
	// from it is refused anyway (Reuse).
	res.Matches, err = withoutBlind(ctx, s, actor, func(m models.SimilarSentence) int64 { return m.Article.ID })(res.Matches, nil)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ReuseInput names what a checker takes over from another sentence's
// check: one of its citations, or its attribution.
type ReuseInput struct {
	FromSentenceID int64
	CitationID     int64 // the citation to cite again; 0 with Attribution
	Attribution    bool  // take over the attribution
}

// ReuseResult is what a reuse added: a citation or an attribution.
type ReuseResult struct {
	Citation    *models.Citation    `json:"citation,omitempty"`
	Attribution *models.Attribution `json:"attribution,omitempty"`
	SentenceID  int64               `json:"sentence_id"`
	ArticleID   int64               `json:"article_id"`
}

// Reuse takes over a citation or the attribution of another sentence's
// check for sentence id with one action, recorded in the audit trail with
// where it came from. A citation needs the right to edit sources, an
// attribution the right to edit sentences.
func (s *Service) Reuse(ctx context.Context, actor models.Actor, id int64, in ReuseInput) (*ReuseResult, error) {
	switch {
	case in.FromSentenceID <= 0:
		return nil, models.FieldError("from_sentence_id", "name the sentence to reuse from")
	case in.Attribution == (in.CitationID != 0):
		return nil, models.FieldError("citation_id", "reuse either one citation (citation_id) or the attribution (attribution: true)")
	case in.CitationID < 0:
		return nil, models.FieldError("citation_id", "a citation id is a positive number")
	}
	// The answer is the check taken over: none from, nor into, an article
	// the actor gives a blind second opinion on.
	for _, sid := range []int64{in.FromSentenceID, id} {
		if err := s.blindToSentence(ctx, actor, sid); err != nil {
			return nil, err
		}
	}
	r := models.Reuse{FromSentenceID: in.FromSentenceID, CitationID: in.CitationID}
	if in.Attribution {
		if err := Authorize(actor, ActEdit); err != nil {
			return nil, err
		}
		sa, err := s.attributionChanged(ctx, actor)(s.store.ReuseAttribution(ctx, actor, id, r))
		if err != nil {
			return nil, err
		}
		return &ReuseResult{Attribution: sa.Attribution, SentenceID: id, ArticleID: sa.Sentence.ArticleID}, nil
	}
	if err := Authorize(actor, ActEditSources); err != nil {
		return nil, err
	}
	c, err := s.store.ReuseCitation(ctx, actor, id, r)
	if err != nil {
		return nil, err
	}
	s.publish(ctx, actor, "citation", c.ArticleID, c.ID, 0, c)
	return &ReuseResult{Citation: c, SentenceID: id, ArticleID: c.ArticleID}, nil
}
