package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"factdesk/migrations"
)

// RoundStep says what a workflow transition does to the review round.
type RoundStep int

// The ways a transition touches the current round.
const (
	RoundNone   RoundStep = iota // leave it
	RoundOpen                    // open a new round if none is open
	RoundSubmit                  // record the submission
	RoundDecide                  // record the decision
	RoundReopen                  // close nothing; open the next round
)

// Transition is one step of the article workflow, described by the
// business layer and carried out by the store in one transaction.
type Transition struct {
	Action   string          // audit action: "article.submit" …
	From     []ArticleStatus // states the step starts from
	To       ArticleStatus
	Round    RoundStep
	Decision string // for RoundDecide: "approved" or "changes_requested"
	Comment  string // recorded on the round and as a comment
	// SentenceComments are change requests pinned to sentences (id → text).
	SentenceComments map[int64]string
	// Guard, when set, checks the locked state and refuses with an error.
	Guard func(w *WorkflowState) error
}

// WorkflowState is what a transition's guard sees.
type WorkflowState struct {
	Article *Article
	Round   *ReviewRound // the latest round, nil when there is none
	tx      *gorm.DB
}

// Tx returns the guard's transaction, for checks that other packages add.
func (w *WorkflowState) Tx() *gorm.DB { return w.tx }

// Advance applies a workflow transition to an article: it locks the
// article, checks the state and the guard, moves the status, records the
// round and the comments, and writes the audit event — all or nothing.
func (s *Store) Advance(ctx context.Context, actor Actor, articleID int64, t Transition) (*Article, error) {
	var art Article
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx
		if s.db.dialect == migrations.Postgres {
			q = tx.Clauses(lockForUpdate())
		}
		if err := q.First(&art, articleID).Error; err != nil {
			return notFound(err, "article %d", articleID)
		}
		allowed := false
		for _, f := range t.From {
			allowed = allowed || art.Status == f
		}
		if !allowed {
			return &Error{Code: ECONFLICT, Data: map[string]any{"status": art.Status},
				Message: fmt.Sprintf("the article is %s; it cannot be %s from there", humanStatus(art.Status), t.Action)}
		}
		var round *ReviewRound
		var last ReviewRound
		res := tx.Where("article_id = ?", articleID).Order("number DESC").Limit(1).Find(&last)
		if res.Error != nil {
			return fmt.Errorf("load review round: %w", res.Error)
		}
		if res.RowsAffected > 0 {
			round = &last
		}
		if t.Guard != nil {
			if err := t.Guard(&WorkflowState{Article: &art, Round: round, tx: tx}); err != nil {
				return err
			}
		}
		now := tx.NowFunc()
		var err error
		previous := round
		round, err = stepRound(tx, articleID, round, t, actor, now)
		if err != nil {
			return err
		}
		before := art.Status
		if t.Comment != "" || len(t.SentenceComments) > 0 {
			if err := s.decisionComments(tx, actor, &art, round, t); err != nil {
				return err
			}
		}
		ev := Event{ArticleID: art.ID, Actor: actor, Action: t.Action, Entity: "article", EntityID: art.ID,
			Before: map[string]any{"status": before},
			After:  map[string]any{"status": t.To, "round": round.Number, "comment": t.Comment}}
		if err := s.writeArticleEvent(tx, &art, ev, t.To); err != nil {
			return err
		}
		return s.tellTransition(tx, actor, &art, t, previous)
	})
	if err != nil {
		return nil, err
	}
	return &art, nil
}

// stepRound records what the transition does to the review round.
func stepRound(tx *gorm.DB, articleID int64, round *ReviewRound, t Transition, actor Actor, now time.Time) (*ReviewRound, error) {
	open := func(number int) (*ReviewRound, error) {
		r := &ReviewRound{ArticleID: articleID, Number: number, OpenedAt: now, OpenedBy: actorID(actor)}
		if err := tx.Create(r).Error; err != nil {
			return nil, fmt.Errorf("open review round: %w", err)
		}
		return r, nil
	}
	next := 1
	if round != nil {
		next = round.Number + 1
	}
	switch t.Round {
	case RoundOpen, RoundSubmit:
		if round == nil || round.DecidedAt != nil {
			r, err := open(next)
			if err != nil {
				return nil, err
			}
			round = r
		}
		if t.Round == RoundSubmit {
			round.SubmittedAt, round.SubmittedBy = &now, actorID(actor)
			if err := tx.Model(round).Select("submitted_at", "submitted_by").Updates(round).Error; err != nil {
				return nil, fmt.Errorf("record submission: %w", err)
			}
		}
	case RoundDecide:
		if round == nil || round.SubmittedAt == nil || round.DecidedAt != nil {
			return nil, &Error{Code: ECONFLICT, Message: "there is no submitted review round to decide"}
		}
		d := t.Decision
		round.DecidedAt, round.DecidedBy, round.Decision, round.Comment = &now, actorID(actor), &d, t.Comment
		if err := tx.Model(round).Select("decided_at", "decided_by", "decision", "comment").Updates(round).Error; err != nil {
			return nil, fmt.Errorf("record decision: %w", err)
		}
		if d == "changes_requested" {
			// The checker's next round starts now, so that its work is
			// told apart from the round that was sent back.
			return open(round.Number + 1)
		}
	case RoundReopen:
		return open(next)
	}
	if round == nil {
		return open(next)
	}
	return round, nil
}

