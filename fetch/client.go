package fetch

import (
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// Client returns an HTTP client for calls factdesk makes on its own
// initiative to addresses people gave it (webhooks): it connects through
// the same checked dialer as Fetch, so it reaches only public addresses
// and those the allow list names, ignores proxies from the environment,
// and shares the Fetcher's connections. It follows no redirects: a 3xx
// comes back as the response, because a redirect would let a receiver
// send factdesk's signed request somewhere nobody registered. timeout
// bounds a whole call (0: no bound beyond the caller's context).
func (f *Fetcher) Client(timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: f.client.Transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// CheckHost refuses, before any call, a host that is an address this
// Fetcher may not connect to (a literal 127.0.0.1 or 10.x not in the
// allow list), so that people hear of it when they give the address. Host
// names pass: what they resolve to is checked on every connection.
func (f *Fetcher) CheckHost(host string) error {
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return nil
	}
	ip = ip.Unmap()
	if !f.permitted(f.allow.hostAllowed(host), ip) {
		return &AddressError{Host: ip.String(), Addr: ip}
	}
	return nil
}
