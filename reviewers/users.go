package reviewers

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"factdesk/auth"
	"factdesk/models"
)

// WithPasswordParams returns a copy of the service that hashes new
// passwords with p (tests use auth.TestParams).
func (s *Service) WithPasswordParams(p auth.Params) *Service {
	c := *s
	c.passwordParams = &p
	c.dummy = &dummyHash{}
	return &c
}

func (s *Service) params() auth.Params {
	if s.passwordParams != nil {
		return *s.passwordParams
	}
	return auth.DefaultParams
}

// NewUserInput is an admin's request to create a user. An empty Password
// asks factdesk to generate one.
type NewUserInput struct {
	Email    string
	Name     string
	Role     models.Role
	Password string
}

// CreateUser creates a user. It returns the user and the password, which
// is the generated one when none was given.
func (s *Service) CreateUser(ctx context.Context, actor models.Actor, in NewUserInput) (*models.User, string, error) {
	if err := Authorize(actor, ActManageUsers); err != nil {
		return nil, "", err
	}
	pw := in.Password
	if pw == "" {
		pw = auth.NewPassword()
	}
	if err := auth.CheckPassword(pw); err != nil {
		return nil, "", models.FieldError("password", "%v", err)
	}
	hash, err := auth.HashPassword(pw, s.params())
	if err != nil {
		return nil, "", err
	}
	u, err := s.store.CreateUser(ctx, actor, models.NewUser{Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash})
	if err != nil {
		return nil, "", err
	}
	return u, pw, nil
}

// UserUpdate is an admin's edit of a user; nil fields stay.
type UserUpdate struct {
	Name     *string
	Role     *models.Role
	Password *string
	Disabled *bool
}

// UpdateUser changes a user. Admins cannot disable themselves or take away
// their own admin role, so that a desk never locks itself out by accident.
func (s *Service) UpdateUser(ctx context.Context, actor models.Actor, id int64, up UserUpdate) (*models.User, error) {
	if err := Authorize(actor, ActManageUsers); err != nil {
		return nil, err
	}
	if id == actor.ID {
		if up.Disabled != nil && *up.Disabled {
			return nil, models.FieldError("disabled", "you cannot disable your own account")
		}
		if up.Role != nil && *up.Role != models.RoleAdmin {
			return nil, models.FieldError("role", "you cannot take away your own admin role")
		}
	}
	change := models.UserChange{Name: up.Name, Role: up.Role, Disabled: up.Disabled}
	if up.Password != nil {
		if err := auth.CheckPassword(*up.Password); err != nil {
			return nil, models.FieldError("password", "%v", err)
		}
		h, err := auth.HashPassword(*up.Password, s.params())
		if err != nil {
			return nil, err
		}
		change.PasswordHash = &h
	}
	u, err := s.store.UpdateUser(ctx, actor, id, change)
	if err != nil {
		return nil, err
	}
	if up.Disabled != nil || up.Role != nil {
		s.publishAccess(ctx, id)
	}
	return u, nil
}

// Users lists users for an admin.
func (s *Service) Users(ctx context.Context, actor models.Actor) ([]models.User, error) {
	if err := Authorize(actor, ActManageUsers); err != nil {
		return nil, err
	}
	return s.store.Users(ctx)
}

// CreateToken makes an API token for a user: admins for anyone, others
// for themselves. The token is returned once and never stored.
func (s *Service) CreateToken(ctx context.Context, actor models.Actor, userID int64, name string) (*models.APIToken, string, error) {
	if userID != actor.ID {
		if err := Authorize(actor, ActManageUsers); err != nil {
			return nil, "", err
		}
	} else if err := Authorize(actor, ActOwnTokens); err != nil {
		return nil, "", err
	}
	tok, prefix, digest := auth.NewToken()
	t, err := s.store.CreateToken(ctx, actor, userID, name, digest, prefix)
	if err != nil {
		return nil, "", err
	}
	return t, tok, nil
}

