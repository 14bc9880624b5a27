package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"factdesk/codebook"
	"factdesk/segment"
)

// The label path on PostgreSQL. Every edit, whichever server it reaches
// and whatever that server has read before, takes the same path: it
// queues with the edits arriving at the same moment, and a batch of them
// is written in one transaction of two round trips.
//
//  1. BEGIN, lock the batch's articles (in id order, the order every
//     writer of a chain locks them) and read their sentences, pipelined.
//  2. Go checks each edit against the rows just read, in arrival order,
//     and computes its event on the head the edit before it left: the
//     edits of one article follow each other in its chain.
//  3. One statement writes every sentence, appends every event and moves
//     every head (arrays unnested), pipelined with COMMIT.
//
// The article rows stay locked from 1 to 3, so no other writer, on this
// server or another, can move a chain in between: there is no guess to
// check and nothing to retry. The lock is held for one round trip and
// the commit, and a batch carries up to maxWriteBatch edits, so that the
// labels of one article, the case that contends, are written 32 to a
// lock rather than one.
//
// This replaced an optimistic path that wrote from sentences and heads
// remembered in the server's memory: fast on the server that had just
// served the review page, and ten times slower on any other, where every
// label missed the memory and most lost their compare-and-set to the
// chain's next move (issue 20).
//
// Rows are scanned without GORM's reflection; statements are prepared
// once per connection by pgx's statement cache.

// sentenceColumns are the columns of a sentence with its article's head,
// as scanSentenceHead reads them.
const sentenceColumns = `s.id, s.article_id, s.revision_id, s.idx, s.paragraph, s.start_byte, s.end_byte,
	s.start_cp, s.end_cp, s.text, s.quote, s.label, s.label_by, s.label_at, s.label_suggested, s.status,
	s.exclude_reason, s.verdict, s.note, s.version, s.updated_at,
	a.status, a.current_revision_id, a.audit_seq, a.audit_head
	FROM sentences s JOIN articles a ON a.id = s.article_id`

// lockArticlesSQL locks the articles of the sentences $1, in id order,
// and reads their heads. Sentences never change article.
const lockArticlesSQL = `SELECT id, status, current_revision_id, audit_seq, audit_head FROM articles
	WHERE id IN (SELECT article_id FROM sentences WHERE id = ANY($1)) ORDER BY id FOR UPDATE`

// readEditedSQL reads the sentences $1 with their articles' heads. Run
// after lockArticlesSQL in the same transaction, it sees every write
// committed before the locks were granted (READ COMMITTED takes a new
// snapshot per statement).
const readEditedSQL = `SELECT ` + sentenceColumns + ` WHERE s.id = ANY($1)`

// writeEditsSQL writes a batch: the sentences' new states ($1–$12, one
// row per sentence, its last state in the batch, where from_version is
// its version as read), the events ($13–$24, in chain order) and the
// heads ($25–$30, the last event of each article, where from_seq is the
// head as read). It returns how many rows of each it wrote, which under
// the batch's locks must be every one. The article rows are updated in
// the same statement, not first: they are locked already.
const writeEditsSQL = `WITH u AS (
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::timestamptz[], $5::boolean[], $6::text[],
			$7::text[], $8::text[], $9::text[], $10::integer[], $11::timestamptz[], $12::integer[])
			AS u(id, label, label_by, label_at, label_suggested, status, exclude_reason, verdict, note, version, updated_at, from_version)
	), s AS (
		UPDATE sentences SET label = u.label, label_by = u.label_by, label_at = u.label_at, label_suggested = u.label_suggested,
			status = u.status, exclude_reason = u.exclude_reason, verdict = u.verdict, note = u.note, version = u.version,
			updated_at = u.updated_at
		FROM u WHERE sentences.id = u.id AND sentences.version = u.from_version RETURNING sentences.id
	), e AS (
		INSERT INTO audit_events (article_id, seq, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
		SELECT * FROM unnest($13::bigint[], $14::bigint[], $15::timestamptz[], $16::bigint[], $17::text[], $18::text[],
			$19::text[], $20::bigint[], $21::text[], $22::text[], $23::text[], $24::text[])
		RETURNING 1
	), h AS (
		SELECT * FROM unnest($25::bigint[], $26::bigint[], $27::text[], $28::text[], $29::timestamptz[], $30::bigint[])
			AS h(id, seq, head, status, at, from_seq)
	), a AS (
		UPDATE articles SET audit_seq = h.seq, audit_head = h.head, status = h.status, updated_at = h.at
		FROM h WHERE articles.id = h.id AND articles.audit_seq = h.from_seq RETURNING 1
	)
	SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM e), (SELECT count(*) FROM a)`

