package reviewers

import (
	"context"
	"time"

	"factdesk/models"
)

// Articles lists articles for anyone who may read them.
func (s *Service) Articles(ctx context.Context, actor models.Actor, f models.ArticleFilter) (*models.ArticlePage, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	return s.store.Articles(ctx, f)
}

// ArticleDetail is an article with its current revision and sentences, as
// the API returns it.
type ArticleDetail struct {
	*models.Article
	Revision      int               `json:"revision"`
	RevisionID    int64             `json:"revision_id"`
	BodySHA256    string            `json:"body_sha256"`
	Format        string            `json:"format"`
	ImportedAt    time.Time         `json:"imported_at"`
	SentenceCount int               `json:"sentence_count"`
	Sentences     []models.Sentence `json:"sentences"`
	Rev           *models.Revision  `json:"-"`
}

// ArticleDetail returns an article with its current revision's sentences.
func (s *Service) ArticleDetail(ctx context.Context, actor models.Actor, id int64) (*ArticleDetail, error) {
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
	ss, err := s.store.Sentences(ctx, rev.ID)
	if err != nil {
		return nil, err
	}
	return &ArticleDetail{
		Article: a, Revision: rev.Number, RevisionID: rev.ID, BodySHA256: rev.BodySHA256, Format: rev.Format,
		ImportedAt: rev.ImportedAt, SentenceCount: len(ss),
		Sentences: ss, Rev: rev,
	}, nil
}
