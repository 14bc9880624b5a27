package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// Explain says in words why a fetch failed, for the person who asked for
// the page: which host could not be reached, what it answered, that the
// page is not one factdesk reads. It names the host as the URL gave it,
// never the address it resolved to, the resolver or a system call's
// message: those belong in the log, with the whole error. The sentence has
// no final full stop, so that a caller can go on ("…; paste the text
// instead"). It returns "" for nil.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	host := hostOf(err)
	var se *StatusError
	if errors.As(err, &se) {
		status := se.Status
		if status == "" {
			status = fmt.Sprintf("%d %s", se.StatusCode, http.StatusText(se.StatusCode))
		}
		if h := urlHost(se.URL); h != "" {
			host = h
		}
		return fmt.Sprintf("%s answered %s", host, status)
	}
	var te *TypeError
	switch {
	case errors.Is(err, ErrInvalidURL):
		return "that is not a web address factdesk can fetch"
	case errors.Is(err, ErrUnsupportedScheme):
		return "factdesk fetches only http:// and https:// addresses"
	case errors.Is(err, ErrForbiddenAddress):
		if _, perr := netip.ParseAddr(hostnameOf(err)); perr == nil || host == "" {
			// The host is an address itself: not named either.
			return "factdesk does not fetch addresses on private networks"
		}
		return fmt.Sprintf("%s is not on the public internet, and factdesk does not fetch addresses on private networks", host)
	case errors.Is(err, ErrTooManyRedirects):
		return fmt.Sprintf("%s redirected factdesk too many times (a redirect loop?)", orSite(host))
	case errors.As(err, &te):
		what := te.MediaType
		if what == "" {
			what = "of an unknown type"
		}
		return fmt.Sprintf("the page at %s is not an article factdesk can read (it is %s; factdesk reads HTML and plain text)", orSite(host), what)
	case errors.Is(err, ErrTooLarge):
		return fmt.Sprintf("the page at %s is larger than factdesk fetches", orSite(host))
	case errors.Is(err, ErrTimeout):
		return fmt.Sprintf("%s did not answer in time", orSite(host))
	case errors.Is(err, context.Canceled):
		return fmt.Sprintf("the fetch of the page at %s was cancelled", orSite(host))
	case errors.Is(err, ErrUnreachable):
		return unreachable(orSite(host), err)
	}
	return fmt.Sprintf("factdesk could not fetch the page at %s", orSite(host))
}

// unreachable says why a host could not be reached, as far as the network
// error tells.
func unreachable(host string, err error) string {
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return fmt.Sprintf("factdesk could not reach %s: no server has that name (check the address)", host)
	case errors.As(err, &dns):
		return fmt.Sprintf("factdesk could not reach %s: its name could not be resolved just now", host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("factdesk could not reach %s: the server refused the connection", host)
	case errors.As(err, &cert):
		return fmt.Sprintf("factdesk could not reach %s securely: its certificate is not valid", host)
	}
	return fmt.Sprintf("factdesk could not reach %s", host)
}

// hostOf returns the host (and port, if the URL names one) of the URL a
// failed fetch was asked for; "" when there is none.
func hostOf(err error) string {
	var fe *Error
	if !errors.As(err, &fe) {
		return ""
	}
	return urlHost(fe.URL)
}

// hostnameOf is hostOf without the port.
func hostnameOf(err error) string {
	var fe *Error
	if !errors.As(err, &fe) {
		return ""
	}
	u, perr := url.Parse(strings.TrimSpace(fe.URL))
	if perr != nil {
		return ""
	}
	return u.Hostname()
}

func urlHost(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return u.Host
}

func orSite(host string) string {
	if host == "" {
		return "the site"
	}
	return host
}
