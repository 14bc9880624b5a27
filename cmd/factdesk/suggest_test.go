package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"factdesk/internal/shared"
	"factdesk/internal/testdb"
)

// evalJSON is the part of "suggest --eval --json" the tests read.
type evalJSON struct {
	Sentences       int     `json:"sentences"`
	Excluded        int     `json:"excluded"`
	StrictAccuracy  float64 `json:"strict_accuracy"`
	LenientAccuracy float64 `json:"lenient_accuracy"`
	MacroF1         float64 `json:"macro_f1"`
	PerLabel        map[string]struct {
		Precision, Recall, F1 float64
		Support               int
	} `json:"per_label"`
	Confusion map[string]map[string]int `json:"confusion"`
	Items     []struct {
		N         int    `json:"n"`
		Gold      string `json:"gold"`
		Predicted string `json:"predicted"`
	} `json:"items"`
}

var lenientLine = regexp.MustCompile(`strict accuracy ([0-9.]+)\s+lenient accuracy ([0-9.]+)\s+macro-F1 ([0-9.]+)`)

// goldFiles are the gold readings the machine reviewer is scored on.
func goldFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "reviewers", "machine", "testdata", "*.gold.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("gold files in reviewers/machine/testdata: %v %v", files, err)
	}
	return append([]string{shared.Path(t, "data", "seed-article.gold.json")}, files...)
}

func TestSuggestEval(t *testing.T) {
	for _, gold := range goldFiles(t) {
		t.Run(filepath.Base(gold), func(t *testing.T) {
			code, text, errs := run(t, "", nil, "suggest", "--eval", gold)
			if code != 0 {
				t.Fatalf("text: exit %d: %s", code, errs)
			}
			m := lenientLine.FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("no accuracy line in:\n%s", text)
			}
			for _, want := range []string{"precision", "recall", "confusion (rows: gold, columns: predicted)", "fact", "allegation", "quote", "assessment"} {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			code, out, errs := run(t, "", nil, "suggest", "--eval", gold, "--json")
			if code != 0 {
				t.Fatalf("json: exit %d: %s", code, errs)
			}
			var ev evalJSON
			if err := json.Unmarshal([]byte(out), &ev); err != nil {
				t.Fatalf("--json is not one JSON object: %v", err)
			}
			if strings.Count(strings.TrimSpace(out), "\n") != 0 {
				t.Error("--json printed more than one line")
			}
			// The text and the JSON report the same figures.
			for i, v := range []float64{ev.StrictAccuracy, ev.LenientAccuracy, ev.MacroF1} {
				if got := strconv.FormatFloat(v, 'f', 3, 64); got != m[i+1] {
					t.Errorf("figure %d: JSON %s, text %s", i, got, m[i+1])
				}
			}
			// The figures follow from the items.
			strict, support := 0, 0
			for _, it := range ev.Items {
				if it.Gold == it.Predicted {
					strict++
				}
			}
			for _, l := range ev.PerLabel {
				support += l.Support
			}
			if ev.Sentences == 0 || len(ev.Items) != ev.Sentences || support != ev.Sentences {
				t.Errorf("%d sentences, %d items, support %d: want them equal and not 0", ev.Sentences, len(ev.Items), support)
			}
			if got := float64(strict) / float64(ev.Sentences); got != ev.StrictAccuracy {
				t.Errorf("strict accuracy: %v in the report, %v from the items", ev.StrictAccuracy, got)
			}
			if ev.LenientAccuracy < ev.StrictAccuracy || ev.Confusion == nil {
				t.Errorf("lenient %v below strict %v, or no confusion matrix", ev.LenientAccuracy, ev.StrictAccuracy)
			}
			t.Logf("%s: strict %.3f lenient %.3f macro-F1 %.3f over %d sentences (%d excluded)",
				filepath.Base(gold), ev.StrictAccuracy, ev.LenientAccuracy, ev.MacroF1, ev.Sentences, ev.Excluded)
			if strings.HasPrefix(filepath.Base(gold), "seed-article") {
				// The bar on the example article.
				if ev.LenientAccuracy < 0.9 || ev.Excluded != 2 {
					t.Errorf("seed: lenient accuracy %v with %d excluded, want at least 0.9 with 2", ev.LenientAccuracy, ev.Excluded)
				}
				for _, it := range ev.Items {
					if it.N >= 23 && it.N <= 25 && it.Predicted != "quote" {
						t.Errorf("seed sentence %d inside the quotation: predicted %s", it.N, it.Predicted)
					}
				}
			}
		})
	}
}

