package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"factdesk/internal/testdb"
)

// testdb is imported for its Run helper in every test file of the package.
var _ = testdb.Run

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// httptestServer serves one HTML page on loopback.
func httptestServer(t *testing.T, page string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	return srv
}
