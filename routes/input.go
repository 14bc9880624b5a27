package routes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// checkInput is the one check at the edge of every text a request
// carries: query-string keys and values, url-encoded and multipart form
// fields (text fields only: an uploaded file's content is the import's to
// judge) and JSON bodies. Text that is not valid UTF-8, or holds a NUL or
// another control character, is refused with a 400 naming the parameter
// before any handler runs: nothing is stored, PostgreSQL never sees a NUL
// it would answer with a 500, and SQLite never keeps bytes that the CSV,
// Markdown and HTML exports would pass on. Pages get the error page
// (h.fail), API clients a JSON error.
//
// Which characters are refused: every Unicode control character (C0,
// DEL and C1) except tab, newline and carriage return, which forms and
// pasted text carry. NUL cannot be stored in PostgreSQL's text at all.
// The other C0 controls and DEL cannot be typed, are invisible on the
// page yet travel into the exports (ESC starts terminal escape sequences
// when a CSV is shown in a terminal; XML 1.0 forbids most of them), and
// the two a paste may hold, vertical tab and form feed, are better named
// in a message than kept as invisible differences between texts that
// look alike. C1 controls (U+0080–U+009F) have no use in text on the
// web: they are nearly always Windows-1252 punctuation decoded as
// Latin-1, and U+0085 is a line break to some tools and not to others,
// so a sentence would read differently on the page and in an export.
// An uploaded file keeps the import's own, more forgiving rules.
func (h *Handler) checkInput(c *gin.Context) {
	if err := checkQuery(c.Request.URL.RawQuery); err != nil {
		h.abort(c, err)
		return
	}
	if err := checkBody(c.Request); err != nil {
		h.abort(c, err)
		return
	}
	c.Next()
}

// checkQuery checks the query string's keys and values as the handlers
// will read them (pairs url.ParseQuery cannot decode are dropped by the
// handlers too, so they are not judged here).
func checkQuery(raw string) error {
	if raw == "" {
		return nil
	}
	q, _ := url.ParseQuery(raw)
	return checkValues("query parameter", q)
}

// checkBody checks the body by its declared type; a body of another
// type no handler reads as text, and an empty one has nothing to check.
// The body is read once, within limitBody's cap, and put back, so that
// the handlers parse it as they always have, errors included: a body
// that cannot be read (over the cap) or parsed is theirs to answer.
func checkBody(req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody || req.ContentLength == 0 {
		return nil
	}
	mt, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	form, multi := mt == "application/x-www-form-urlencoded", mt == "multipart/form-data"
	isJSON := mt == "application/json" || strings.HasSuffix(mt, "+json")
	if err != nil || !(form || multi || isJSON) {
		return nil
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		// Hand the handler what was read and the same error, so that it
		// answers as it did before this check (413 over the cap).
		req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{err}))
		return nil
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	switch {
	case form:
		// Pairs that do not decode are dropped by the handlers' parse
		// too; the others are what c.PostForm will return.
		vs, _ := url.ParseQuery(string(b))
		return checkValues("field", vs)
	case multi:
		return checkMultipart(b, params["boundary"])
	}
	return checkJSONText(b)
}

// checkMultipart checks the names of a multipart form's parts and the
// values of those that are not files, as multipart.Reader.ReadForm tells
// them apart (a file part has a file name). A file's content is not text
// this check judges: the import reads it with its own checks. A body that
// does not parse is left to the handler.
func checkMultipart(b []byte, boundary string) error {
	if boundary == "" {
		return nil
	}
	mr := multipart.NewReader(bytes.NewReader(b), boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil
		}
		name := p.FormName()
		if name == "" {
			continue
		}
		if pr := textProblem(name); pr != "" {
			return badText("a field name is not valid text: %s", pr)
		}
		if p.FileName() != "" {
			continue
		}
		v, err := io.ReadAll(p)
		if err != nil {
			return nil
		}
		if pr := textProblem(string(v)); pr != "" {
			return badField(name, "the field %q is not valid text: %s", name, pr)
		}
	}
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// checkValues checks names and values, in name order so that the error
// reported does not depend on map order. kind is "field" or "query
// parameter".
func checkValues(kind string, vs url.Values) error {
	for _, name := range slices.Sorted(maps.Keys(vs)) {
		if p := textProblem(name); p != "" {
			return badText("a %s name is not valid text: %s", kind, p)
		}
		for _, v := range vs[name] {
			if p := textProblem(v); p != "" {
				return badField(name, "the %s %q is not valid text: %s", kind, name, p)
			}
		}
	}
	return nil
}

func badText(format string, args ...any) error {
	return models.Errorf(models.EMALFORMED, format, args...)
}

func badField(field, format string, args ...any) error {
	return &models.Error{Code: models.EMALFORMED, Field: field, Message: fmt.Sprintf(format, args...)}
}

