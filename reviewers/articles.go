package reviewers

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

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
	Revision      int            `json:"revision"`
	RevisionID    int64          `json:"revision_id"`
	BodySHA256    string         `json:"body_sha256"`
	Format        string         `json:"format"`
	ImportedAt    time.Time      `json:"imported_at"`
	SentenceCount int            `json:"sentence_count"`
	Sentences     []SentenceView `json:"sentences"`
	// Assignees are the people the article is assigned to, soonest due
	// first.
	Assignees []models.Assignment `json:"assignees"`
	// Rev is the revision shown; the current one is read without its
	// body.
	Rev *models.Revision `json:"-"`
}

// SentenceView is a sentence as the API and the pages show it: the stored
// sentence (its JSON keys unchanged) with its attribution and the machine
// reviewer's suggestion, each null when there is none.
type SentenceView struct {
	models.Sentence
	Attribution *models.Attribution `json:"attribution"`
	Suggestion  *models.Suggestion  `json:"suggestion"`
}

// ArticleDetail returns an article with its current revision's sentences.
func (s *Service) ArticleDetail(ctx context.Context, actor models.Actor, id int64) (*ArticleDetail, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, id); err != nil {
		return nil, err
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.CurrentRevisionID == nil {
		return nil, models.Errorf(models.ENOTFOUND, "article %d has no revision", id)
	}
	rev, err := s.store.RevisionWithoutBody(ctx, *a.CurrentRevisionID)
	if err != nil {
		return nil, err
	}
	views, err := s.sentenceViews(ctx, a.ID, rev.ID, rev.SentenceCount)
	if err != nil {
		return nil, err
	}
	assignees, err := s.store.Assignments(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if assignees == nil {
		assignees = []models.Assignment{}
	}
	return &ArticleDetail{
		Assignees: assignees,
		Article:   a, Revision: rev.Number, RevisionID: rev.ID, BodySHA256: rev.BodySHA256, Format: rev.Format,
		ImportedAt: rev.ImportedAt, SentenceCount: len(views),
		Sentences: views, Rev: rev,
	}, nil
}

// sentenceViews loads a revision of n sentences (a hint) with their
// attributions and suggestions in three queries, whatever the number of
// sentences, run side by side on their own connections: for a long
// article each reads thousands of rows, and the answer waits for the
// slowest instead of the sum. The attributions and suggestions are the
// article's, of any revision; those of the revision's sentences are kept.
func (s *Service) sentenceViews(ctx context.Context, articleID, revisionID int64, n int) ([]SentenceView, error) {
	var (
		views = make([]SentenceView, 0, n)
		attrs []models.Attribution
		sugs  []models.Suggestion
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return s.store.EachSentence(gctx, revisionID, func(st *models.Sentence) { views = append(views, SentenceView{Sentence: *st}) })
	})
	g.Go(func() (err error) { attrs, err = s.store.ShownAttributions(gctx, articleID, n); return err })
	g.Go(func() (err error) {
		sugs, err = s.store.ShownSuggestions(gctx, articleID, s.Reviewer().Name(), n)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(views))
	for i := range views {
		at[views[i].ID] = i
	}
	for i := range attrs {
		if k, ok := at[attrs[i].SentenceID]; ok {
			views[k].Attribution = &attrs[i]
		}
	}
	for i := range sugs {
		if k, ok := at[sugs[i].SentenceID]; ok {
			views[k].Suggestion = &sugs[i]
		}
	}
	return views, nil
}
