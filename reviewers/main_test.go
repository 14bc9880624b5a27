package reviewers_test

import (
	"context"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// newService returns a store and a service on db, and a person of the
// given role to act.
func newService(t *testing.T, db *models.DB, role models.Role) (*models.Store, *reviewers.Service, models.Actor) {
	t.Helper()
	store := models.NewStore(db)
	u, err := store.CreateUser(context.Background(), models.System,
		models.NewUser{Email: string(role) + "@test.example", Name: "Test " + string(role), Role: role, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return store, reviewers.New(store, reviewers.Config{}, nil, nil), u.Actor()
}
