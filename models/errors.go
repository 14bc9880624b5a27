package models

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to one status; the business layer
// never speaks HTTP.
const (
	EINVALID      = "invalid"      // a field's value is not acceptable (422)
	EMALFORMED    = "malformed"    // the request cannot be parsed (400)
	ENOTFOUND     = "not_found"    // no such thing, or not visible to the actor (404)
	ECONFLICT     = "conflict"     // the thing changed meanwhile, or the state forbids it (409)
	EFORBIDDEN    = "forbidden"    // the actor may not do this (403)
	EUNAUTHORIZED = "unauthorized" // no valid credentials (401)
	ETOOLARGE     = "too_large"    // the input exceeds a limit (413)
	EUNSUPPORTED  = "unsupported"  // the format or media type is not supported (415)
	ETHROTTLED    = "too_many"     // slow down (429)
	EUNAVAILABLE  = "unavailable"  // the database cannot be reached in time (503)
	EINTERNAL     = "internal"     // a bug or an unexpected failure (500)
)

// Error is an error meant for the person who caused it: a code, a message
// they can act on, the field concerned if any, and optional data (the
// current state of a thing on a conflict, the list of open sentences …).
type Error struct {
	Code    string
	Message string
	Field   string
	Data    any
	// Err is what went wrong underneath, for the log (a failed fetch's
	// network error names addresses the person is not shown); nil when
	// the message says it all.
	Err error
}

// Unwrap returns the error underneath, if any.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error that names the field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Sentinel errors for the common cases; wrap them with context.
var (
	ErrNotFound = &Error{Code: ENOTFOUND, Message: "not found"}
	ErrConflict = &Error{Code: ECONFLICT, Message: "changed meanwhile"}
)

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if isUnavailable(err) {
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of its
// *Error, or a generic sentence for internal failures, whose details must
// never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if isUnavailable(err) {
		return "The database is not reachable right now; try again in a moment."
	}
	return "Something went wrong on our side; it has been logged."
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is makes errors.Is match any *Error of the same code, so that
// errors.Is(err, ErrNotFound) holds for every not-found error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}
