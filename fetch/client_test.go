package fetch_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"factdesk/fetch"
)

// TestClient: the client of a Fetcher follows no redirect and reaches
// loopback only where the allow list names it.
func TestClient(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	t.Cleanup(srv.Close)

	allowed := fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}).Client(0)
	resp, err := allowed.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || hits != 1 {
		t.Errorf("got %d after %d requests, want the 302 itself", resp.StatusCode, hits)
	}

	_, err = fetch.New(fetch.Config{}).Client(0).Get(srv.URL)
	var ae *fetch.AddressError
	if !errors.Is(err, fetch.ErrForbiddenAddress) || !errors.As(err, &ae) || ae.Addr.String() != "127.0.0.1" {
		t.Errorf("loopback without an allow list: %v", err)
	}
	if hits != 1 {
		t.Errorf("the refused client reached the server")
	}
}
