package routes_test

import (
	"fmt"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestCommentAnswersNameTheAuthor: adding a comment, replying and
// resolving a thread answer with the comment's author's name, which the
// page shows ("someone" and "Reply to " before).
func TestCommentAnswersNameTheAuthor(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		var c, reply, resolved, reopened models.Comment
		r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "Which record?", "sentence_id": a.Sentences[2].ID})
		r.decode(t, &c)
		if r.Status != 201 || c.Author != "Test checker" {
			t.Errorf("add: %d author %q, want Test checker: %s", r.Status, c.Author, r.Body)
		}
		r = e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "The ministry's.", "parent_id": c.ID})
		r.decode(t, &reply)
		if r.Status != 201 || reply.Author != "Test editor" {
			t.Errorf("reply: %d author %q, want Test editor: %s", r.Status, reply.Author, r.Body)
		}
		// Resolved by the editor, the thread is still the checker's.
		r = e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/comments/%d/resolve", c.ID), nil)
		r.decode(t, &resolved)
		if r.Status != 200 || resolved.Author != "Test checker" || resolved.ResolvedAt == nil {
			t.Errorf("resolve: %d author %q, want Test checker: %s", r.Status, resolved.Author, r.Body)
		}
		r = e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/comments/%d/resolve", c.ID), map[string]any{"resolved": false})
		r.decode(t, &reopened)
		if r.Status != 200 || reopened.Author != "Test checker" || reopened.ResolvedAt != nil {
			t.Errorf("reopen: %d author %q: %s", r.Status, reopened.Author, r.Body)
		}
	})
}
