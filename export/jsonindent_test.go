package export

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestIndentJSONMatchesEncodingJSON checks the fast indenter against
// json.Indent on hand-made edge cases and on whole reports.
func TestIndentJSONMatchesEncodingJSON(t *testing.T) {
	cases := map[string]string{
		"empty object":     `{}`,
		"empty array":      `[]`,
		"nested empties":   `{"a":[],"b":{},"c":[{}],"d":[[]]}`,
		"escaped quotes":   `{"a\"b":"c\\\"d,{[:","e":"\\"}`,
		"numbers and null": `[1,-2.5e3,true,false,null]`,
		"unicode":          `{"t":"“Zoë” — ok"}`,
	}
	cases["report"] = string(compactJSON(render(t, FormatJSON, seedReport(t))))
	cases["annotations"] = string(compactJSON(render(t, FormatAnnotations, seedReport(t))))
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := json.Indent(&want, []byte(src), "", "  "); err != nil {
				t.Fatalf("test case is not JSON: %v", err)
			}
			if got := indentJSON(nil, []byte(src)); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("indentJSON differs from json.Indent at byte %d:\n%s\nwant\n%s", firstDiff(got, want.Bytes()), got, want.Bytes())
			}
		})
	}
}
