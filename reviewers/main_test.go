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

// confirmAttributions confirms the machine's attributions of an article's
// current sentences, as a checker does before submitting.
func confirmAttributions(t *testing.T, svc *reviewers.Service, who models.Actor, articleID int64) {
	t.Helper()
	ctx := context.Background()
	r, err := svc.Readiness(ctx, who, articleID)
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.ArticleDetail(ctx, who, articleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range r.UnconfirmedAttributions {
		if _, err := svc.ConfirmAttribution(ctx, who, d.Sentences[n-1].ID, nil); err != nil {
			t.Fatal(err)
		}
	}
}
