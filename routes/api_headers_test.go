package routes_test

import (
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestAPIAnswersAreNotStored: every /api/v1 answer, errors included,
// tells caches not to keep it; the public documents may be revalidated.
func TestAPIAnswersAreNotStored(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	for _, tc := range []struct {
		role       models.Role
		path, want string
	}{
		{models.RoleViewer, "/api/v1/me", "no-store"},
		{models.RoleViewer, "/api/v1/articles", "no-store"},
		{models.RoleViewer, "/api/v1/notifications", "no-store"},
		{models.RoleViewer, "/api/v1/articles/999999", "no-store"},
		{"", "/api/v1/articles", "no-store"},
		{"", "/api/v1/openapi.json", "no-cache"},
	} {
		r := e.api(tc.role, "GET", tc.path, nil)
		if got := r.Header.Get("Cache-Control"); got != tc.want {
			t.Errorf("GET %s as %q: %d, Cache-Control %q, want %q", tc.path, tc.role, r.Status, got, tc.want)
		}
	}
}

// TestDuplicateJSONKeysRefused: a body that names a key twice is refused
// with 400 and changes nothing; the same key in sibling objects is fine.
func TestDuplicateJSONKeysRefused(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	a := e.importSmall(t, "Keys", "One sentence here. Another one there.")
	path := "/api/v1/articles/" + itoa(a.ID) + "/comments"
	for _, body := range []string{
		`{"body":"first","body":"second"}`,
		`{"body":"x","sentence_id":1,"sentence_id":2}`,
	} {
		r := e.api(models.RoleChecker, "POST", path, body)
		if r.Status != 400 || r.errorCode(t) != "malformed" {
			t.Errorf("%s: %d %s, want 400 malformed", body, r.Status, r.Body)
		}
	}
	var cs struct {
		Comments []models.Comment `json:"comments"`
	}
	e.api(models.RoleChecker, "GET", path, nil).decode(t, &cs)
	if len(cs.Comments) != 0 {
		t.Errorf("%d comments stored from refused bodies", len(cs.Comments))
	}
	r := e.api(models.RoleChecker, "PUT", "/api/v1/me/notification-settings",
		`{"settings":[{"event":"comment.reply","in_app":false,"email":false},{"event":"comment.mention","in_app":true,"email":true}]}`)
	if r.Status != 200 {
		t.Errorf("the same keys in sibling objects: %d %s", r.Status, r.Body)
	}
}
