package outbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"factdesk/models"
)

// round leases one batch and delivers it, side by side, and returns how
// many messages it leased. Deliveries and their records run on a context
// of their own: stopping the worker lets them finish.
func (w *Worker) round(ctx context.Context) int {
	if len(w.kinds) == 0 {
		return 0
	}
	ms, err := w.store.ClaimOutbox(ctx, w.opts.Owner, w.kinds, w.opts.Batch, w.opts.Lease)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("outbox claim failed", "error", err)
		}
		return 0
	}
	base := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for i := range ms {
		wg.Go(func() { w.handle(base, &ms[i]) })
	}
	wg.Wait()
	return len(ms)
}

// handle delivers one leased message and records the outcome.
func (w *Worker) handle(ctx context.Context, m *models.OutboxMessage) {
	var out models.OutboxOutcome
	if m.Attempts > w.opts.MaxAttempts {
		// Only leases that ran out unrecorded (a sender killed mid-way)
		// get here: a message that brings senders down stops at last.
		out = models.OutboxOutcome{Err: fmt.Errorf("given up: %d attempts, the last ones unrecorded", m.Attempts-1), GiveUp: true}
	} else {
		out = w.attempt(ctx, m)
	}
	w.record(ctx, m, out)
}

// attempt runs the Deliverer within the delivery timeout and decides
// what follows a failure.
func (w *Worker) attempt(ctx context.Context, m *models.OutboxMessage) models.OutboxOutcome {
	dctx, cancel := context.WithTimeout(ctx, w.opts.Timeout)
	defer cancel()
	start := time.Now()
	res := safeDeliver(dctx, w.deliv[m.Kind], m)
	out := models.OutboxOutcome{Status: res.Status, Err: res.Err, Duration: time.Since(start)}
	if res.Err == nil {
		return out
	}
	retry := w.opts.Backoff(m.Attempts)
	age := w.store.Now().Sub(m.CreatedAt) + retry
	switch {
	case res.Permanent:
		out.GiveUp = true
	case m.Attempts >= w.opts.MaxAttempts:
		out.GiveUp = true
		out.Err = fmt.Errorf("%w; given up after %d attempts", res.Err, m.Attempts)
	case age > w.opts.MaxAge:
		out.GiveUp = true
		out.Err = fmt.Errorf("%w; given up %v after it was queued", res.Err, (age - retry).Round(time.Second))
	default:
		out.Retry = retry
	}
	return out
}

// safeDeliver runs d, turning a panic into a failed attempt so that one
// bad message cannot stop the worker.
func safeDeliver(ctx context.Context, d Deliverer, m *models.OutboxMessage) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{Err: fmt.Errorf("deliverer panicked: %v", p)}
		}
	}()
	return d.Deliver(ctx, m)
}

// recordTries is how often a failed record is tried again before the
// message is left to its lease (and so perhaps sent twice).
const recordTries = 3

// record writes the outcome, trying again a little while the database
// hiccups: a delivered message not recorded goes again after its lease.
func (w *Worker) record(ctx context.Context, m *models.OutboxMessage, out models.OutboxOutcome) {
	log := w.log.With("id", m.ID, "kind", m.Kind, "event", m.Event, "message_id", m.MessageID, "attempt", m.Attempts)
	var err error
	for try := range recordTries {
		if try > 0 {
			time.Sleep(time.Duration(try) * 500 * time.Millisecond)
		}
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = w.store.FinishOutbox(rctx, w.opts.Owner, m.ID, out)
		cancel()
		if err == nil || errors.Is(err, models.ErrLeaseLost) {
			break
		}
	}
	switch {
	case errors.Is(err, models.ErrLeaseLost):
		w.lost.Add(1)
		log.Warn("outbox lease lost before the outcome was recorded; another sender has the message", "delivered", out.Err == nil)
	case err != nil:
		w.lost.Add(1)
		log.Error("outbox outcome not recorded; the message goes again when its lease runs out", "delivered", out.Err == nil, "error", err)
	case out.Err == nil:
		w.sent.Add(1)
		log.Debug("outbox message sent", "status", out.Status, "duration", out.Duration)
	case out.GiveUp:
		w.failed.Add(1)
		log.Error("outbox message given up", "status", out.Status, "error", out.Err)
	default:
		w.retried.Add(1)
		log.Warn("outbox delivery failed; will try again", "status", out.Status, "error", out.Err, "retry_in", out.Retry.Round(time.Second))
	}
}
