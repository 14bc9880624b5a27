package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/migrations"
)

// APIToken is a bearer token for the HTTP API. Only its SHA-256 is kept;
// the token itself is shown once, when it is made.
type APIToken struct {
	ID         int64      `gorm:"primaryKey" json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// TableName names the table of APIToken.
func (APIToken) TableName() string { return "api_tokens" }

// CreateToken stores a token for the user, with an audit event.
func (s *Store) CreateToken(ctx context.Context, actor Actor, userID int64, name, hash, prefix string) (*APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return nil, FieldError("name", "a token name of 1 to 100 characters is required")
	}
	t := &APIToken{UserID: userID, Name: name, TokenHash: hash, Prefix: prefix}
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.First(&u, userID).Error; err != nil {
			return notFound(err, "user %d", userID)
		}
		if u.Disabled() {
			return FieldError("user", "user %s is disabled", u.Email)
		}
		if err := tx.Create(t).Error; err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "token.create", Entity: "token", EntityID: t.ID,
			After: map[string]any{"user_id": userID, "name": name, "prefix": prefix}})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// TokenUser returns the live token with the given hash and its user, and
// notes its use (at most once a minute). Every API request asks it: a
// lookup is remembered for a few seconds (Options.TokenCacheTTL), and the
// database read takes both rows in one query, without GORM's reflection.
func (s *Store) TokenUser(ctx context.Context, hash string) (*APIToken, *User, error) {
	wall := time.Now()
	t, u, ok, gen := s.db.tokens.get(hash, wall)
	if !ok {
		var err error
		if t, u, err = s.lookupToken(ctx, hash); err != nil {
			return nil, nil, err
		}
		s.db.tokens.put(hash, t, u, gen, wall)
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := s.db.gorm.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("note token use: %w", err)
		}
		t.LastUsedAt = &now
		s.db.tokens.touch(hash, now)
	}
	return &t, &u, nil
}

// lookupToken reads a live token and its user from the database.
func (s *Store) lookupToken(ctx context.Context, hash string) (APIToken, User, error) {
	q := tokenUserSQL
	if s.db.dialect == migrations.SQLite {
		q = strings.Replace(q, "$1", "?", 1)
	}
	var (
		t                      APIToken
		u                      User
		lastUsed, revoked, dis sql.NullTime
	)
	err := s.db.sql.QueryRowContext(ctx, q, hash).Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &t.Prefix, &t.CreatedAt, &lastUsed, &revoked,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &dis, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return t, u, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return t, u, fmt.Errorf("load token: %w", err)
	}
	t.LastUsedAt, t.RevokedAt, u.DisabledAt = nullTime(lastUsed), nullTime(revoked), nullTime(dis)
	return t, u, nil
}

// tokenUserSQL reads a live token of an enabled user.
const tokenUserSQL = `SELECT t.id, t.user_id, t.name, t.token_hash, t.prefix, t.created_at, t.last_used_at, t.revoked_at,
	u.id, u.email, u.name, u.role, u.password_hash, u.disabled_at, u.created_at, u.updated_at
	FROM api_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// Tokens lists a user's tokens (userID 0: everyone's), newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var ts []APIToken
	q := s.db.gorm.WithContext(ctx).Order("id DESC")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	if err := q.Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken revokes a token. When ownerID is not 0, the token must
// belong to that user.
func (s *Store) RevokeToken(ctx context.Context, actor Actor, id, ownerID int64) error {
	// After the commit (or the failure): see tokenCache.put.
	defer s.db.tokens.clear()
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t APIToken
		if err := tx.First(&t, id).Error; err != nil {
			return notFound(err, "token %d", id)
		}
		if ownerID != 0 && t.UserID != ownerID {
			return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("token %d not found", id)}
		}
		if t.RevokedAt != nil {
			return nil
		}
		if err := tx.Model(&t).Update("revoked_at", tx.NowFunc()).Error; err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "token.revoke", Entity: "token", EntityID: id,
			Before: map[string]any{"name": t.Name, "user_id": t.UserID}})
	})
}

// revokeUserTokens revokes every live API token of the user, each with a
// token.revoke event as RevokeToken writes, giving the reason; it returns
// how many it revoked. The caller clears the token cache after the commit.
func (s *Store) revokeUserTokens(tx *gorm.DB, actor Actor, userID int64, reason string) (int, error) {
	var ts []APIToken
	if err := tx.Where("user_id = ? AND revoked_at IS NULL", userID).Order("id").Find(&ts).Error; err != nil {
		return 0, fmt.Errorf("list tokens of user %d: %w", userID, err)
	}
	now := tx.NowFunc()
	for _, t := range ts {
		if err := tx.Model(&APIToken{}).Where("id = ?", t.ID).Update("revoked_at", now).Error; err != nil {
			return 0, fmt.Errorf("revoke token %d: %w", t.ID, err)
		}
		err := s.appendEvent(tx, Event{Actor: actor, Action: "token.revoke", Entity: "token", EntityID: t.ID,
			Before: map[string]any{"name": t.Name, "user_id": t.UserID}, After: map[string]any{"reason": reason}})
		if err != nil {
			return 0, err
		}
	}
	return len(ts), nil
}

// TokenCacheTTL is how long this process trusts an API token it has
// looked up (0: not at all): how long a revocation, a disabling or a
// change of a user made on another server may take to count here. The
// other servers of a database run with the same setting, as a rule
// (serve --token-cache, by default DefaultTokenCacheTTL).
func (s *Store) TokenCacheTTL() time.Duration { return s.db.tokens.ttl }
