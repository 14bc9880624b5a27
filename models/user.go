package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role is what a user may do (PRODUCT.md, "Who uses it").
type Role string

// The four roles.
const (
	RoleAdmin   Role = "admin"
	RoleEditor  Role = "editor"
	RoleChecker Role = "checker"
	RoleViewer  Role = "viewer"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleAdmin, RoleEditor, RoleChecker, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleEditor, RoleChecker, RoleViewer:
		return true
	}
	return false
}

// User is a person who signs in to factdesk.
type User struct {
	ID           int64      `gorm:"primaryKey" json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Role         Role       `json:"role"`
	PasswordHash string     `json:"-"`
	DisabledAt   *time.Time `json:"disabled_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Disabled reports whether the user may no longer sign in.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// Actor returns the user as the actor of a change.
func (u *User) Actor() Actor { return Actor{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role} }

// Actor is who makes a change: a person, or factdesk itself (ID 0) for
// work done by a command with no user behind it.
type Actor struct {
	ID    int64
	Name  string
	Email string
	Role  Role
}

// System is the actor for changes made by factdesk itself.
var System = Actor{Name: "factdesk", Role: RoleAdmin}

// Label is how the actor appears in the audit trail: "Name <email>".
func (a Actor) Label() string {
	if a.Email == "" {
		return a.Name
	}
	return fmt.Sprintf("%s <%s>", a.Name, a.Email)
}

// ActorName is the name part of an actor's Label, as pages and messages
// name people ("Ana Ruiz <ana@news.example>" → "Ana Ruiz").
func ActorName(label string) string {
	if i := strings.Index(label, " <"); i > 0 && strings.HasSuffix(label, ">") {
		return label[:i]
	}
	return label
}

// NormalizeEmail lower-cases and trims an address and checks its shape.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", FieldError("email", "an e-mail address is required")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", FieldError("email", "%q is not an e-mail address", s)
	}
	return s, nil
}

// NewUser is what it takes to create a user. PasswordHash is already hashed.
type NewUser struct {
	Email        string
	Name         string
	Role         Role
	PasswordHash string
}

// CreateUser adds a user, with an audit event by actor.
func (s *Store) CreateUser(ctx context.Context, actor Actor, nu NewUser) (*User, error) {
	email, err := NormalizeEmail(nu.Email)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(nu.Name)
	if name == "" || len(name) > 200 {
		return nil, FieldError("name", "a name of 1 to 200 characters is required")
	}
	if !nu.Role.Valid() {
		return nil, FieldError("role", "role must be admin, editor, checker or viewer, not %q", nu.Role)
	}
	if nu.PasswordHash == "" {
		return nil, FieldError("password", "a password is required")
	}
	u := &User{Email: email, Name: name, Role: nu.Role, PasswordHash: nu.PasswordHash}
	err = s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Where("email = ?", email).Count(&n).Error; err != nil {
			return fmt.Errorf("look up %s: %w", email, err)
		}
		if n > 0 {
			return &Error{Code: ECONFLICT, Field: "email", Message: fmt.Sprintf("a user with e-mail %s exists", email)}
		}
		if err := tx.Create(u).Error; err != nil {
			return fmt.Errorf("create user %s: %w", email, err)
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "user.create", Entity: "user", EntityID: u.ID,
			After: map[string]any{"email": u.Email, "name": u.Name, "role": u.Role}})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// User returns the user with the given id.
func (s *Store) User(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := s.db.gorm.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, notFound(err, "user %d", id)
	}
	return &u, nil
}

// UserByEmail returns the user with the given e-mail address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	var u User
	if err := s.db.gorm.WithContext(ctx).Where("email = ?", e).First(&u).Error; err != nil {
		return nil, notFound(err, "user %s", e)
	}
	return &u, nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.db.gorm.WithContext(ctx).Order("name, id").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.gorm.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// UserChange is an edit of a user by an admin; nil fields stay as they are.
type UserChange struct {
	Name         *string
	Role         *Role
	PasswordHash *string
	Disabled     *bool
}

