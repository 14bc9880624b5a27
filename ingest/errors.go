package ingest

import "fmt"

// ErrorKind says what is wrong with an import, so that a caller can map it
// to its own codes. The HTTP API maps them as documented on each kind.
type ErrorKind string

// The kinds of import errors. Their values are stable and may be shown to
// API clients as error codes.
const (
	// Malformed input cannot be read at all: malformed JSON, an unknown
	// field, a JSON text that is not UTF-8. HTTP 400.
	Malformed ErrorKind = "malformed"
	// TooLarge input exceeds a Limits value (bytes, sentences, line length).
	// HTTP 413.
	TooLarge ErrorKind = "too_large"
	// Unsupported names a format that cannot be imported here. HTTP 415.
	Unsupported ErrorKind = "unsupported_format"
	// Invalid input is readable but a field's value is not acceptable: an
	// empty or non-UTF-8 body, a date that is not a date, a URL that is not
	// http(s). Error.Field names the field. HTTP 422.
	Invalid ErrorKind = "invalid"
)

// Error is an import error: its kind, the input field at fault and a message
// meant for the person importing. Every error this package returns about the
// input is an *Error (test with errors.As); other errors (a failing reader,
// say) are not.
type Error struct {
	Kind    ErrorKind
	Field   string // "body", "format", "url", "published_at", "title", …; "" for the input as a whole
	Message string // readable, without the field name
	Err     error  // the underlying cause, if any
}

// Error returns the message, after the field name when there is one.
func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// newError builds an *Error with a formatted message.
func newError(kind ErrorKind, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Message: fmt.Sprintf(format, args...)}
}

// FieldErrors returns every *Error in err, which may join several (Validate
// reports all the fields at fault at once), in order.
func FieldErrors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		switch u := err.(type) {
		case *Error:
			out = append(out, u)
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