// batchLockTimeout bounds how long a batch of several articles waits for
// an article another transaction holds (in a long workflow step or a
// revision import): past it the batch is written article by article, so
// that the other articles' labels do not wait with it. A batch of one
// article waits as long as it must.
const batchLockTimeout = "100ms"

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
// is reported bad so that database/sql drops it. GORM must not use c
// while f runs: database/sql holds the connection's lock.
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

// editSentencePostgres is EditSentence on PostgreSQL: the edit is written
// with the edits queued beside it (editBatchPostgres).
func (s *Store) editSentencePostgres(ctx context.Context, e *queuedEdit) (*Sentence, error) {
	if err := s.db.pgEdits.do(ctx, e, s.editBatchPostgres); err != nil {
		return nil, err
	}
	return e.out, nil
}

// editBatchPostgres writes a batch and answers each of its edits.
func (s *Store) editBatchPostgres(batch []*pending[*queuedEdit]) {
	ctx, cancel := batchContext(batch)
	defer cancel()
	s.writeBatch(ctx, batch, len(batch) > 1, true)
}

// writeBatch writes a batch in one transaction and answers each edit.
//
// A batch that waits past batchLockTimeout for an article (lockTimeout)
// is written again article by article, each on a connection of its own,
// so that the articles not locked elsewhere are answered at once. A
// batch whose data the database refuses (a constraint, a trigger) does
// not say which edit was at fault: it is written again edit by edit, and
// only the edit at fault fails. A batch chosen to break a deadlock (with
// a writer that locks in another order) is tried once more (retry). A
// timeout, a lost connection or an ended request fails the whole batch
// at once: trying its edits one by one would only wait as long again for
// each.
func (s *Store) writeBatch(ctx context.Context, batch []*pending[*queuedEdit], lockTimeout, retry bool) {
	edits := make([]*queuedEdit, len(batch))
	for i, p := range batch {
		edits[i] = p.job
	}
	errs, err := s.writeEdits(ctx, edits, editOptions{lockTimeout: lockTimeout})
	var pgErr *pgconn.PgError
	switch {
	case err == nil, errors.Is(err, errNotPgx), ctx.Err() != nil:
	case lockTimeout && errors.As(err, &pgErr) && pgErr.Code == "55P03": // lock_not_available
		s.writeByArticle(ctx, batch)
		return
	case retry && errors.As(err, &pgErr) && pgErr.Code == "40P01": // deadlock_detected
		s.writeBatch(ctx, batch, false, false)
		return
	case len(batch) > 1 && errors.As(err, &pgErr) && blamesAnEdit(pgErr):
		for _, p := range batch {
			s.writeBatch(ctx, []*pending[*queuedEdit]{p}, false, true)
		}
		return
	}
	for i, p := range batch {
		if errs[i] != nil {
			p.finish(errs[i])
		} else {
			p.finish(err)
		}
	}
}

// blamesAnEdit reports whether the database refused a batch for what one
// of its edits holds: a data exception, a broken constraint or an error
// raised by a trigger.
func blamesAnEdit(err *pgconn.PgError) bool {
	switch err.Code[:2] {
	case "22", "23", "P0":
		return true
	}
	return false
}

