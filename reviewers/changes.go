package reviewers

import (
	"context"
	"fmt"
	"time"

	"factdesk/models"
)

// RoundChanges is what changed in an article during one review round:
// from the decision that ended the previous round (or the import, for the
// first round) to the decision that ended this one (or now). Each
// sentence changed comes with its state, attribution, citations and
// threads resolved; CommentsResolved lists the article's own threads
// resolved. Editors read it to see what the checkers did about their
// requests.
type RoundChanges struct {
	ArticleID int64 `json:"article_id"`
	Round     int   `json:"round"`
	// Previous describes the round before, nil for the first round.
	Previous         *PreviousRound           `json:"previous"`
	Decided          bool                     `json:"decided"` // whether this round is decided (the list is closed)
	Sentences        []models.SentenceChange  `json:"sentences"`
	CommentsResolved []models.ResolvedComment `json:"comments_resolved"`
}

// PreviousRound is the decision that ended the round before.
type PreviousRound struct {
	Number    int        `json:"number"`
	Decision  string     `json:"decision"` // approved or changes_requested
	DecidedAt *time.Time `json:"decided_at"`
	Comment   string     `json:"comment"`
}

// RoundChanges returns what changed during review round number round of
// an article (see the type); round 0 means the latest round.
func (s *Service) RoundChanges(ctx context.Context, actor models.Actor, articleID int64, round int) (*RoundChanges, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if round < 0 {
		return nil, models.FieldError("round", "a round number is 1 or more")
	}
	if _, err := s.store.Article(ctx, articleID); err != nil {
		return nil, err
	}
	// The changes are the first reading itself: labels and notes before
	// and after, attributions, citations, the editor's requests.
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	rounds, err := s.store.Rounds(ctx, articleID)
	if err != nil {
		return nil, err
	}
	out := &RoundChanges{ArticleID: articleID, Round: round, Sentences: []models.SentenceChange{}, CommentsResolved: []models.ResolvedComment{}}
	if len(rounds) == 0 {
		if round > 1 {
			return nil, models.Errorf(models.ENOTFOUND, "article %d has no review round %d", articleID, round)
		}
		out.Round = 1 // nothing happened yet: round 1 is about to start
		return out, nil
	}
	if round == 0 {
		round = rounds[len(rounds)-1].Number
	}
	if round > rounds[len(rounds)-1].Number {
		return nil, models.Errorf(models.ENOTFOUND, "article %d has no review round %d", articleID, round)
	}
	out.Round = round
	var from int64
	if round > 1 {
		seq, ok, err := s.store.RoundDecisionSeq(ctx, articleID, round-1)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("round %d of article %d has no recorded decision", round-1, articleID)
		}
		from = seq
		for _, r := range rounds {
			if r.Number == round-1 && r.Decision != nil {
				out.Previous = &PreviousRound{Number: r.Number, Decision: *r.Decision, DecidedAt: r.DecidedAt, Comment: r.Comment}
			}
		}
	}
	until, decided, err := s.store.RoundDecisionSeq(ctx, articleID, round)
	if err != nil {
		return nil, err
	}
	out.Decided = decided
	ch, err := s.store.ChangesBetween(ctx, articleID, from, until)
	if err != nil {
		return nil, err
	}
	out.Sentences, out.CommentsResolved = ch.Sentences, ch.CommentsResolved
	return out, nil
}