func TestSuggestUsage(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.gold.json")
	if err := os.WriteFile(broken, []byte(`{"sentences": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	noText := filepath.Join(dir, "notext.gold.json")
	if err := os.WriteFile(noText, []byte(`{"sentences": [{"n": 1, "start": 0, "end": 1, "label": "fact"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
	}{
		{"missing file", []string{"suggest", "--eval", filepath.Join(dir, "nope.json")}},
		{"broken JSON", []string{"suggest", "--eval", broken}},
		{"no text", []string{"suggest", "--eval", noText, "--json"}},
		{"a directory", []string{"suggest", "--eval", dir}},
		{"nothing to do", []string{"suggest"}},
		{"both", []string{"suggest", "--eval", broken, "--article", "1"}},
		{"stray argument", []string{"suggest", "--eval", broken, "more"}},
		{"negative article", []string{"suggest", "--article", "-3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, "", nil, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errs)
			}
			if out != "" {
				t.Errorf("stdout: %q, want nothing", out)
			}
			if strings.HasPrefix(tc.name, "nothing") {
				return // the usage text follows the line
			}
			if lines := strings.Split(strings.TrimSpace(errs), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "factdesk suggest: ") {
				t.Errorf("stderr: %q, want one line", errs)
			}
		})
	}
}

func TestSuggestArticle(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			dsn := testdb.DSN(t, kind)
			if code, _, errs := run(t, "", nil, "migrate", "up", "--db", dsn); code != 0 {
				t.Fatalf("migrate up: %s", errs)
			}
			for _, u := range []struct{ email, role string }{{"ed@news.example", "editor"}, {"cy@news.example", "checker"}} {
				if code, _, errs := run(t, "", nil, "user", "add", "--db", dsn, "--email", u.email, "--name", u.role, "--role", u.role); code != 0 {
					t.Fatalf("user add: %s", errs)
				}
			}
			code, out, errs := run(t, "", nil, "import", "--db", dsn, "--as", "cy@news.example", shared.Path(t, "data", "seed-article.txt"))
			m := regexp.MustCompile(`article (\d+) `).FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("import: exit %d %s %s", code, out, errs)
			}
			id := m[1]
			code, out, errs = run(t, "", nil, "suggest", "--article", id, "--db", dsn)
			if code != 0 {
				t.Fatalf("suggest: exit %d: %s", code, errs)
			}
			line := regexp.MustCompile(`^article \d+: 30 suggestions by reader \S+ \(replacing 30\): (\d+) fact, (\d+) allegation, (\d+) quote, (\d+) assessment; mean confidence 0\.\d\d\n$`)
			parts := line.FindStringSubmatch(out)
			if parts == nil {
				t.Fatalf("output: %q", out)
			}
			sum := 0
			for _, p := range parts[1:] {
				n, _ := strconv.Atoi(p)
				sum += n
			}
			if sum != 30 {
				t.Errorf("labels add up to %d, want 30", sum)
			}
			if code, out, _ = run(t, "", nil, "suggest", "--article", id, "--db", dsn, "--as", "ed@news.example"); code != 0 || !strings.Contains(out, "(replacing 30)") {
				t.Errorf("as the editor: exit %d %q", code, out)
			}
			if code, _, errs = run(t, "", nil, "suggest", "--article", id, "--db", dsn, "--as", "cy@news.example"); code != 1 || !strings.Contains(errs, "checker may not") {
				t.Errorf("as a checker: exit %d %q, want 1 and forbidden", code, errs)
			}
			if code, _, errs = run(t, "", nil, "suggest", "--article", "999999", "--db", dsn); code != 1 || !strings.Contains(errs, "not found") {
				t.Errorf("unknown article: exit %d %q, want 1 and not found", code, errs)
			}
		})
	}
}