// writeByArticle writes a batch's edits in one transaction per article,
// at the same time, and answers each edit as its article's is written;
// it returns at once.
func (s *Store) writeByArticle(ctx context.Context, batch []*pending[*queuedEdit]) {
	ids := make([]int64, len(batch))
	for i, p := range batch {
		ids[i] = p.job.id
	}
	var pairs []struct{ ID, ArticleID int64 }
	q := `SELECT id, article_id FROM sentences WHERE id IN ?`
	if err := s.db.gorm.WithContext(ctx).Raw(q, ids).Scan(&pairs).Error; err != nil {
		for _, p := range batch {
			p.finish(fmt.Errorf("look up the articles of a batch: %w", err))
		}
		return
	}
	articleOf := make(map[int64]int64, len(pairs))
	for _, pr := range pairs {
		articleOf[pr.ID] = pr.ArticleID
	}
	groups := map[int64][]*pending[*queuedEdit]{} // a sentence not found: article 0, answered by the write
	for _, p := range batch {
		a := articleOf[p.job.id]
		groups[a] = append(groups[a], p)
	}
	// Not waited for: the edit whose turn wrote this batch may be of an
	// article written at once, and must be answered without waiting for
	// the locked one. Each group ends with its own edits' requests.
	for _, g := range groups {
		go func() {
			gctx, cancel := batchContext(g)
			defer cancel()
			s.writeBatch(gctx, g, false, true)
		}()
	}
}

// editOptions say how writeEdits writes.
type editOptions struct {
	// lockTimeout bounds the wait for the articles' locks (batchLockTimeout).
	lockTimeout bool
	// atomic writes nothing unless every edit can be written.
	atomic bool
	// articleID, if set, is the article every edit must be of.
	articleID int64
}

// writeEdits writes edits in one transaction (see the top of this file)
// and returns each edit's refusal, if any, with the transaction's error.
// An edit whose change changes nothing is answered with its sentence and
// writes nothing. With o.atomic a refusal writes nothing: the edit
// refused has its error, the transaction's error is ErrNotWritten.
func (s *Store) writeEdits(ctx context.Context, edits []*queuedEdit, o editOptions) ([]error, error) {
	errs := make([]error, len(edits))
	err := s.onConnection(ctx, func(db *gorm.DB, conn *sql.Conn) error {
		committed := false
		defer func() {
			if !committed {
				rollback(ctx, conn)
			}
		}()
		var rows *lockedRows
		err := pgxConn(conn, func(pc *pgx.Conn) error {
			var err error
			rows, err = lockAndRead(ctx, pc, edits, o.lockTimeout)
			return err
		})
		if err != nil {
			return err
		}
		writes, err := s.prepareEdits(db, func(error) bool { return aborted(conn) }, rows, edits, errs, o)
		if err != nil || len(writes) == 0 {
			return err
		}
		err = pgxConn(conn, func(pc *pgx.Conn) error { return writeAndCommit(ctx, pc, writes) })
		if err != nil {
			return err
		}
		committed = true
		return nil
	})
	return errs, err
}

// ErrNotWritten answers the edits of an all-or-nothing change that were
// not written because another was refused.
var ErrNotWritten = &Error{Code: ECONFLICT, Message: "not written: another change of the same request was refused"}

// lockedRows are the sentences of a batch and the heads of their
// articles, read under the articles' locks, as the edits computed so far
// leave them.
type lockedRows struct {
	sentences map[int64]*Sentence
	heads     map[int64]*articleHead
}

// articleHead is what an edit needs of its article.
type articleHead struct {
	status            ArticleStatus
	currentRevisionID *int64
	seq               int64
	head              string
}

