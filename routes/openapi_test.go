package routes_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/routes"
)

func routerRoutes(e *env) []routes.Route {
	return e.srv.Config.Handler.(*routes.Router).Routes()
}

// TestOpenAPIMatchesRoutes keeps the OpenAPI document and the router in
// step: every /api/v1 route is documented, and every documented operation
// exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	r := e.api("", "GET", "/api/v1/openapi.json", nil)
	if r.Status != 200 {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r.decode(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("not an OpenAPI 3 document: %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			documented[strings.ToUpper(m)+" /api/v1"+p] = true
		}
	}
	param := regexp.MustCompile(`:(\w+)`)
	registered := map[string]bool{}
	for _, rt := range routerRoutes(e) {
		if !strings.HasPrefix(rt.Path, "/api/v1/") {
			continue
		}
		registered[rt.Method+" "+param.ReplaceAllString(rt.Path, "{$1}")] = true
	}
	var missing, extra []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("openapi.json documents routes that do not exist: %v", extra)
	}
}