// Tokens lists tokens: an admin's view of everyone's, or the actor's own.
func (s *Service) Tokens(ctx context.Context, actor models.Actor) ([]models.APIToken, error) {
	if Allowed(actor.Role, ActManageUsers) {
		return s.store.Tokens(ctx, 0)
	}
	return s.store.Tokens(ctx, actor.ID)
}

// RevokeToken revokes a token: an admin any, others only their own.
func (s *Service) RevokeToken(ctx context.Context, actor models.Actor, id int64) error {
	owner := actor.ID
	if Allowed(actor.Role, ActManageUsers) {
		owner = 0
	}
	return s.store.RevokeToken(ctx, actor, id, owner)
}

// Sign-in throttling: after a number of failed attempts within the
// window, each further attempt must wait twice as long as the one before
// (1 s, 2 s, 4 s … up to MaxSignInWait). An account gets few free
// failures; an address gets more, because a whole newsroom may sit behind
// one address and must not be locked out by one person's typos.
const (
	FreeFailures        = 5
	FreeAddressFailures = 30
	FailureWindow       = 15 * time.Minute
	MaxSignInWait       = 15 * time.Minute
	signInMismatch      = "e-mail address or password is wrong"
)

// SignIn checks credentials and returns the user. Failures are counted per
// account and per address; too many make the caller wait (ETHROTTLED with
// the wait in Data as a time.Duration).
func (s *Service) SignIn(ctx context.Context, email, password, addr string) (*models.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"email:" + email, "addr:" + addr}
	// The attempt counts as a failure before the password is checked (a
	// success clears it), so that parallel guesses cannot all be checked
	// while the first is being hashed.
	if wait, err := s.store.ReserveSignIn(ctx, keys, FailureWindow, signInWait); err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, &models.Error{Code: models.ETHROTTLED, Data: wait,
			Message: fmt.Sprintf("Too many failed sign-ins; try again in %s.", wait.Round(time.Second))}
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, models.ErrNotFound) && models.ErrorCode(err) != models.EINVALID {
		return nil, err
	}
	ok := false
	if u != nil && !u.Disabled() {
		ok = auth.VerifyPassword(u.PasswordHash, password) == nil
	} else {
		// Spend the same time on unknown accounts, so that timing does not
		// tell which addresses have one.
		_ = auth.VerifyPassword(s.dummyHash(), password)
	}
	if !ok {
		return nil, &models.Error{Code: models.EUNAUTHORIZED, Message: signInMismatch}
	}
	return u, nil
}

// SignInKeys returns the throttle keys a successful sign-in clears.
func SignInKeys(email, addr string) []string {
	return []string{"email:" + strings.ToLower(strings.TrimSpace(email)), "addr:" + addr}
}

// signInWait is how long the keys with these counters must wait before
// another attempt: nothing up to their free failures, then 1 s, 2 s, 4 s …
// after the last one, up to MaxSignInWait.
func signInWait(now time.Time, ts []models.SignInThrottle) time.Duration {
	var wait time.Duration
	for _, t := range ts {
		free := FreeFailures
		if strings.HasPrefix(t.Key, "addr:") {
			free = FreeAddressFailures
		}
		if now.Sub(t.LastFailureAt) > FailureWindow || t.Failures < free {
			continue
		}
		d := time.Duration(math.Pow(2, float64(min(t.Failures-free, 20)))) * time.Second
		if d > MaxSignInWait || d <= 0 {
			d = MaxSignInWait
		}
		if left := t.LastFailureAt.Add(d).Sub(now); left > wait {
			wait = left
		}
	}
	return wait
}

// dummyHash returns a hash to verify against when the account does not
// exist, made once per service with the service's parameters.
func (s *Service) dummyHash() string {
	s.dummy.once.Do(func() {
		s.dummy.hash, _ = auth.HashPassword(auth.NewSecret(), s.params())
	})
	return s.dummy.hash
}
