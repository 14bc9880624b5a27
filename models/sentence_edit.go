package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"factdesk/codebook"
	"factdesk/migrations"
)

// SentenceState is the part of a sentence that reviewing changes. Every
// sentence event records the state before and after in full, so that
// replaying an article's events rebuilds every sentence (see VerifyArticle).
type SentenceState struct {
	Label         string `json:"label"`
	Status        string `json:"status"`
	Verdict       string `json:"verdict"`
	Note          string `json:"note"`
	ExcludeReason string `json:"exclude_reason"`
	Suggested     bool   `json:"suggested"`
	Version       int    `json:"version"`
}

// State returns the sentence's reviewable state.
func (s *Sentence) State() SentenceState {
	return SentenceState{Label: s.LabelString(), Status: string(s.Status), Verdict: s.Verdict, Note: s.Note,
		ExcludeReason: s.ExcludeReason, Suggested: s.LabelSuggested, Version: s.Version}
}

// SameContent reports whether two states differ only in their version.
func (a SentenceState) SameContent(b SentenceState) bool {
	a.Version, b.Version = 0, 0
	return a == b
}

// sentenceEvent is what a sentence event records. An undo's after names
// the event it reverses (Undoes), a redo's the undo it reverses (Redoes);
// other events carry neither, so that their encoding, and the hashes of
// the events recorded before these fields existed, stay as they were.
type sentenceEvent struct {
	Index int `json:"index"`
	SentenceState
	Undoes int64 `json:"undoes,omitempty"`
	Redoes int64 `json:"redoes,omitempty"`
}

// SentenceEdit is what a change function sees: the sentence and its
// article as they are, read under the article's lock. A change function
// may be asked again (when the batch holding it is written again edit by
// edit), so it must compute, not act.
type SentenceEdit struct {
	Sentence *Sentence
	Article  *Article
	// Undoes and Redoes, set by the change function of an undo or a redo,
	// name the event (by its sequence number in the article's chain) that
	// the change reverses; the change's event records them.
	Undoes, Redoes int64
	tx             *gorm.DB
}

// lockedSentence is a sentence read together with its article's head.
type lockedSentence struct {
	Sentence
	ArticleStatus     ArticleStatus
	CurrentRevisionID *int64
	AuditSeq          int64
	AuditHead         string
}