// lockAndRead begins a transaction on pc, locks the articles of edits and
// reads their sentences, in one round trip.
func lockAndRead(ctx context.Context, pc *pgx.Conn, edits []*queuedEdit, lockTimeout bool) (*lockedRows, error) {
	ids := make([]int64, 0, len(edits))
	for _, e := range edits {
		ids = append(ids, e.id)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	if lockTimeout {
		b.Queue("SET LOCAL lock_timeout = '" + batchLockTimeout + "'")
	}
	b.Queue(lockArticlesSQL, ids)
	b.Queue(readEditedSQL, ids)
	br := pc.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, err
	}
	if lockTimeout {
		if _, err := br.Exec(); err != nil {
			return nil, err
		}
	}
	// The heads are read again with the sentences, in the same snapshot.
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("lock articles: %w", err)
	}
	r, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("load sentences: %w", err)
	}
	defer r.Close()
	rows := &lockedRows{sentences: make(map[int64]*Sentence, len(ids)), heads: map[int64]*articleHead{}}
	for r.Next() {
		var ls lockedSentence
		if err := scanSentenceHead(r, &ls); err != nil {
			return nil, fmt.Errorf("load sentences: %w", err)
		}
		rows.sentences[ls.ID] = &ls.Sentence
		rows.heads[ls.ArticleID] = &articleHead{status: ls.ArticleStatus, currentRevisionID: ls.CurrentRevisionID,
			seq: ls.AuditSeq, head: ls.AuditHead}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("load sentences: %w", err)
	}
	return rows, nil
}

// prepareEdits checks and computes edits, in order, on the rows read
// under the locks: each edit sees the sentences and heads as the edits
// before it left them. It returns the writes; an edit refused has its
// error in errs. The change functions' own reads, and the review round a
// first edit opens, run through db on the transaction's connection; an
// error that failed says lost the transaction is the database's, not the
// edit's, and is returned.
func (s *Store) prepareEdits(db *gorm.DB, failed func(err error) bool, rows *lockedRows, edits []*queuedEdit,
	errs []error, o editOptions) ([]*sentenceWrite, error) {
	var writes []*sentenceWrite
	for i, e := range edits {
		st, ok := rows.sentences[e.id]
		if !ok || (o.articleID != 0 && st.ArticleID != o.articleID) {
			errs[i] = &Error{Code: ENOTFOUND, Field: "id", Message: fmt.Sprintf("sentence %d not found", e.id)}
		} else {
			h := rows.heads[st.ArticleID]
			ls := &lockedSentence{Sentence: *st, ArticleStatus: h.status, CurrentRevisionID: h.currentRevisionID,
				AuditSeq: h.seq, AuditHead: h.head}
			var w *sentenceWrite
			e.out, w, errs[i] = s.prepareEdit(db, ls, e.actor, e.version, e.action, e.change)
			if errs[i] != nil {
				if failed(errs[i]) {
					return nil, errs[i]
				}
			} else if w != nil {
				writes = append(writes, w)
				*st = *w.s
				h.status, h.seq, h.head = w.status, w.e.Seq, w.e.Hash
			}
		}
		if errs[i] != nil && o.atomic {
			refused := errs[i]
			clear(errs)
			errs[i] = refused
			return nil, ErrNotWritten
		}
	}
	return writes, nil
}

// aborted reports whether the transaction on conn has failed.
func aborted(conn *sql.Conn) bool {
	failed := false
	_ = pgxConn(conn, func(pc *pgx.Conn) error {
		failed = pc.PgConn().TxStatus() == 'E'
		return nil
	})
	return failed
}

// writeAndCommit writes the edits in one statement and commits, in one
// round trip.
func writeAndCommit(ctx context.Context, pc *pgx.Conn, writes []*sentenceWrite) error {
	args, counts := editArrays(writes)
	b := &pgx.Batch{}
	b.Queue(writeEditsSQL, args...)
	b.Queue("COMMIT")
	br := pc.SendBatch(ctx, b)
	var got [3]int
	err := br.QueryRow().Scan(&got[0], &got[1], &got[2])
	var tag pgconn.CommandTag
	if err == nil {
		tag, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return fmt.Errorf("write %d edits: %w", len(writes), err)
	case got != counts:
		// Cannot happen under the locks; were it to, COMMIT has not run
		// (the check comes first) — the rollback undoes it.
		return fmt.Errorf("write %d edits: wrote %v rows of sentences, events and heads, want %v", len(writes), got, counts)
	case tag.String() != "COMMIT":
		return fmt.Errorf("commit: the database answered %s", tag)
	}
	return nil
}

