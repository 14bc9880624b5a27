package fetch

import (
	"errors"
	"fmt"
	"net/netip"
)

// Errors returned by Fetch, always inside an *Error with the URL and wrapped
// with the detail (the address, the size). Test them with errors.Is; every
// failure of Fetch matches exactly one of them, or context.Canceled when the
// caller gave up. Explain says them in words for the person who asked.
var (
	// ErrInvalidURL: the URL cannot be parsed or has no host.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrUnsupportedScheme: not http or https, at the start or after a redirect.
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")
	// ErrForbiddenAddress: the host is, or resolves to, an address that is
	// not on the public internet and not in the allow-list. See AddressError.
	ErrForbiddenAddress = errors.New("address not allowed")
	// ErrTooManyRedirects: more redirects than Config.MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrHTTPStatus: the final response was not 2xx. See StatusError.
	ErrHTTPStatus = errors.New("unsuccessful HTTP status")
	// ErrUnsupportedType: the response is not text/html, application/xhtml+xml
	// or text/plain. See TypeError.
	ErrUnsupportedType = errors.New("unsupported content type")
	// ErrTooLarge: the response is larger than Config.MaxBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrTimeout: the fetch took longer than Config.Timeout or the caller's
	// deadline.
	ErrTimeout = errors.New("fetch timed out")
	// ErrUnreachable: the host could not be resolved or connected to, or the
	// connection failed; the underlying network error is wrapped too.
	ErrUnreachable = errors.New("host unreachable")
)

// AddressError says which host and address were refused. It matches
// ErrForbiddenAddress with errors.Is.
type AddressError struct {
	Host string     // the host name as given in the URL
	Addr netip.Addr // the address it resolved to
}

// Error says which host and address were refused.
func (e *AddressError) Error() string {
	if e.Host == e.Addr.String() {
		return fmt.Sprintf("%s is not a public address and is not in the allow-list", e.Addr)
	}
	return fmt.Sprintf("%s resolves to %s, which is not a public address and is not in the allow-list", e.Host, e.Addr)
}

// Unwrap makes errors.Is(err, ErrForbiddenAddress) hold.
func (e *AddressError) Unwrap() error { return ErrForbiddenAddress }

// StatusError is the answer of a server that did not return 2xx. It matches
// ErrHTTPStatus with errors.Is; the caller may still record StatusCode.
type StatusError struct {
	URL        string // the final URL, after redirects
	StatusCode int    // e.g. 404
	Status     string // e.g. "404 Not Found"
}

// Error says what the server answered.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %s", e.URL, e.Status)
}

// Unwrap makes errors.Is(err, ErrHTTPStatus) hold.
func (e *StatusError) Unwrap() error { return ErrHTTPStatus }

// Error is how Fetch fails: the URL it was asked for, and why. Its chain
// holds one of the Err* values above (or context.Canceled), with the
// network's own error where there is one.
type Error struct {
	URL string // as given to Fetch
	Err error
}

// Error gives the whole detail, for logs.
func (e *Error) Error() string { return "fetch " + e.URL + ": " + e.Err.Error() }

// Unwrap makes errors.Is and errors.As see the cause.
func (e *Error) Unwrap() error { return e.Err }

// TypeError is a response of a type the fetcher does not accept. It
// matches ErrUnsupportedType with errors.Is.
type TypeError struct {
	ContentType string // as sent (or sniffed)
	MediaType   string // the media type alone; empty when ContentType does not parse
	Err         error  // why ContentType does not parse, if it does not
}

// Error says what the type was and what is accepted.
func (e *TypeError) Error() string {
	if e.MediaType == "" {
		return fmt.Sprintf("%v: %q: %v", ErrUnsupportedType, e.ContentType, e.Err)
	}
	return fmt.Sprintf("%v: %s (want text/html, application/xhtml+xml or text/plain)", ErrUnsupportedType, e.MediaType)
}

// Unwrap makes errors.Is(err, ErrUnsupportedType) hold.
func (e *TypeError) Unwrap() error { return ErrUnsupportedType }
