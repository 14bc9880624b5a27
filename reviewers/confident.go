package reviewers

import (
	"context"

	"factdesk/models"
	"factdesk/reviewers/machine"
)

// ConfidentSuggestions counts the open sentences of an article whose
// machine suggestion is confident (machine.Confident): what "accept the
// confident suggestions" would label.
func (s *Service) ConfidentSuggestions(ctx context.Context, actor models.Actor, articleID int64) (int, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return 0, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return 0, err
	}
	cs, err := s.store.SuggestionCandidates(ctx, articleID)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range cs {
		if cs[i].Open() && cs[i].Suggestion != nil && cs[i].Confidence >= machine.Confident {
			n++
		}
	}
	return n, nil
}
