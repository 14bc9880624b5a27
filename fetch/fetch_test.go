package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// loopback allows the httptest servers, which listen on 127.0.0.1.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// newServer starts a test server and counts the requests it serves.
func newServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func serveHTML(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

// portOf returns the port a test server listens on.
func portOf(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return port
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %v", want)
	}
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want one matching %v", err, want)
	}
}

func TestFetchAllowed(t *testing.T) {
	const body = "<html><head><title>T</title></head><body><p>Hello</p></body></html>"
	srv, _ := newServer(t, serveHTML(body))
	f := New(Config{AllowCIDRs: loopback})
	before := time.Now().UTC()
	page, err := f.Fetch(context.Background(), srv.URL+"/story")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	sum := sha256.Sum256([]byte(body))
	tests := []struct {
		name      string
		got, want any
	}{
		{"URL", page.URL, srv.URL + "/story"},
		{"FinalURL", page.FinalURL, srv.URL + "/story"},
		{"Status", page.Status, 200},
		{"ContentType", page.ContentType, "text/html; charset=utf-8"},
		{"MediaType", page.MediaType, "text/html"},
		{"Body", string(page.Body), body},
		{"SHA256", page.SHA256, hex.EncodeToString(sum[:])},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if page.RetrievedAt.Before(before) || page.RetrievedAt.Location() != time.UTC {
		t.Errorf("RetrievedAt = %v, want a UTC time after %v", page.RetrievedAt, before)
	}
}

func TestFetchRefusesLoopbackByDefault(t *testing.T) {
	srv, hits := newServer(t, serveHTML("<p>secret</p>"))
	port := portOf(t, srv)
	f := New(Config{})
	urls := []string{
		srv.URL,
		"http://localhost:" + port + "/",
		"http://[::ffff:127.0.0.1]:" + port + "/",
		"http://0.0.0.0:" + port + "/",
		"http://[::1]:" + port + "/",
		"http://[fe80::1%25eth0]:" + port + "/",
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.1/",
		"https://192.168.1.1/",
	}
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), u)
			wantErr(t, err, ErrForbiddenAddress)
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server was reached %d times, want 0", n)
	}
}

func TestFetchAllowHost(t *testing.T) {
	srv, _ := newServer(t, serveHTML("<p>wiki</p>"))
	f := New(Config{AllowHosts: []string{"LOCALHOST"}})
	page, err := f.Fetch(context.Background(), "http://localhost:"+portOf(t, srv)+"/")
	if err != nil {
		t.Fatalf("Fetch of an allowed host: %v", err)
	}
	if got, want := string(page.Body), "<p>wiki</p>"; got != want {
		t.Errorf("Body = %q, want %q", got, want)
	}
	// The address of an allowed name is not allowed under another name.
	_, err = f.Fetch(context.Background(), srv.URL)
	wantErr(t, err, ErrForbiddenAddress)
}

func TestFetchRedirects(t *testing.T) {
	target, targetHits := newServer(t, serveHTML("<p>internal</p>"))
	// The entry server is reached as "localhost", which is allowed; the
	// address it redirects to is not.
	entry, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-loopback":
			http.Redirect(w, r, target.URL+"/admin", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusMovedPermanently)
		case "/to-ftp":
			http.Redirect(w, r, "ftp://example.com/file", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/once":
			http.Redirect(w, r, "/final", http.StatusSeeOther)
		case "/final":
			serveHTML("<p>final</p>")(w, r)
		}
	})
	entryURL := "http://localhost:" + portOf(t, entry)
	f := New(Config{AllowHosts: []string{"localhost"}, MaxRedirects: 3})

	tests := []struct {
		path string
		want error
	}{
		{"/to-loopback", ErrForbiddenAddress},
		{"/to-metadata", ErrForbiddenAddress},
		{"/to-ftp", ErrUnsupportedScheme},
		{"/to-file", ErrUnsupportedScheme},
		{"/loop", ErrTooManyRedirects},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), entryURL+tt.path)
			wantErr(t, err, tt.want)
		})
	}
	if n := targetHits.Load(); n != 0 {
		t.Errorf("loopback target was reached %d times, want 0", n)
	}

	t.Run("followed", func(t *testing.T) {
		page, err := f.Fetch(context.Background(), entryURL+"/once")
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if got, want := page.FinalURL, entryURL+"/final"; got != want {
			t.Errorf("FinalURL = %q, want %q", got, want)
		}
		if got, want := page.URL, entryURL+"/once"; got != want {
			t.Errorf("URL = %q, want %q", got, want)
		}
	})
	t.Run("none followed", func(t *testing.T) {
		f := New(Config{AllowHosts: []string{"localhost"}, MaxRedirects: -1})
		_, err := f.Fetch(context.Background(), entryURL+"/once")
		wantErr(t, err, ErrTooManyRedirects)
	})
}

