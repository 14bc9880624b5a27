package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"factdesk/codebook"
	"factdesk/segment"
)

// The label path on PostgreSQL is optimistic: one statement writes the
// sentence, appends the event and moves the article's chain head, computed
// from the sentence and head as this process last saw them (headCache;
// the statements of the edits waiting at the same moment are committed
// together, see groupWrite) or, failing that, as one read without locks
// finds them (the statement then runs alone). The write is a
// compare-and-set on the article's audit sequence and the sentence's
// version: every change to an article, its sentences, citations or
// suggestions moves that sequence in the same transaction, so an
// unchanged sequence proves that nothing the edit was computed from has
// changed since. When it has moved (someone else changed the article
// meanwhile), or the edit must write more than those three rows (the
// first edit of a draft opens a review round), the edit runs again from a
// fresh read, then the pessimistic way: BEGIN and the locking read in one
// pipelined batch, the same write and COMMIT in another. Every way checks
// the same rules and writes the same event; the optimistic ones lock no
// row while Go computes the event and write no lock records to the WAL.
//
// Statements are prepared once per connection (pgx's statement cache) and
// rows are scanned without GORM's reflection.

// sentenceColumns are the columns of a sentence with its article's head,
// as scanLocked reads them.
const sentenceColumns = `s.id, s.article_id, s.revision_id, s.idx, s.paragraph, s.start_byte, s.end_byte,
	s.start_cp, s.end_cp, s.text, s.quote, s.label, s.label_by, s.label_at, s.label_suggested, s.status,
	s.exclude_reason, s.verdict, s.note, s.version, s.updated_at,
	a.status, a.current_revision_id, a.audit_seq, a.audit_head
	FROM sentences s JOIN articles a ON a.id = s.article_id`

// readSentenceSQL reads a sentence with its article's head, in one
// snapshot and without locks.
const readSentenceSQL = `SELECT ` + sentenceColumns + ` WHERE s.id = $1`

// lockSentenceSQL reads a sentence with its article's head and locks both
// rows, the article first (see lockSentence).
const lockSentenceSQL = readSentenceSQL + ` FOR UPDATE OF a, s`

// revisionSentencesSQL reads a revision's sentences in order, each with
// its article's head, in one snapshot.
const revisionSentencesSQL = `SELECT ` + sentenceColumns + ` WHERE s.revision_id = $1 ORDER BY s.idx`

// writeSentenceSQL writes the new state, appends the event and moves the
// article's chain head in one statement, if the head is still where the
// read found it ($25); it returns how many head rows moved, 1 or 0. The
// article row is updated first, so that the statement takes its locks in
// the order every writer of a chain does; the sentence is updated only
// with the head. The event takes the sentence's id from the sentence
// update: were the sentence's version to differ from the read's while the
// head has not moved, the event's entity_id would be NULL and the whole
// statement would fail rather than move the head without its event.
const writeSentenceSQL = `WITH a AS (
		UPDATE articles SET audit_seq = $13, audit_head = $23, status = $24, updated_at = $14
		WHERE id = $12 AND audit_seq = $25 RETURNING id
	), s AS (
		UPDATE sentences SET label = $2, label_by = $3, label_at = $4, label_suggested = $5, status = $6,
			exclude_reason = $7, verdict = $8, note = $9, version = $10, updated_at = $11
		FROM a WHERE sentences.id = $1 AND sentences.version = $26 RETURNING sentences.id
	), e AS (
		INSERT INTO audit_events (article_id, seq, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
		SELECT a.id, $13, $14, $15, $16, $17, $18, CASE WHEN s.id = $19 THEN $19 END, $20, $21, $22, $23
		FROM a LEFT JOIN s ON true
	)
	SELECT count(*) FROM a`

// errTakeLock means an optimistic edit must run again under locks: the
// chain moved since the read.
var errTakeLock = errors.New("edit needs the locking path")

// errNeedsTransaction means an edit writes more than the optimistic path
// can (the first edit of a draft opens a review round).
var errNeedsTransaction = errors.New("edit needs a transaction")

// errNotPgx means the pool's driver is not pgx's, and the general path
// must be taken.
var errNotPgx = errors.New("not a pgx connection")

// onConnection runs f on one connection of the pool, held for f's
// duration: db runs GORM's statements on it, conn is the connection
// itself, for pgxConn.
func (s *Store) onConnection(ctx context.Context, f func(db *gorm.DB, conn *sql.Conn) error) error {
	return s.db.gorm.WithContext(ctx).Connection(func(db *gorm.DB) error {
		conn, ok := db.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return errNotPgx
		}
		return f(db, conn)
	})
}

