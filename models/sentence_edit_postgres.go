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

// The label path on PostgreSQL takes two round trips where the general
// path takes seven: the BEGIN and the locking read travel in one pipelined
// batch, and the sentence UPDATE, the audit event INSERT, the move of the
// article's chain head and the COMMIT in another, the three writes as one
// statement. Statements are prepared once per connection (pgx's statement
// cache) and rows are scanned without GORM's reflection. The semantics are
// the general path's: the same rows locked for the same span, the same
// checks, the same event.

// lockSentenceSQL reads a sentence with its article's head and locks both
// rows (see lockSentence).
const lockSentenceSQL = `SELECT s.id, s.article_id, s.revision_id, s.idx, s.paragraph, s.start_byte, s.end_byte,
	s.start_cp, s.end_cp, s.text, s.quote, s.label, s.label_by, s.label_at, s.label_suggested, s.status,
	s.exclude_reason, s.verdict, s.note, s.version, s.updated_at,
	a.status, a.current_revision_id, a.audit_seq, a.audit_head
	FROM sentences s JOIN articles a ON a.id = s.article_id WHERE s.id = $1 FOR UPDATE OF s, a`

// writeSentenceSQL writes the new state, appends the event and moves the
// article's chain head in one statement; it returns how many head rows
// moved (1, or 0 if the head is not where the lock found it).
const writeSentenceSQL = `WITH s AS (
		UPDATE sentences SET label = $2, label_by = $3, label_at = $4, label_suggested = $5, status = $6,
			exclude_reason = $7, verdict = $8, note = $9, version = $10, updated_at = $11
		WHERE id = $1
	), e AS (
		INSERT INTO audit_events (article_id, seq, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
		VALUES ($12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
	), a AS (
		UPDATE articles SET audit_seq = $13, audit_head = $23, status = $24, updated_at = $14
		WHERE id = $12 AND audit_seq = $25 RETURNING id
	)
	SELECT count(*) FROM a`

// errNotPgx means the pool's driver is not pgx's, and the general path
// must be taken.
var errNotPgx = errors.New("not a pgx connection")

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

// editSentencePostgres is EditSentence on PostgreSQL.
func (s *Store) editSentencePostgres(ctx context.Context, actor Actor, id int64, version int, action string,
	change func(e *SentenceEdit) (SentenceState, error)) (*Sentence, error) {
	var out *Sentence
	err := s.db.gorm.WithContext(ctx).Connection(func(tx *gorm.DB) error {
		conn, ok := tx.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return errNotPgx
		}
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
		out, w, err = s.prepareEdit(tx, &ls, actor, version, action, change)
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
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rollback ends the transaction left open on c after a failure, on a
// context of its own: the request's may be what failed. A connection that
// cannot roll back is closed.
func rollback(ctx context.Context, c *sql.Conn) {
	_ = pgxConn(c, func(pc *pgx.Conn) error {
		if pc.PgConn().TxStatus() == 'I' {
			return nil
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := pc.Exec(rctx, "ROLLBACK"); err != nil {
			pc.Close(rctx)
		}
		return nil
	})
}

// scanLocked reads the row of lockSentenceSQL; found is false when there
// is none.
func scanLocked(row pgx.Row, ls *lockedSentence) (found bool, err error) {
	var (
		quote, status, artStatus string
		label                    *string
	)
	st := &ls.Sentence
	err = row.Scan(&st.ID, &st.ArticleID, &st.RevisionID, &st.Index, &st.Paragraph, &st.StartByte, &st.EndByte,
		&st.Start, &st.End, &st.Text, &quote, &label, &st.LabelBy, &st.LabelAt, &st.LabelSuggested, &status,
		&st.ExcludeReason, &st.Verdict, &st.Note, &st.Version, &st.UpdatedAt,
		&artStatus, &ls.CurrentRevisionID, &ls.AuditSeq, &ls.AuditHead)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	st.Quote, st.Status, ls.ArticleStatus = segment.Quote(quote), codebook.Status(status), ArticleStatus(artStatus)
	if label != nil {
		l := codebook.Label(*label)
		st.Label = &l
	}
	return true, nil
}

// sentenceWrite is one edit ready to be written: the sentence as it will
// be, its event and the article's new status.
type sentenceWrite struct {
	s      *Sentence
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
		string(w.status), w.art.AuditSeq}
}
