package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// Group commit of labels on SQLite. SQLite has one writer, and a label
// spends most of its turn beginning and committing its transaction and
// handing the turn on; the labels waiting for the writer at the same
// moment are written in one transaction instead, each inside a savepoint
// of its own, so that one refused (a stale version, a broken rule) is
// rolled back alone and answered as it would have been by itself. Every
// edit reads its rows inside that transaction, after the ones before it
// in the batch: the outcome is that of the edits run one after another.
// An edit is answered only after the transaction has committed.

// queuedEdit is one edit waiting for SQLite's writer, and out its result.
type queuedEdit struct {
	actor   Actor
	id      int64
	version int
	action  string
	change  func(e *SentenceEdit) (SentenceState, error)
	out     *Sentence
}

// editSentenceSQLite is EditSentence on SQLite.
func (s *Store) editSentenceSQLite(ctx context.Context, e *queuedEdit) (*Sentence, error) {
	if err := s.db.sqliteEdits.do(ctx, e, s.editBatchSQLite); err != nil {
		return nil, err
	}
	return e.out, nil
}

// editBatchSQLite runs a batch of edits in one transaction and answers
// each: its own refusal, or the transaction's outcome.
func (s *Store) editBatchSQLite(batch []*pending[*queuedEdit]) {
	ctx, cancel := batchContext(batch)
	defer cancel()
	errs := make([]error, len(batch))
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if len(batch) == 1 {
			e := batch[0].job
			e.out, errs[0] = s.editInTx(tx, e.actor, e.id, e.version, e.action, e.change)
			return errs[0]
		}
		for i, p := range batch {
			e := p.job
			sp := "edit" + strconv.Itoa(i)
			if err := tx.SavePoint(sp).Error; err != nil {
				return err
			}
			e.out, errs[i] = s.editInTx(tx, e.actor, e.id, e.version, e.action, e.change)
			if errs[i] != nil {
				if err := tx.RollbackTo(sp).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	for i, p := range batch {
		if errs[i] != nil {
			p.finish(errs[i])
		} else {
			p.finish(err)
		}
	}
}