// UpdateUser applies change to the user, ends the user's sessions when the
// password changes or the user is disabled, revokes the user's API tokens
// when the password changes (see SetPassword) or the user is disabled, and
// records an audit event.
func (s *Store) UpdateUser(ctx context.Context, actor Actor, id int64, change UserChange) (*User, error) {
	u, _, err := s.updateUser(ctx, actor, id, change)
	return u, err
}

// SetPassword gives the user a new password (already hashed). It ends the
// user's sessions and revokes every live API token of theirs, each with a
// token.revoke event in the same transaction, and returns the user and
// how many tokens it revoked. Whoever sets it, an admin for someone else
// or a person for themselves: a new password is what one sets when the
// old one may be known to someone else, and whoever knew it could have
// made tokens with it, which a new password alone would leave working.
// A script that used a revoked token needs a new one.
func (s *Store) SetPassword(ctx context.Context, actor Actor, id int64, hash string) (*User, int, error) {
	return s.updateUser(ctx, actor, id, UserChange{PasswordHash: &hash})
}

func (s *Store) updateUser(ctx context.Context, actor Actor, id int64, change UserChange) (*User, int, error) {
	var u User
	revoked := 0
	// A remembered token carries its user's name, role and state: forget
	// them all once the change has committed (see tokenCache.put).
	defer s.db.tokens.clear()
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		revoked = 0 // a retried transaction starts again
		if err := tx.First(&u, id).Error; err != nil {
			return notFound(err, "user %d", id)
		}
		before := map[string]any{"name": u.Name, "role": u.Role, "disabled": u.Disabled()}
		after := map[string]any{}
		endSessions := false
		if change.Name != nil {
			n := strings.TrimSpace(*change.Name)
			if n == "" || len(n) > 200 {
				return FieldError("name", "a name of 1 to 200 characters is required")
			}
			u.Name = n
			after["name"] = n
		}
		if change.Role != nil {
			if !change.Role.Valid() {
				return FieldError("role", "role must be admin, editor, checker or viewer, not %q", *change.Role)
			}
			u.Role = *change.Role
			after["role"] = u.Role
		}
		if change.PasswordHash != nil {
			u.PasswordHash = *change.PasswordHash
			after["password"] = "changed"
			endSessions = true
		}
		if change.Disabled != nil {
			if *change.Disabled && u.DisabledAt == nil {
				t := tx.NowFunc()
				u.DisabledAt = &t
				endSessions = true
			} else if !*change.Disabled {
				u.DisabledAt = nil
			}
			after["disabled"] = *change.Disabled
		}
		if err := tx.Select("name", "role", "password_hash", "disabled_at", "updated_at").Save(&u).Error; err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if endSessions {
			if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
				return fmt.Errorf("end sessions of user %d: %w", id, err)
			}
		}
		if change.Disabled != nil && *change.Disabled {
			if err := tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", id).Update("revoked_at", tx.NowFunc()).Error; err != nil {
				return fmt.Errorf("revoke tokens of user %d: %w", id, err)
			}
		}
		if err := s.appendEvent(tx, Event{Actor: actor, Action: "user.update", Entity: "user", EntityID: id, Before: before, After: after}); err != nil {
			return err
		}
		if change.PasswordHash != nil {
			n, err := s.revokeUserTokens(tx, actor, id, "new password")
			if err != nil {
				return err
			}
			revoked = n
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return &u, revoked, nil
}

// notFound maps GORM's not-found error to ErrNotFound with context and
// wraps anything else.
func notFound(err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &Error{Code: ENOTFOUND, Message: what + " not found"}
	}
	return fmt.Errorf("load %s: %w", what, err)
}

// UserNames returns the names of the users with the given ids.
func (s *Store) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var us []User
	if err := s.db.gorm.WithContext(ctx).Select("id", "name").Where("id IN ?", ids).Find(&us).Error; err != nil {
		return nil, fmt.Errorf("load user names: %w", err)
	}
	for _, u := range us {
		out[u.ID] = u.Name
	}
	return out, nil
}
