package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// ipAddress matches an IPv4 address or the start of an IPv6 one.
var ipAddress = regexp.MustCompile(`\b\d{1,3}(\.\d{1,3}){3}\b|\[?[0-9a-fA-F]*::`)

// TestExplain fails real fetches (local servers reached by the name
// localhost, an unresolvable name under the reserved .invalid domain) and
// checks that the explanation names the host and what happened, and
// never an address or the resolver's words.
func TestExplain(t *testing.T) {
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.Error(w, "gone", http.StatusNotFound)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/big":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(strings.Repeat("a", 2000)))
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.7"))
		}
	})
	local := "localhost:" + portOf(t, srv)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closedPort, err := net.SplitHostPort(l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	closed := "localhost:" + closedPort
	l.Close() // nothing listens there now

	allowed := New(Config{AllowHosts: []string{"localhost"}, Timeout: 300 * time.Millisecond, MaxBytes: 1000})
	strict := New(Config{})
	tests := []struct {
		name string
		f    *Fetcher
		url  string
		want string
	}{
		{"404", allowed, "http://" + local + "/missing", local + " answered 404 Not Found"},
		{"timeout", allowed, "http://" + local + "/slow", local + " did not answer in time"},
		{"redirect loop", allowed, "http://" + local + "/loop", local + " redirected factdesk too many times"},
		{"too large", allowed, "http://" + local + "/big", "the page at " + local + " is larger than factdesk fetches"},
		{"not an article", allowed, "http://" + local + "/pdf", "the page at " + local + " is not an article factdesk can read (it is application/pdf"},
		{"no such host", allowed, "https://no-such-host.factdesk.invalid/story", "factdesk could not reach no-such-host.factdesk.invalid: no server has that name"},
		{"refused connection", allowed, "http://" + closed + "/", "factdesk could not reach " + closed + ": the server refused the connection"},
		{"private network by name", strict, "http://" + local + "/missing", local + " is not on the public internet, and factdesk does not fetch addresses on private networks"},
		{"private network by address", strict, "http://10.0.0.1/", "factdesk does not fetch addresses on private networks"},
		{"scheme", strict, "ftp://files.example/a", "factdesk fetches only http:// and https:// addresses"},
		{"no host", strict, "http:///path", "that is not a web address factdesk can fetch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.f.Fetch(context.Background(), tt.url)
			if err == nil {
				t.Fatal("Fetch succeeded, want an error")
			}
			got := Explain(err)
			t.Logf("%s → %q", err, got)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("Explain(%v)\n got %q\nwant %q…", err, got, tt.want)
			}
			if ip := ipAddress.FindString(got); ip != "" {
				t.Errorf("Explain(%v) = %q: shows the address %q", err, got, ip)
			}
			for _, word := range []string{"lookup", "dial", "tcp", "fetch http", "10.255"} {
				if strings.Contains(got, word) {
					t.Errorf("Explain(%v) = %q: shows %q", err, got, word)
				}
			}
		})
	}
	if got := Explain(nil); got != "" {
		t.Errorf("Explain(nil) = %q, want empty", got)
	}
}

// TestFetchErrorType checks that every failure is an *Error that names the
// URL and keeps the cause for errors.Is.
func TestFetchErrorType(t *testing.T) {
	_, err := New(Config{}).Fetch(context.Background(), "http://10.0.0.1/x")
	var fe *Error
	if !errors.As(err, &fe) || fe.URL != "http://10.0.0.1/x" {
		t.Fatalf("error = %#v, want an *Error for the URL", err)
	}
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("error = %v, want it to match ErrForbiddenAddress", err)
	}
	if got := err.Error(); !strings.HasPrefix(got, "fetch http://10.0.0.1/x: ") || !strings.Contains(got, "10.0.0.1") {
		t.Errorf("Error() = %q, want the whole detail for the log", got)
	}
}
