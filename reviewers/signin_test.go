package reviewers_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"factdesk/auth"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestSignInThrottleHoldsUnderParallelGuesses: 60 wrong passwords for one
// account at once — from one server, and from two servers on one
// database; from 60 addresses, and from one — get at most the free
// failures checked; the rest wait. Each attempt is counted before its
// password is hashed, so the guesses in flight cannot all pass the check
// of a counter nobody has moved yet.
func TestSignInThrottleHoldsUnderParallelGuesses(t *testing.T) {
	for _, spread := range []bool{true, false} {
		name := "one address"
		if spread {
			name = "many addresses"
		}
		t.Run(name, func(t *testing.T) { testParallelGuesses(t, spread) })
	}
}

func testParallelGuesses(t *testing.T, spread bool) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) { parallelGuesses(t, k, spread) })
	}
}

func parallelGuesses(t *testing.T, k testdb.Kind, spread bool) {
	// The clock stands still, so that no wait runs out while the
	// guesses are in flight however slow the machine: a guess after
	// the wait is one the rules allow.
	stopped := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	opts := models.Options{Clock: func() time.Time { return stopped }}
	db := testdb.OpenWith(t, k, opts)
	ctx := context.Background()
	params := auth.Params{Memory: 8 * 1024, Time: 1, Threads: 1} // slow enough for guesses to overlap
	one := reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil).WithPasswordParams(params)
	two := reviewers.New(models.NewStore(testdb.Reopen(t, db, opts)), reviewers.Config{}, nil, nil).WithPasswordParams(params)
	if _, _, err := one.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: "target@test.example", Name: "Target", Role: models.RoleEditor, Password: "the right password"}); err != nil {
		t.Fatal(err)
	}
	// From many addresses the account counts them; from one, the pair
	// of account and address counts its failures.
	limit := reviewers.FreeFailures
	if spread {
		limit = reviewers.FreeAccountAddresses
	}
	const guesses = 60
	var mu sync.Mutex
	outcomes := map[string]int{}
	var wg sync.WaitGroup
	for i := range guesses {
		svc := one
		if i%2 == 1 {
			svc = two
		}
		addr := "198.51.100.1"
		if spread {
			addr = fmt.Sprintf("198.51.100.%d", i)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.SignIn(ctx, "target@test.example", fmt.Sprintf("guess %d", i), addr)
			mu.Lock()
			defer mu.Unlock()
			outcomes[models.ErrorCode(err)]++
		}()
	}
	wg.Wait()
	if outcomes[models.EUNAUTHORIZED] > limit || outcomes[models.EUNAUTHORIZED]+outcomes[models.ETHROTTLED] != guesses {
		t.Errorf("60 parallel guesses: %v; want at most %d checked and the rest told to wait", outcomes, limit)
	}
}

