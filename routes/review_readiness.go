package routes

import (
	"context"

	"factdesk/models"
)

// describeReadiness tells the page what submitting needs, for those who
// may submit, and from which confidence a suggestion is confident.
func (h *Handler) describeReadiness(ctx context.Context, p *reviewPage, who models.Actor, lines []models.SentenceLine, comments []models.Comment) error {
	st := p.Article.Status
	if p.May.Submit && (st == models.ArticleDraft || st == models.ArticleInReview || st == models.ArticleChangesRequested) {
		r, err := h.svc.PageReadiness(ctx, who, p.Article.ID, lines, comments)
		if err != nil {
			return err
		}
		p.Readiness = r
	}
	// The page's script counts the confident suggestions once it has them
	// (they come with the article's details), rather than every page load
	// counting them in the database.
	p.Confident = h.svc.ConfidentThreshold()
	return nil
}

// submitNote finds the note the submitter of the latest round left for
// the editor: the decision comment written with the submission.
func submitNote(round *models.ReviewRound, comments []models.Comment) string {
	if round == nil || round.SubmittedBy == nil || round.SubmittedAt == nil {
		return ""
	}
	for i := len(comments) - 1; i >= 0; i-- {
		c := &comments[i]
		if c.Kind == models.CommentDecision && c.RoundID != nil && *c.RoundID == round.ID && c.AuthorID == *round.SubmittedBy && c.ParentID == nil {
			return c.Body
		}
	}
	return ""
}
