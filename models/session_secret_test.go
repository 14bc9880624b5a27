package models_test

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"factdesk/auth"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// A pending secret is shown once, to the session that made it, within its
// time, and the table never holds it in the clear.
func TestPendingSecretShownOnce(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			var now atomic.Pointer[time.Time]
			start := time.Now().UTC().Truncate(time.Microsecond)
			now.Store(&start)
			db := testdb.OpenWith(t, k, models.Options{Clock: func() time.Time { return *now.Load() }})
			ctx := context.Background()
			st := models.NewStore(db)
			u, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "a@example.org", Name: "A", Role: models.RoleAdmin, PasswordHash: "x"})
			if err != nil {
				t.Fatal(err)
			}
			open := func() string {
				cookie := auth.NewSecret()
				sess := &models.Session{IDHash: auth.Digest(cookie), UserID: u.ID, CSRFToken: "c",
					CreatedAt: start, LastSeenAt: start, ExpiresAt: start.Add(time.Hour)}
				if err := st.CreateSession(ctx, sess); err != nil {
					t.Fatal(err)
				}
				return cookie
			}
			mine, other := open(), open()
			const token = "fdk_the-token-itself"
			if err := st.HoldSecret(ctx, mine, models.PendingSecret{Label: "API token “x”", Value: token}, time.Minute); err != nil {
				t.Fatal(err)
			}

			var stored []byte
			if err := db.Gorm().Table("sessions").Select("pending_secret").Where("id_hash = ?", auth.Digest(mine)).Row().Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if len(stored) == 0 || bytes.Contains(stored, []byte(token)) || bytes.Contains(stored, []byte("API token")) {
				t.Errorf("stored: %q, want it sealed", stored)
			}
			if _, err := st.TakeSecret(ctx, other); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("another session takes it: got %v, want not found", err)
			}
			got, err := st.TakeSecret(ctx, mine)
			if err != nil || got.Value != token || got.Label != "API token “x”" {
				t.Fatalf("take: got %+v, %v, want the token", got, err)
			}
			if _, err := st.TakeSecret(ctx, mine); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("take again: got %v, want not found", err)
			}

			// Not taken in time, it is gone.
			if err := st.HoldSecret(ctx, mine, models.PendingSecret{Label: "l", Value: "late"}, time.Minute); err != nil {
				t.Fatal(err)
			}
			later := start.Add(2 * time.Minute)
			now.Store(&later)
			if _, err := st.TakeSecret(ctx, mine); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("take after expiry: got %v, want not found", err)
			}
			now.Store(&start)
			if _, err := st.TakeSecret(ctx, mine); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("take after expiry, clock back: got %v, want it cleared", err)
			}

			// An expired secret of a live session is cleared by the sweep.
			if err := st.HoldSecret(ctx, other, models.PendingSecret{Label: "l", Value: "swept"}, time.Minute); err != nil {
				t.Fatal(err)
			}
			now.Store(&later)
			if _, err := st.DeleteExpiredSessions(ctx); err != nil {
				t.Fatal(err)
			}
			var left int64
			if err := db.Gorm().Table("sessions").Where("pending_secret IS NOT NULL").Count(&left).Error; err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Errorf("pending secrets after the sweep: %d, want 0", left)
			}
			now.Store(&start)

			// Of two pages asking at once, one shows it.
			if err := st.HoldSecret(ctx, mine, models.PendingSecret{Label: "l", Value: "once"}, time.Minute); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var shown atomic.Int32
			for range 4 {
				wg.Go(func() {
					if s, err := st.TakeSecret(ctx, mine); err == nil && s.Value == "once" {
						shown.Add(1)
					}
				})
			}
			wg.Wait()
			if n := shown.Load(); n != 1 {
				t.Errorf("shown %d times, want once", n)
			}

			// An ended session holds nothing.
			if err := st.DeleteSession(ctx, auth.Digest(other)); err != nil {
				t.Fatal(err)
			}
			if err := st.HoldSecret(ctx, other, models.PendingSecret{Label: "l", Value: "v"}, time.Minute); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("hold for an ended session: got %v, want not found", err)
			}
		})
	}
}
