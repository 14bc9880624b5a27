package reviewers

import (
	"context"
	"fmt"
	"strings"

	"factdesk/models"
)

// Readiness is what submitting an article needs: the facts of
// models.ArticleReadiness, whether the newsroom requires every fact and
// allegation checked, the rules that block submitting now, each in one
// sentence (SubmitBlocks' messages, in its order), and what does not block
// it but the editor will see (facts and allegations only labeled, open
// threads), each in one sentence too. The sentences end with the numbers
// of the sentences concerned.
type Readiness struct {
	models.ArticleReadiness
	RequireChecked bool     `json:"require_checked"`
	Ready          bool     `json:"ready"`
	Blocking       []string `json:"blocking"`
	Warnings       []string `json:"warnings"`
}

// Readiness says what submitting an article needs, in a fixed number of
// queries; Submit refuses exactly while Blocking is not empty (or a check
// added with AddSubmitCheck fails).
func (s *Service) Readiness(ctx context.Context, actor models.Actor, articleID int64) (*Readiness, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	r, err := s.store.Readiness(ctx, articleID)
	if err != nil {
		return nil, err
	}
	return s.readiness(r), nil
}

// PageReadiness is Readiness computed from what the review page has read
// already (the current revision's sentence lines and the article's
// comments), with one more query for the attributions.
func (s *Service) PageReadiness(ctx context.Context, actor models.Actor, articleID int64, lines []models.SentenceLine, comments []models.Comment) (*Readiness, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	flags, err := s.store.AttributionFlagsOf(ctx, articleID)
	if err != nil {
		return nil, err
	}
	return s.readiness(models.ReadinessOf(lines, flags, comments)), nil
}

// readiness adds the newsroom's rules to an article's readiness.
func (s *Service) readiness(r *models.ArticleReadiness) *Readiness {
	out := &Readiness{ArticleReadiness: *r, RequireChecked: s.cfg.RequireChecked, Blocking: []string{}}
	for _, b := range s.SubmitBlocks(r) {
		out.Blocking = append(out.Blocking, b.Message)
	}
	out.Ready = len(out.Blocking) == 0
	out.Warnings = []string{}
	if !s.cfg.RequireChecked && len(r.Unchecked) > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d of %d %s checked (verified, disputed or unverifiable); the editor will see the others as labeled only: %s",
			r.Checked, r.Claims, plural(r.Claims, "fact or allegation is", "facts and allegations are"), listNumbers(r.Unchecked)))
	}
	if r.OpenThreads > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d %s still open.", r.OpenThreads, plural(r.OpenThreads, "comment thread is", "comment threads are")))
	}
	return out
}

// SubmitBlocks returns, in order, the errors of the rules an article's
// readiness breaks: sentences open, allegations and quotes unattributed,
// machine attributions unconfirmed, and — under Config.RequireChecked —
// facts and allegations unchecked. Each error's Data lists the sentences
// concerned by their 0-based indexes (under open_sentences,
// unattributed_sentences, unconfirmed_attributions or
// unchecked_sentences) and by their 1-based numbers (under numbers).
func (s *Service) SubmitBlocks(r *models.ArticleReadiness) []*models.Error {
	var out []*models.Error
	block := func(field, key string, nums []int, one, many string) {
		if len(nums) == 0 {
			return
		}
		idx := make([]int, len(nums))
		for i, n := range nums {
			idx[i] = n - 1
		}
		out = append(out, &models.Error{Code: models.EINVALID, Field: field, Data: map[string]any{key: idx, "numbers": nums},
			Message: fmt.Sprintf("%d %s: %s", len(nums), plural(len(nums), one, many), listNumbers(nums))})
	}
	block("sentences", "open_sentences", r.Open,
		"sentence is neither labeled nor excluded",
		"sentences are neither labeled nor excluded")
	block("attribution", "unattributed_sentences", r.Unattributed,
		"allegation or quote does not say who makes the claim (speaker and cue)",
		"allegations or quotes do not say who makes the claim (speaker and cue)")
	block("attribution", "unconfirmed_attributions", r.UnconfirmedAttributions,
		"sentence has an attribution found by the machine that nobody has confirmed (confirm, correct or clear it)",
		"sentences have attributions found by the machine that nobody has confirmed (confirm, correct or clear them)")
	if s.cfg.RequireChecked {
		block("status", "unchecked_sentences", r.Unchecked,
			"fact or allegation is not checked yet (verified, disputed or unverifiable), as this newsroom requires",
			"facts or allegations are not checked yet (verified, disputed or unverifiable), as this newsroom requires")
	}
	return out
}

// plural picks the singular or the plural words for n things.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// listNumbers lists sentence numbers, shortened after twenty.
func listNumbers(nums []int) string {
	var b strings.Builder
	for i, n := range nums {
		if i == 20 {
			fmt.Fprintf(&b, " and %d more", len(nums)-20)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, n)
	}
	return b.String()
}
