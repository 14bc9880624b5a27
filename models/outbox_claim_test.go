package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// fakeClock is a store clock the test moves by hand.
type fakeClock struct{ t atomic.Pointer[time.Time] }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c.t.Store(&start)
	return c
}

func (c *fakeClock) Now() time.Time { return *c.t.Load() }

func (c *fakeClock) Advance(d time.Duration) {
	t := c.Now().Add(d)
	c.t.Store(&t)
}

// queueMails queues n mails and returns their ids in order.
func queueMails(t *testing.T, st *models.Store, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		m, err := st.QueueMail(context.Background(), "test.mail", models.OutboxMail{To: fmt.Sprintf("r%d@example.org", i), Subject: "s", Text: "t"})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}
	return ids
}

func claimedIDs(ms []models.OutboxMessage) []int64 {
	ids := make([]int64, len(ms))
	for i := range ms {
		ids[i] = ms[i].ID
	}
	return ids
}

// A claim leases due messages oldest first and no one else gets them
// while the lease lasts; an expired lease lets another take the message,
// and the first owner can no longer record it.
func TestOutboxClaimLeaseAndFinish(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			clock := newFakeClock()
			db := testdb.OpenWith(t, k, models.Options{Clock: clock.Now})
			st := models.NewStore(db)
			ids := queueMails(t, st, 3)
			email := []string{models.OutboxEmail}

			if got, err := st.ClaimOutbox(ctx, "a", []string{models.OutboxWebhook}, 10, time.Minute); err != nil || len(got) != 0 {
				t.Fatalf("claim of another kind: got %v, %v; want none", claimedIDs(got), err)
			}
			got, err := st.ClaimOutbox(ctx, "a", email, 2, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if want := ids[:2]; fmt.Sprint(claimedIDs(got)) != fmt.Sprint(want) {
				t.Fatalf("claimed %v, want %v", claimedIDs(got), want)
			}
			if got[0].Attempts != 1 || got[0].LeaseOwner == nil || *got[0].LeaseOwner != "a" || !got[0].LeaseUntil.Equal(clock.Now().Add(time.Minute)) {
				t.Fatalf("claimed message: attempts %d owner %v until %v", got[0].Attempts, got[0].LeaseOwner, got[0].LeaseUntil)
			}
			if b, err := st.ClaimOutbox(ctx, "b", email, 10, time.Minute); err != nil || fmt.Sprint(claimedIDs(b)) != fmt.Sprint(ids[2:]) {
				t.Fatalf("b claimed %v (%v), want only %v", claimedIDs(b), err, ids[2:])
			}

			// a delivers the first, fails the second for a retry in 5 s.
			if err := st.FinishOutbox(ctx, "a", ids[0], models.OutboxOutcome{Status: 250, Duration: 12 * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
			if err := st.FinishOutbox(ctx, "a", ids[1], models.OutboxOutcome{Status: 451, Err: errors.New("try later"), Retry: 5 * time.Second}); err != nil {
				t.Fatal(err)
			}
			if err := st.FinishOutbox(ctx, "a", ids[0], models.OutboxOutcome{Status: 250}); !errors.Is(err, models.ErrLeaseLost) {
				t.Fatalf("second record of a sent message: got %v, want ErrLeaseLost", err)
			}
			m0, err := st.OutboxMessageByID(ctx, ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if m0.SentAt == nil || !m0.SentAt.Equal(clock.Now()) || m0.LeaseOwner != nil || m0.LastStatus == nil || *m0.LastStatus != 250 {
				t.Fatalf("sent message: %+v", m0)
			}
			m1, err := st.OutboxMessageByID(ctx, ids[1])
			if err != nil {
				t.Fatal(err)
			}
			if m1.SentAt != nil || m1.FailedAt != nil || !m1.NextAttemptAt.Equal(clock.Now().Add(5*time.Second)) || m1.LastError != "try later" {
				t.Fatalf("retried message: %+v", m1)
			}
			as, err := st.OutboxAttempts(ctx, ids[1])
			if err != nil {
				t.Fatal(err)
			}
			if len(as) != 1 || as[0].Attempt != 1 || as[0].Error != "try later" || as[0].Status == nil || *as[0].Status != 451 {
				t.Fatalf("attempts of the retried message: %+v", as)
			}

			// Not due before its time; due after it.
			if got, err := st.ClaimOutbox(ctx, "a", email, 10, time.Minute); err != nil || len(got) != 0 {
				t.Fatalf("claim before the retry is due: got %v, %v", claimedIDs(got), err)
			}
			clock.Advance(5 * time.Second)
			if got, err := st.ClaimOutbox(ctx, "a", email, 10, time.Minute); err != nil || fmt.Sprint(claimedIDs(got)) != fmt.Sprint(ids[1:2]) || got[0].Attempts != 2 {
				t.Fatalf("claim of the due retry: got %v, %v", claimedIDs(got), err)
			}

			// b's lease on the third runs out; a takes it; b has lost it.
			clock.Advance(time.Minute + time.Second)
			got, err = st.ClaimOutbox(ctx, "a", email, 10, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			// Oldest due first: the third was due before the retried second.
			if want := []int64{ids[2], ids[1]}; fmt.Sprint(claimedIDs(got)) != fmt.Sprint(want) {
				t.Fatalf("claim after the leases ran out: got %v, want %v", claimedIDs(got), want)
			}
			if err := st.FinishOutbox(ctx, "b", ids[2], models.OutboxOutcome{Status: 250}); !errors.Is(err, models.ErrLeaseLost) {
				t.Fatalf("b records after losing its lease: got %v, want ErrLeaseLost", err)
			}
			if as, err := st.OutboxAttempts(ctx, ids[2]); err != nil || len(as) != 0 {
				t.Fatalf("a lost lease wrote attempts: %+v, %v", as, err)
			}
			if err := st.FinishOutbox(ctx, "a", ids[2], models.OutboxOutcome{Status: 550, Err: errors.New("no such user"), GiveUp: true}); err != nil {
				t.Fatal(err)
			}
			m2, err := st.OutboxMessageByID(ctx, ids[2])
			if err != nil {
				t.Fatal(err)
			}
			if m2.FailedAt == nil || m2.SentAt != nil || m2.Attempts != 2 {
				t.Fatalf("given-up message: %+v", m2)
			}

			// Releasing drops a's lease on the second and uncounts its claim.
			n, err := st.ReleaseOutbox(ctx, "a")
			if err != nil || n != 1 {
				t.Fatalf("release: %d, %v; want 1", n, err)
			}
			m1, err = st.OutboxMessageByID(ctx, ids[1])
			if err != nil {
				t.Fatal(err)
			}
			if m1.LeaseOwner != nil || m1.LeaseUntil != nil || m1.Attempts != 2 {
				t.Fatalf("released message: owner %v until %v attempts %d (want 2: the first attempt and the retry; the third claim was released)", m1.LeaseOwner, m1.LeaseUntil, m1.Attempts)
			}
			c, err := st.CountOutbox(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := (models.OutboxCounts{Queued: 1, Sent: 1, Failed: 1}); c != want {
				t.Fatalf("counts: got %+v, want %+v", c, want)
			}
		})
	}
}

// Two handles on one database claiming and finishing at full speed never
// get the same message; the figures are the raw rows/s of the store.
func TestOutboxClaimConcurrent(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		const n = 400
		st := models.NewStore(db)
		queueMails(t, st, n)
		stores := []*models.Store{st, models.NewStore(testdb.Reopen(t, db, models.Options{}))}
		var (
			mu   sync.Mutex
			seen = map[int64]string{}
			wg   sync.WaitGroup
			errs = make(chan error, 4)
		)
		start := time.Now()
		for w := range 4 {
			owner := fmt.Sprintf("w%d", w)
			s := stores[w%2]
			wg.Go(func() {
				for {
					ms, err := s.ClaimOutbox(ctx, owner, []string{models.OutboxEmail}, 10, time.Minute)
					if err != nil {
						errs <- err
						return
					}
					if len(ms) == 0 {
						return
					}
					for _, m := range ms {
						mu.Lock()
						prev, dup := seen[m.ID]
						seen[m.ID] = owner
						mu.Unlock()
						if dup {
							errs <- fmt.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
							return
						}
						if err := s.FinishOutbox(ctx, owner, m.ID, models.OutboxOutcome{Status: 250}); err != nil {
							errs <- err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != n {
			t.Fatalf("claimed %d messages, want %d", len(seen), n)
		}
		c, err := st.CountOutbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Sent != n || c.Queued != 0 {
			t.Fatalf("counts: %+v, want %d sent", c, n)
		}
		t.Logf("claim+finish: %d messages in %v, %.0f rows/s (4 claimers on 2 handles, batches of 10)", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	})
}
