package reviewers

import (
	"testing"
	"time"

	"factdesk/models"
)

// TestSignInWait is the throttle's rule, counters by counters: the pair
// of account and address backs off after FreeFailures, the account only
// after failures from FreeAccountAddresses addresses and never for long,
// and an address only at its ceiling of failures.
func TestSignInWait(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	pair := func(n int, last time.Duration) models.SignInThrottle {
		return models.SignInThrottle{Key: "pair:ana@news.example|192.0.2.7", Failures: n, LastFailureAt: ago(last)}
	}
	account := func(n int, last time.Duration) models.SignInThrottle {
		return models.SignInThrottle{Key: "email:ana@news.example", Failures: n, LastFailureAt: ago(last)}
	}
	address := func(n int, last time.Duration) models.SignInThrottle {
		return models.SignInThrottle{Key: "addr:192.0.2.7", Failures: n, LastFailureAt: ago(last)}
	}
	for _, tc := range []struct {
		name string
		ts   []models.SignInThrottle
		want time.Duration
	}{
		{"nothing yet", []models.SignInThrottle{pair(0, 0), account(0, 0), address(0, 0)}, 0},
		{"four failures of the pair", []models.SignInThrottle{pair(4, 0), account(1, 0), address(4, 0)}, 0},
		{"five failures of the pair: 1 s", []models.SignInThrottle{pair(5, 0), account(1, 0), address(5, 0)}, time.Second},
		{"six: 2 s", []models.SignInThrottle{pair(6, 0), account(1, 0), address(6, 0)}, 2 * time.Second},
		{"six, 1.5 s ago", []models.SignInThrottle{pair(6, 1500*time.Millisecond)}, 500 * time.Millisecond},
		{"eight: 8 s", []models.SignInThrottle{pair(8, 0)}, 8 * time.Second},
		{"forty failures of the pair: capped", []models.SignInThrottle{pair(40, 0)}, MaxPairWait},
		{"a thousand: still capped", []models.SignInThrottle{pair(1000, time.Minute)}, MaxPairWait - time.Minute},
		{"the pair quiet for the window", []models.SignInThrottle{pair(40, FailureWindow+time.Second)}, 0},
		// An attacker's forty failures from one address are one address
		// on the account: nothing for the real person elsewhere.
		{"forty failures from one address, seen from another", []models.SignInThrottle{pair(0, 0), account(1, 0), address(0, 0)}, 0},
		{"four addresses failed on the account", []models.SignInThrottle{pair(0, 0), account(4, 0)}, 0},
		{"five addresses: 1 s", []models.SignInThrottle{pair(0, 0), account(5, 0)}, time.Second},
		{"seven addresses: 4 s", []models.SignInThrottle{pair(0, 0), account(7, 0)}, 4 * time.Second},
		{"a hundred addresses: never more than MaxAccountWait", []models.SignInThrottle{pair(0, 0), account(100, 0)}, MaxAccountWait},
		{"the account quiet for the window", []models.SignInThrottle{account(100, FailureWindow+time.Second)}, 0},
		{"an address below its ceiling", []models.SignInThrottle{pair(0, 0), account(0, 0), address(AddressCeiling-1, 0)}, 0},
		{"an address at its ceiling", []models.SignInThrottle{pair(0, 0), account(0, 0), address(AddressCeiling, 0)}, addressDrain},
		{"at its ceiling, half a drain ago", []models.SignInThrottle{address(AddressCeiling, addressDrain/2)}, addressDrain / 2},
		{"at its ceiling, a drain ago", []models.SignInThrottle{address(AddressCeiling, addressDrain)}, 0},
		{"a full address an hour ago", []models.SignInThrottle{address(AddressCeiling, time.Hour)}, 0},
		{"the longest wait wins", []models.SignInThrottle{pair(6, 0), account(9, 0), address(AddressCeiling, 0)}, 16 * time.Second},
	} {
		if got := signInWait(now, tc.ts); got != tc.want {
			t.Errorf("%s: wait %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestCountSignInFailure: a counted failure moves the pair and the
// address every time, and the account only for an address that had not
// failed on it (since the pair started afresh); an address's count
// drains by one every addressDrain.
func TestCountSignInFailure(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	row := func(key string, n int, last time.Duration) models.SignInThrottle {
		return models.SignInThrottle{Key: key, Failures: n, LastFailureAt: ago(last)}
	}
	const p, a, x = "pair:ana@news.example|192.0.2.7", "email:ana@news.example", "addr:192.0.2.7"
	for _, tc := range []struct {
		name string
		ts   []models.SignInThrottle
		want []int // failures of pair, account, address after
	}{
		{"the first failure", []models.SignInThrottle{row(p, 0, 0), row(a, 0, 0), row(x, 0, 0)}, []int{1, 1, 1}},
		{"again from the same address", []models.SignInThrottle{row(p, 1, time.Second), row(a, 1, time.Second), row(x, 1, time.Second)}, []int{2, 1, 2}},
		{"a second address on the account", []models.SignInThrottle{row(p, 0, 0), row(a, 1, time.Minute), row(x, 7, time.Second)}, []int{1, 2, 8}},
		{"the pair started afresh: a new address again", []models.SignInThrottle{row(p, 9, FailureWindow+time.Second), row(a, 3, time.Minute), row(x, 0, 0)}, []int{1, 4, 1}},
		{"the account started afresh", []models.SignInThrottle{row(p, 3, time.Minute), row(a, 4, FailureWindow+time.Second), row(x, 3, time.Minute)}, []int{4, 1, 1}},
		{"the address drained", []models.SignInThrottle{row(p, 0, 0), row(a, 0, 0), row(x, AddressCeiling, 10*addressDrain)}, []int{1, 1, AddressCeiling - 9}},
		{"the address drained empty", []models.SignInThrottle{row(p, 0, 0), row(a, 0, 0), row(x, 500, 2*time.Hour)}, []int{1, 1, 1}},
	} {
		got := countSignInFailure(now, tc.ts)
		byKey := map[string]models.SignInThrottle{}
		for _, g := range got {
			byKey[g.Key] = g
		}
		for i, k := range []string{p, a, x} {
			g, ok := byKey[k]
			if !ok {
				t.Errorf("%s: %s not counted", tc.name, k)
				continue
			}
			if g.Failures != tc.want[i] || !g.LastFailureAt.Equal(now) {
				t.Errorf("%s: %s has %d failures, the last at %s; want %d at %s", tc.name, k, g.Failures, g.LastFailureAt, tc.want[i], now)
			}
		}
	}
}
