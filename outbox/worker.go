package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"factdesk/models"
)

// Options tune a Worker; zero values take the defaults.
type Options struct {
	// Owner names this sender in the leases it takes; it must be unique
	// among the processes on one database. Default: DefaultOwner().
	Owner string
	// Timeout bounds one delivery. Default 30 s.
	Timeout time.Duration
	// Lease is how long a claimed message stays this sender's. It must be
	// longer than Timeout, with room for recording the outcome and for
	// clock skew between servers. Default 2 min.
	Lease time.Duration
	// Batch is how many messages are leased at once and delivered side by
	// side. Default 10.
	Batch int
	// Poll is how often the outbox is looked at when idle (Kick wakes the
	// worker sooner). Default 1 s.
	Poll time.Duration
	// MaxAttempts and MaxAge bound the retries: a message that failed that
	// many times, or would next be tried that long after it was queued,
	// is given up. Defaults 30 and 24 h.
	MaxAttempts int
	MaxAge      time.Duration
	// Backoff is the wait after the given failed attempt (1, 2, …).
	// Default: DefaultBackoff.
	Backoff func(attempt int) time.Duration
}

func (o *Options) defaults() error {
	if o.Owner == "" {
		o.Owner = DefaultOwner()
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Lease <= o.Timeout {
		return fmt.Errorf("outbox: the lease (%v) must be longer than the delivery timeout (%v)", o.Lease, o.Timeout)
	}
	if o.Batch <= 0 {
		o.Batch = 10
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 30
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 24 * time.Hour
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	return nil
}

// DefaultOwner names this process uniquely: host, process id and a random
// part, so that a restarted process with a recycled pid is someone else.
func DefaultOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("random owner id: %v", err)) // crypto/rand never fails on supported systems
	}
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// backoffSteps is the wait after each failed attempt before jitter; the
// last repeats.
var backoffSteps = []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour}

// DefaultBackoff waits 5 s after the first failure, then 30 s, 2 min,
// 10 min, 30 min and hourly after that, each ±20 % at random so that
// messages failed together do not come back together.
func DefaultBackoff(attempt int) time.Duration {
	d := backoffSteps[min(max(attempt, 1), len(backoffSteps))-1]
	return time.Duration(float64(d) * (0.8 + 0.4*mrand.Float64()))
}

// Stats counts what one worker did since it started.
type Stats struct {
	Sent, Retried, Failed, Lost int64
}

// Worker leases due messages from the outbox and delivers them with the
// Deliverer of their kind. Messages of kinds it has no Deliverer for stay
// queued for a process that has one.
type Worker struct {
	store *models.Store
	deliv map[string]Deliverer
	kinds []string
	opts  Options
	log   *slog.Logger
	kick  chan struct{}

	mu      sync.Mutex
	stop    chan struct{}
	done    chan struct{}
	closed  bool
	running bool

	sent, retried, failed, lost atomic.Int64
}

// New returns a worker on store delivering with deliverers (kind →
// Deliverer); it does nothing until Run. A nil log discards.
func New(store *models.Store, deliverers map[string]Deliverer, opts Options, log *slog.Logger) (*Worker, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{store: store, deliv: map[string]Deliverer{}, opts: opts, log: log.With("outbox", opts.Owner),
		kick: make(chan struct{}, 1), stop: make(chan struct{})}
	for k, d := range deliverers {
		if d != nil {
			w.deliv[k] = d
			w.kinds = append(w.kinds, k)
		}
	}
	sort.Strings(w.kinds)
	return w, nil
}

// Owner returns the name the worker leases messages under.
func (w *Worker) Owner() string { return w.opts.Owner }

// Kinds returns the kinds of message the worker delivers.
func (w *Worker) Kinds() []string { return append([]string(nil), w.kinds...) }

// Stats returns what the worker did so far.
func (w *Worker) Stats() Stats {
	return Stats{Sent: w.sent.Load(), Retried: w.retried.Load(), Failed: w.failed.Load(), Lost: w.lost.Load()}
}

// Kick wakes the worker to look at the outbox now (a message was just
// queued) instead of at the next poll.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends or Close is called, then finishes the
// deliveries in flight, records them, releases its other leases and
// returns. It may run once.
func (w *Worker) Run(ctx context.Context) error {
	w.mu.Lock()
	if w.closed || w.running {
		w.mu.Unlock()
		return errors.New("outbox: the worker is closed or already running")
	}
	w.running = true
	w.done = make(chan struct{})
	w.mu.Unlock()
	defer close(w.done)
	defer w.release()
	if len(w.kinds) == 0 {
		w.log.Info("outbox worker idle: no kind of message is configured to be sent")
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.stop:
			return nil
		case <-w.kick:
		case <-timer.C:
		}
		// A full batch suggests more are due: go on without waiting.
		for w.round(ctx) == w.opts.Batch {
			select {
			case <-ctx.Done():
				return nil
			case <-w.stop:
				return nil
			default:
			}
		}
		timer.Reset(w.opts.Poll)
	}
}

// Close stops the worker gracefully: deliveries in flight finish (each
// within the delivery timeout) and are recorded, unstarted leases are
// released. It returns once Run has returned.
func (w *Worker) Close() error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.stop)
	}
	done := w.done
	w.mu.Unlock()
	if done != nil {
		<-done
	}
	return nil
}

// release gives back the leases the worker holds but has not attempted.
func (w *Worker) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := w.store.ReleaseOutbox(ctx, w.opts.Owner)
	if err != nil {
		w.log.Warn("outbox leases not released; others take them when they run out", "error", err)
		return
	}
	if n > 0 {
		w.log.Info("released outbox leases", "messages", n)
	}
}
