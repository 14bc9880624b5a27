// Package fetch retrieves web pages on behalf of users without letting them
// reach what the server can reach and they cannot: loopback, private
// networks, cloud metadata services and other non-public addresses are
// refused unless an operator allowed them explicitly.
//
// The address check runs when the connection is made, on the address that
// was resolved and is then dialled, so DNS rebinding and redirects to
// internal addresses are refused like a direct request. Proxies from the
// environment are ignored, for the same reason.
package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Defaults applied by New to zero fields of Config.
const (
	DefaultTimeout      = 20 * time.Second
	DefaultMaxBytes     = 10 << 20
	DefaultMaxRedirects = 5
	DefaultUserAgent    = "factdesk/1 (fact-check workbench; +https://github.com/factdesk)"
)

// Config sets the limits of a Fetcher. Zero fields take the defaults above.
type Config struct {
	// Timeout bounds a whole fetch: resolution, connection, redirects and
	// reading the body.
	Timeout time.Duration
	// MaxBytes is the largest body accepted, after content decoding; a
	// larger one is an error (ErrTooLarge), never silently truncated.
	MaxBytes int64
	// UserAgent is sent with every request.
	UserAgent string
	// AllowHosts are host names that may be fetched whatever they resolve
	// to (compared without case or trailing dot).
	AllowHosts []string
	// AllowCIDRs are address ranges that may be connected to although they
	// are not public (an intranet wiki, a test server on loopback).
	AllowCIDRs []netip.Prefix
	// MaxRedirects is how many redirects are followed; 0 means
	// DefaultMaxRedirects and a negative value means none.
	MaxRedirects int
}

// Page is what a fetch retrieved.
type Page struct {
	URL         string    // the URL asked for
	FinalURL    string    // the URL answered, after redirects
	Status      int       // HTTP status code of the final response
	ContentType string    // Content-Type as sent, or as sniffed when none was sent
	MediaType   string    // the media type alone, lower case: "text/html"
	Body        []byte    // the body as retrieved (after transfer decoding)
	SHA256      string    // hex SHA-256 of Body
	RetrievedAt time.Time // when the body was read, UTC
}

// Fetcher fetches pages under one Config. It is safe for concurrent use and
// keeps connections alive between fetches; build one and share it.
type Fetcher struct {
	cfg    Config
	allow  allowList
	client *http.Client
	// lookup resolves host names; tests replace it to simulate DNS.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// New returns a Fetcher for cfg, with defaults for its zero fields.
func New(cfg Config) *Fetcher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	f := &Fetcher{
		cfg:   cfg,
		allow: newAllowList(cfg.AllowHosts, cfg.AllowCIDRs),
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
	}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would be dialled instead of the checked address
		DialContext:            f.dialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  cfg.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           16,
		IdleConnTimeout:        30 * time.Second,
	}
	f.client = &http.Client{Transport: transport, CheckRedirect: f.checkRedirect}
	return f
}

// Config returns the configuration in force, defaults filled in.
func (f *Fetcher) Config() Config { return f.cfg }

// Fetch retrieves rawURL. It returns the page when the final answer is 2xx,
// of an accepted content type and within the size limit; any other outcome
// is an *Error whose chain matches one of the Err* values of this package
// (or context.Canceled when ctx was cancelled).
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*Page, error) {
	page, err := f.fetch(ctx, rawURL)
	if err != nil {
		return nil, &Error{URL: rawURL, Err: err}
	}
	return page, nil
}

func (f *Fetcher) fetch(ctx context.Context, rawURL string) (*Page, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9")

	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.classify(ctx, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{URL: final, StatusCode: resp.StatusCode, Status: resp.Status}
	}
	contentType := resp.Header.Get("Content-Type")
	if contentType != "" {
		if _, err := acceptedType(contentType); err != nil {
			return nil, err
		}
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrTooLarge, resp.ContentLength, f.cfg.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return nil, f.classify(ctx, fmt.Errorf("read body: %w", err))
	}
	if int64(len(body)) > f.cfg.MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, f.cfg.MaxBytes)
	}
	if contentType == "" {
		contentType = http.DetectContentType(body)
	}
	mediaType, err := acceptedType(contentType)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return &Page{
		URL:         rawURL,
		FinalURL:    final,
		Status:      resp.StatusCode,
		ContentType: contentType,
		MediaType:   mediaType,
		Body:        body,
		SHA256:      hex.EncodeToString(sum[:]),
		RetrievedAt: time.Now().UTC(),
	}, nil
}

