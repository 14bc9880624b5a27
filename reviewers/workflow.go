package reviewers

import (
	"context"
	"strings"

	"factdesk/models"
)

// MaxDecisionComment bounds the comment of a workflow step.
const MaxDecisionComment = models.MaxCommentLen

// StartReview puts a draft (or an article sent back) in review explicitly;
// the first label does the same.
func (s *Service) StartReview(ctx context.Context, actor models.Actor, articleID int64) (*models.Article, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	return s.advance(ctx, actor, articleID, models.Transition{Action: "article.start_review",
		From: []models.ArticleStatus{models.ArticleDraft, models.ArticleChangesRequested}, To: models.ArticleInReview, Round: models.RoundOpen})
}

// Submit hands the article to the editors. It refuses, with the first
// rule of SubmitBlocks that the article breaks (the sentences concerned
// under the error's Data), while a sentence is neither labeled nor
// excluded, an allegation or quote does not say who makes the claim, an
// attribution found by the machine is unconfirmed, or — when the newsroom
// requires it (Config.RequireChecked) — a fact or allegation is not
// checked; then while a check added by AddSubmitCheck fails.
func (s *Service) Submit(ctx context.Context, actor models.Actor, articleID int64, comment string) (*models.Article, error) {
	if err := Authorize(actor, ActSubmit); err != nil {
		return nil, err
	}
	comment, err := decisionComment(comment, false)
	if err != nil {
		return nil, err
	}
	return s.advance(ctx, actor, articleID, models.Transition{Action: "article.submit",
		From: []models.ArticleStatus{models.ArticleDraft, models.ArticleInReview, models.ArticleChangesRequested},
		To:   models.ArticleSubmitted, Round: models.RoundSubmit, Comment: comment,
		Guard: func(w *models.WorkflowState) error {
			r, err := w.Readiness()
			if err != nil {
				return err
			}
			if blocks := s.SubmitBlocks(r); len(blocks) > 0 {
				return blocks[0]
			}
			for _, check := range s.submitChecks {
				if err := check(w); err != nil {
					return err
				}
			}
			return nil
		}})
}

// Approve signs off a submitted review. The editor who submitted it may
// not approve it (the four-eyes rule).
func (s *Service) Approve(ctx context.Context, actor models.Actor, articleID int64, comment string) (*models.Article, error) {
	if err := Authorize(actor, ActDecide); err != nil {
		return nil, err
	}
	comment, err := decisionComment(comment, false)
	if err != nil {
		return nil, err
	}
	return s.advance(ctx, actor, articleID, models.Transition{Action: "article.approve",
		From: []models.ArticleStatus{models.ArticleSubmitted}, To: models.ArticleApproved,
		Round: models.RoundDecide, Decision: "approved", Comment: comment, Guard: fourEyes(actor)})
}

// RequestChanges sends a submitted review back to the checkers with a
// comment, and optionally comments pinned to the sentences concerned.
func (s *Service) RequestChanges(ctx context.Context, actor models.Actor, articleID int64, comment string, sentenceComments map[int64]string) (*models.Article, error) {
	if err := Authorize(actor, ActDecide); err != nil {
		return nil, err
	}
	comment, err := decisionComment(comment, true)
	if err != nil {
		return nil, err
	}
	pinned := map[int64]string{}
	for id, c := range sentenceComments {
		c, err := decisionComment(c, false)
		if err != nil {
			return nil, models.FieldError("sentences", "the comment on sentence %d: %s", id, err.(*models.Error).Message)
		}
		if c != "" {
			pinned[id] = c
		}
	}
	return s.advance(ctx, actor, articleID, models.Transition{Action: "article.request_changes",
		From: []models.ArticleStatus{models.ArticleSubmitted}, To: models.ArticleChangesRequested,
		Round: models.RoundDecide, Decision: "changes_requested", Comment: comment, SentenceComments: pinned,
		Guard: fourEyes(actor)})
}

// Reopen makes an approved article editable again and starts a new round.
func (s *Service) Reopen(ctx context.Context, actor models.Actor, articleID int64, comment string) (*models.Article, error) {
	if err := Authorize(actor, ActDecide); err != nil {
		return nil, err
	}
	comment, err := decisionComment(comment, true)
	if err != nil {
		return nil, err
	}
	return s.advance(ctx, actor, articleID, models.Transition{Action: "article.reopen",
		From: []models.ArticleStatus{models.ArticleApproved}, To: models.ArticleInReview,
		Round: models.RoundReopen, Comment: comment, Guard: fourEyes(actor)})
}

