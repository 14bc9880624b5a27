package models

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Group commit of labels. The edits waiting to be written at the same
// moment are written together, in one transaction, so that a burst of
// labels costs the database one commit (and on PostgreSQL two round
// trips) per batch instead of per label. No edit waits for others to
// arrive: whoever gets a turn writes what is queued then, alone if it is
// alone. An edit is answered only after the transaction that holds it
// has committed.
//
// On PostgreSQL, measured with the bench (64 clients, 2 cores) on the
// path of issue 19, 4 batches in flight made the biggest batches without
// leaving the database idle while one's commit is flushed; one alone
// left it idle, as many as the connections made batches of two.
const (
	writeBatchesInFlight = 4
	maxWriteBatch        = 32
)

// batcher queues the edits waiting to be written and bounds the batches
// in flight; J is what one queued edit carries.
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
func (db *DB) LabelBatches() (batches, writes int) {
	switch {
	case db.sqliteEdits != nil:
		return db.sqliteEdits.counts()
	case db.pgEdits != nil:
		return db.pgEdits.counts()
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