// decisionComments records the transition's comment on the article and its
// per-sentence change requests, each with its audit event.
func (s *Store) decisionComments(tx *gorm.DB, actor Actor, art *Article, round *ReviewRound, t Transition) error {
	kind := CommentDecision
	if t.Decision == "changes_requested" {
		kind = CommentChangeRequest
	}
	if t.Comment != "" {
		c := &Comment{ArticleID: art.ID, RoundID: &round.ID, AuthorID: actor.ID, Kind: kind, Body: t.Comment, CreatedAt: tx.NowFunc()}
		if err := s.insertComment(tx, actor, c); err != nil {
			return err
		}
	}
	ids := make([]int64, 0, len(t.SentenceComments))
	for sid := range t.SentenceComments {
		ids = append(ids, sid)
	}
	slices.Sort(ids)
	for _, sid := range ids {
		body := t.SentenceComments[sid]
		if err := sentenceInArticle(tx, sid, art.ID); err != nil {
			return err
		}
		id := sid
		c := &Comment{ArticleID: art.ID, SentenceID: &id, RoundID: &round.ID, AuthorID: actor.ID, Kind: CommentChangeRequest, Body: body, CreatedAt: tx.NowFunc()}
		if err := s.insertComment(tx, actor, c); err != nil {
			return err
		}
	}
	// insertComment advanced the chain; reload the head the final event
	// links to.
	return tx.Select("audit_seq", "audit_head").First(art, art.ID).Error
}

func humanStatus(s ArticleStatus) string {
	switch s {
	case ArticleInReview:
		return "in review"
	case ArticleChangesRequested:
		return "sent back for changes"
	}
	return string(s)
}

// transitionEvents names the webhook event and the notification of each
// workflow step that has them.
var transitionEvents = map[string]struct{ webhook, notice, verb string }{
	"article.submit":          {"article.submitted", "", ""},
	"article.request_changes": {"article.changes_requested", EventChangesRequested, "sent “%s” back for changes"},
	"article.approve":         {"article.approved", EventApproved, "approved “%s”"},
	"article.reopen":          {"article.reopened", EventReopened, "reopened “%s”"},
}

// tellTransition tells the article's assignees and the checker who
// submitted the round (previous) of a decision, and the webhooks of the
// step, inside the step's transaction.
func (s *Store) tellTransition(tx *gorm.DB, actor Actor, art *Article, t Transition, previous *ReviewRound) error {
	te, ok := transitionEvents[t.Action]
	if !ok {
		return nil
	}
	data := map[string]any{"article": articleData(art), "by": actor.Name, "comment": t.Comment}
	if previous != nil {
		data["round"] = previous.Number
	}
	if err := enqueueWebhooks(tx, te.webhook, data); err != nil {
		return err
	}
	if te.notice == "" {
		return nil
	}
	var recipients []int64
	if err := tx.Model(&Assignment{}).Where("article_id = ?", art.ID).Order("user_id").Pluck("user_id", &recipients).Error; err != nil {
		return fmt.Errorf("load assignees: %w", err)
	}
	if previous != nil && previous.SubmittedBy != nil {
		recipients = append(recipients, *previous.SubmittedBy)
	}
	summary := actor.Name + " " + fmt.Sprintf(te.verb, art.Title)
	if t.Comment != "" {
		summary += ": " + clip(t.Comment, 200)
	}
	return s.notify(tx, notice{Event: te.notice, ArticleID: art.ID, Actor: actor, Summary: summary, Recipients: recipients})
}
