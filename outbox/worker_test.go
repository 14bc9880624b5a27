package outbox_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	netmail "net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"factdesk/internal/testdb"
	"factdesk/mail"
	"factdesk/mail/mailtest"
	"factdesk/models"
	"factdesk/outbox"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// mailer returns a Sender to the relay at rawURL, trusting roots.
func mailer(t *testing.T, rawURL string, srv *mailtest.Server) *mail.Sender {
	t.Helper()
	r, err := mail.ParseRelay(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	o := mail.Options{From: "Factdesk <desk@newsroom.example>"}
	if srv != nil {
		o.TLS = &tls.Config{RootCAs: srv.RootCAs()}
	}
	s, err := mail.NewSender(r, o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// start runs a worker on db until the test ends (or the test closes it).
func start(t *testing.T, db *models.DB, s *mail.Sender, o outbox.Options) *outbox.Worker {
	t.Helper()
	d := map[string]outbox.Deliverer{}
	if s != nil {
		d[models.OutboxEmail] = s
	}
	if o.Poll == 0 {
		o.Poll = 10 * time.Millisecond
	}
	return startWith(t, db, d, o)
}

// queue queues n mails and returns their outbox message ids.
func queue(t *testing.T, st *models.Store, n int) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for i := range n {
		m, err := st.QueueMail(context.Background(), "test.mail", models.OutboxMail{
			To: fmt.Sprintf("Reader %d <r%d@newsroom.example>", i, i), Subject: fmt.Sprintf("Notice %d — geprüft", i), Text: "Hallo.\n"})
		if err != nil {
			t.Fatal(err)
		}
		ids[m.MessageID] = m.ID
	}
	return ids
}

// eventually polls cond until it holds or the time is up.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func counts(t *testing.T, st *models.Store) models.OutboxCounts {
	t.Helper()
	c, err := st.CountOutbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkOnce checks that the relay got every queued message exactly once,
// and that each is recorded sent with one successful attempt.
func checkOnce(t *testing.T, st *models.Store, ids map[string]int64, got []mailtest.Message) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range got {
		msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(strings.TrimPrefix(msg.Header.Get("Message-ID"), "<"), "@newsroom.example>")
		seen[id]++
	}
	for id, n := range seen {
		if _, ok := ids[id]; !ok {
			t.Errorf("the relay got %s, which was never queued", id)
		}
		if n != 1 {
			t.Errorf("the relay got %s %d times", id, n)
		}
	}
	if len(seen) != len(ids) {
		t.Errorf("the relay got %d distinct messages, want %d", len(seen), len(ids))
	}
	ctx := context.Background()
	for mid, id := range ids {
		m, err := st.OutboxMessageByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		as, err := st.OutboxAttempts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if m.SentAt == nil || m.Attempts != 1 || m.LeaseOwner != nil || len(as) != 1 || as[0].Error != "" || as[0].Status == nil || *as[0].Status != 250 {
			t.Fatalf("message %d (%s): sent %v, attempts %d, owner %v, attempt rows %+v; want sent once", id, mid, m.SentAt, m.Attempts, m.LeaseOwner, as)
		}
	}
}

// Two workers on two handles of one database share the outbox: the relay
// receives each Message-ID once and every row is sent with one attempt.
func TestWorkersSendEachOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		const n = 200
		srv := mailtest.Start(t, mailtest.Options{TLS: true, User: "desk", Password: "pw"})
		st := models.NewStore(db)
		ids := queue(t, st, n)
		s := mailer(t, "smtp://desk:pw@"+srv.Addr(), srv)
		opts := outbox.Options{Batch: 10, Timeout: 10 * time.Second, Lease: 30 * time.Second}
		began := time.Now()
		w1 := start(t, db, s, opts)
		w2 := start(t, testdb.Reopen(t, db, models.Options{}), s, opts)
		srv.Wait(t, n, 90*time.Second)
		eventually(t, 30*time.Second, "all recorded sent", func() bool { return counts(t, st).Sent == n })
		elapsed := time.Since(began)
		w1.Close()
		w2.Close()
		checkOnce(t, st, ids, srv.Messages())
		s1, s2 := w1.Stats(), w2.Stats()
		if s1.Sent+s2.Sent != n || s1.Lost+s2.Lost != 0 {
			t.Errorf("stats: %+v and %+v", s1, s2)
		}
		t.Logf("%d mails over STARTTLS+AUTH in %v: %.0f messages/s (workers sent %d and %d)",
			n, elapsed.Round(time.Millisecond), n/elapsed.Seconds(), s1.Sent, s2.Sent)
	})
}

