package reviewers

import (
	"context"
	"errors"
	"math"

	"factdesk/models"
	"factdesk/reviewers/machine"
)

// AcceptScope says whose suggestions a bulk accept takes: the sentences
// numbered From to To (1-based, inclusive), or those whose suggestion's
// confidence is at least MinConfidence, or — Confident — at least the
// machine reviewer's threshold for a confident suggestion
// (machine.Confident). Exactly one of the three is given.
type AcceptScope struct {
	From, To      int
	MinConfidence *float64
	Confident     bool
}

// AcceptResult is what a bulk accept did: the sentences it labeled, in
// order, and how many sentences in scope it left as they were (already
// labeled or excluded, without a suggestion, or changed by someone
// meanwhile). From, To and MinConfidence are the scope as applied.
type AcceptResult struct {
	Accepted      []*models.Sentence `json:"accepted"`
	Skipped       int                `json:"skipped"`
	From          int                `json:"from,omitempty"`
	To            int                `json:"to,omitempty"`
	MinConfidence float64            `json:"min_confidence,omitempty"`
}

// errNotOpen tells AcceptSuggestions that a sentence was labeled or
// excluded since it was read.
var errNotOpen = errors.New("the sentence is no longer open")

// check validates the scope against an article of n sentences and returns
// the range of sentence numbers to read and the least confidence.
func (sc AcceptScope) check(n int) (from, to int, least float64, err error) {
	ranged := sc.From != 0 || sc.To != 0
	given := 0
	for _, b := range []bool{ranged, sc.MinConfidence != nil, sc.Confident} {
		if b {
			given++
		}
	}
	if given != 1 {
		return 0, 0, 0, models.FieldError("from", "say which suggestions to accept: a range of sentences (from and to), min_confidence, or confident")
	}
	switch {
	case sc.Confident:
		return 1, n, machine.Confident, nil
	case sc.MinConfidence != nil:
		c := *sc.MinConfidence
		if math.IsNaN(c) || c < 0 || c > 1 {
			return 0, 0, 0, models.FieldError("min_confidence", "min_confidence is between 0 and 1")
		}
		return 1, n, c, nil
	}
	switch {
	case sc.From < 1:
		return 0, 0, 0, models.FieldError("from", "from is a sentence number, 1 or more")
	case sc.To < sc.From:
		return 0, 0, 0, models.FieldError("to", "to is a sentence number, not before from (%d)", sc.From)
	case sc.From > n:
		return 0, 0, 0, models.FieldError("from", "the article has %d sentences; from must be one of them", n)
	}
	return sc.From, min(sc.To, n), 0, nil
}

// AcceptSuggestions accepts the machine reviewer's suggestion for every
// sentence in scope that has one and is still unreviewed — it never
// overwrites a person's label or exclusion. Each acceptance is an
// ordinary change of its own, made as PATCH /api/v1/sentences/{id} with
// accept_suggestion makes it (so undo steps back through them one by
// one).
func (s *Service) AcceptSuggestions(ctx context.Context, actor models.Actor, articleID int64, scope AcceptScope) (*AcceptResult, error) {
	if err := s.editableBy(ctx, actor, articleID); err != nil {
		return nil, err
	}
	cands, err := s.store.SuggestionCandidates(ctx, articleID)
	if err != nil {
		return nil, err
	}
	from, to, least, err := scope.check(len(cands))
	if err != nil {
		return nil, err
	}
	out := &AcceptResult{Accepted: []*models.Sentence{}}
	if scope.From != 0 {
		out.From, out.To = from, to
	} else {
		out.MinConfidence = least
	}
	change := s.sentenceChange(SentenceUpdate{AcceptSuggestion: true})
	for _, c := range cands[from-1 : to] {
		if scope.From == 0 && (c.Suggestion == nil || c.Confidence < least) {
			continue // not in scope
		}
		if c.Suggestion == nil || !c.Open() {
			out.Skipped++
			continue
		}
		st, err := s.store.EditSentence(ctx, actor, c.SentenceID, c.Version, "sentence.update", func(e *models.SentenceEdit) (models.SentenceState, error) {
			if e.Sentence.Status != "unreviewed" || e.Sentence.Label != nil {
				return models.SentenceState{}, errNotOpen
			}
			return change(e)
		})
		if err != nil {
			if e, ok := models.AsError(err); errors.Is(err, errNotOpen) || ok && e.Code == models.ECONFLICT && e.Field == "version" {
				out.Skipped++
				continue
			}
			return nil, err
		}
		s.publishSentence(ctx, actor, st)
		out.Accepted = append(out.Accepted, st)
	}
	return out, nil
}