// TestFetchResolvedAddressChecked simulates DNS answers: a public-looking
// name that resolves to an internal address (DNS rebinding included) is
// refused, because the address is checked where it is dialled.
func TestFetchResolvedAddressChecked(t *testing.T) {
	srv, hits := newServer(t, serveHTML("<p>internal</p>"))
	port := portOf(t, srv)
	tests := []struct {
		name    string
		answers []string
		allow   []netip.Prefix
		want    error
	}{
		{"loopback", []string{"127.0.0.1"}, nil, ErrForbiddenAddress},
		{"mapped loopback", []string{"::ffff:127.0.0.1"}, nil, ErrForbiddenAddress},
		{"private", []string{"10.0.0.8"}, nil, ErrForbiddenAddress},
		{"metadata", []string{"169.254.169.254"}, nil, ErrForbiddenAddress},
		{"all refused", []string{"192.168.0.1", "127.0.0.1"}, nil, ErrForbiddenAddress},
		{"allowed range", []string{"127.0.0.1"}, loopback, nil},
		{"refused address skipped", []string{"10.0.0.8", "127.0.0.1"}, loopback, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(Config{AllowCIDRs: tt.allow, Timeout: 5 * time.Second})
			var calls atomic.Int64
			f.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
				calls.Add(1)
				var ips []netip.Addr
				for _, a := range tt.answers {
					ips = append(ips, netip.MustParseAddr(a))
				}
				return ips, nil
			}
			before := hits.Load()
			_, err := f.Fetch(context.Background(), "http://news.example:"+port+"/")
			if calls.Load() == 0 {
				t.Fatal("resolver was not consulted")
			}
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				return
			}
			wantErr(t, err, tt.want)
			if hits.Load() != before {
				t.Error("server was reached, want refused before connecting")
			}
			var ae *AddressError
			if !errors.As(err, &ae) || ae.Host != "news.example" {
				t.Errorf("error = %v, want an *AddressError for news.example", err)
			}
		})
	}
}

func TestFetchSizeLimit(t *testing.T) {
	const limit = 1000
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		n := limit
		switch r.URL.Path {
		case "/over":
			n = limit + 1
		case "/chunked-over":
			// Flushing before the end leaves the length unannounced.
			w.Write(bytes.Repeat([]byte("a"), limit/2))
			w.(http.Flusher).Flush()
			w.Write(bytes.Repeat([]byte("a"), limit))
			return
		case "/gzip-bomb":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write(make([]byte, 1<<20))
			zw.Close()
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(n))
		w.Write(bytes.Repeat([]byte("a"), n))
	})
	f := New(Config{AllowCIDRs: loopback, MaxBytes: limit})
	tests := []struct {
		path string
		want error
	}{
		{"/at-limit", nil},
		{"/over", ErrTooLarge},
		{"/chunked-over", ErrTooLarge},
		{"/gzip-bomb", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			page, err := f.Fetch(context.Background(), srv.URL+tt.path)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if got := len(page.Body); got != limit {
					t.Errorf("len(Body) = %d, want %d", got, limit)
				}
				return
			}
			wantErr(t, err, tt.want)
		})
	}
}