// pgxConn runs f on the pgx connection under c. A connection that broke
// is reported bad so that database/sql drops it.
func pgxConn(c *sql.Conn, f func(pc *pgx.Conn) error) error {
	var ferr error
	err := c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			ferr = errNotPgx
			return nil
		}
		pc := sc.Conn()
		ferr = f(pc)
		if pc.IsClosed() {
			return driver.ErrBadConn
		}
		return nil
	})
	if ferr != nil {
		return ferr
	}
	return err
}

// editSentencePostgres is EditSentence on PostgreSQL: from the state the
// process remembers, written with the edits queued beside it (see
// groupWrite), else from a fresh read (two round trips), else under
// locks.
func (s *Store) editSentencePostgres(ctx context.Context, actor Actor, id int64, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, error) {
	if ls, ok := s.db.heads.get(id); ok {
		out, err := s.editSentenceRemembered(ctx, &ls, actor, version, action, change)
		switch {
		case err == nil:
			return out, nil
		case errors.Is(err, errNeedsTransaction):
			return s.gatedEdit(ctx, func() (*Sentence, error) {
				return s.editSentenceLocked(ctx, actor, id, version, action, change)
			})
		}
		// Whatever else went wrong may be the remembered state's fault:
		// a refusal or a failure is decided on a fresh read.
		s.db.heads.drop(ls.ArticleID)
	}
	return s.gatedEdit(ctx, func() (*Sentence, error) {
		out, err := s.editSentenceFresh(ctx, actor, id, version, action, change)
		if !errors.Is(err, errTakeLock) && !errors.Is(err, errNeedsTransaction) {
			return out, err
		}
		return s.editSentenceLocked(ctx, actor, id, version, action, change)
	})
}

// gated runs f once the label gate admits it. Edits wait for a connection
// in a queue of their own, first come first served: database/sql hands a
// freed connection to a random waiter, and under a burst of labels (64
// clients on a pool of 20) that left one label in a hundred waiting five
// times as long as the median.
func (s *Store) gated(ctx context.Context, f func() error) error {
	select {
	case s.db.labelGate <- struct{}{}:
		defer func() { <-s.db.labelGate }()
	case <-ctx.Done():
		return ctx.Err()
	}
	return f()
}

// gatedEdit is gated for an edit.
func (s *Store) gatedEdit(ctx context.Context, f func() (*Sentence, error)) (*Sentence, error) {
	var out *Sentence
	err := s.gated(ctx, func() error {
		var err error
		out, err = f()
		return err
	})
	return out, err
}

// editSentenceRemembered edits the sentence as the head cache remembers
// it and writes the edit in a batch: errTakeLock when the chain has moved
// or the edit would change nothing (that is decided on the rows),
// errNeedsTransaction when the edit writes more than the sentence, its
// event and the head. The change's own reads (citations, suggestions) go
// through the pool, outside any transaction: the chain's compare-and-set
// covers them too.
func (s *Store) editSentenceRemembered(ctx context.Context, ls *lockedSentence, actor Actor, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, error) {
	out, w, err := s.prepareEdit(s.db.gorm.WithContext(ctx), ls, false, actor, version, action, change)
	switch {
	case err != nil:
		return nil, err
	case w == nil:
		return nil, errTakeLock
	}
	if err := s.groupWrite(ctx, w); err != nil {
		return nil, err
	}
	return out, nil
}

