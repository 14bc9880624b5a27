package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"factdesk/internal/testdb"
)

// TestServeRequireChecked runs the real server with --require-checked (and
// with FACTDESK_REQUIRE_CHECKED): a fact that is only labeled stops the
// submission, and the readiness says the newsroom requires it; without the
// setting the same article is submitted.
func TestServeRequireChecked(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		refused bool
	}{
		{"flag", nil, []string{"--require-checked"}, true},
		{"environment", map[string]string{"FACTDESK_REQUIRE_CHECKED": "true"}, nil, true},
		{"default", nil, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := testdb.DSN(t, testdb.SQLite)
			if code, _, errs := run(t, "", nil, "migrate", "up", "--db", dsn); code != 0 {
				t.Fatalf("migrate up: %s", errs)
			}
			if code, _, errs := run(t, "a long enough password\n", nil, "user", "add", "--db", dsn, "--email", "desk@news.example", "--name", "Desk", "--role", "checker", "--password-stdin"); code != 0 {
				t.Fatalf("user add: %s", errs)
			}
			env := map[string]string{"DATABASE_URL": dsn}
			for k, v := range tc.env {
				env[k] = v
			}
			_, tok, _ := run(t, "", env, "user", "token", "--email", "desk@news.example", "--name", "script")
			base, _ := server(t, env, append([]string{"serve", "--no-migrate"}, tc.args...)...)
			call := bearer(t, base, strings.TrimSpace(tok))
			status, body := call("POST", "/api/v1/articles", `{"title":"Budget","body":"The council approved the budget on Monday."}`)
			if status != 201 {
				t.Fatalf("import: %d %s", status, body)
			}
			var a struct {
				ID        int64
				Sentences []struct {
					ID      int64
					Version int
				}
			}
			json.Unmarshal(body, &a)
			s := a.Sentences[0]
			if status, body := call("PATCH", fmt.Sprintf("/api/v1/sentences/%d", s.ID), fmt.Sprintf(`{"label":"fact","version":%d}`, s.Version)); status != 200 {
				t.Fatalf("label: %d %s", status, body)
			}
			_, body = call("GET", fmt.Sprintf("/api/v1/articles/%d/readiness", a.ID), "")
			var r struct {
				RequireChecked bool `json:"require_checked"`
				Ready          bool `json:"ready"`
			}
			json.Unmarshal(body, &r)
			if r.RequireChecked != tc.refused || r.Ready == tc.refused {
				t.Errorf("readiness: %s", body)
			}
			status, body = call("POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), `{}`)
			if tc.refused && (status != 422 || !strings.Contains(string(body), "not checked")) {
				t.Errorf("submit with an unchecked fact: %d %s, want 422", status, body)
			}
			if !tc.refused && status != 200 {
				t.Errorf("submit: %d %s, want 200", status, body)
			}
		})
	}
}
