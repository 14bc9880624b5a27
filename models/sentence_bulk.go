package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// BulkEdit is one sentence's change in EditSentences.
type BulkEdit struct {
	ID      int64
	Version int
	Change  func(e *SentenceEdit) (SentenceState, error)
}

// BulkOutcome is what became of one BulkEdit: the sentence as it is now,
// or the edit's refusal.
type BulkOutcome struct {
	Sentence *Sentence
	Err      error
}

// MaxBulkEdits bounds the changes of one EditSentences call.
const MaxBulkEdits = 10_000

// EditSentences changes sentences of one article in one transaction, each
// as EditSentence would, each with its own event in the article's chain.
// An edit of a sentence not of the article is refused as not found.
//
// atomic: a refusal writes nothing; the edit refused is answered with its
// error, the others with ErrNotWritten, and the error returned is
// ErrNotWritten. Otherwise each edit stands on its own: the refused are
// answered with their errors and the others written. A failure of the
// database writes nothing and is the error returned.
func (s *Store) EditSentences(ctx context.Context, actor Actor, articleID int64, action string, edits []BulkEdit, atomic bool) ([]BulkOutcome, error) {
	if len(edits) > MaxBulkEdits {
		return nil, FieldError("sentences", "at most %d changes in one request", MaxBulkEdits)
	}
	qs := make([]*queuedEdit, len(edits))
	for i, e := range edits {
		qs[i] = &queuedEdit{actor: actor, id: e.ID, version: e.Version, action: action, change: e.Change}
	}
	var errs []error
	var err error
	if s.db.pgEdits != nil {
		errs, err = s.writeEdits(ctx, qs, editOptions{atomic: atomic, articleID: articleID})
	}
	if s.db.pgEdits == nil || errors.Is(err, errNotPgx) {
		errs, err = s.editSentencesInTx(ctx, qs, articleID, atomic)
	}
	if err != nil && !errors.Is(err, ErrNotWritten) {
		return nil, err
	}
	out := make([]BulkOutcome, len(qs))
	for i, q := range qs {
		switch {
		case errs[i] != nil:
			out[i].Err = errs[i]
		case err != nil:
			out[i].Err = err
		default:
			out[i].Sentence = q.out
		}
	}
	return out, err
}

// editSentencesInTx is EditSentences on SQLite: the article's sentences
// read in one statement, the edits computed in order as on PostgreSQL,
// and written with two statements each and one for the head, in the
// writer's transaction. An edit is refused before it writes anything
// (the version, the article, the change's rules are checked first), so a
// refusal leaves the others whole without a savepoint; any other error
// is the database's and undoes the whole request.
func (s *Store) editSentencesInTx(ctx context.Context, qs []*queuedEdit, articleID int64, atomic bool) ([]error, error) {
	errs := make([]error, len(qs))
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		rows := &lockedRows{sentences: map[int64]*Sentence{}, heads: map[int64]*articleHead{}}
		err := scanRows(tx, fmt.Sprintf("sentences of article %d", articleID), func(r *sql.Rows) error {
			var ls lockedSentence
			if err := scanSentenceHead(r, &ls); err != nil {
				return err
			}
			rows.sentences[ls.ID] = &ls.Sentence
			rows.heads[ls.ArticleID] = &articleHead{status: ls.ArticleStatus, currentRevisionID: ls.CurrentRevisionID,
				seq: ls.AuditSeq, head: ls.AuditHead}
			return nil
		}, `SELECT `+sentenceColumns+` WHERE s.article_id = ?`, articleID)
		if err != nil {
			return err
		}
		writes, err := s.prepareEdits(tx, func(err error) bool { return !isRefusal(err) }, rows, qs, errs, editOptions{atomic: atomic, articleID: articleID})
		if err != nil {
			return err
		}
		return writeEditsSQLite(tx, writes)
	})
	return errs, err
}

// writeEditsSQLite writes edits computed in order on one article's rows.
func writeEditsSQLite(tx *gorm.DB, writes []*sentenceWrite) error {
	if len(writes) == 0 {
		return nil
	}
	// Prepared once for the request: SQLite parses a statement anew at
	// every Exec otherwise, which was half the time of 5,000 edits.
	sqlTx, ctx := tx.Statement.ConnPool, tx.Statement.Context
	updateSentence, err := sqlTx.PrepareContext(ctx, `UPDATE sentences SET label = ?, label_by = ?, label_at = ?, label_suggested = ?,
		status = ?, exclude_reason = ?, verdict = ?, note = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`)
	if err != nil {
		return fmt.Errorf("prepare the sentence update: %w", err)
	}
	defer updateSentence.Close()
	insertEvent, err := sqlTx.PrepareContext(ctx, `INSERT INTO audit_events (article_id, seq, at, actor_id, actor, action, entity,
		entity_id, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare the event insert: %w", err)
	}
	defer insertEvent.Close()
	for _, w := range writes {
		st, e := w.s, w.e
		var label *string
		if st.Label != nil {
			l := string(*st.Label)
			label = &l
		}
		res, err := updateSentence.ExecContext(ctx, label, st.LabelBy, st.LabelAt, st.LabelSuggested, string(st.Status),
			st.ExcludeReason, st.Verdict, st.Note, st.Version, st.UpdatedAt, st.ID, w.from)
		if err != nil {
			return fmt.Errorf("update sentence %d: %w", st.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("update sentence %d: it changed under the writer's lock (%v)", st.ID, err)
		}
		_, err = insertEvent.ExecContext(ctx, w.art.ID, e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.Entity, e.EntityID,
			e.Before, e.After, e.PrevHash, e.Hash)
		if err != nil {
			return fmt.Errorf("write audit event %s: %w", e.Action, err)
		}
	}
	last := writes[len(writes)-1]
	first := writes[0]
	res := tx.Exec(`UPDATE articles SET audit_seq = ?, audit_head = ?, status = ?, updated_at = ? WHERE id = ? AND audit_seq = ?`,
		last.e.Seq, last.e.Hash, string(last.status), last.e.At, last.art.ID, first.e.Seq-1)
	if res.Error != nil {
		return fmt.Errorf("move audit head of article %d: %w", last.art.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("audit head of article %d moved under the writer's lock", last.art.ID)
	}
	return nil
}