// A worker closed in the middle records what it sent and leaves nothing
// leased; a new worker sends the rest, none twice, none lost.
func TestWorkerRestart(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		const n = 60
		// The relay holds the 13th to 15th mail (the third batch of 5) for
		// a while, so that Close comes while they are in flight.
		var rcpts atomic.Int32
		srv := mailtest.Start(t, mailtest.Options{TLS: true, Rcpt: func(string) error {
			if n := rcpts.Add(1); n > 12 && n <= 15 {
				time.Sleep(300 * time.Millisecond)
			}
			return nil
		}})
		st := models.NewStore(db)
		ids := queue(t, st, n)
		s := mailer(t, "smtp://"+srv.Addr(), srv)
		opts := outbox.Options{Batch: 5, Timeout: 10 * time.Second, Lease: 30 * time.Second}
		w1 := start(t, db, s, opts)
		srv.Wait(t, 12, 30*time.Second)
		w1.Close()
		got := len(srv.Messages())
		c := counts(t, st)
		if got != 15 || c.Sent != 15 || c.Leased != 0 {
			t.Fatalf("after close: %+v, the relay has %d; want the 3 in flight finished, all 15 recorded, none leased", c, got)
		}
		var unsent []models.OutboxMessage
		if err := db.Gorm().Where("sent_at IS NULL").Find(&unsent).Error; err != nil {
			t.Fatal(err)
		}
		for _, m := range unsent {
			if m.Attempts != 0 || m.LeaseOwner != nil {
				t.Fatalf("unsent message %d after close: attempts %d, owner %v", m.ID, m.Attempts, m.LeaseOwner)
			}
		}
		start(t, testdb.Reopen(t, db, models.Options{}), s, opts)
		srv.Wait(t, n, 60*time.Second)
		eventually(t, 30*time.Second, "all recorded sent", func() bool { return counts(t, st).Sent == n })
		checkOnce(t, st, ids, srv.Messages())
		t.Logf("closed after %d of %d; the new worker sent the rest", got, n)
	})
}

