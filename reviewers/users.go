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
// A new password revokes the user's API tokens (SetPassword).
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
		h, err := s.hashNewPassword(*up.Password)
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

// SetPassword gives a user a new password: an admin's reset (the users
// page, factdesk user passwd), or an admin's own. It ends the user's
// sessions and revokes all their API tokens, and returns how many tokens
// it revoked, for the admin to be told. A person setting their own
// password loses their tokens too (models.Store.SetPassword says why).
func (s *Service) SetPassword(ctx context.Context, actor models.Actor, id int64, password string) (*models.User, int, error) {
	if err := Authorize(actor, ActManageUsers); err != nil {
		return nil, 0, err
	}
	h, err := s.hashNewPassword(password)
	if err != nil {
		return nil, 0, err
	}
	return s.store.SetPassword(ctx, actor, id, h)
}

// PasswordSetNote is what an admin is told after SetPassword: "their
// sessions were ended and 2 API tokens were revoked".
func PasswordSetNote(revoked int) string {
	if revoked == 1 {
		return "their sessions were ended and 1 API token was revoked"
	}
	return fmt.Sprintf("their sessions were ended and %d API tokens were revoked", revoked)
}

func (s *Service) hashNewPassword(pw string) (string, error) {
	if err := auth.CheckPassword(pw); err != nil {
		return "", models.FieldError("password", "%v", err)
	}
	return auth.HashPassword(pw, s.params())
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

// Sign-in throttling. A failed sign-in is counted three times, and an
// attempt waits for whichever of the three asks the longest:
//
//   - the account from that address ("pair:<email>|<addr>"): after
//     FreeFailures failures, each further attempt waits twice as long as
//     the one before (1 s, 2 s, 4 s … up to MaxPairWait). This is what
//     slows a guesser; it slows nobody else, so that one person behind a
//     newsroom's shared address guessing at a colleague's password locks
//     out neither the colleague at home nor anyone else in the office.
//   - the account from anywhere ("email:<email>"), against slow guessing
//     spread over many addresses: it counts the addresses that failed on
//     the account, not the failures, so that one address failing forty
//     times counts once and the real person, signing in from elsewhere,
//     does not wait for it. After FreeAccountAddresses addresses it asks
//     1 s, doubling with each further address, and never more than
//     MaxAccountWait: a short wait the real person can sit out, where a
//     lockout would hand an attacker the power to shut them out.
//   - the address over every account ("addr:<addr>"), against one
//     address trying a password on many accounts: a ceiling of
//     AddressCeiling failures, far above what a newsroom behind one
//     address gets wrong in a day, which drains by AddressCeiling every
//     AddressCeilingWindow; a full address waits for it to drain.
//
// The pair and the account start afresh after FailureWindow without a
// failure, and both are cleared by a successful sign-in (SignInKeys). A
// success from an address takes back its attempt from the address's
// count, so that only failures fill it.
const (
	FreeFailures         = 5
	MaxPairWait          = 5 * time.Minute
	FreeAccountAddresses = 5
	MaxAccountWait       = 30 * time.Second
	FailureWindow        = 15 * time.Minute
	AddressCeiling       = 1000
	AddressCeilingWindow = time.Hour
	signInMismatch       = "e-mail address or password is wrong"
)

// SignIn checks credentials and returns the user. Failures are counted per
// account and address, per account and per address (see FreeFailures);
// too many make the caller wait (ETHROTTLED with the wait in Data as a
// time.Duration).
func (s *Service) SignIn(ctx context.Context, email, password, addr string) (*models.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := append(SignInKeys(email, addr), addrKey(addr))
	// The attempt counts as a failure before the password is checked (a
	// success clears it), so that parallel guesses cannot all be checked
	// while the first is being hashed.
	if wait, err := s.store.ReserveSignIn(ctx, keys, signInPolicy); err != nil {
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
	// The address keeps its count of failures (a success does not vouch
	// for the others behind it); this attempt was none.
	if err := s.store.ForgiveSignIn(ctx, addrKey(addr)); err != nil {
		s.logger.Warn("forgive sign-in attempt", "error", err)
	}
	return u, nil
}

// SignInKeys returns the throttle keys a successful sign-in clears: the
// account from that address, and the account.
func SignInKeys(email, addr string) []string {
	email = strings.ToLower(strings.TrimSpace(email))
	return []string{"pair:" + email + "|" + addr, "email:" + email}
}

func addrKey(addr string) string { return "addr:" + addr }

// signInPolicy judges an attempt by its keys' counters (models.SignInPolicy):
// the wait signInWait asks, or else the counters with the attempt counted.
func signInPolicy(now time.Time, ts []models.SignInThrottle) (time.Duration, []models.SignInThrottle) {
	if d := signInWait(now, ts); d > 0 {
		return d, nil
	}
	return 0, countSignInFailure(now, ts)
}

// signInWait is how long an attempt with these counters must wait: the
// longest any of its keys asks (see FreeFailures for the rules).
func signInWait(now time.Time, ts []models.SignInThrottle) time.Duration {
	var wait time.Duration
	for _, t := range ts {
		var left time.Duration
		switch {
		case strings.HasPrefix(t.Key, "pair:"):
			left = backoff(now, t, FreeFailures, MaxPairWait)
		case strings.HasPrefix(t.Key, "email:"):
			left = backoff(now, t, FreeAccountAddresses, MaxAccountWait)
		case strings.HasPrefix(t.Key, "addr:"):
			if addressLevel(now, t) >= AddressCeiling {
				// Until enough has drained for one more.
				elapsed := max(now.Sub(t.LastFailureAt), 0)
				left = time.Duration(t.Failures-AddressCeiling+1)*addressDrain - elapsed
			}
		}
		wait = max(wait, left)
	}
	return wait
}

// backoff is the wait a pair or account key asks: nothing up to free
// failures within FailureWindow, then 1 s after the last one, doubling
// with each further one, up to most.
func backoff(now time.Time, t models.SignInThrottle, free int, most time.Duration) time.Duration {
	if now.Sub(t.LastFailureAt) > FailureWindow || t.Failures < free {
		return 0
	}
	d := time.Duration(math.Pow(2, float64(min(t.Failures-free, 30)))) * time.Second
	if d > most || d <= 0 {
		d = most
	}
	return t.LastFailureAt.Add(d).Sub(now)
}

// addressDrain is how often an address's count of failures drops by one.
const addressDrain = AddressCeilingWindow / AddressCeiling

// addressLevel is an address's count of failures at now: its count at
// its last failure, less one for each addressDrain since.
func addressLevel(now time.Time, t models.SignInThrottle) int {
	drained := int(max(now.Sub(t.LastFailureAt), 0) / addressDrain)
	return max(t.Failures-drained, 0)
}

// countSignInFailure returns the counters with one more failed attempt
// counted at now. The account counts an address once: when the pair
// fails for the first time since it started afresh.
func countSignInFailure(now time.Time, ts []models.SignInThrottle) []models.SignInThrottle {
	stale := func(t models.SignInThrottle) bool { return t.Failures == 0 || now.Sub(t.LastFailureAt) > FailureWindow }
	newAddress := true
	for _, t := range ts {
		if strings.HasPrefix(t.Key, "pair:") {
			newAddress = stale(t)
		}
	}
	out := make([]models.SignInThrottle, 0, len(ts))
	for _, t := range ts {
		switch {
		case strings.HasPrefix(t.Key, "pair:"):
			if stale(t) {
				t.Failures = 0
			}
			t.Failures++
		case strings.HasPrefix(t.Key, "email:"):
			if stale(t) {
				t.Failures = 0
			}
			if newAddress || t.Failures == 0 {
				t.Failures++
			}
		case strings.HasPrefix(t.Key, "addr:"):
			t.Failures = addressLevel(now, t) + 1
		default:
			continue
		}
		t.LastFailureAt = now
		out = append(out, t)
	}
	return out
}

// dummyHash returns a hash to verify against when the account does not
// exist, made once per service with the service's parameters.
func (s *Service) dummyHash() string {
	s.dummy.once.Do(func() {
		s.dummy.hash, _ = auth.HashPassword(auth.NewSecret(), s.params())
	})
	return s.dummy.hash
}
