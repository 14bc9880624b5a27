package reviewers

import (
	"context"
	"strings"

	"factdesk/codebook"
	"factdesk/ingest"
	"factdesk/models"
	"factdesk/realign"
)

// RevisionChanges is what one revision of an article did to the sentences
// of the revision before: the revision with its counts, and every sentence
// moved, changed (with the word-level difference), new or removed, each
// with its check before and after. Editors read it to see what a
// correction sends back to review.
type RevisionChanges struct {
	ArticleID int64                  `json:"article_id"`
	Revision  models.RevisionSummary `json:"revision"`
	// Previous is the number of the revision compared with, 0 for the
	// first revision (which has no changes).
	Previous int                         `json:"previous"`
	Changes  []models.RevisionChangeView `json:"changes"`
}

// RevisionResult is what adding a revision did.
type RevisionResult struct {
	RevisionChanges
	Article *models.Article `json:"article"`
	// Created is false when the body was the current revision's: nothing
	// was stored, and the answer describes the current revision.
	Created bool `json:"created"`
}

// AddRevision stores a corrected version of an article: the body is
// converted and segmented as an import would, each sentence is matched to
// the current revision's (realign.Align), and in one transaction the new
// revision becomes current, every matched sentence carries its check over
// (see carryState), changed, new and removed sentences are recorded, and
// an approved or submitted article goes back in review. A body equal to
// the current revision's changes nothing.
func (s *Service) AddRevision(ctx context.Context, actor models.Actor, articleID int64, in ingest.ArticleInput) (*RevisionResult, error) {
	if err := Authorize(actor, ActImport); err != nil {
		return nil, err
	}
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if a.CurrentRevisionID == nil {
		return nil, models.Errorf(models.ENOTFOUND, "article %d has no revision", articleID)
	}
	na, _, err := s.readInput(ctx, in)
	if err != nil {
		return nil, err
	}
	base, err := s.store.Revision(ctx, *a.CurrentRevisionID)
	if err != nil {
		return nil, err
	}
	if base.BodySHA256 == na.BodySHA256 {
		return s.revisionResult(ctx, a, base, false)
	}
	old, err := s.store.SentenceTexts(ctx, base.ID)
	if err != nil {
		return nil, err
	}
	ctx, told := s.collectInboxes(ctx) // webhooks hear of it
	defer told()
	res, err := s.store.AddRevision(ctx, actor, models.NewRevision{
		ArticleID: a.ID, BaseRevisionID: base.ID, Title: strings.TrimSpace(in.Title), URL: na.URL,
		Format: na.Format, SourceURL: na.SourceURL, Body: na.Body, BodySHA256: na.BodySHA256, ParagraphCount: na.ParagraphCount,
		Sentences: na.Sentences, Attributions: na.Attributions, Suggestions: na.Suggestions,
		Alignment: realign.Align(alignable(old), alignable(na.Sentences)), Carry: carryState,
	})
	if err != nil {
		return nil, err
	}
	if res.Created {
		s.publish(ctx, actor, "article", a.ID, a.ID, 0, map[string]any{"status": res.Article.Status,
			"action": "article.revision", "revision": res.Revision.Number})
	}
	return s.revisionResult(ctx, res.Article, res.Revision, res.Created)
}

// alignable turns stored or prepared sentences into realign's.
func alignable(ss []models.Sentence) []realign.Sentence {
	out := make([]realign.Sentence, len(ss))
	for i, st := range ss {
		out[i] = realign.Sentence{Index: st.Index, Paragraph: st.Paragraph, Text: st.Text}
	}
	return out
}

// carryState is the rule for a matched sentence's check in a new
// revision. The same text (unchanged or moved) keeps its check as it is.
// A changed text keeps label, verdict and note as a starting point, but
// its status goes back to labeled (to unreviewed when it had no label, or
// to the new revision's own exclusion when it is excluded there): a
// verification or a dispute was about the old words.
func carryState(kind realign.Kind, old, initial models.SentenceState) models.SentenceState {
	if kind != realign.Changed {
		return old
	}
	next := old
	next.ExcludeReason = ""
	switch {
	case old.Label != "":
		next.Status = string(codebook.Labeled)
	case initial.Status == string(codebook.Excluded):
		next.Status, next.ExcludeReason = initial.Status, initial.ExcludeReason
	default:
		next.Status = string(codebook.Unreviewed)
	}
	return next
}

