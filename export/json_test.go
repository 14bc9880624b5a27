package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// reportSchema compiles SchemaJSON with format assertions on.
func reportSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
	if err != nil {
		t.Fatalf("parse SchemaJSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatalf("add schema: %v", err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return s
}

func validateJSON(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse JSON: %v", err)
	}
	return s.Validate(v)
}

func TestJSONValidatesAgainstSchema(t *testing.T) {
	schema := reportSchema(t)
	seed := seedReport(t)
	minimal := &Report{Article: Article{ID: 9}, Method: DefaultMethod(seed.Method.Scale)}
	minimal.Summary = Summarize(nil, nil)
	for _, tc := range []struct {
		name string
		r    *Report
	}{
		{"seed", seed},
		{"tampered", tampered(seed)},
		{"minimal", minimal},
		{"large", largeReport(t, 300)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, FormatJSON, tc.r)
			if err := validateJSON(t, schema, out); err != nil {
				t.Errorf("report does not validate: %v", err)
			}
		})
	}
}

// TestSchemaRejects checks that the schema can fail: a report missing a
// part, with an unknown field, or naming a withheld source is invalid.
func TestSchemaRejects(t *testing.T) {
	schema := reportSchema(t)
	good := render(t, FormatJSON, seedReport(t))
	for _, tc := range []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{"no article", func(m map[string]any) { delete(m, "article") }},
		{"unknown field", func(m map[string]any) { m["extra"] = 1 }},
		{"bad label", func(m map[string]any) { sentence(m, 0)["label"] = "opinion" }},
		{"bad time", func(m map[string]any) { m["generated"].(map[string]any)["at"] = "yesterday" }},
		{"withheld source named", func(m map[string]any) {
			src := citationSource(m, 26, 0)
			src["withheld"] = true
			src["url"] = "https://named.example"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(good, &m); err != nil {
				t.Fatal(err)
			}
			tc.mutate(m)
			bad, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(t, schema, bad); err == nil {
				t.Errorf("schema accepted a report with %s", tc.name)
			}
		})
	}
}

func sentence(m map[string]any, i int) map[string]any {
	return m["sentences"].([]any)[i].(map[string]any)
}

func citationSource(m map[string]any, sentenceIndex, citation int) map[string]any {
	c := sentence(m, sentenceIndex)["citations"].([]any)[citation].(map[string]any)
	return c["source"].(map[string]any)
}

func TestJSONReport(t *testing.T) {
	seed := seedReport(t)
	var got Report
	if err := json.Unmarshal(render(t, FormatJSON, seed), &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got.Format != ReportFormat {
		t.Errorf("format = %q, want %q", got.Format, ReportFormat)
	}
	if len(got.Sentences) != len(seed.Sentences) {
		t.Fatalf("%d sentences, want %d", len(got.Sentences), len(seed.Sentences))
	}
	if got.Article.Body != seed.Article.Body {
		t.Errorf("article body did not survive the round trip")
	}
	var tamp Report
	if err := json.Unmarshal(render(t, FormatJSON, tampered(seed)), &tamp); err != nil {
		t.Fatalf("decode tampered: %v", err)
	}
	if v := tamp.Audit.Verification; v.OK || v.ChainOK || len(v.Problems) == 0 {
		t.Errorf("tampered verification = %+v, want not OK, chain broken, a problem", v)
	}
}

func TestJSONEventsKeepRawJSON(t *testing.T) {
	out := string(render(t, FormatJSON, seedReport(t)))
	if !strings.Contains(out, `"after": {`) || !strings.Contains(out, `"before": null`) {
		t.Errorf("events' before/after are not embedded as JSON values")
	}
}

// TestJSONSuggestion checks that every sentence of the JSON report carries
// the machine reviewer's suggestion beside accepted_suggestion: the
// label, confidence, reasons, reviewer and version, or null.
func TestJSONSuggestion(t *testing.T) {
	var got struct {
		Sentences []map[string]json.RawMessage `json:"sentences"`
	}
	if err := json.Unmarshal(render(t, FormatJSON, seedReport(t)), &got); err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		5:  `{"label":"assessment","confidence":0.4,"reasons":[],"reviewer":"rules","version":"1"}`,
		14: `{"label":"fact","confidence":0.85,"reasons":["no attribution cue"],"reviewer":"rules","version":"1"}`,
	}
	for i, s := range got.Sentences {
		raw, ok := s["suggestion"]
		if !ok {
			t.Fatalf("sentence %d has no suggestion key", i+1)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			t.Fatal(err)
		}
		w, has := want[i+1]
		switch {
		case has && compact.String() != w:
			t.Errorf("sentence %d suggestion: got %s, want %s", i+1, compact.String(), w)
		case i+1 == 1 && compact.String() != "null":
			t.Errorf("sentence 1 suggestion: got %s, want null", compact.String())
		}
	}
}
