package reviewers_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"factdesk/auth"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestSignInThrottleHoldsUnderParallelGuesses: 60 wrong passwords for one
// account at once — from one server, and from two servers on one
// database — get at most the free failures checked; the rest wait. Each
// attempt is counted before its password is hashed, so the guesses in
// flight cannot all pass the check of a counter nobody has moved yet.
func TestSignInThrottleHoldsUnderParallelGuesses(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		params := auth.Params{Memory: 8 * 1024, Time: 1, Threads: 1} // slow enough for guesses to overlap
		one := reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil).WithPasswordParams(params)
		two := reviewers.New(models.NewStore(testdb.Reopen(t, db, models.Options{})), reviewers.Config{}, nil, nil).WithPasswordParams(params)
		if _, _, err := one.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: "target@test.example", Name: "Target", Role: models.RoleEditor, Password: "the right password"}); err != nil {
			t.Fatal(err)
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
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.SignIn(ctx, "target@test.example", fmt.Sprintf("guess %d", i), fmt.Sprintf("198.51.100.%d", i))
				mu.Lock()
				defer mu.Unlock()
				outcomes[models.ErrorCode(err)]++
			}()
		}
		wg.Wait()
		if outcomes[models.EUNAUTHORIZED] > reviewers.FreeFailures || outcomes[models.EUNAUTHORIZED]+outcomes[models.ETHROTTLED] != guesses {
			t.Errorf("60 parallel guesses: %v; want at most %d checked and the rest told to wait", outcomes, reviewers.FreeFailures)
		}
	})
}
