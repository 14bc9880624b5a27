package routes_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/reviewers"
)

// TestStreamsEndWithTheirAccess (issue 18, finding 7): a stream opened
// before its user was disabled, or before a blind second opinion was
// asked of them, ends instead of delivering what they may no longer see.
func TestStreamsEndWithTheirAccess(t *testing.T) {
	e := liveEnv(t)
	a := e.importSmall(t, "Access", "The council met on Monday. It approved the budget. The mayor spoke.")
	open := func(token string) (*bufio.Reader, func()) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		req, err := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/articles/%d/events", e.srv.URL, a.ID), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("open the stream: %v %v", err, resp)
		}
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("before ready: %v", err)
			}
			if strings.HasPrefix(line, "event: ready") {
				break
			}
		}
		return r, func() { resp.Body.Close(); cancel() }
	}
	// rest reads what the stream still sends until it ends.
	rest := func(r *bufio.Reader) (string, error) {
		var b strings.Builder
		for {
			line, err := r.ReadString('\n')
			b.WriteString(line)
			if err != nil {
				return b.String(), err
			}
		}
	}
	label := func(i int) {
		t.Helper()
		s := a.Sentences[i]
		if r := patch(e, models.RoleEditor, s.ID, map[string]any{"note": fmt.Sprintf("after %d", i), "version": s.Version}); r.Status != 200 {
			t.Fatalf("note: %d %s", r.Status, r.Body)
		}
	}
	admin := e.users[models.RoleAdmin].Actor()

	t.Run("disabled", func(t *testing.T) {
		gone := e.extraUser(t, "gone@test.example", models.RoleChecker)
		r, done := open(gone.token)
		defer done()
		yes := true
		if _, err := e.svc.UpdateUser(context.Background(), admin, e.users["gone@test.example"].ID, reviewers.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		label(0)
		got, err := rest(r)
		if strings.Contains(got, "event: sentence") || err == nil || strings.Contains(err.Error(), "deadline") {
			t.Errorf("after the user was disabled the stream sent %q and ended with %v; want it ended at once, sending nothing", got, err)
		}
	})
	t.Run("blind", func(t *testing.T) {
		second := e.extraUser(t, "second@test.example", models.RoleChecker)
		r, done := open(second.token)
		defer done()
		if res := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": e.users["second@test.example"].ID}); res.Status != 201 {
			t.Fatalf("ask for an opinion: %d %s", res.Status, res.Body)
		}
		label(1)
		got, err := rest(r)
		if strings.Contains(got, "event: sentence") || err == nil || strings.Contains(err.Error(), "deadline") {
			t.Errorf("after going blind the stream sent %q and ended with %v; want it ended, sending no label", got, err)
		}
	})
}
