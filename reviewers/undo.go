package reviewers

import (
	"context"
	"errors"
	"fmt"

	"factdesk/models"
)

// UndoResult is what an undo or a redo did.
type UndoResult struct {
	// Sentence is the sentence as the undo or redo left it.
	Sentence *models.Sentence
	// Step is the change reversed: Step.From is the sentence as it was
	// before the undo or redo, Step.To as it is now.
	Step models.UndoStep
	// CanUndo and CanRedo say whether another undo or redo has a change
	// to reverse (not whether it will be allowed).
	CanUndo, CanRedo bool
}

// UndoPreview is what the actor's next undo and redo would reverse, nil
// when there is nothing.
type UndoPreview struct {
	Undo, Redo *models.UndoStep
}

// errChangedMeanwhile tells reverse that the sentence is no longer as the
// change to reverse left it.
var errChangedMeanwhile = errors.New("the sentence changed after the change to reverse")

// Undo reverts the actor's most recent change to a sentence of the
// article that is not undone yet: pressed again, it steps further back
// through their changes, in order (see models.UndoStacks). It refuses
// with ECONFLICT, naming the person, when someone else changed that
// sentence since, and with EINVALID when there is nothing to undo. The
// undo is itself a change on the record (sentence.undo, naming the event
// it undoes).
func (s *Service) Undo(ctx context.Context, actor models.Actor, articleID int64) (*UndoResult, error) {
	return s.reverse(ctx, actor, articleID, false)
}

// Redo reapplies the change the actor's most recent undo reverted, as
// long as no ordinary change of theirs came after it (a new change clears
// what could be redone). It refuses as Undo does; the redo is recorded as
// sentence.redo, naming the undo it reverses.
func (s *Service) Redo(ctx context.Context, actor models.Actor, articleID int64) (*UndoResult, error) {
	return s.reverse(ctx, actor, articleID, true)
}

// NextUndo says what the actor's undo and redo would reverse in the
// article, so that a page can show it beside the keys.
func (s *Service) NextUndo(ctx context.Context, actor models.Actor, articleID int64) (*UndoPreview, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	if _, err := s.store.Article(ctx, articleID); err != nil {
		return nil, err
	}
	// What an undo would do names labels: not for a blind second opinion.
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	stacks, err := s.store.UndoStacks(ctx, articleID, actor.ID)
	if err != nil {
		return nil, err
	}
	out := &UndoPreview{}
	if st, ok := stacks.NextUndo(); ok {
		out.Undo = &st
	}
	if st, ok := stacks.NextRedo(); ok {
		out.Redo = &st
	}
	return out, nil
}

func (s *Service) reverse(ctx context.Context, actor models.Actor, articleID int64, redo bool) (*UndoResult, error) {
	if err := s.editableBy(ctx, actor, articleID); err != nil {
		return nil, err
	}
	stacks, err := s.store.UndoStacks(ctx, articleID, actor.ID)
	if err != nil {
		return nil, err
	}
	step, ok := stacks.NextUndo()
	action := models.ActionUndo
	if redo {
		step, ok = stacks.NextRedo()
		action = models.ActionRedo
	}
	if !ok {
		if redo {
			return nil, models.Errorf(models.EINVALID, "you have no undone change to redo in this article (a new change clears what could be redone)")
		}
		return nil, models.Errorf(models.EINVALID, "you have no change to this article's sentences left to undo")
	}
	cur, err := s.store.Sentence(ctx, step.SentenceID)
	if err != nil {
		return nil, err
	}
	if !cur.State().SameContent(step.From) {
		return nil, s.changedMeanwhile(ctx, actor, step, redo)
	}
	st, err := s.store.EditSentence(ctx, actor, step.SentenceID, cur.Version, action, func(e *models.SentenceEdit) (models.SentenceState, error) {
		if err := editable(e.Article); err != nil {
			return models.SentenceState{}, err
		}
		if !e.Sentence.State().SameContent(step.From) {
			return models.SentenceState{}, errChangedMeanwhile
		}
		if redo {
			e.Redoes = step.Seq
		} else {
			e.Undoes = step.Seq
		}
		next := step.To
		return next, checkEvidence(e, next)
	})
	if err != nil {
		if e, ok := models.AsError(err); errors.Is(err, errChangedMeanwhile) || ok && e.Code == models.ECONFLICT && e.Field == "version" {
			return nil, s.changedMeanwhile(ctx, actor, step, redo)
		}
		return nil, err
	}
	s.publishSentence(ctx, actor, st)
	out := &UndoResult{Sentence: st, Step: step, CanUndo: true, CanRedo: true}
	if redo {
		out.CanRedo = len(stacks.Redo) > 1
	} else {
		out.CanUndo = len(stacks.Undo) > 1
	}
	return out, nil
}

// changedMeanwhile is the ECONFLICT error of an undo or redo whose
// sentence is no longer as the change to reverse left it: it names who
// changed it since, and carries the sentence as it is now.
func (s *Service) changedMeanwhile(ctx context.Context, actor models.Actor, step models.UndoStep, redo bool) error {
	cur, err := s.store.Sentence(ctx, step.SentenceID)
	if err != nil {
		return err
	}
	ev, found, err := s.store.LaterChange(ctx, step.SentenceID, step.Seq, actor.ID)
	if err != nil {
		return err
	}
	yours, verb := "change", "undoing"
	if redo {
		yours, verb = "undo", "redoing"
	}
	msg := fmt.Sprintf("sentence %d has changed since your %s; %s it would overwrite that change", step.Number(), yours, verb)
	if found {
		msg = fmt.Sprintf("%s changed sentence %d after your %s; %s it would overwrite their work", models.ActorName(ev.Actor), step.Number(), yours, verb)
	}
	return &models.Error{Code: models.ECONFLICT, Field: "version", Data: cur, Message: msg}
}
