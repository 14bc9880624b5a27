package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"factdesk/auth"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// The token lookup is remembered for a few seconds, but a revocation, a
// disabled account or a changed role made through this process counts at
// once, and one made by another process within the cache's lifetime.
func TestTokenLookupCacheHonoursChanges(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		st := models.NewStore(db)
		newToken := func(u *models.User) (int64, string) {
			t.Helper()
			tok, prefix, digest := auth.NewToken()
			at, err := st.CreateToken(ctx, models.System, u.ID, "cache", digest, prefix)
			if err != nil {
				t.Fatal(err)
			}
			_ = tok
			return at.ID, digest
		}
		lookup := func(digest string) (*models.User, error) {
			t.Helper()
			_, u, err := st.TokenUser(ctx, digest)
			return u, err
		}
		ann, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "ann@example.org", Name: "Ann", Role: models.RoleChecker, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		id, digest := newToken(ann)
		for range 2 { // the second is served from the cache
			if u, err := lookup(digest); err != nil || u.Role != models.RoleChecker {
				t.Fatalf("live token: %v %v", u, err)
			}
		}
		if err := st.RevokeToken(ctx, models.System, id, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := lookup(digest); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoked token: got %v, want not found at once", err)
		}

		_, digest = newToken(ann)
		if _, err := lookup(digest); err != nil {
			t.Fatal(err)
		}
		editor := models.RoleEditor
		if _, err := st.UpdateUser(ctx, models.System, ann.ID, models.UserChange{Role: &editor}); err != nil {
			t.Fatal(err)
		}
		if u, err := lookup(digest); err != nil || u.Role != models.RoleEditor {
			t.Fatalf("after a role change: got %v %v, want the editor role at once", u, err)
		}
		yes := true
		if _, err := st.UpdateUser(ctx, models.System, ann.ID, models.UserChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, err := lookup(digest); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("token of a disabled user: got %v, want not found at once", err)
		}

		// Another process: a second handle on the same database with a
		// short cache. Its revocation reaches this one within the TTL.
		bob, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "bob@example.org", Name: "Bob", Role: models.RoleChecker, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		id, digest = newToken(bob)
		const ttl = 300 * time.Millisecond
		short := testdb.Reopen(t, db, models.Options{TokenCacheTTL: ttl})
		shortStore := models.NewStore(short)
		if _, _, err := shortStore.TokenUser(ctx, digest); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeToken(ctx, models.System, id, 0); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(ttl + 2*time.Second)
		for {
			_, _, err := shortStore.TokenUser(ctx, digest)
			if errors.Is(err, models.ErrNotFound) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if time.Now().After(deadline) {
				t.Fatalf("a token revoked by another process still works after %s (TTL %s)", ttl+2*time.Second, ttl)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