func (s *Service) advance(ctx context.Context, actor models.Actor, articleID int64, t models.Transition) (*models.Article, error) {
	ctx, told := s.collectInboxes(ctx)
	defer told()
	a, err := s.store.Advance(ctx, actor, articleID, t)
	if err != nil {
		return nil, err
	}
	s.publish(ctx, actor, "article", a.ID, a.ID, 0, map[string]any{"status": a.Status, "action": t.Action})
	return a, nil
}

// fourEyes refuses a decision by the person who submitted the round.
func fourEyes(actor models.Actor) func(w *models.WorkflowState) error {
	return func(w *models.WorkflowState) error {
		r := w.Round
		if r != nil && r.SubmittedBy != nil && *r.SubmittedBy == actor.ID {
			return &models.Error{Code: models.EFORBIDDEN,
				Message: "you submitted this review, so another editor must decide it (four-eyes rule)"}
		}
		return nil
	}
}

func decisionComment(c string, required bool) (string, error) {
	c = strings.TrimSpace(c)
	if required && c == "" {
		return "", models.FieldError("comment", "say why: a comment is required")
	}
	if len(c) > MaxDecisionComment {
		return "", models.FieldError("comment", "a comment may have at most %d bytes", MaxDecisionComment)
	}
	return c, nil
}

// AddSubmitCheck adds a condition an article must meet to be submitted
// (the sources issue adds one for attributions). Call it while wiring the
// service, before it serves requests.
func (s *Service) AddSubmitCheck(check func(w *models.WorkflowState) error) {
	s.submitChecks = append(s.submitChecks, check)
}

// Comments returns an article's comments.
func (s *Service) Comments(ctx context.Context, actor models.Actor, articleID int64) ([]models.Comment, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	if _, err := s.store.Article(ctx, articleID); err != nil {
		return nil, err
	}
	return s.store.Comments(ctx, articleID)
}

// AddComment adds a comment to an article or one of its sentences.
func (s *Service) AddComment(ctx context.Context, actor models.Actor, nc models.NewComment) (*models.Comment, error) {
	if err := Authorize(actor, ActComment); err != nil {
		return nil, err
	}
	ctx, told := s.collectInboxes(ctx)
	defer told()
	c, err := s.store.AddComment(ctx, actor, nc)
	if err != nil {
		return nil, err
	}
	s.publish(ctx, actor, "comment", c.ArticleID, c.ID, 0, c)
	return c, nil
}

// ResolveComment resolves a thread, or opens it again.
func (s *Service) ResolveComment(ctx context.Context, actor models.Actor, id int64, resolved bool) (*models.Comment, error) {
	if err := Authorize(actor, ActComment); err != nil {
		return nil, err
	}
	// The answer is the thread's first comment: not for someone blind to
	// its article.
	articleID, err := s.store.CommentArticle(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	c, err := s.store.ResolveComment(ctx, actor, id, resolved)
	if err != nil {
		return nil, err
	}
	// The thread's author, as Comments names them: the page shows who
	// opened the thread it just resolved.
	names, err := s.store.UserNames(ctx, []int64{c.AuthorID})
	if err != nil {
		return nil, err
	}
	c.Author = names[c.AuthorID]
	s.publish(ctx, actor, "comment", c.ArticleID, c.ID, 0, c)
	return c, nil
}

// Rounds returns an article's review rounds.
func (s *Service) Rounds(ctx context.Context, actor models.Actor, articleID int64) ([]models.ReviewRound, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil { // the decisions' comments judge the first reading
		return nil, err
	}
	return s.store.Rounds(ctx, articleID)
}

// AuditTrail is an article's events with the result of verifying them.
type AuditTrail struct {
	Events       []models.AuditEvent  `json:"events"`
	Verification *models.Verification `json:"verification"`
}

// Audit returns an article's audit trail, verified.
func (s *Service) Audit(ctx context.Context, actor models.Actor, articleID int64) (*AuditTrail, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	v, err := s.store.VerifyArticle(ctx, articleID)
	if err != nil {
		return nil, err
	}
	evs, err := s.store.ArticleEvents(ctx, articleID)
	if err != nil {
		return nil, err
	}
	return &AuditTrail{Events: evs, Verification: v}, nil
}

// ApprovalQueue lists the articles waiting for an editor.
func (s *Service) ApprovalQueue(ctx context.Context, actor models.Actor) ([]models.QueueRow, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	return s.store.ApprovalQueue(ctx, 200)
}