// textProblem says in words what is wrong with s as text, or "".
func textProblem(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			return runeProblem(rune(c))
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return utf8Problem([]byte(s[i:]))
		}
		if p := runeProblem(r); p != "" {
			return p
		}
		i += size
	}
	return ""
}

// runeProblem says what is wrong with r in text, or "".
func runeProblem(r rune) string {
	switch {
	case r == 0:
		return "it contains a NUL character"
	case r == '\t' || r == '\n' || r == '\r':
		return ""
	case unicode.IsControl(r):
		return fmt.Sprintf("it contains the control character U+%04X", r)
	}
	return ""
}

// utf8Problem describes the invalid UTF-8 at the start of b, naming the
// common case of a UTF-16 surrogate written as three bytes (CESU-8, or
// Java's "modified UTF-8"), which UTF-8 does not allow.
func utf8Problem(b []byte) string {
	if len(b) >= 2 && b[0] == 0xED && b[1] >= 0xA0 && b[1] <= 0xBF {
		return "it is not valid UTF-8: it holds a UTF-16 surrogate encoded as bytes (CESU-8)"
	}
	return "it is not valid UTF-8"
}

// checkJSONText scans a JSON document's raw bytes for what encoding/json
// would let through silently: invalid UTF-8 (decoded as U+FFFD), and the
// escapes \u0000 and lone surrogates \uD800–\uDFFF (a NUL PostgreSQL
// refuses, and U+FFFD); and, inside strings, the control characters
// textProblem refuses, raw or escaped (\b, \f, \u001b). The error names
// the member whose value is at fault. Malformed JSON is left for the
// handler's decoder to describe.
func checkJSONText(b []byte) error {
	// stack holds, for each open object or array, the name of the member
	// it belongs to; an array's strings belong to its member.
	type frame struct {
		object bool
		key    string
	}
	var stack []frame
	expectKey := false
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == '"':
			end, p := scanJSONString(b, i+1)
			top := frame{}
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			}
			switch {
			case p != "" && expectKey && top.object:
				return badText("a key of the JSON body is not valid text: %s", p)
			case p != "" && top.key != "":
				return badField(top.key, "the field %q is not valid text: %s", top.key, p)
			case p != "":
				return badText("the JSON body is not valid text: %s", p)
			case expectKey && top.object:
				stack[len(stack)-1].key = jsonKey(b[i:end])
			}
			i = end
		case c == '{' || c == '[':
			key := ""
			if len(stack) > 0 {
				key = stack[len(stack)-1].key
			}
			stack = append(stack, frame{object: c == '{', key: key})
			expectKey = c == '{'
			i++
		case c == '}' || c == ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey = false
			i++
		case c == ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1].object
			i++
		case c == ':':
			expectKey = false
			i++
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return badText("the JSON body is not valid text: %s", utf8Problem(b[i:]))
			}
			i += size
		}
	}
	return nil
}

// scanJSONString reads the JSON string whose content starts at b[i],
// returning the index after its closing quote (or len(b)) and what is
// wrong with its text, or "".
func scanJSONString(b []byte, i int) (int, string) {
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			return i + 1, ""
		case c == '\\':
			if i+1 >= len(b) {
				return len(b), ""
			}
			switch b[i+1] {
			case 'b':
				return i, runeProblem('\b')
			case 'f':
				return i, runeProblem('\f')
			case 'u':
				r, ok := hex4(b, i+2)
				if !ok {
					i += 2 // malformed: the decoder says so
					continue
				}
				switch {
				case r >= 0xD800 && r <= 0xDBFF:
					if lo, ok := escapeAt(b, i+6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
						i += 12
						continue
					}
					return i, fmt.Sprintf("it contains \\u%04X, half of a UTF-16 surrogate pair without the other half", r)
				case r >= 0xDC00 && r <= 0xDFFF:
					return i, fmt.Sprintf("it contains \\u%04X, half of a UTF-16 surrogate pair without the other half", r)
				}
				if p := runeProblem(r); p != "" {
					return i, p
				}
				i += 6
			default:
				i += 2
			}
		case c < 0x20:
			if p := runeProblem(rune(c)); p != "" {
				return i, p
			}
			i++ // a raw tab or newline: the decoder refuses it
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return i, utf8Problem(b[i:])
			}
			if p := runeProblem(r); p != "" {
				return i, p
			}
			i += size
		}
	}
	return len(b), ""
}

// escapeAt reads a \uXXXX escape at b[i].
func escapeAt(b []byte, i int) (rune, bool) {
	if i+1 >= len(b) || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	return hex4(b, i+2)
}

// hex4 reads four hexadecimal digits at b[i].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// jsonKey decodes a JSON string token (quotes included) for a message;
// one that does not decode is named by its raw text.
func jsonKey(tok []byte) string {
	if !bytes.ContainsRune(tok, '\\') && len(tok) >= 2 {
		return string(tok[1 : len(tok)-1])
	}
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return string(tok)
	}
	return s
}
