package routes

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"
)

// The OpenAPI description of /api/v1 is kept in parts, one file per
// resource (openapi/articles.json, openapi/sources.json …) on top of
// openapi/00-base.json, and merged once at start-up: paths and
// components.schemas of every part are added to the base. A test checks
// that the merged document names exactly the routes the router registers.
//
//go:embed openapi/*.json
var openAPIParts embed.FS

// OpenAPIDocument returns the merged OpenAPI document.
func OpenAPIDocument() ([]byte, error) {
	names, err := fs.Glob(openAPIParts, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var doc map[string]any
	for i, name := range names {
		b, err := openAPIParts.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if i == 0 {
			doc = part
			if doc["paths"] == nil {
				doc["paths"] = map[string]any{}
			}
			continue
		}
		if err := mergeInto(doc, part, "paths"); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if comps, ok := part["components"].(map[string]any); ok {
			base := doc["components"].(map[string]any)
			for kind, v := range comps {
				if base[kind] == nil {
					base[kind] = map[string]any{}
				}
				if err := mergeInto(base, map[string]any{kind: v}, kind); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeInto adds the entries of part[key] to doc[key]; a name defined twice
// is an error, so two parts cannot silently fight over one path or schema.
func mergeInto(doc, part map[string]any, key string) error {
	src, ok := part[key].(map[string]any)
	if !ok {
		return nil
	}
	dst := doc[key].(map[string]any)
	for k, v := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("%s %q is defined twice", key, k)
		}
		dst[k] = v
	}
	return nil
}

func (h *Handler) openAPI(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/json", h.openAPIDoc)
}