// EditSentence changes sentence id, if its version is still version, to
// the state that change returns. The sentence's article is locked for the
// transaction, so that edits, workflow steps and audit appends on one
// article happen one at a time. A stale version is an ECONFLICT error whose
// Data is the current sentence; a state equal to the current one changes
// nothing and writes no event. The first edit of a draft (or of an article
// sent back for changes) puts the article in review.
//
// This is the path every label takes: on PostgreSQL the edits waiting at
// the same moment are written in one transaction of two round trips
// under their articles' locks (sentence_edit_postgres.go); on SQLite the
// edits waiting for the writer share one transaction, each in a savepoint
// of its own (sentence_batch_sqlite.go).
func (s *Store) EditSentence(ctx context.Context, actor Actor, id int64, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, error) {
	e := &queuedEdit{actor: actor, id: id, version: version, action: action, change: change}
	if s.db.pgEdits != nil {
		out, err := s.editSentencePostgres(ctx, e)
		if !errors.Is(err, errNotPgx) {
			return out, err
		}
	}
	if s.db.sqliteEdits != nil {
		return s.editSentenceSQLite(ctx, e)
	}
	var out *Sentence
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = s.editInTx(tx, actor, id, version, action, change)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// editInTx is EditSentence inside tx, which holds the writer's lock
// (SQLite) or takes the article's (lockSentence).
func (s *Store) editInTx(tx *gorm.DB, actor Actor, id int64, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, error) {
	ls, err := s.lockSentence(tx, id)
	if err != nil {
		return nil, err
	}
	out, w, err := s.prepareEdit(tx, ls, actor, version, action, change)
	if err != nil || w == nil {
		return out, err
	}
	label := any(nil)
	if w.s.Label != nil {
		label = string(*w.s.Label)
	}
	updates := map[string]any{
		"label": label, "label_by": w.s.LabelBy, "label_at": w.s.LabelAt, "label_suggested": w.s.LabelSuggested,
		"status": string(w.s.Status), "verdict": w.s.Verdict, "note": w.s.Note, "exclude_reason": w.s.ExcludeReason,
		"version": w.s.Version, "updated_at": w.s.UpdatedAt,
	}
	if err := tx.Model(&Sentence{}).Where("id = ?", id).Updates(updates).Error; err != nil {
		return nil, fmt.Errorf("update sentence %d: %w", id, err)
	}
	if err := s.storeArticleEvent(tx, w.art, w.e, w.status); err != nil {
		return nil, err
	}
	return out, nil
}

// prepareEdit checks an edit of a locked sentence and computes it: the
// sentence as it will be and the write that makes it so, or the sentence
// unchanged and a nil write when the change changes nothing. It opens a
// review round in tx when the edit puts the article in review.
func (s *Store) prepareEdit(tx *gorm.DB, ls *lockedSentence, actor Actor, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, *sentenceWrite, error) {
	cur := &ls.Sentence
	if ls.CurrentRevisionID == nil || *ls.CurrentRevisionID != cur.RevisionID {
		return nil, nil, &Error{Code: ECONFLICT, Message: "this sentence belongs to an earlier revision of the article, which is read-only"}
	}
	if version != cur.Version {
		return nil, nil, &Error{Code: ECONFLICT, Field: "version", Data: cur,
			Message: fmt.Sprintf("someone changed this sentence meanwhile (version %d, you had %d); here is its current state", cur.Version, version)}
	}
	art := &Article{ID: cur.ArticleID, Status: ls.ArticleStatus, CurrentRevisionID: ls.CurrentRevisionID, AuditSeq: ls.AuditSeq, AuditHead: ls.AuditHead}
	edit := &SentenceEdit{Sentence: cur, Article: art, tx: tx}
	next, err := change(edit)
	if err != nil {
		return nil, nil, err
	}
	before := cur.State()
	if next.SameContent(before) {
		return cur, nil, nil
	}
	next.Version = cur.Version + 1
	now := tx.NowFunc()
	ns := *cur
	ns.Status, ns.Verdict, ns.Note, ns.ExcludeReason = codebook.Status(next.Status), next.Verdict, next.Note, next.ExcludeReason
	ns.LabelSuggested, ns.Version, ns.UpdatedAt = next.Suggested, next.Version, now
	if next.Label != before.Label || next.Suggested != before.Suggested {
		if next.Label == "" {
			ns.Label, ns.LabelBy, ns.LabelAt = nil, nil, nil
		} else {
			l := codebook.Label(next.Label)
			ns.Label, ns.LabelBy, ns.LabelAt = &l, actorID(actor), &now
		}
	}
	if next.Note != before.Note {
		// The note's search row is written beside the sentence.
		if err := s.indexNote(tx, &ns); err != nil {
			return nil, nil, err
		}
	}
	status := art.Status
	if status == ArticleDraft || status == ArticleChangesRequested {
		status = ArticleInReview
		if err := openRoundIfNone(tx, art.ID, actor); err != nil {
			return nil, nil, err
		}
	}
	ev := Event{ArticleID: art.ID, Actor: actor, Action: action, Entity: "sentence", EntityID: cur.ID,
		Before: sentenceEvent{Index: cur.Index, SentenceState: before}, After: sentenceEvent{Index: cur.Index, SentenceState: next, Undoes: edit.Undoes, Redoes: edit.Redoes}}
	e, err := newAuditEvent(ev, art.AuditSeq+1, art.AuditHead, tx.NowFunc())
	if err != nil {
		return nil, nil, err
	}
	return &ns, &sentenceWrite{s: &ns, from: cur.Version, e: e, art: art, status: status}, nil
}

// lockSentence reads a sentence with its article's status and audit head,
// locking the article row on PostgreSQL (SQLite's IMMEDIATE transactions
// already serialise writers).
func (s *Store) lockSentence(tx *gorm.DB, id int64) (*lockedSentence, error) {
	q := `SELECT s.*, a.status AS article_status, a.current_revision_id, a.audit_seq, a.audit_head
		FROM sentences s JOIN articles a ON a.id = s.article_id WHERE s.id = ?`
	if s.db.dialect == migrations.Postgres {
		// Both rows: after waiting for the article lock, PostgreSQL hands
		// back the newest version only of the rows it locked. The article
		// first, as every writer of an article's chain locks it.
		q += ` FOR UPDATE OF a, s`
	}
	var ls lockedSentence
	res := tx.Raw(q, id).Scan(&ls)
	if res.Error != nil {
		return nil, fmt.Errorf("load sentence %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, &Error{Code: ENOTFOUND, Message: fmt.Sprintf("sentence %d not found", id)}
	}
	return &ls, nil
}

// writeArticleEvent appends ev to the chain of an article already locked
// and read in this transaction (art holds its audit head), and moves the
// head, the status and the update time in one statement — a round trip
// fewer than appendEvent, on the path every label takes.
func (s *Store) writeArticleEvent(tx *gorm.DB, art *Article, ev Event, status ArticleStatus) error {
	e, err := newAuditEvent(ev, art.AuditSeq+1, art.AuditHead, tx.NowFunc())
	if err != nil {
		return err
	}
	return s.storeArticleEvent(tx, art, e, status)
}

// storeArticleEvent writes the event e that follows art's locked head and
// moves the head to it.
func (s *Store) storeArticleEvent(tx *gorm.DB, art *Article, e *AuditEvent, status ArticleStatus) error {
	if err := tx.Create(e).Error; err != nil {
		return fmt.Errorf("write audit event %s: %w", e.Action, err)
	}
	res := tx.Exec(`UPDATE articles SET audit_seq = ?, audit_head = ?, status = ?, updated_at = ? WHERE id = ? AND audit_seq = ?`,
		e.Seq, e.Hash, status, e.At, art.ID, art.AuditSeq)
	if res.Error != nil {
		return fmt.Errorf("move audit head of article %d: %w", art.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("audit head of article %d moved under a lock", art.ID)
	}
	art.AuditSeq, art.AuditHead, art.Status = e.Seq, e.Hash, status
	return nil
}

// openRoundIfNone opens a review round when the article has none open.
func openRoundIfNone(tx *gorm.DB, articleID int64, actor Actor) error {
	var last ReviewRound
	res := tx.Where("article_id = ?", articleID).Order("number DESC").Limit(1).Find(&last)
	if res.Error != nil {
		return fmt.Errorf("load review round: %w", res.Error)
	}
	if res.RowsAffected > 0 && last.DecidedAt == nil {
		return nil
	}
	r := ReviewRound{ArticleID: articleID, Number: last.Number + 1, OpenedAt: tx.NowFunc(), OpenedBy: actorID(actor)}
	if err := tx.Create(&r).Error; err != nil {
		return fmt.Errorf("open review round: %w", err)
	}
	return nil
}

func actorID(a Actor) *int64 {
	if a.ID == 0 {
		return nil
	}
	id := a.ID
	return &id
}

// SentenceHistory returns the events of one sentence, oldest first.
func (s *Store) SentenceHistory(ctx context.Context, sentenceID int64) ([]AuditEvent, error) {
	var evs []AuditEvent
	err := s.db.gorm.WithContext(ctx).Where("entity = ? AND entity_id = ?", "sentence", sentenceID).Order("seq").Find(&evs).Error
	if err != nil {
		return nil, fmt.Errorf("load history of sentence %d: %w", sentenceID, err)
	}
	for i := range evs {
		evs[i].fillRaw()
	}
	return evs, nil
}

// EventStates decodes the before and after states of a sentence event.
func EventStates(e *AuditEvent) (before, after SentenceState, err error) {
	var b, a sentenceEvent
	if err := json.Unmarshal([]byte(e.Before), &b); err != nil {
		return before, after, fmt.Errorf("decode event %d: %w", e.Seq, err)
	}
	if err := json.Unmarshal([]byte(e.After), &a); err != nil {
		return before, after, fmt.Errorf("decode event %d: %w", e.Seq, err)
	}
	return b.SentenceState, a.SentenceState, nil
}

// Valid reports whether the state is one the codebook allows.
func (st SentenceState) Valid() bool {
	if st.Label != "" && !codebook.Label(st.Label).Valid() {
		return false
	}
	return codebook.Status(st.Status).Valid()
}

// Suggestion returns the label the machine reviewer suggests for the
// sentence; an EINVALID error when there is none.
func (e *SentenceEdit) Suggestion() (string, error) {
	var labels []string
	err := e.tx.Raw(`SELECT label FROM suggestions WHERE sentence_id = ? ORDER BY confidence DESC, id LIMIT 1`, e.Sentence.ID).Scan(&labels).Error
	if err != nil {
		return "", fmt.Errorf("load suggestion for sentence %d: %w", e.Sentence.ID, err)
	}
	if len(labels) == 0 {
		return "", FieldError("accept_suggestion", "there is no machine suggestion for this sentence")
	}
	return labels[0], nil
}

// CitationRelations counts the sentence's citations by relation.
func (e *SentenceEdit) CitationRelations() (map[codebook.Relation]int, error) {
	return citationRelations(e.tx, e.Sentence.ID)
}

// isRefusal reports whether err is an edit's refusal (a stale version, a
// rule of the codebook) rather than a failure of the database.
func isRefusal(err error) bool {
	var me *Error
	return errors.As(err, &me)
}
