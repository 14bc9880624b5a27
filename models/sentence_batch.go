package models

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Group commit of labels on PostgreSQL. An edit computed from the head
// cache needs one statement (writeSentenceSQL); the edits waiting for a
// connection at the same moment are written together, in one transaction
// sent as one pipelined batch, so that a burst of labels costs the
// database one commit and one round trip per batch instead of per label.
// No edit waits for others to arrive: whoever gets a turn writes what is
// queued then, alone if it is alone. An edit is answered only after the
// transaction that holds it has committed.
//
// Measured with the bench (64 clients, PostgreSQL 15, 2 cores), labels
// per second against one statement per label: 4 batches in flight,
// 7,100–7,300/s; 20 (as many as the connections) 5,700/s; one statement
// per label 4,200/s. Fewer batches in flight make bigger batches; one
// alone leaves the database idle while its commit is flushed.
const (
	writeBatchesInFlight = 4
	maxWriteBatch        = 32
)

// batcher queues the edits waiting to be written and bounds the batches
// in flight; J is what one queued edit carries. PostgreSQL's labels queue
// as statements ready to send, SQLite's as edits to run in the batch's
// transaction (sentence_batch_sqlite.go).
type batcher[J any] struct {
	turns chan struct{} // one per batch in flight
	max   int           // edits per batch at most

	mu    sync.Mutex
	queue []*pending[J]

	// batches and writes count what was written (see DB.LabelBatches).
	batches, writes int
}

func newBatcher[J any](inFlight, max int) *batcher[J] {
	return &batcher[J]{turns: make(chan struct{}, inFlight), max: max}
}

// LabelBatches returns how many transactions have written labels in
// batches and how many labels they held: their ratio is the mean batch.
// On PostgreSQL they count the labels written from the head cache (the
// others, from a fresh read or under locks, are written alone), on SQLite
// every label.
func (db *DB) LabelBatches() (batches, writes int) {
	switch {
	case db.sqliteEdits != nil:
		return db.sqliteEdits.counts()
	case db.writes != nil:
		return db.writes.counts()
	}
	return 0, 0
}

func (b *batcher[J]) counts() (batches, writes int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.batches, b.writes
}

// pending is one edit in the queue; done closes when err is its outcome.
type pending[J any] struct {
	ctx  context.Context
	job  J
	err  error
	done chan struct{}
}

func (p *pending[J]) finish(err error) {
	p.err = err
	close(p.done)
}

// take removes the oldest edits from the queue, up to a batch, and counts
// the batch; an edit whose request has ended meanwhile is answered with
// its context's error and not written.
func (b *batcher[J]) take() []*pending[J] {
	b.mu.Lock()
	defer b.mu.Unlock()
	var batch []*pending[J]
	n := 0
	for ; n < len(b.queue) && len(batch) < b.max; n++ {
		p := b.queue[n]
		if err := p.ctx.Err(); err != nil {
			p.finish(err)
			continue
		}
		batch = append(batch, p)
	}
	b.queue = slices.Delete(b.queue, 0, n)
	if len(batch) > 0 {
		b.batches++
		b.writes += len(batch)
	}
	return batch
}

// remove takes p out of the queue, if it is still there.
func (b *batcher[J]) remove(p *pending[J]) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.Index(b.queue, p)
	if i < 0 {
		return false
	}
	b.queue = slices.Delete(b.queue, i, i+1)
	return true
}

// do queues job and returns once the batch holding it has been written
// by write, which answers every edit of a batch (finish). The edit waits
// for its own outcome or a turn. With a turn it writes batches of what is
// queued, oldest first, until its own edit is done: taken by another
// turn, it is in flight, and the wait is for that batch.
func (b *batcher[J]) do(ctx context.Context, job J, write func(batch []*pending[J])) error {
	p := &pending[J]{ctx: ctx, job: job, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	b.mu.Unlock()
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		if b.remove(p) {
			return ctx.Err()
		}
		<-p.done
		return p.err
	case b.turns <- struct{}{}:
	}
	defer func() { <-b.turns }()
	for {
		select {
		case <-p.done:
			return p.err
		default:
		}
		batch := b.take()
		if len(batch) == 0 {
			break
		}
		write(batch)
	}
	<-p.done
	return p.err
}

// groupWrite writes w, computed from the head cache, with the edits
// queued beside it and returns once the transaction holding it has
// committed (nil) or failed. errTakeLock means the chain moved since w was
// computed: nothing of w was written.
func (s *Store) groupWrite(ctx context.Context, w *sentenceWrite) error {
	return s.db.writes.do(ctx, w, s.writeBatch)
}

