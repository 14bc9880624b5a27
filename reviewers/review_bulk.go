package reviewers

import (
	"context"
	"fmt"

	"factdesk/models"
)

// SentenceChange is one sentence's change in UpdateSentences.
type SentenceChange struct {
	ID int64
	SentenceUpdate
}

// BulkResult is what UpdateSentences did: every change's outcome, in the
// order of the request.
type BulkResult struct {
	Atomic  bool         `json:"atomic"`
	Written int          `json:"written"`
	Refused int          `json:"refused"`
	Results []BulkChange `json:"results"`
}

// BulkChange is one change's outcome: the sentence as it is now, or why
// the change was refused.
type BulkChange struct {
	ID       int64            `json:"id"`
	Sentence *models.Sentence `json:"sentence,omitempty"`
	Error    *ChangeError     `json:"error,omitempty"`
}

// ChangeError is a refused change's reason, as the API says errors;
// Current is the sentence as it is, when the version was stale.
type ChangeError struct {
	Code    string           `json:"code"`
	Message string           `json:"message"`
	Field   string           `json:"field,omitempty"`
	Current *models.Sentence `json:"current,omitempty"`
}

// UpdateSentences changes many sentences of one article in one request,
// for integrations that import labels from another tool: each change is
// checked and recorded as UpdateSentence does it, one audit event per
// sentence, in one transaction. atomic: a refused change writes nothing
// and the error names it; otherwise each change stands on its own.
func (s *Service) UpdateSentences(ctx context.Context, actor models.Actor, articleID int64, changes []SentenceChange, atomic bool) (*BulkResult, error) {
	if len(changes) == 0 {
		return nil, models.FieldError("sentences", "give at least one change")
	}
	if len(changes) > models.MaxBulkEdits {
		return nil, models.FieldError("sentences", "at most %d changes in one request; send the rest in another", models.MaxBulkEdits)
	}
	seen := make(map[int64]int, len(changes))
	for i, c := range changes {
		if c.ID <= 0 {
			return nil, models.FieldError("sentences", "change %d has no sentence id", i+1)
		}
		if j, dup := seen[c.ID]; dup {
			return nil, models.FieldError("sentences", "changes %d and %d are both of sentence %d; send one change a sentence", j+1, i+1, c.ID)
		}
		seen[c.ID] = i
	}
	if err := s.editableBy(ctx, actor, articleID); err != nil {
		return nil, err
	}
	edits := make([]models.BulkEdit, len(changes))
	for i, c := range changes {
		edits[i] = models.BulkEdit{ID: c.ID, Version: c.Version, Change: s.sentenceChange(c.SentenceUpdate)}
	}
	outs, err := s.store.EditSentences(ctx, actor, articleID, "sentence.update", edits, atomic)
	if err != nil && atomic && outs != nil {
		return nil, refusedChange(changes, outs)
	}
	if err != nil {
		return nil, err
	}
	res := &BulkResult{Atomic: atomic, Results: make([]BulkChange, len(outs))}
	for i, o := range outs {
		r := BulkChange{ID: changes[i].ID, Sentence: o.Sentence}
		if o.Err != nil {
			r.Error = changeError(o.Err)
			res.Refused++
		} else {
			res.Written++
			s.publishSentence(ctx, actor, o.Sentence)
		}
		res.Results[i] = r
	}
	return res, nil
}

// refusedChange is the error of an all-or-nothing request one of whose
// changes was refused: that change's error, naming it.
func refusedChange(changes []SentenceChange, outs []models.BulkOutcome) error {
	for i, o := range outs {
		if o.Err == nil || o.Err == models.ErrNotWritten {
			continue
		}
		e, ok := models.AsError(o.Err)
		if !ok {
			return o.Err
		}
		return &models.Error{Code: e.Code, Field: e.Field,
			Message: fmt.Sprintf("change %d (sentence %d): %s; nothing was written", i+1, changes[i].ID, e.Message),
			Data:    map[string]any{"index": i, "id": changes[i].ID, "error": changeError(o.Err)}}
	}
	return models.ErrNotWritten
}

func changeError(err error) *ChangeError {
	ce := &ChangeError{Code: models.ErrorCode(err), Message: models.ErrorMessage(err)}
	if e, ok := models.AsError(err); ok {
		ce.Field = e.Field
		ce.Current, _ = e.Data.(*models.Sentence)
	}
	return ce
}