// freeAddr returns a loopback address nothing listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Mail to a relay that is down waits, its failed attempts recorded, and
// all of it goes once the relay is up.
func TestRelayDownThenUp(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		const n = 5
		addr := freeAddr(t)
		st := models.NewStore(db)
		ids := queue(t, st, n)
		start(t, db, mailer(t, "smtp+insecure://"+addr, nil), outbox.Options{
			Timeout: 2 * time.Second, Lease: 5 * time.Second, Backoff: func(int) time.Duration { return 50 * time.Millisecond }})
		eventually(t, 20*time.Second, "two failed attempts each", func() bool {
			for _, id := range ids {
				as, err := st.OutboxAttempts(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				if len(as) < 2 {
					return false
				}
			}
			return true
		})
		srv := mailtest.Start(t, mailtest.Options{Addr: addr})
		srv.Wait(t, n, 20*time.Second)
		eventually(t, 20*time.Second, "all recorded sent", func() bool { return counts(t, st).Sent == n })
		seen := map[string]bool{}
		for _, m := range srv.Messages() {
			msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
			if err != nil {
				t.Fatal(err)
			}
			if id := msg.Header.Get("Message-ID"); seen[id] {
				t.Errorf("%s arrived twice", id)
			} else {
				seen[id] = true
			}
		}
		for _, id := range ids {
			m, err := st.OutboxMessageByID(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			as, err := st.OutboxAttempts(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if m.SentAt == nil || len(as) != m.Attempts || len(as) < 3 {
				t.Fatalf("message %d: sent %v, attempts %d, rows %d; want ≥ 2 failures then a success", id, m.SentAt, m.Attempts, len(as))
			}
			for i, a := range as {
				last := i == len(as)-1
				if a.Attempt != i+1 || last != (a.Error == "") || (!last && !strings.Contains(a.Error, "connect")) {
					t.Fatalf("message %d attempt %d: %+v", id, i+1, a)
				}
			}
		}
	})
}

// A recipient the relay refuses is given up at once; a relay that stays
// down is given up after MaxAttempts.
func TestWorkerGivesUp(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t, mailtest.Options{TLS: true, Rcpt: func(to string) error {
			if strings.HasPrefix(to, "gone@") {
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
			}
			return nil
		}})
		st := models.NewStore(db)
		gone, err := st.QueueMail(ctx, "test.mail", models.OutboxMail{To: "gone@newsroom.example", Subject: "s", Text: "t"})
		if err != nil {
			t.Fatal(err)
		}
		w := start(t, db, mailer(t, "smtp://"+srv.Addr(), srv), outbox.Options{Timeout: 5 * time.Second, Lease: 10 * time.Second})
		eventually(t, 20*time.Second, "the refused mail given up", func() bool { return counts(t, st).Failed == 1 })
		w.Close()
		m, err := st.OutboxMessageByID(ctx, gone.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.FailedAt == nil || m.Attempts != 1 || m.LastStatus == nil || *m.LastStatus != 550 {
			t.Fatalf("refused mail: %+v", m)
		}

		down, err := st.QueueMail(ctx, "test.mail", models.OutboxMail{To: "kim@newsroom.example", Subject: "s", Text: "t"})
		if err != nil {
			t.Fatal(err)
		}
		start(t, db, mailer(t, "smtp://"+freeAddr(t), nil), outbox.Options{Timeout: time.Second, Lease: 5 * time.Second, MaxAttempts: 2,
			Backoff: func(int) time.Duration { return 20 * time.Millisecond }})
		eventually(t, 20*time.Second, "the undeliverable mail given up", func() bool { return counts(t, st).Failed == 2 })
		as, err := st.OutboxAttempts(ctx, down.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 2 || !strings.Contains(as[1].Error, "given up after 2 attempts") {
			t.Fatalf("attempts of the undeliverable mail: %+v", as)
		}
	})
}

// Mail waits, unleased, in a process without a relay; one with a relay
// sends it.
func TestKindWithoutDelivererStaysQueued(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		st := models.NewStore(db)
		ids := queue(t, st, 1)
		w := start(t, db, nil, outbox.Options{})
		for range 5 {
			w.Kick()
			time.Sleep(20 * time.Millisecond)
		}
		w.Close()
		for _, id := range ids {
			m, err := st.OutboxMessageByID(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if m.Attempts != 0 || m.LeaseOwner != nil || m.SentAt != nil || m.FailedAt != nil {
				t.Fatalf("mail touched by a worker without a relay: %+v", m)
			}
		}
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		start(t, db, mailer(t, "smtp://"+srv.Addr(), srv), outbox.Options{})
		srv.Wait(t, 1, 20*time.Second)
		eventually(t, 20*time.Second, "recorded sent", func() bool { return counts(t, st).Sent == 1 })
		checkOnce(t, st, ids, srv.Messages())
	})
}

func TestWorkerOptions(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := outbox.New(models.NewStore(db), nil, outbox.Options{Timeout: time.Minute, Lease: time.Minute}, log); err == nil {
		t.Fatal("a lease no longer than the timeout was accepted")
	}
	w, err := outbox.New(models.NewStore(db), nil, outbox.Options{}, log)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := w.Owner(), outbox.DefaultOwner(); a == b || a == "" {
		t.Fatalf("owners %q and %q: want unique", a, b)
	}
	w.Close()
	if err := w.Run(context.Background()); err == nil {
		t.Fatal("a closed worker ran")
	}
	for attempt, want := range map[int]time.Duration{1: 5 * time.Second, 2: 30 * time.Second, 3: 2 * time.Minute, 6: time.Hour, 40: time.Hour} {
		if d := outbox.DefaultBackoff(attempt); d < want*8/10 || d > want*12/10 {
			t.Errorf("backoff after attempt %d: %v, want %v ± 20 %%", attempt, d, want)
		}
	}
}
