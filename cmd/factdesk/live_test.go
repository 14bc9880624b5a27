package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"factdesk/internal/testdb"
)

// TestTwoServersShareLiveEvents runs two "factdesk serve" on one
// PostgreSQL database: a change made through one reaches an event stream
// opened on the other, through LISTEN/NOTIFY.
func TestTwoServersShareLiveEvents(t *testing.T) {
	dsn := testdb.PostgresDatabase(t)
	if code, _, errs := run(t, "", nil, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "", nil, "user", "add", "--db", dsn, "--email", "c@news.example", "--name", "C", "--role", "checker"); code != 0 {
		t.Fatal(errs)
	}
	_, tok, _ := run(t, "", nil, "user", "token", "--db", dsn, "--email", "c@news.example", "--name", "t")
	tok = strings.TrimSpace(tok)
	env := map[string]string{"DATABASE_URL": dsn}
	a, _ := server(t, env, "serve", "--no-migrate")
	b, _ := server(t, env, "serve", "--no-migrate")
	call := func(base, method, path, body string) []byte {
		status, out := bearer(t, base, tok)(method, path, body)
		if status >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, status, out)
		}
		return out
	}
	var art struct {
		ID        int64
		Sentences []struct {
			ID      int64
			Version int
		}
	}
	json.Unmarshal(call(a, "POST", "/api/v1/articles", `{"body":"One claim. Another claim."}`), &art)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/articles/%d/events", b, art.ID), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	waitFor := func(prefix string) string {
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), prefix) {
				return lines.Text()
			}
		}
		t.Fatalf("stream ended before %q: %v", prefix, lines.Err())
		return ""
	}
	waitFor("event: ready")
	start := time.Now()
	s := art.Sentences[1]
	call(a, "PATCH", fmt.Sprintf("/api/v1/sentences/%d", s.ID), fmt.Sprintf(`{"label":"fact","version":%d}`, s.Version))
	waitFor("event: sentence")
	data := waitFor("data: ")
	if !strings.Contains(data, fmt.Sprintf(`"entity_id":%d`, s.ID)) || !strings.Contains(data, `"version":2`) {
		t.Errorf("event data: %s", data)
	}
	t.Logf("crossed in %s", time.Since(start))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the change took %s to cross servers", d)
	}
}