// TestSignInAccountThrottleSpansAddresses: guesses at one account spread
// over addresses, a few from each, are slowed by the account's count of
// addresses (the real person too, but for at most MaxAccountWait); a
// success from an address does not count against the address.
func TestSignInAccountThrottleSpansAddresses(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Microsecond)
		store := models.NewStore(testdb.Reopen(t, db, models.Options{Clock: func() time.Time { return now }}))
		svc := reviewers.New(store, reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
		if _, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: "target@test.example", Name: "Target", Role: models.RoleEditor, Password: "the right password"}); err != nil {
			t.Fatal(err)
		}
		// The first address guesses thrice, and counts once.
		for i := range reviewers.FreeAccountAddresses {
			tries := 1
			if i == 0 {
				tries = 3
			}
			for j := range tries {
				if _, err := svc.SignIn(ctx, "target@test.example", fmt.Sprintf("guess %d.%d", i, j), fmt.Sprintf("203.0.113.%d", i)); models.ErrorCode(err) != models.EUNAUTHORIZED {
					t.Fatalf("guess %d from address %d: %v, want the password refused", j, i, err)
				}
			}
		}
		_, err := svc.SignIn(ctx, "target@test.example", "the right password", "192.0.2.1")
		e, ok := models.AsError(err)
		if !ok || e.Code != models.ETHROTTLED {
			t.Fatalf("after failures from %d addresses: %v, want a wait", reviewers.FreeAccountAddresses, err)
		}
		if d, _ := e.Data.(time.Duration); d <= 0 || d > reviewers.MaxAccountWait {
			t.Errorf("the account's wait: %s, want no more than %s", d, reviewers.MaxAccountWait)
		}

		// Successes leave an address's count as it was.
		for range 3 {
			if _, err := svc.SignIn(ctx, "editor2@test.example", "x", "192.0.2.9"); models.ErrorCode(err) != models.EUNAUTHORIZED {
				t.Fatal(err)
			}
		}
		if _, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: "other@test.example", Name: "Other", Role: models.RoleViewer, Password: "the right password"}); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := svc.SignIn(ctx, "other@test.example", "the right password", "192.0.2.9"); err != nil {
				t.Fatal(err)
			}
		}
		var seen []models.SignInThrottle
		if _, err := store.ReserveSignIn(ctx, []string{"addr:192.0.2.9"}, func(_ time.Time, ts []models.SignInThrottle) (time.Duration, []models.SignInThrottle) {
			seen = ts
			return time.Second, nil // look, count nothing
		}); err != nil {
			t.Fatal(err)
		}
		if len(seen) != 1 || seen[0].Failures != 3 {
			t.Errorf("the address after 3 failures and 3 successes: %+v, want 3 failures", seen)
		}
	})
}

// TestSetPasswordRevokesTokens: a new password, set by an admin or by
// `factdesk user passwd`, revokes every live token of the user at once in
// this process (a token looked up just before is not trusted after), with
// a token.revoke event each; a refused password revokes nothing.
func TestSetPasswordRevokesTokens(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		svc := reviewers.New(store, reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
		u, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: "ana@test.example", Name: "Ana", Role: models.RoleChecker, Password: "the first password"})
		if err != nil {
			t.Fatal(err)
		}
		var secrets []string
		for _, name := range []string{"cms", "script"} {
			_, tok, err := svc.CreateToken(ctx, models.System, u.ID, name)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := store.TokenUser(ctx, auth.Digest(tok)); err != nil {
				t.Fatal(err) // and remembered
			}
			secrets = append(secrets, tok)
		}

		if _, _, err := svc.SetPassword(ctx, models.System, u.ID, "short"); models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("a short password: %v, want refused", err)
		}
		if _, _, err := store.TokenUser(ctx, auth.Digest(secrets[0])); err != nil {
			t.Errorf("a token after a refused password: %v, want it working", err)
		}

		_, n, err := svc.SetPassword(ctx, models.System, u.ID, "the second password")
		if err != nil || n != 2 {
			t.Fatalf("new password: %d tokens revoked, %v; want 2", n, err)
		}
		if got := reviewers.PasswordSetNote(n); got != "their sessions were ended and 2 API tokens were revoked" {
			t.Errorf("note: %q", got)
		}
		for _, tok := range secrets {
			if _, _, err := store.TokenUser(ctx, auth.Digest(tok)); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("a token after the new password: %v, want it refused at once", err)
			}
		}
		events, err := store.GlobalEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		revokes := 0
		for _, ev := range events {
			if ev.Action == "token.revoke" {
				revokes++
			}
		}
		if revokes != 2 {
			t.Errorf("%d token.revoke events, want 2", revokes)
		}
		if _, n, err := svc.SetPassword(ctx, models.System, u.ID, "the third password"); err != nil || n != 0 {
			t.Errorf("another new password: %d tokens revoked, %v; want 0", n, err)
		}
		// The same through UpdateUser, which other callers use.
		_, tok, err := svc.CreateToken(ctx, models.System, u.ID, "again")
		if err != nil {
			t.Fatal(err)
		}
		pw := "the fourth password"
		if _, err := svc.UpdateUser(ctx, models.System, u.ID, reviewers.UserUpdate{Password: &pw}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := store.TokenUser(ctx, auth.Digest(tok)); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("a token after a new password through UpdateUser: %v, want it refused", err)
		}
	})
}