// writeBatch writes a batch on one connection admitted by the label gate
// and answers each of its edits.
//
// The batch's edits are written in the order of their articles, the
// order in which every batch locks them, so that two batches cannot wait
// for each other. An edit whose statement the database refuses aborts the
// transaction: it is taken out and answered (see refused), and the others
// are written again together. A failure of the connection, or one no
// statement can be blamed for, fails the whole batch.
func (s *Store) writeBatch(batch []*pending[*sentenceWrite]) {
	slices.SortFunc(batch, func(x, y *pending[*sentenceWrite]) int {
		return cmp.Or(cmp.Compare(x.job.art.ID, y.job.art.ID), cmp.Compare(x.job.s.ID, y.job.s.ID))
	})
	ctx, cancel := batchContext(batch)
	defer cancel()
	errs := make([]error, len(batch))
	err := s.gated(ctx, func() error {
		return s.onConnection(ctx, func(_ *gorm.DB, conn *sql.Conn) error {
			return pgxConn(conn, func(pc *pgx.Conn) error {
				rest := make([]int, len(batch)) // indexes of the edits not yet answered
				for i := range rest {
					rest[i] = i
				}
				for len(rest) > 1 {
					failed, err := writeTogether(ctx, pc, batch, rest, errs)
					var pgErr *pgconn.PgError
					switch {
					case err == nil:
						return nil
					case !errors.As(err, &pgErr) || failed < 0:
						return err
					}
					if err := rollbackConn(ctx, pc); err != nil {
						return err
					}
					i := rest[failed]
					errs[i] = refused(batch[i].job, pgErr)
					rest = slices.Delete(rest, failed, failed+1)
				}
				if len(rest) == 1 {
					errs[rest[0]] = writeOne(ctx, pc, batch[rest[0]].job)
				}
				return nil
			})
		})
	})
	for i, p := range batch {
		if err != nil {
			errs[i] = fmt.Errorf("update sentence %d: %w", p.job.s.ID, err)
		}
		if errs[i] == nil {
			s.db.heads.wrote(p.job)
		}
		p.finish(errs[i])
	}
}

// batchLockTimeout bounds how long a batch's statement waits for a row
// another transaction holds (an article in a long workflow step or
// revision import): past it the edit is taken out of the batch and
// written alone, where it may wait as long as it must, and the other
// articles' labels of the batch do not wait with it.
const batchLockTimeout = "100ms"

// refused answers an edit whose statement the database refused:
// errTakeLock — nothing was written; the edit goes again from a fresh
// read, then under locks, alone — when its sentence changed without its
// chain (see writeSentenceSQL), when it waited for a lock past
// batchLockTimeout or was chosen to break a deadlock; the refusal itself
// otherwise.
func refused(w *sentenceWrite, pgErr *pgconn.PgError) error {
	switch pgErr.Code {
	case "23502", // not_null_violation: see writeSentenceSQL
		"55P03", // lock_not_available: batchLockTimeout
		"40P01": // deadlock_detected
		return errTakeLock
	}
	return fmt.Errorf("update sentence %d: %w", w.s.ID, pgErr)
}

// batchContext is the context a batch is written under: no one request's,
// since it carries several, but ending when the last of them would.
func batchContext[J any](batch []*pending[J]) (context.Context, context.CancelFunc) {
	var last time.Time
	for _, p := range batch {
		d, ok := p.ctx.Deadline()
		if !ok {
			return context.WithCancel(context.WithoutCancel(p.ctx))
		}
		if d.After(last) {
			last = d
		}
	}
	return context.WithDeadline(context.WithoutCancel(batch[0].ctx), last)
}

// writeTogether writes the edits of batch at indexes rest in one
// transaction, one pipelined round trip: errs[i] is errTakeLock for an
// edit whose chain had moved. An error leaves nothing of them written;
// with a *pgconn.PgError, failed is the position in rest of the edit
// whose statement the database refused (-1 if none was) and the
// connection is in an aborted transaction.
func writeTogether(ctx context.Context, pc *pgx.Conn, batch []*pending[*sentenceWrite], rest []int, errs []error) (failed int, err error) {
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue("SET LOCAL lock_timeout = '" + batchLockTimeout + "'")
	for _, i := range rest {
		b.Queue(writeSentenceSQL, batch[i].job.args()...)
	}
	b.Queue("COMMIT")
	br := pc.SendBatch(ctx, b)
	failed = -1
	_, err = br.Exec()
	if err == nil {
		_, err = br.Exec()
	}
	moved := make([]int, len(rest))
	for k := range rest {
		if err == nil {
			if err = br.QueryRow().Scan(&moved[k]); err != nil {
				failed = k
			}
		}
	}
	if err == nil {
		var tag pgconn.CommandTag
		if tag, err = br.Exec(); err == nil && tag.String() != "COMMIT" {
			err = fmt.Errorf("commit: the database answered %s", tag)
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return failed, err
	}
	for k, i := range rest {
		if moved[k] != 1 {
			errs[i] = errTakeLock
		}
	}
	return -1, nil
}

// writeOne writes one edit in a statement of its own (its own
// transaction): errTakeLock when its chain has moved, or as refused says.
func writeOne(ctx context.Context, pc *pgx.Conn, w *sentenceWrite) error {
	var moved int
	err := pc.QueryRow(ctx, writeSentenceSQL, w.args()...).Scan(&moved)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr):
		return refused(w, pgErr)
	case err != nil:
		return fmt.Errorf("update sentence %d: %w", w.s.ID, err)
	case moved != 1:
		return errTakeLock
	}
	return nil
}