// editArrays lays writes out as the arrays of writeEditsSQL and says how
// many rows of each table it must write.
func editArrays(writes []*sentenceWrite) ([]any, [3]int) {
	type sentenceRow struct {
		w    *sentenceWrite
		from int
	}
	var (
		sentences []sentenceRow
		bySent    = map[int64]int{}
		heads     []*sentenceWrite
		byArt     = map[int64]int{}
		fromSeq   []int64
	)
	for _, w := range writes {
		if k, ok := bySent[w.s.ID]; ok {
			sentences[k].w = w
		} else {
			bySent[w.s.ID] = len(sentences)
			sentences = append(sentences, sentenceRow{w, w.from})
		}
		if k, ok := byArt[w.art.ID]; ok {
			heads[k] = w
		} else {
			byArt[w.art.ID] = len(heads)
			heads = append(heads, w)
			fromSeq = append(fromSeq, w.e.Seq-1)
		}
	}
	n := len(sentences)
	var (
		sID, sLabelBy                      = make([]int64, n), make([]*int64, n)
		sLabel                             = make([]*string, n)
		sLabelAt                           = make([]*time.Time, n)
		sSuggested                         = make([]bool, n)
		sStatus, sExclude, sVerdict, sNote = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		sVersion, sFrom                    = make([]int32, n), make([]int32, n)
		sUpdated                           = make([]time.Time, n)
	)
	for k, r := range sentences {
		st := r.w.s
		sID[k], sLabelBy[k], sLabelAt[k], sSuggested[k] = st.ID, st.LabelBy, st.LabelAt, st.LabelSuggested
		if st.Label != nil {
			l := string(*st.Label)
			sLabel[k] = &l
		}
		sStatus[k], sExclude[k], sVerdict[k], sNote[k] = string(st.Status), st.ExcludeReason, st.Verdict, st.Note
		sVersion[k], sFrom[k], sUpdated[k] = int32(st.Version), int32(r.from), st.UpdatedAt
	}
	m := len(writes)
	var (
		eArticle, eSeq, eEntityID     = make([]int64, m), make([]int64, m), make([]int64, m)
		eAt                           = make([]time.Time, m)
		eActorID                      = make([]*int64, m)
		eActor, eAction, eEntity      = make([]string, m), make([]string, m), make([]string, m)
		eBefore, eAfter, ePrev, eHash = make([]string, m), make([]string, m), make([]string, m), make([]string, m)
	)
	for k, w := range writes {
		e := w.e
		eArticle[k], eSeq[k], eAt[k], eActorID[k] = w.art.ID, e.Seq, e.At, e.ActorID
		eActor[k], eAction[k], eEntity[k], eEntityID[k] = e.Actor, e.Action, e.Entity, e.EntityID
		eBefore[k], eAfter[k], ePrev[k], eHash[k] = e.Before, e.After, e.PrevHash, e.Hash
	}
	h := len(heads)
	var (
		hID, hSeq     = make([]int64, h), make([]int64, h)
		hHead, hState = make([]string, h), make([]string, h)
		hAt           = make([]time.Time, h)
	)
	for k, w := range heads {
		hID[k], hSeq[k], hHead[k], hState[k], hAt[k] = w.art.ID, w.e.Seq, w.e.Hash, string(w.status), w.e.At
	}
	args := []any{sID, sLabel, sLabelBy, sLabelAt, sSuggested, sStatus, sExclude, sVerdict, sNote, sVersion, sUpdated, sFrom,
		eArticle, eSeq, eAt, eActorID, eActor, eAction, eEntity, eEntityID, eBefore, eAfter, ePrev, eHash,
		hID, hSeq, hHead, hState, hAt, fromSeq}
	return args, [3]int{n, m, h}
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
