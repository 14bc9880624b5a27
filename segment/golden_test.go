package segment

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"factdesk/internal/shared"
)

// goldenRule is one case of pragmatic_segmenter's English Golden Rules.
type goldenRule struct {
	Name     string   `json:"name"`
	Number   int      `json:"number"`
	Input    string   `json:"input"`
	Expected []string `json:"expected"`
}

// collapse turns every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// TestGoldenRules runs every English Golden Rule of pragmatic_segmenter,
// comparing sentences with runs of white space collapsed to one space.
func TestGoldenRules(t *testing.T) {
	data, err := os.ReadFile(shared.Path(t, "eval", "golden_rules_en.json"))
	if err != nil {
		t.Fatalf("read golden rules: %v", err)
	}
	var rules []goldenRule
	if err := json.Unmarshal(data, &rules); err != nil {
		t.Fatalf("decode golden rules: %v", err)
	}
	if len(rules) != 52 {
		t.Fatalf("got %d golden rules, want 52", len(rules))
	}
	for _, r := range rules {
		t.Run(fmt.Sprintf("%02d_%s", r.Number, strings.ReplaceAll(r.Name, " ", "_")), func(t *testing.T) {
			var got []string
			for _, s := range Split(r.Input) {
				got = append(got, collapse(s.Text))
			}
			want := make([]string, len(r.Expected))
			for i, e := range r.Expected {
				want[i] = collapse(e)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("Split(%q)\n got: %q\nwant: %q", r.Input, got, want)
			}
		})
	}
}
