package reviewers

import (
	"context"

	"factdesk/models"
)

// ArticleText is an article with its current revision's sentences as the
// review page's text shows them: lighter than ArticleDetail, which also
// carries every sentence's attribution and suggestion, because the page
// shows those of the selected sentence only.
type ArticleText struct {
	Article  *models.Article
	Revision *models.Revision
	Lines    []models.SentenceLine
}

// ArticleText returns an article with its current revision's sentences,
// in two queries and one read of the sentences whatever their number.
func (s *Service) ArticleText(ctx context.Context, actor models.Actor, id int64) (*ArticleText, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.CurrentRevisionID == nil {
		return nil, models.Errorf(models.ENOTFOUND, "article %d has no revision", id)
	}
	rev, err := s.store.Revision(ctx, *a.CurrentRevisionID)
	if err != nil {
		return nil, err
	}
	lines, err := s.store.SentenceLines(ctx, rev.ID)
	if err != nil {
		return nil, err
	}
	return &ArticleText{Article: a, Revision: rev, Lines: lines}, nil
}

// SentenceView returns one sentence with its attribution and the machine
// reviewer's suggestion, as ArticleDetail shows each of its sentences.
func (s *Service) SentenceView(ctx context.Context, actor models.Actor, id int64) (*SentenceView, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	st, err := s.store.Sentence(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &SentenceView{Sentence: *st}
	if v.Attribution, err = s.store.AttributionOf(ctx, id); models.ErrorCode(err) == models.ENOTFOUND {
		v.Attribution, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if v.Suggestion, err = s.store.SuggestionOf(ctx, id, s.Reviewer().Name()); models.ErrorCode(err) == models.ENOTFOUND {
		v.Suggestion, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}
