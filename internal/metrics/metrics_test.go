package metrics

import (
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	b, err := io.ReadAll(w.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return w.Code, string(b)
}

func TestMetricsCountRequestsAndWork(t *testing.T) {
	m := New(Options{DB: &sql.DB{}, Streams: func() int { return 3 }, LabelBatches: func() (int, int) { return 4, 11 },
		Outbox: func() OutboxStats { return OutboxStats{Sent: 7, Retried: 2, Failed: 1} }})
	m.ObserveRequest("PATCH", "/api/v1/sentences/:id", 200, 3*time.Millisecond)
	m.ObserveRequest("PATCH", "/api/v1/sentences/:id", 409, time.Millisecond)
	m.ObserveRequest("POST", "/api/v1/articles", 503, time.Second)
	m.ObserveRequest("GET", "/api/v1/articles/:id/audit", 200, time.Millisecond)
	m.ObserveRequest("GET", "", 404, time.Millisecond)
	code, body := scrape(t, m.Handler(), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", code)
	}
	for _, want := range []string{
		`factdesk_http_requests_total{method="PATCH",route="/api/v1/sentences/:id",status="200"} 1`,
		`factdesk_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`factdesk_http_request_duration_seconds_bucket{method="POST",route="/api/v1/articles",status="5xx",le="1"} 1`,
		`factdesk_label_updates_total{outcome="ok"} 1`,
		`factdesk_label_updates_total{outcome="rejected"} 1`,
		`factdesk_imports_total{outcome="failed"} 1`,
		`factdesk_audit_verifications_total{outcome="ok"} 1`,
		`factdesk_event_streams_open 3`,
		`factdesk_label_batches_total 4`,
		`factdesk_label_batched_total 11`,
		`factdesk_outbox_sent_total 7`,
		`factdesk_outbox_retried_total 2`,
		`factdesk_outbox_failed_total 1`,
		`go_sql_open_connections{db_name="factdesk"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
}

func TestPprofOnlyWhenAsked(t *testing.T) {
	tests := []struct {
		name  string
		pprof bool
		want  int
	}{
		{"off", false, http.StatusNotFound},
		{"on", true, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := scrape(t, New(Options{Pprof: tt.pprof}).Handler(), "/debug/pprof/"); got != tt.want {
				t.Errorf("GET /debug/pprof/: got %d, want %d", got, tt.want)
			}
		})
	}
}