// parseURL accepts absolute http and https URLs with a host.
func parseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, unwrapURLError(err))
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: no host", ErrInvalidURL)
	}
	return u, nil
}

func checkScheme(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return nil
	case "":
		return fmt.Errorf("%w: none given (want http or https)", ErrUnsupportedScheme)
	default:
		return fmt.Errorf("%w: %q (want http or https)", ErrUnsupportedScheme, u.Scheme)
	}
}

// acceptedType returns the media type of contentType when it is one the
// fetcher accepts.
func acceptedType(contentType string) (string, error) {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", &TypeError{ContentType: contentType, Err: err}
	}
	switch mediaType {
	case "text/html", "application/xhtml+xml", "text/plain":
		return mediaType, nil
	}
	return "", &TypeError{ContentType: contentType, MediaType: mediaType}
}

// checkRedirect limits redirects and keeps them on http and https; the
// address of the new location is checked when it is dialled.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects || f.cfg.MaxRedirects < 0 {
		return fmt.Errorf("%w: more than %d, stopped at %s", ErrTooManyRedirects, max(f.cfg.MaxRedirects, 0), req.URL)
	}
	if err := checkScheme(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
	}
	return nil
}

// classify turns a client error into one matching this package's errors.
func (f *Fetcher) classify(ctx context.Context, err error) error {
	for _, known := range []error{ErrForbiddenAddress, ErrUnsupportedScheme, ErrTooManyRedirects, ErrInvalidURL} {
		if errors.Is(err, known) {
			return unwrapURLError(err)
		}
	}
	var netErr net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout()) {
		return fmt.Errorf("%w (limit %s): %v", ErrTimeout, f.cfg.Timeout, unwrapURLError(err))
	}
	if errors.Is(err, context.Canceled) {
		return unwrapURLError(err)
	}
	return fmt.Errorf("%w: %w", ErrUnreachable, unwrapURLError(err))
}

// unwrapURLError drops the "Get URL:" prefix that *url.Error repeats.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// dialContext resolves the host itself and dials only permitted addresses,
// so the address checked is the address connected to.
func (f *Fetcher) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %s: bad port: %w", addr, err)
	}
	hostAllowed := f.allow.hostAllowed(host)
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		ips, err = f.lookup(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", host, err)
		}
		if len(ips) == 0 {
			return nil, fmt.Errorf("resolve %s: no addresses", host)
		}
		for i := range ips {
			// The resolver may answer IPv4 in its IPv6-mapped form.
			ips[i] = ips[i].Unmap()
		}
	}
	dialer := &net.Dialer{Timeout: f.cfg.Timeout, Control: f.control(host, hostAllowed)}
	var refused, dialErr error
	for _, ip := range ips {
		if !f.permitted(hostAllowed, ip) {
			if refused == nil {
				refused = &AddressError{Host: host, Addr: ip}
			}
			continue
		}
		conn, err := dialer.DialContext(ctx, network, netip.AddrPortFrom(ip, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		dialErr = err
	}
	if dialErr != nil {
		return nil, dialErr
	}
	return nil, refused
}

// control checks the address the socket is about to connect to: a second
// line of defence should anything dial a name the resolver above did not
// check.
func (f *Fetcher) control(host string, hostAllowed bool) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("connect to %s: %w: unparsable address", address, ErrForbiddenAddress)
		}
		if !f.permitted(hostAllowed, ap.Addr()) {
			return &AddressError{Host: host, Addr: ap.Addr()}
		}
		return nil
	}
}

// permitted reports whether ip may be connected to.
func (f *Fetcher) permitted(hostAllowed bool, ip netip.Addr) bool {
	return hostAllowed || IsPublic(ip) || f.allow.addrAllowed(ip)
}