func TestFetchContentType(t *testing.T) {
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		ct := r.URL.Query().Get("ct")
		if ct == "none" {
			w.Header()["Content-Type"] = nil // keep the server from sniffing
		} else {
			w.Header().Set("Content-Type", ct)
		}
		switch r.URL.Query().Get("body") {
		case "binary":
			w.Write([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0})
		default:
			fmt.Fprint(w, "<!DOCTYPE html><html><body><p>text</p></body></html>")
		}
	})
	f := New(Config{AllowCIDRs: loopback})
	tests := []struct {
		name, query string
		wantType    string
		want        error
	}{
		{"html", "ct=text/html", "text/html", nil},
		{"html upper case", "ct=TEXT/HTML%3B+charset=UTF-8", "text/html", nil},
		{"xhtml", "ct=application/xhtml%2Bxml", "application/xhtml+xml", nil},
		{"plain", "ct=text/plain%3B+charset=iso-8859-1", "text/plain", nil},
		{"sniffed html", "ct=none", "text/html", nil},
		{"json", "ct=application/json", "", ErrUnsupportedType},
		{"pdf", "ct=application/pdf", "", ErrUnsupportedType},
		{"png", "ct=image/png&body=binary", "", ErrUnsupportedType},
		{"sniffed binary", "ct=none&body=binary", "", ErrUnsupportedType},
		{"garbage", "ct=%3B%3B", "", ErrUnsupportedType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := f.Fetch(context.Background(), srv.URL+"/?"+tt.query)
			if tt.want != nil {
				wantErr(t, err, tt.want)
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if page.MediaType != tt.wantType {
				t.Errorf("MediaType = %q, want %q", page.MediaType, tt.wantType)
			}
		})
	}
}

func TestFetchBadURL(t *testing.T) {
	f := New(Config{AllowCIDRs: loopback})
	tests := []struct {
		url  string
		want error
	}{
		{"ftp://example.com/a", ErrUnsupportedScheme},
		{"file:///etc/passwd", ErrUnsupportedScheme},
		{"gopher://example.com/", ErrUnsupportedScheme},
		{"javascript:alert(1)", ErrUnsupportedScheme},
		{"data:text/html,<p>x</p>", ErrUnsupportedScheme},
		{"//example.com/a", ErrUnsupportedScheme},
		{"example.com/a", ErrUnsupportedScheme},
		{"http://", ErrInvalidURL},
		{"http:///path", ErrInvalidURL},
		{"http://exa mple.com/", ErrInvalidURL},
		{"http://[::1/", ErrInvalidURL},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), tt.url)
			wantErr(t, err, tt.want)
		})
	}
}

func TestFetchStatus(t *testing.T) {
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusNotFound)
	})
	f := New(Config{AllowCIDRs: loopback})
	_, err := f.Fetch(context.Background(), srv.URL+"/missing")
	wantErr(t, err, ErrHTTPStatus)
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *StatusError", err)
	}
	if se.StatusCode != http.StatusNotFound {
		t.Errorf("StatusCode = %d, want %d", se.StatusCode, http.StatusNotFound)
	}
}

func TestFetchTimeout(t *testing.T) {
	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "start")
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	f := New(Config{AllowCIDRs: loopback, Timeout: 200 * time.Millisecond})
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		t.Run(path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), srv.URL+path)
			wantErr(t, err, ErrTimeout)
		})
	}
	t.Run("caller deadline", func(t *testing.T) {
		f := New(Config{AllowCIDRs: loopback, Timeout: time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_, err := f.Fetch(ctx, srv.URL+"/slow-headers")
		wantErr(t, err, ErrTimeout)
	})
	t.Run("caller cancels", func(t *testing.T) {
		f := New(Config{AllowCIDRs: loopback, Timeout: time.Minute})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := f.Fetch(ctx, srv.URL+"/slow-headers")
		wantErr(t, err, context.Canceled)
		if errors.Is(err, ErrTimeout) {
			t.Errorf("error = %v, want no ErrTimeout on cancellation", err)
		}
	})
}

func TestFetchUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	f := New(Config{AllowCIDRs: loopback})
	_, err = f.Fetch(context.Background(), "http://"+addr+"/")
	wantErr(t, err, ErrUnreachable)
	if errors.Is(err, ErrForbiddenAddress) || errors.Is(err, ErrTimeout) {
		t.Errorf("error = %v, want only ErrUnreachable", err)
	}
}

