package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Channel is the PostgreSQL notification channel factdesk uses.
const Channel = "factdesk_live"

// maxPayload keeps a notification under PostgreSQL's 8000-byte limit; an
// event with more data travels without it and subscribers fetch it.
const maxPayload = 7000

// Postgres is a broker that sends every event through PostgreSQL's
// LISTEN/NOTIFY, so that each server process on the database delivers
// every process's events to its own subscribers.
type Postgres struct {
	h      *hub
	pool   *pgxpool.Pool
	log    *slog.Logger
	cancel context.CancelFunc
	done   chan struct{}
	// pub queues notification payloads for the sender, which sends what
	// has queued meanwhile in one statement (see Publish); sent closes
	// when the sender has stopped.
	pub      chan string
	stop     chan struct{}
	stopOnce sync.Once
	sent     chan struct{}
}

// maxBatch bounds the notifications sent in one statement, and
// queueSize those waiting for the sender.
const (
	maxBatch  = 256
	queueSize = 4096
)

// publishWait bounds Publish when its context has no deadline, and
// sendWait one statement of the sender.
const (
	publishWait = 2 * time.Second
	sendWait    = 5 * time.Second
)

// NewPostgres connects to the database at dsn, listens on Channel and
// returns the broker. The listening connection reconnects by itself after
// a database outage.
func NewPostgres(ctx context.Context, dsn string, log *slog.Logger) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lctx, cancel := context.WithCancel(context.Background())
	p := &Postgres{h: newHub(), pool: pool, log: log, cancel: cancel, done: make(chan struct{}),
		pub: make(chan string, queueSize), stop: make(chan struct{}), sent: make(chan struct{})}
	ready := make(chan error, 1)
	go p.listen(lctx, ready)
	go p.send()
	select {
	case err := <-ready:
		if err != nil {
			cancel()
			<-p.done
			pool.Close()
			return nil, fmt.Errorf("live: listen: %w", err)
		}
	case <-ctx.Done():
		cancel()
		<-p.done
		pool.Close()
		return nil, ctx.Err()
	}
	return p, nil
}

// listen holds a connection in LISTEN and delivers notifications, coming
// back after connection losses with a short pause.
func (p *Postgres) listen(ctx context.Context, ready chan<- error) {
	defer close(p.done)
	first := true
	for ctx.Err() == nil {
		err := p.listenOnce(ctx, func() {
			if first {
				ready <- nil
				first = false
			}
		})
		if first {
			ready <- err
			return
		}
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("live: listening connection lost; reconnecting", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (p *Postgres) listenOnce(ctx context.Context, listening func()) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		conn.Conn().Close(context.Background())
		return err
	}
	listening()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			// A broken connection must not go back to the pool.
			conn.Conn().Close(context.Background())
			return err
		}
		var e Event
		if err := json.Unmarshal([]byte(n.Payload), &e); err != nil {
			p.log.Warn("live: bad notification", "error", err)
			continue
		}
		p.h.deliver(e)
	}
}

// Publish queues e to be sent through the database to every process.
// Queued events travel together, many notifications in one statement and
// one transaction: PostgreSQL lets one notifying transaction commit at a
// time (each holds a database-wide lock through its commit and WAL flush),
// so a transaction per event would cap a busy server's changes at one per
// flush. Publish does not wait for the sending: the change it announces
// has committed, and the person who made it should not wait for the
// others to hear of it. It waits only while the queue is full, at most
// until ctx ends; a failed send is logged (pages resynchronise).
func (p *Postgres) Publish(ctx context.Context, e Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if len(b) > maxPayload {
		e.Data = nil
		if b, err = json.Marshal(e); err != nil {
			return err
		}
	}
	select {
	case <-p.stop:
		return fmt.Errorf("live: notify: broker closed")
	default:
	}
	select {
	case p.pub <- string(b):
		return nil
	default:
	}
	if _, ok := ctx.Deadline(); !ok {
		// A change has committed before it is published: its request must
		// not hang on a database that went away meanwhile.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, publishWait)
		defer cancel()
	}
	select {
	case p.pub <- string(b):
		return nil
	case <-p.stop:
		return fmt.Errorf("live: notify: broker closed")
	case <-ctx.Done():
		return fmt.Errorf("live: notify: queue full: %w", ctx.Err())
	}
}

// send sends the queued notifications until the broker closes: the first
// one waiting, with every other one queued by then. Closing sends what
// is still queued.
func (p *Postgres) send() {
	defer close(p.sent)
	batch := make([]string, 0, maxBatch)
	for {
		stopping := false
		select {
		case n := <-p.pub:
			batch = append(batch, n)
		case <-p.stop:
			stopping = true
		}
	more:
		for len(batch) < maxBatch {
			select {
			case n := <-p.pub:
				batch = append(batch, n)
			default:
				break more
			}
		}
		if len(batch) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), sendWait)
			_, err := p.pool.Exec(ctx, "SELECT pg_notify($1, x) FROM unnest($2::text[]) AS x", Channel, batch)
			cancel()
			if err != nil {
				p.log.Warn("live: notify failed; watchers resynchronise", "events", len(batch), "error", err)
			}
			batch = batch[:0]
		}
		if stopping && len(p.pub) == 0 {
			return
		}
	}
}

// Subscribe subscribes to an article's events.
func (p *Postgres) Subscribe(articleID, userID int64) (<-chan Event, func(), error) {
	return p.h.subscribe(userID, topic{article: articleID})
}

// SubscribeUser subscribes to a user's inbox events, from every process.
func (p *Postgres) SubscribeUser(userID int64) (<-chan Event, func(), error) {
	return p.h.subscribe(userID, topic{user: userID})
}

// SubscribeWithInbox subscribes to an article's events and the user's
// inbox events on one stream, from every process.
func (p *Postgres) SubscribeWithInbox(articleID, userID int64) (<-chan Event, func(), error) {
	return p.h.subscribe(userID, topic{article: articleID}, topic{user: userID})
}

// Open returns the number of open subscriptions in this process.
func (p *Postgres) Open() int { return p.h.open() }

// Close stops listening and ends every subscription.
func (p *Postgres) Close() error {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.sent
	p.cancel()
	<-p.done
	p.h.close()
	p.pool.Close()
	return nil
}
