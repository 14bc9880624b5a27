package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"factdesk/urlnorm"
)

// ArticleInput is one article as a client sends it: the JSON body of the
// import API and one line of a JSONL file.
type ArticleInput struct {
	Title       string `json:"title,omitempty"`
	Body        string `json:"body,omitempty"`
	Format      string `json:"format,omitempty"`       // text (default), markdown or html
	URL         string `json:"url,omitempty"`          // where it was published; fetched when Body is empty
	Outlet      string `json:"outlet,omitempty"`       // the publication
	Byline      string `json:"byline,omitempty"`       // the authors as credited
	PublishedAt string `json:"published_at,omitempty"` // RFC 3339 or YYYY-MM-DD
}

// Validated is what Validate makes of an ArticleInput's fields.
type Validated struct {
	// Format is the format named, FormatText when none was and there is a
	// body, and "" when there is no body (the format then comes from the
	// fetched page, see FormatFromMediaType).
	Format Format
	// PublishedAt is the parsed publication time, nil when none was given.
	// A date alone is midnight UTC.
	PublishedAt *time.Time
	// URL is the URL normalised (see urlnorm.Normalize), "" when none.
	URL string
}

// MaxFieldRunes is the longest outlet or byline accepted, in characters.
const MaxFieldRunes = 500

// Validate checks the fields that Convert does not: the format name, that
// there is a body or a URL to fetch it from, the URL, the publication date
// and the lengths of the short fields. It reports every field at fault, as
// *Error values joined (see FieldErrors); errors.As finds the first.
func (a ArticleInput) Validate() (Validated, error) {
	var v Validated
	var errs []error
	switch {
	case a.Format == "" && a.Body != "":
		v.Format = FormatText
	case a.Format == "":
	default:
		f, ok := ParseFormat(a.Format)
		switch {
		case !ok:
			errs = append(errs, newError(Unsupported, "format", "unknown format %q (want text, markdown or html)", a.Format))
		case f == FormatJSONL:
			errs = append(errs, newError(Unsupported, "format", "jsonl holds many articles; import the file in bulk"))
		default:
			v.Format = f
		}
	}
	if strings.TrimSpace(a.Body) == "" && strings.TrimSpace(a.URL) == "" {
		errs = append(errs, newError(Invalid, "body", "the body is empty (give the article's text, or a url to fetch it from)"))
	}
	if strings.TrimSpace(a.URL) != "" {
		u, err := urlnorm.Normalize(a.URL)
		if err != nil {
			errs = append(errs, &Error{Kind: Invalid, Field: "url", Message: "not an http or https URL: " + err.Error(), Err: err})
		}
		v.URL = u
	}
	if s := strings.TrimSpace(a.PublishedAt); s != "" {
		t, err := ParseDate(s)
		if err != nil {
			errs = append(errs, &Error{Kind: Invalid, Field: "published_at", Message: "not a date: want RFC 3339 (2017-07-30T14:05:00Z) or YYYY-MM-DD, got " + quote(s), Err: err})
		} else {
			v.PublishedAt = &t
		}
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{{"title", a.Title, MaxTitleRunes}, {"outlet", a.Outlet, MaxFieldRunes}, {"byline", a.Byline, MaxFieldRunes}} {
		if err := checkText(f.name, []byte(f.value)); err != nil {
			errs = append(errs, err)
			continue
		}
		if n := utf8.RuneCountInString(f.value); n > f.max {
			errs = append(errs, newError(Invalid, f.name, "%d characters, more than the limit of %d", n, f.max))
		}
	}
	return v, errors.Join(errs...)
}

// ParseDate reads a publication time: RFC 3339 (fractions of a second
// allowed) or a date alone, YYYY-MM-DD, taken as midnight UTC. The result is
// in UTC.
func ParseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// quote quotes s for a message, cut to a readable length.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:60]) + "…"
	}
	return strconv.Quote(s)
}

// DecodeArticle reads one article from JSON, strictly: the text must be
// UTF-8 (JSON decoding would otherwise replace bad bytes silently), hold one
// object and nothing after it, and name only the fields of ArticleInput.
// Errors are Malformed, or Invalid naming the field for a value of the wrong
// type.
func DecodeArticle(data []byte) (ArticleInput, error) {
	var a ArticleInput
	if !utf8.Valid(data) {
		return a, newError(Malformed, "", "the JSON text is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return a, newError(Malformed, "", "want a JSON object with the article's fields")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return ArticleInput{}, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return ArticleInput{}, newError(Malformed, "", "unexpected data after the article object")
	}
	if loneSurrogate(trimmed, a) {
		return ArticleInput{}, newError(Malformed, "", `the JSON text holds an invalid \u escape (a lone UTF-16 surrogate)`)
	}
	return a, nil
}

// jsonError turns a decoding error into an *Error.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return &Error{Kind: Invalid, Field: typeErr.Field, Message: "want a string, got a JSON " + typeErr.Value, Err: err}
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return &Error{Kind: Malformed, Message: "malformed JSON at offset " + strconv.FormatInt(syntaxErr.Offset, 10) + ": " + syntaxErr.Error(), Err: err}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &Error{Kind: Malformed, Message: "malformed JSON: the object is not closed", Err: err}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return &Error{Kind: Malformed, Message: "malformed JSON: " + msg, Err: err}
}

// loneSurrogate reports whether decoding replaced a \u escape of a lone
// surrogate with U+FFFD: a replacement character in a field that the JSON
// text neither holds literally nor escapes as \ufffd.
func loneSurrogate(data []byte, a ArticleInput) bool {
	const repl = "\uFFFD"
	has := false
	for _, s := range []string{a.Title, a.Body, a.Format, a.URL, a.Outlet, a.Byline, a.PublishedAt} {
		if strings.Contains(s, repl) {
			has = true
			break
		}
	}
	if !has {
		return false
	}
	if bytes.Contains(data, []byte(repl)) {
		return false
	}
	return !bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`))
}
