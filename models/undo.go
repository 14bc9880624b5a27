package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// Actions of the sentence events that reverse a person's own changes.
const (
	ActionUndo = "sentence.undo"
	ActionRedo = "sentence.redo"
)

// UndoWindow is how many of a person's most recent sentence events in an
// article UndoStacks reads. Undo reaches back through every change in it
// that is not undone yet: at least UndoWindow/2 changes deep, since each
// undo is an event of the window too.
const UndoWindow = 400

// UndoStep is a change that an undo or a redo would reverse: the event
// that made it and the state it left, which the sentence must still have,
// and the state reversing it restores.
type UndoStep struct {
	Seq        int64 // the event reversed, in the article's chain
	SentenceID int64
	Index      int // the sentence's 0-based index
	// From is the sentence as the event left it, To as reversing the event
	// leaves it; their versions are those the event recorded.
	From, To SentenceState
}

// Number is the step's sentence's 1-based number.
func (st UndoStep) Number() int { return st.Index + 1 }

// UndoStacks are what a person's undo and redo would reverse in an
// article, the next one last.
type UndoStacks struct {
	Undo []UndoStep
	Redo []UndoStep
}

// NextUndo returns the change undo reverses next, false when none.
func (u *UndoStacks) NextUndo() (UndoStep, bool) { return top(u.Undo) }

// NextRedo returns the undo redo reverses next, false when none.
func (u *UndoStacks) NextRedo() (UndoStep, bool) { return top(u.Redo) }

func top(s []UndoStep) (UndoStep, bool) {
	if len(s) == 0 {
		return UndoStep{}, false
	}
	return s[len(s)-1], true
}

// undoEvent is what UndoStacks reads of one event.
type undoEvent struct {
	Seq      int64
	Action   string
	EntityID int64
	Before   string
	After    string
	Idx      int
}

// UndoStacks derives a person's undo and redo stacks in an article from
// the audit trail, so that they survive reloads and work across servers:
// it replays the person's most recent UndoWindow sentence events on the
// current revision, oldest first. An ordinary change is pushed on the
// undo stack and clears the redo stack; an undo (an event naming the one
// it undoes) moves its change from the undo stack to the redo stack; a
// redo (an event naming the undo it reverses) moves it back. Undo events
// recorded before undo named its change count as ordinary changes.
// Sentences carried over to a new revision are not the person's changes.
func (s *Store) UndoStacks(ctx context.Context, articleID, actorID int64) (*UndoStacks, error) {
	var evs []undoEvent
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT e.seq, e.action, e.entity_id, e.before, e.after, s.idx
		FROM audit_events e
		JOIN sentences s ON s.id = e.entity_id
		JOIN articles a ON a.id = e.article_id
		WHERE e.article_id = ? AND e.actor_id = ? AND e.entity = 'sentence' AND e.action <> ?
		AND s.revision_id = a.current_revision_id
		ORDER BY e.seq DESC LIMIT ?`, articleID, actorID, ActionCarry, UndoWindow).Scan(&evs).Error
	if err != nil {
		return nil, fmt.Errorf("load the changes to undo in article %d: %w", articleID, err)
	}
	u := &UndoStacks{}
	for i := len(evs) - 1; i >= 0; i-- {
		e := &evs[i]
		var before, after sentenceEvent
		if err := json.Unmarshal([]byte(e.Before), &before); err != nil {
			return nil, fmt.Errorf("decode event %d of article %d: %w", e.Seq, articleID, err)
		}
		if err := json.Unmarshal([]byte(e.After), &after); err != nil {
			return nil, fmt.Errorf("decode event %d of article %d: %w", e.Seq, articleID, err)
		}
		step := UndoStep{Seq: e.Seq, SentenceID: e.EntityID, Index: e.Idx, From: after.SentenceState, To: before.SentenceState}
		if step.From.SameContent(step.To) {
			// Nothing to reverse (no edit writes such an event).
			continue
		}
		switch {
		case e.Action == ActionUndo && after.Undoes != 0:
			u.Undo = removeStep(u.Undo, after.Undoes)
			u.Redo = append(u.Redo, step)
		case e.Action == ActionRedo && after.Redoes != 0:
			u.Redo = removeStep(u.Redo, after.Redoes)
			u.Undo = append(u.Undo, step)
		default:
			u.Undo = append(u.Undo, step)
			u.Redo = u.Redo[:0]
		}
	}
	return u, nil
}

// removeStep takes the step of event seq out of a stack: its top, unless
// the stack was cut short by the window.
func removeStep(stack []UndoStep, seq int64) []UndoStep {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].Seq == seq {
			return slices.Delete(stack, i, i+1)
		}
	}
	return stack
}

// LaterChange returns the most recent event on a sentence after event seq
// of its article by someone other than the actor, false when there is
// none: who stands in the way of undoing a change.
func (s *Store) LaterChange(ctx context.Context, sentenceID, seq, actorID int64) (*AuditEvent, bool, error) {
	var evs []AuditEvent
	err := s.db.gorm.WithContext(ctx).Where("entity = ? AND entity_id = ? AND seq > ? AND (actor_id IS NULL OR actor_id <> ?)",
		"sentence", sentenceID, seq, actorID).Order("seq DESC").Limit(1).Find(&evs).Error
	if err != nil {
		return nil, false, fmt.Errorf("load later changes of sentence %d: %w", sentenceID, err)
	}
	if len(evs) == 0 {
		return nil, false, nil
	}
	evs[0].fillRaw()
	return &evs[0], true, nil
}
