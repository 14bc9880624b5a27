package routes

import (
	"context"
	"fmt"

	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// readiness is what the review page says about submitting: each rule that
// blocks it, and what the editor will see, with the sentences concerned
// as links.
type readiness struct {
	Blocking []readinessLine
	Warnings []readinessLine
}

// readinessLine is one sentence of the readiness, with up to
// maxReadinessNumbers sentence numbers and how many more there are.
type readinessLine struct {
	Text    string
	Numbers []int
	More    int
}

// maxReadinessNumbers bounds the sentence links of one line.
const maxReadinessNumbers = 40

func newReadinessLine(text string, numbers []int) readinessLine {
	l := readinessLine{Text: text, Numbers: numbers}
	if len(numbers) > maxReadinessNumbers {
		l.Numbers, l.More = numbers[:maxReadinessNumbers], len(numbers)-maxReadinessNumbers
	}
	return l
}

// readinessOf turns what submitting needs into the page's lines: one per
// rule that blocks it, and a warning for the facts and allegations that
// are labeled but not checked, and for the open threads.
func readinessOf(r *reviewers.Readiness) readiness {
	var out readiness
	block := func(nums []int, one, many string) {
		if len(nums) > 0 {
			out.Blocking = append(out.Blocking, newReadinessLine(web.Plural(len(nums), one, many), nums))
		}
	}
	block(r.Open, "sentence is neither labeled nor excluded", "sentences are neither labeled nor excluded")
	block(r.Unattributed, "allegation or quote does not say who makes the claim", "allegations or quotes do not say who makes the claim")
	block(r.UnconfirmedAttributions, "attribution found by the machine is not confirmed (y confirms)", "attributions found by the machine are not confirmed (y confirms)")
	if r.RequireChecked {
		block(r.Unchecked, "fact or allegation is not checked yet (the newsroom requires every one)", "facts and allegations are not checked yet (the newsroom requires every one)")
	} else if r.Claims > 0 && r.Checked < r.Claims {
		text := fmt.Sprintf("%d of %s checked (verified, disputed or unverifiable); the editor will see the others as labeled only",
			r.Checked, web.Plural(r.Claims, "fact or allegation is", "facts and allegations are"))
		out.Warnings = append(out.Warnings, newReadinessLine(text, r.Unchecked))
	}
	if r.OpenThreads > 0 {
		out.Warnings = append(out.Warnings, newReadinessLine(web.Plural(r.OpenThreads, "comment thread is", "comment threads are")+" still open", nil))
	}
	return out
}

// describeReadiness tells the page what submitting needs, for those who
// may submit, and from which confidence a suggestion is confident.
func (h *Handler) describeReadiness(ctx context.Context, p *reviewPage, who models.Actor, lines []models.SentenceLine, comments []models.Comment) error {
	st := p.Article.Status
	if p.May.Submit && (st == models.ArticleDraft || st == models.ArticleInReview || st == models.ArticleChangesRequested) {
		r, err := h.svc.PageReadiness(ctx, who, p.Article.ID, lines, comments)
		if err != nil {
			return err
		}
		p.Readiness = readinessOf(r)
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