func TestPageDecoded(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        string
	}{
		{"utf-8 declared", "text/plain; charset=utf-8", []byte("caf\xc3\xa9"), "café"},
		{"utf-8 undeclared", "text/plain", []byte("caf\xc3\xa9"), "café"},
		{"utf-8 bom", "text/plain", []byte("\xef\xbb\xbfcaf\xc3\xa9"), "café"},
		{"latin-1 header", "text/plain; charset=iso-8859-1", []byte("caf\xe9"), "café"},
		{"latin-1 meta", "text/html", []byte(`<meta charset="iso-8859-1"><p>caf` + "\xe9"), `<meta charset="iso-8859-1"><p>café`},
		{"windows-1252 undeclared", "text/plain", []byte("\x93quoted\x94"), "“quoted”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Page{ContentType: tt.contentType, Body: tt.body}
			got, err := p.Decoded()
			if err != nil {
				t.Fatalf("Decoded: %v", err)
			}
			if got != tt.want {
				t.Errorf("Decoded() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	cfg := New(Config{}).Config()
	if cfg.Timeout != DefaultTimeout || cfg.MaxBytes != DefaultMaxBytes ||
		cfg.MaxRedirects != DefaultMaxRedirects || !strings.HasPrefix(cfg.UserAgent, "factdesk") {
		t.Errorf("defaults = %+v, want Timeout %v, MaxBytes %d, MaxRedirects %d and a factdesk user agent",
			cfg, DefaultTimeout, DefaultMaxBytes, DefaultMaxRedirects)
	}
}

func TestFetchTLS(t *testing.T) {
	srv := httptest.NewTLSServer(serveHTML("<p>secure</p>"))
	t.Cleanup(srv.Close)
	trustServer := func(f *Fetcher) {
		f.client.Transport.(*http.Transport).TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	}
	t.Run("refused by default", func(t *testing.T) {
		f := New(Config{})
		trustServer(f)
		_, err := f.Fetch(context.Background(), srv.URL)
		wantErr(t, err, ErrForbiddenAddress)
	})
	t.Run("allowed", func(t *testing.T) {
		f := New(Config{AllowCIDRs: loopback})
		trustServer(f)
		page, err := f.Fetch(context.Background(), srv.URL+"/a")
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if got, want := string(page.Body), "<p>secure</p>"; got != want {
			t.Errorf("Body = %q, want %q", got, want)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		f := New(Config{AllowCIDRs: loopback})
		_, err := f.Fetch(context.Background(), srv.URL)
		wantErr(t, err, ErrUnreachable)
	})
}

func TestControlRefuses(t *testing.T) {
	f := New(Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}})
	tests := []struct {
		address     string
		hostAllowed bool
		want        error
	}{
		{"93.184.215.14:443", false, nil},
		{"10.1.2.3:80", false, nil},
		{"127.0.0.1:80", true, nil},
		{"127.0.0.1:80", false, ErrForbiddenAddress},
		{"[::ffff:10.0.0.1]:80", false, ErrForbiddenAddress},
		{"not-an-address", false, ErrForbiddenAddress},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			err := f.control("host.example", tt.hostAllowed)("tcp", tt.address, nil)
			if tt.want == nil {
				if err != nil {
					t.Errorf("control(%s) = %v, want nil", tt.address, err)
				}
				return
			}
			wantErr(t, err, tt.want)
		})
	}
}
