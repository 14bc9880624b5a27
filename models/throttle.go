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

// SignInThrottle holds the recent failed sign-ins of one key: an account
// and address together ("pair:…"), an account ("email:…") or an address
// ("addr:…"). What Failures and LastFailureAt count is up to the policy
// that reads and moves them (reviewers.SignIn); a key seen for the first
// time has no failures.
type SignInThrottle struct {
	Key           string `gorm:"primaryKey"`
	Failures      int
	LastFailureAt time.Time
}

// SignInPolicy judges a sign-in attempt by its keys' counters as they
// stand at now: either a wait (the attempt is refused, nothing is
// counted), or the counters as they become once the attempt is counted.
type SignInPolicy func(now time.Time, ts []SignInThrottle) (wait time.Duration, counted []SignInThrottle)

// ReserveSignIn counts a sign-in attempt against each key before its
// password is checked — unless policy, given the keys' counters as they
// stand, says they must wait: then it counts nothing and returns the wait.
// The counters are read and moved under a lock (PostgreSQL's row locks,
// taken in key order; SQLite's single writer), so that attempts made in
// parallel are each counted before the next is judged: none slips past
// the limit while another's password is being hashed, in this process or
// another. A successful sign-in clears or forgives keys (SignIn,
// ForgiveSignIn).
func (s *Store) ReserveSignIn(ctx context.Context, keys []string, policy SignInPolicy) (time.Duration, error) {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
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
		var counted []SignInThrottle
		if d, counted = policy(now, ts); d > 0 {
			return nil
		}
		for _, t := range counted {
			if !slices.Contains(keys, t.Key) {
				return fmt.Errorf("sign-in policy counted key %q it was not given", t.Key)
			}
			err := tx.Model(&SignInThrottle{}).Where("key = ?", t.Key).Updates(map[string]any{
				"failures":        t.Failures,
				"last_failure_at": t.LastFailureAt,
			}).Error
			if err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return d, nil
}

// ForgiveSignIn takes back one attempt counted against key by
// ReserveSignIn, for a key that a successful sign-in does not clear.
func (s *Store) ForgiveSignIn(ctx context.Context, key string) error {
	err := s.db.gorm.WithContext(ctx).Model(&SignInThrottle{}).Where("key = ? AND failures > 0", key).
		Update("failures", gorm.Expr("failures - 1")).Error
	if err != nil {
		return fmt.Errorf("forgive sign-in attempt: %w", err)
	}
	return nil
}
