package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"factdesk/internal/testdb"
)

// TestMetricsWhereConfigured: --metrics-addr serves the metrics and the
// profiles on their own listener and not on the public one; with
// --metrics-public they are on the public one for admins only.
func TestMetricsWhereConfigured(t *testing.T) {
	get := func(t *testing.T, url, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	t.Run("own listener", func(t *testing.T) {
		dsn := testdb.DSN(t, testdb.SQLite)
		site := newFaultSite(t, dsn)
		ops := freePort(t)
		base, _ := server(t, nil, "serve", "--db", dsn, "--metrics-addr", ops, "--pprof")
		newAPIClient(base, site.tokens[0]).call("GET", "/api/v1/me", "")
		code, body := get(t, "http://"+ops+"/metrics", "")
		if code != http.StatusOK || !strings.Contains(body, `factdesk_http_requests_total{method="GET",route="/api/v1/me",status="200"} 1`) {
			t.Errorf("metrics listener: %d\n%.2000s", code, body)
		}
		if code, _ := get(t, "http://"+ops+"/debug/pprof/", ""); code != http.StatusOK {
			t.Errorf("pprof with --pprof: %d", code)
		}
		if code, _ := get(t, base+"/metrics", site.tokens[2]); code != http.StatusNotFound {
			t.Errorf("public /metrics without --metrics-public: %d, want 404", code)
		}
	})
	t.Run("public to admins", func(t *testing.T) {
		dsn := testdb.DSN(t, testdb.SQLite)
		site := newFaultSite(t, dsn)
		base, _ := server(t, nil, "serve", "--db", dsn, "--metrics-public")
		tests := []struct {
			name, token string
			want        int
		}{
			{"anonymous", "", http.StatusUnauthorized},
			{"checker", site.tokens[0], http.StatusForbidden},
			{"admin", site.tokens[2], http.StatusOK},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest("GET", base+"/metrics", nil)
				req.Header.Set("Accept", "application/json")
				if tt.token != "" {
					req.Header.Set("Authorization", "Bearer "+tt.token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.want {
					t.Errorf("GET /metrics as %s: got %d, want %d", tt.name, resp.StatusCode, tt.want)
				}
			})
		}
		if code, _ := get(t, base+"/debug/pprof/", site.tokens[2]); code != http.StatusNotFound {
			t.Errorf("pprof without --pprof: %d, want 404", code)
		}
	})
}
