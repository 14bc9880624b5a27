package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// SignInThrottle counts recent failed sign-ins for one key: an account
// ("email:…") or an address ("addr:…").
type SignInThrottle struct {
	Key           string `gorm:"primaryKey"`
	Failures      int
	LastFailureAt time.Time
}

// SignInFailures returns the counters for the keys that have any.
func (s *Store) SignInFailures(ctx context.Context, keys []string) ([]SignInThrottle, error) {
	var ts []SignInThrottle
	if err := s.db.gorm.WithContext(ctx).Where("key IN ?", keys).Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("load sign-in failures: %w", err)
	}
	return ts, nil
}

// RecordSignInFailure counts one more failure for each key. A counter whose
// last failure is older than window starts again from one.
func (s *Store) RecordSignInFailure(ctx context.Context, keys []string, window time.Duration) error {
	now := s.now()
	for _, k := range keys {
		err := s.db.gorm.WithContext(ctx).Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "key"}},
			DoUpdates: clause.Assignments(map[string]any{
				"failures":        clause.Expr{SQL: "CASE WHEN sign_in_throttles.last_failure_at < ? THEN 1 ELSE sign_in_throttles.failures + 1 END", Vars: []any{now.Add(-window)}},
				"last_failure_at": now,
			}),
		}).Create(&SignInThrottle{Key: k, Failures: 1, LastFailureAt: now}).Error
		if err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
	}
	return nil
}
