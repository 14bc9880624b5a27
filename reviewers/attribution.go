package reviewers

import (
	"context"

	"factdesk/models"
)

// SetAttribution sets who a sentence's claim comes from, as a checker
// reads the article: the attribution becomes the checker's, confirmed.
// Bad fields come back as errors naming the field; an article that is
// submitted or approved, or an edit of a version that is no longer
// current, as a conflict.
func (s *Service) SetAttribution(ctx context.Context, actor models.Actor, sentenceID int64, e models.AttributionEdit) (*models.SentenceAttribution, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	if err := s.blindToSentence(ctx, actor, sentenceID); err != nil {
		return nil, err
	}
	return s.attributionChanged(ctx, actor)(s.store.SetAttribution(ctx, actor, sentenceID, e))
}

// ConfirmAttribution records that a checker agrees with the attribution
// the machine extracted. version, when given, is the version the checker
// saw.
func (s *Service) ConfirmAttribution(ctx context.Context, actor models.Actor, sentenceID int64, version *int) (*models.SentenceAttribution, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	if err := s.blindToSentence(ctx, actor, sentenceID); err != nil {
		return nil, err
	}
	return s.attributionChanged(ctx, actor)(s.store.ConfirmAttribution(ctx, actor, sentenceID, version))
}

// ClearAttribution removes a sentence's attribution: its claim is
// attributed to nobody.
func (s *Service) ClearAttribution(ctx context.Context, actor models.Actor, sentenceID int64, version *int) (*models.SentenceAttribution, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	if err := s.blindToSentence(ctx, actor, sentenceID); err != nil {
		return nil, err
	}
	return s.attributionChanged(ctx, actor)(s.store.ClearAttribution(ctx, actor, sentenceID, version))
}

// attributionChanged tells the people watching the article about a
// successful change: an "attribution" event for the sentence carrying its
// attribution (null once cleared).
func (s *Service) attributionChanged(ctx context.Context, actor models.Actor) func(*models.SentenceAttribution, error) (*models.SentenceAttribution, error) {
	return func(res *models.SentenceAttribution, err error) (*models.SentenceAttribution, error) {
		if err != nil {
			return nil, err
		}
		version := 0
		if res.Attribution != nil {
			version = res.Attribution.Version
		}
		s.publish(ctx, actor, "attribution", res.Sentence.ArticleID, res.Sentence.ID, version,
			map[string]any{"sentence_id": res.Sentence.ID, "attribution": res.Attribution})
		return res, nil
	}
}
