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
