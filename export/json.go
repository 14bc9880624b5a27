package export

import (
	_ "embed"
	"fmt"
	"io"
)

// SchemaJSON is the JSON Schema (draft 2020-12) of the report WriteJSON
// writes; the server serves it at /api/v1/schemas/report.json.
//
//go:embed schema/report.json
var SchemaJSON []byte

// SchemaID is the $id of SchemaJSON.
const SchemaID = "https://factdesk.example/api/v1/schemas/report.json"

// WriteJSON writes the complete report as indented JSON. Object keys come
// in the order of the Go types, map keys sorted.
func WriteJSON(w io.Writer, r *Report) error {
	if err := writeIndentedJSON(w, prepare(r)); err != nil {
		return fmt.Errorf("write JSON report of article %d: %w", r.Article.ID, err)
	}
	return nil
}