// editSentenceFresh edits the sentence as read now without locks and
// writes the edit if its article's chain has not moved since: errTakeLock
// when it has, errNeedsTransaction when the edit writes more than the
// sentence, its event and the head.
func (s *Store) editSentenceFresh(ctx context.Context, actor Actor, id int64, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, error) {
	var out *Sentence
	err := s.onConnection(ctx, func(db *gorm.DB, conn *sql.Conn) error {
		ls := &lockedSentence{}
		found := false
		err := pgxConn(conn, func(pc *pgx.Conn) error {
			var err error
			found, err = scanLocked(pc.QueryRow(ctx, readSentenceSQL, id), ls)
			return err
		})
		switch {
		case err != nil:
			return fmt.Errorf("load sentence %d: %w", id, err)
		case !found:
			return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("sentence %d not found", id)}
		}
		s.db.heads.read(ls)
		// The change's own reads go through db, outside any transaction:
		// the chain's compare-and-set covers them too.
		var w *sentenceWrite
		out, w, err = s.prepareEdit(db, ls, false, actor, version, action, change)
		if err != nil || w == nil {
			return err
		}
		err = pgxConn(conn, func(pc *pgx.Conn) error { return writeOne(ctx, pc, w) })
		if err == nil {
			s.db.heads.wrote(w)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// editSentenceLocked is the pessimistic path: the sentence and its
// article locked from the read to the commit.
func (s *Store) editSentenceLocked(ctx context.Context, actor Actor, id int64, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, error) {
	var out *Sentence
	err := s.onConnection(ctx, func(tx *gorm.DB, conn *sql.Conn) error {
		var ls lockedSentence
		found := false
		err := pgxConn(conn, func(pc *pgx.Conn) error {
			b := &pgx.Batch{}
			b.Queue("BEGIN")
			b.Queue(lockSentenceSQL, id)
			br := pc.SendBatch(ctx, b)
			if _, err := br.Exec(); err != nil {
				br.Close()
				return err
			}
			var err error
			found, err = scanLocked(br.QueryRow(), &ls)
			if cerr := br.Close(); err == nil {
				err = cerr
			}
			return err
		})
		if errors.Is(err, errNotPgx) {
			return err
		}
		committed := false
		defer func() {
			if !committed {
				rollback(ctx, conn)
			}
		}()
		if err != nil {
			return fmt.Errorf("load sentence %d: %w", id, err)
		}
		if !found {
			return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("sentence %d not found", id)}
		}
		var w *sentenceWrite
		out, w, err = s.prepareEdit(tx, &ls, true, actor, version, action, change)
		if err != nil || w == nil {
			return err
		}
		err = pgxConn(conn, func(pc *pgx.Conn) error {
			b := &pgx.Batch{}
			b.Queue(writeSentenceSQL, w.args()...)
			b.Queue("COMMIT")
			br := pc.SendBatch(ctx, b)
			var moved int
			err := br.QueryRow().Scan(&moved)
			var tag string
			if err == nil {
				var ct, cerr = br.Exec()
				tag, err = ct.String(), cerr
			}
			if cerr := br.Close(); err == nil {
				err = cerr
			}
			switch {
			case err != nil:
				return err
			case moved != 1:
				return fmt.Errorf("audit head of article %d moved under a lock", w.art.ID)
			case tag != "COMMIT":
				return fmt.Errorf("commit: the database answered %s", tag)
			}
			committed = true
			return nil
		})
		if err != nil {
			return fmt.Errorf("update sentence %d: %w", id, err)
		}
		s.db.heads.wrote(w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rollback ends the transaction left open on c after a failure (see
// rollbackConn).
func rollback(ctx context.Context, c *sql.Conn) {
	_ = pgxConn(c, func(pc *pgx.Conn) error { return rollbackConn(ctx, pc) })
}

// rollbackConn ends the transaction left open on pc, if any, on a context
// of its own: the request's may be what failed. A connection that cannot
// roll back is closed, and the error returned.
func rollbackConn(ctx context.Context, pc *pgx.Conn) error {
	if pc.PgConn().TxStatus() == 'I' {
		return nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := pc.Exec(rctx, "ROLLBACK"); err != nil {
		pc.Close(rctx)
		return fmt.Errorf("roll back: %w", err)
	}
	return nil
}

// scanLocked reads the row of lockSentenceSQL; found is false when there
// is none.
func scanLocked(row pgx.Row, ls *lockedSentence) (found bool, err error) {
	err = scanSentenceHead(row, ls)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// scanSentenceHead reads one row of sentenceColumns, from pgx or
// database/sql.
func scanSentenceHead(row interface{ Scan(dest ...any) error }, ls *lockedSentence) error {
	var (
		quote, status, artStatus string
		label                    *string
	)
	st := &ls.Sentence
	err := row.Scan(&st.ID, &st.ArticleID, &st.RevisionID, &st.Index, &st.Paragraph, &st.StartByte, &st.EndByte,
		&st.Start, &st.End, &st.Text, &quote, &label, &st.LabelBy, &st.LabelAt, &st.LabelSuggested, &status,
		&st.ExcludeReason, &st.Verdict, &st.Note, &st.Version, &st.UpdatedAt,
		&artStatus, &ls.CurrentRevisionID, &ls.AuditSeq, &ls.AuditHead)
	if err != nil {
		return err
	}
	st.Quote, st.Status, ls.ArticleStatus = segment.Quote(quote), codebook.Status(status), ArticleStatus(artStatus)
	st.Label = nil
	if label != nil {
		l := codebook.Label(*label)
		st.Label = &l
	}
	return nil
}

// sentenceWrite is one edit ready to be written: the sentence as it will
// be, its event and the article's new status.
type sentenceWrite struct {
	s      *Sentence
	from   int // the sentence's version before the edit
	e      *AuditEvent
	art    *Article
	status ArticleStatus
}

func (w *sentenceWrite) args() []any {
	s, e := w.s, w.e
	var label *string
	if s.Label != nil {
		l := string(*s.Label)
		label = &l
	}
	return []any{s.ID, label, s.LabelBy, s.LabelAt, s.LabelSuggested, string(s.Status),
		s.ExcludeReason, s.Verdict, s.Note, s.Version, s.UpdatedAt,
		w.art.ID, e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash,
		string(w.status), w.art.AuditSeq, w.from}
}
