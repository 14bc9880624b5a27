package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/migrations"
)

// SignInThrottle counts recent failed sign-ins for one key: an account
// ("email:…") or an address ("addr:…").
type SignInThrottle struct {
	Key           string `gorm:"primaryKey"`
	Failures      int
	LastFailureAt time.Time
}

// ReserveSignIn counts a sign-in attempt against each key before its
// password is checked — unless wait, given the keys' counters as they
// stand, says they must wait: then it counts nothing and returns the wait.
// The counters are read and moved under a lock (PostgreSQL's row locks,
// taken in key order; SQLite's single writer), so that attempts made in
// parallel are each counted before the next is judged: none slips past
// the limit while another's password is being hashed, in this process or
// another. A successful sign-in clears the keys (SignIn).
func (s *Store) ReserveSignIn(ctx context.Context, keys []string, window time.Duration, wait func(now time.Time, ts []SignInThrottle) time.Duration) (time.Duration, error) {
	keys = slices.Sorted(slices.Values(keys))
	var d time.Duration
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := tx.NowFunc()
		for _, k := range keys {
			// A key seen for the first time gets a row to lock, counting
			// nothing yet.
			err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&SignInThrottle{Key: k, Failures: 0, LastFailureAt: now}).Error
			if err != nil {
				return fmt.Errorf("prepare sign-in counter: %w", err)
			}
		}
		q := tx
		if s.db.dialect == migrations.Postgres {
			q = tx.Clauses(lockForUpdate())
		}
		var ts []SignInThrottle
		if err := q.Where("key IN ?", keys).Order("key").Find(&ts).Error; err != nil {
			return fmt.Errorf("lock sign-in counters: %w", err)
		}
		if d = wait(now, ts); d > 0 {
			return nil
		}
		err := tx.Model(&SignInThrottle{}).Where("key IN ?", keys).Updates(map[string]any{
			"failures":        gorm.Expr("CASE WHEN last_failure_at < ? THEN 1 ELSE failures + 1 END", now.Add(-window)),
			"last_failure_at": now,
		}).Error
		if err != nil {
			return fmt.Errorf("count sign-in attempt: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return d, nil
}