// revisionResult describes a stored revision with its changes.
func (s *Service) revisionResult(ctx context.Context, a *models.Article, rev *models.Revision, created bool) (*RevisionResult, error) {
	ch, err := s.revisionChanges(ctx, a.ID, rev.Number)
	if err != nil {
		return nil, err
	}
	return &RevisionResult{RevisionChanges: *ch, Article: a, Created: created}, nil
}

// Revisions lists an article's revisions, oldest first, with what each
// changed.
func (s *Service) Revisions(ctx context.Context, actor models.Actor, articleID int64) ([]models.RevisionSummary, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if _, err := s.store.Article(ctx, articleID); err != nil {
		return nil, err
	}
	return s.store.RevisionSummaries(ctx, articleID)
}

// RevisionChanges returns what revision number of an article changed;
// number 0 means the current revision.
func (s *Service) RevisionChanges(ctx context.Context, actor models.Actor, articleID int64, number int) (*RevisionChanges, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if number < 0 {
		return nil, models.FieldError("revision", "a revision number is 1 or more")
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil { // the changes carry each sentence's check
		return nil, err
	}
	return s.revisionChanges(ctx, articleID, number)
}

func (s *Service) revisionChanges(ctx context.Context, articleID int64, number int) (*RevisionChanges, error) {
	sums, err := s.store.RevisionSummaries(ctx, articleID)
	if err != nil {
		return nil, err
	}
	return s.changesAmong(ctx, articleID, number, sums)
}

// changesAmong is revisionChanges with the article's revisions read.
func (s *Service) changesAmong(ctx context.Context, articleID int64, number int, sums []models.RevisionSummary) (*RevisionChanges, error) {
	var err error
	if len(sums) == 0 {
		if _, err := s.store.Article(ctx, articleID); err != nil {
			return nil, err
		}
		return nil, models.Errorf(models.ENOTFOUND, "article %d has no revision", articleID)
	}
	if number == 0 {
		a, err := s.store.Article(ctx, articleID)
		if err != nil {
			return nil, err
		}
		for _, r := range sums {
			if a.CurrentRevisionID != nil && r.ID == *a.CurrentRevisionID {
				number = r.Number
			}
		}
	}
	for _, r := range sums {
		if r.Number != number {
			continue
		}
		out := &RevisionChanges{ArticleID: articleID, Revision: r, Previous: r.Number - 1, Changes: []models.RevisionChangeView{}}
		if r.Number > 1 {
			if out.Changes, err = s.store.RevisionChanges(ctx, r.ID); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, models.Errorf(models.ENOTFOUND, "article %d has no revision %d", articleID, number)
}

// ArticleAt is an article at one of its revisions, as the API returns it:
// the detail of that revision, whether it is the current one (an earlier
// revision is read-only), the article's revisions and what the shown
// revision changed.
type ArticleAt struct {
	*ArticleDetail
	Current         bool                        `json:"current"`
	Revisions       []models.RevisionSummary    `json:"revisions"`
	RevisionChanges []models.RevisionChangeView `json:"revision_changes"`
}

// ArticleAtRevision returns an article at revision number (0: the
// current one), with its sentences and their checks as they are in that
// revision.
func (s *Service) ArticleAtRevision(ctx context.Context, actor models.Actor, id int64, number int) (*ArticleAt, error) {
	d, err := s.ArticleDetail(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	out := &ArticleAt{ArticleDetail: d, Current: true}
	if number != 0 && number != d.Revision {
		if number < 0 {
			return nil, models.FieldError("revision", "a revision number is 1 or more")
		}
		rev, err := s.store.RevisionByNumber(ctx, id, number)
		if err != nil {
			return nil, err
		}
		views, err := s.sentenceViews(ctx, id, rev.ID, rev.SentenceCount)
		if err != nil {
			return nil, err
		}
		out.ArticleDetail = &ArticleDetail{Article: d.Article, Revision: rev.Number, RevisionID: rev.ID, BodySHA256: rev.BodySHA256,
			Format: rev.Format, ImportedAt: rev.ImportedAt, SentenceCount: len(views), Sentences: views, Rev: rev}
		out.Current = false
	}
	if out.Revisions, err = s.store.RevisionSummaries(ctx, id); err != nil {
		return nil, err
	}
	ch, err := s.changesAmong(ctx, id, out.Revision, out.Revisions)
	if err != nil {
		return nil, err
	}
	out.RevisionChanges = ch.Changes
	return out, nil
}
