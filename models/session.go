package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. The cookie holds a random secret; the
// table holds only its SHA-256, so a copy of the table opens no session.
type Session struct {
	IDHash     string `gorm:"primaryKey"`
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	RemoteAddr string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a new session for the user.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if err := s.db.gorm.WithContext(ctx).Create(sess).Error; err != nil {
		return fmt.Errorf("create session for user %d: %w", sess.UserID, err)
	}
	return nil
}

// SessionUser returns the live session with the given hash and its user;
// expired sessions and disabled users are not found. It extends the
// session's last-seen time at most once a minute, to spare the database a
// write per request.
func (s *Store) SessionUser(ctx context.Context, idHash string) (*Session, *User, error) {
	var sess Session
	db := s.db.gorm.WithContext(ctx)
	now := s.now()
	if err := db.Where("id_hash = ? AND expires_at > ?", idHash, now).First(&sess).Error; err != nil {
		return nil, nil, notFound(err, "session")
	}
	var u User
	if err := db.Where("id = ? AND disabled_at IS NULL", sess.UserID).First(&u).Error; err != nil {
		return nil, nil, notFound(err, "user %d", sess.UserID)
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := db.Model(&Session{}).Where("id_hash = ?", idHash).Update("last_seen_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return &sess, &u, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if err := s.db.gorm.WithContext(ctx).Where("id_hash = ?", idHash).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry and returns how
// many there were; it also forgets the pending secrets (see HoldSecret)
// of live sessions that nobody came to see in time.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res := s.db.gorm.WithContext(ctx).Where("expires_at <= ?", s.now()).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	if err := s.clearExpiredSecrets(ctx); err != nil {
		return res.RowsAffected, err
	}
	return res.RowsAffected, nil
}

// SignIn records a successful sign-in: the new session and an audit event,
// in one transaction, and clears the failure counters of the account.
func (s *Store) SignIn(ctx context.Context, u *User, sess *Session, throttleKeys []string) error {
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(sess).Error; err != nil {
			return fmt.Errorf("create session for user %d: %w", u.ID, err)
		}
		if len(throttleKeys) > 0 {
			if err := tx.Where("key IN ?", throttleKeys).Delete(&SignInThrottle{}).Error; err != nil {
				return fmt.Errorf("clear sign-in failures: %w", err)
			}
		}
		return nil
	})
}
