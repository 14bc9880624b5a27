package routes

import (
	"bytes"
	"encoding/json"
	"errors"

	"io"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// decodeJSON reads a JSON request body into v strictly: declared as JSON,
// one object, no unknown fields. An empty body decodes as {} when
// allowEmpty is set.
func decodeJSON(c *gin.Context, v any, allowEmpty bool) error {
	b, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return readError(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		if allowEmpty {
			return nil
		}
		return models.Errorf(models.EMALFORMED, "the request needs a JSON body")
	}
	if err := requireJSON(c); err != nil {
		return err
	}
	if err := noDuplicateKeys(b); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if i := strings.LastIndexByte(field, '.'); i >= 0 {
				field = field[i+1:]
			}
			return models.FieldError(field, "%s must be a JSON %s", field, te.Type.Kind())
		}
		return models.Errorf(models.EMALFORMED, "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return models.Errorf(models.EMALFORMED, "malformed JSON: data after the object")
	}
	return nil
}

// required returns a 422 naming field when v is nil.
func required[T any](field string, v *T) error {
	if v == nil {
		return models.FieldError(field, "%s is required", field)
	}
	return nil
}

// noDuplicateKeys refuses a JSON document in which an object names a key
// twice: decoders disagree on which one wins (Go's takes the last), so a
// checker in front of factdesk and factdesk could read different values.
// Malformed JSON passes here, for the decoder to describe.
func noDuplicateKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	// Each open object's keys seen so far; nil for an open array.
	var stack []map[string]bool
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, map[string]bool{})
				expectKey = true
				continue
			case '[':
				stack = append(stack, nil)
			case '}', ']':
				stack = stack[:len(stack)-1]
			}
		case string:
			if expectKey {
				keys := stack[len(stack)-1]
				if keys[v] {
					return models.Errorf(models.EMALFORMED, "malformed JSON: the key %q appears twice in one object", v)
				}
				keys[v] = true
				expectKey = false
				continue
			}
		}
		// After a value inside an object, the next string is a key.
		expectKey = len(stack) > 0 && stack[len(stack)-1] != nil
	}
}
