package machine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/codebook"
	"factdesk/internal/shared"
)

func loadGold(t testing.TB, path string) Gold {
	t.Helper()
	g, err := LoadGold(path)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func evaluate(t testing.TB, r Reviewer, g Gold) Evaluation {
	t.Helper()
	ev, err := Evaluate(context.Background(), r, g)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func report(t *testing.T, ev Evaluation) {
	t.Helper()
	var b bytes.Buffer
	if err := ev.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
}

func TestSeedArticle(t *testing.T) {
	g := loadGold(t, shared.Path(t, "data", "seed-article.gold.json"))
	ev := evaluate(t, NewRules(), g)
	report(t, ev)
	if ev.LenientAccuracy < 0.9 {
		t.Errorf("lenient accuracy: got %.3f, want at least 0.9", ev.LenientAccuracy)
	}
	if ev.Excluded != 2 || ev.Sentences != 28 {
		t.Errorf("scored %d, excluded %d; want 28 and 2", ev.Sentences, ev.Excluded)
	}
	// Every sentence of the three-sentence quotation is a quote.
	for _, it := range ev.Items {
		if it.N >= 23 && it.N <= 25 && it.Predicted != codebook.Quote {
			t.Errorf("n=%d: got %s (%q), want quote", it.N, it.Predicted, it.Reasons)
		}
	}
}

// TestGoldFiles scores the reviewer on the gold files written for it. The
// floors catch regressions; the figures themselves are in the log.
func TestGoldFiles(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.gold.json"))
	if err != nil || len(paths) < 3 {
		t.Fatalf("gold files: got %v (%v), want at least three", paths, err)
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".gold.json"), func(t *testing.T) {
			g := loadGold(t, p)
			ev := evaluate(t, NewRules(), g)
			report(t, ev)
			if ev.LenientAccuracy < 0.75 {
				t.Errorf("lenient accuracy: got %.3f, want at least 0.75", ev.LenientAccuracy)
			}
			// The gold's own sentences must score the same labels: the
			// segmenter and the reference reading agree on these texts.
			own, err := EvaluateSegments(context.Background(), NewRules(), g, g.Segments())
			if err != nil {
				t.Fatal(err)
			}
			for i, it := range own.Items {
				if it.Segment < 0 {
					t.Errorf("n=%d: no segment from the gold's own spans", it.N)
				}
				if i < len(ev.Items) && ev.Items[i].Predicted != it.Predicted {
					t.Errorf("n=%d: %s with segment.Split, %s with the gold's own spans", it.N, ev.Items[i].Predicted, it.Predicted)
				}
			}
		})
	}
}

// fixed is a reviewer that answers with given labels.
type fixed struct {
	labels []codebook.Label
	conf   []float64
	err    error
	short  bool
}

func (f fixed) Name() string    { return "fixed" }
func (f fixed) Version() string { return "0" }
func (f fixed) Suggest(_ context.Context, ss []Sentence) ([]Suggestion, error) {
	if f.err != nil {
		return nil, f.err
	}
	n := len(ss)
	if f.short {
		n--
	}
	out := make([]Suggestion, n)
	for i := range out {
		out[i] = Suggestion{Label: f.labels[i], Confidence: f.conf[i], Reasons: []string{"fixed"}}
	}
	return out, nil
}

// tinyGold is an article of five one-sentence paragraphs with embedded
// text: fact, fact, quote (also fact), assessment, and an excluded one.
func tinyGold(t *testing.T) Gold {
	t.Helper()
	text := "Prices rose.\n\nIt was cold.\n\nShe said no.\n\nThat was brave.\n\nDup."
	src := map[string]any{
		"text": text,
		"sentences": []map[string]any{
			{"n": 1, "paragraph": 0, "start": 0, "end": 12, "text": "Prices rose.", "label": "fact"},
			{"n": 2, "paragraph": 1, "start": 14, "end": 26, "text": "It was cold.", "label": "fact"},
			{"n": 3, "paragraph": 2, "start": 28, "end": 40, "text": "She said no.", "label": "quote", "also_acceptable": []string{"fact"}},
			{"n": 4, "paragraph": 3, "start": 42, "end": 57, "text": "That was brave.", "label": "assessment"},
			{"n": 5, "paragraph": 4, "start": 59, "end": 63, "text": "Dup.", "label": "fact", "exclude": "duplicate"},
		},
	}
	b, err := json.Marshal(src)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "tiny.gold.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return loadGold(t, p)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestEvaluateScores(t *testing.T) {
	g := tinyGold(t)
	r := fixed{
		labels: []codebook.Label{codebook.Fact, codebook.Assessment, codebook.Fact, codebook.Assessment, codebook.Fact},
		conf:   []float64{0.9, 0.8, 0.6, 0.7, 0.5},
	}
	ev := evaluate(t, r, g)
	if ev.Sentences != 4 || ev.Excluded != 1 {
		t.Fatalf("scored %d, excluded %d; want 4 and 1", ev.Sentences, ev.Excluded)
	}
	if !near(ev.StrictAccuracy, 0.5) || !near(ev.LenientAccuracy, 0.75) {
		t.Errorf("accuracy: got strict %.3f lenient %.3f, want 0.5 and 0.75", ev.StrictAccuracy, ev.LenientAccuracy)
	}
	// fact: predicted 2 (n1 right, n3 wrong), gold 2 (n1, n2) → P 1/2, R 1/2.
	// assessment: predicted 2 (n2 wrong, n4 right), gold 1 → P 1/2, R 1.
	// quote: predicted 0, gold 1 → P 0, R 0, F1 0.
	wantPL := map[codebook.Label]LabelScore{
		codebook.Fact:       {Precision: 0.5, Recall: 0.5, F1: 0.5, Support: 2, Predicted: 2},
		codebook.Assessment: {Precision: 0.5, Recall: 1, F1: 2.0 / 3, Support: 1, Predicted: 2},
		codebook.Quote:      {Precision: 0, Recall: 0, F1: 0, Support: 1, Predicted: 0},
	}
	if len(ev.PerLabel) != len(wantPL) {
		t.Errorf("per-label: got %d labels, want %d (allegation neither gold nor predicted)", len(ev.PerLabel), len(wantPL))
	}
	for l, w := range wantPL {
		got := ev.PerLabel[l]
		if !near(got.Precision, w.Precision) || !near(got.Recall, w.Recall) || !near(got.F1, w.F1) || got.Support != w.Support || got.Predicted != w.Predicted {
			t.Errorf("%s: got %+v, want %+v", l, got, w)
		}
	}
	if want := (0.5 + 2.0/3 + 0) / 3; !near(ev.MacroF1, want) {
		t.Errorf("macro-F1: got %.4f, want %.4f", ev.MacroF1, want)
	}
	wantConf := map[codebook.Label]map[codebook.Label]int{
		codebook.Fact:       {codebook.Fact: 1, codebook.Assessment: 1},
		codebook.Quote:      {codebook.Fact: 1},
		codebook.Assessment: {codebook.Assessment: 1},
	}
	for g, row := range wantConf {
		for p, n := range row {
			if got := ev.Confusion[g][p]; got != n {
				t.Errorf("confusion[%s][%s]: got %d, want %d", g, p, got, n)
			}
		}
	}
	// Misses: n=2 wrong even leniently comes before n=3 acceptable.
	if len(ev.Misses) != 2 || ev.Misses[0].N != 2 || ev.Misses[1].N != 3 || !ev.Misses[1].Lenient {
		t.Errorf("misses: got %+v, want n=2 (wrong) then n=3 (acceptable)", ev.Misses)
	}
}

func TestMissesWorstFirst(t *testing.T) {
	g := tinyGold(t)
	r := fixed{
		labels: []codebook.Label{codebook.Quote, codebook.Quote, codebook.Assessment, codebook.Fact, codebook.Fact},
		conf:   []float64{0.3, 0.9, 0.6, 0.5, 0.5},
	}
	ev := evaluate(t, r, g)
	var got []int
	for _, m := range ev.Misses {
		got = append(got, m.N)
	}
	// All four wrong even leniently; most confident first.
	want := []int{2, 3, 4, 1}
	if len(got) != len(want) {
		t.Fatalf("misses: got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("misses: got %v, want %v", got, want)
		}
	}
}

func TestEvaluateReviewerErrors(t *testing.T) {
	g := tinyGold(t)
	labels := []codebook.Label{codebook.Fact, codebook.Fact, codebook.Fact, codebook.Fact, codebook.Fact}
	conf := []float64{1, 1, 1, 1, 1}
	boom := errors.New("model server down")
	if _, err := Evaluate(context.Background(), fixed{err: boom}, g); !errors.Is(err, boom) {
		t.Errorf("reviewer failing: got %v, want %v wrapped", err, boom)
	}
	if _, err := Evaluate(context.Background(), fixed{labels: labels, conf: conf, short: true}, g); err == nil || !strings.Contains(err.Error(), "suggestions for") {
		t.Errorf("reviewer answering too few: got %v, want an error", err)
	}
}

func TestLoadGold(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("a.txt", "Prices rose. Café reopened.")
	ok := write("ok.json", `{"article":"a.txt","sentences":[{"n":1,"start":0,"end":12,"text":"Prices rose.","label":"fact"},{"n":2,"start":13,"end":27,"text":"Café reopened.","label":"fact"}]}`)
	g, err := LoadGold(ok)
	if err != nil {
		t.Fatalf("valid gold with an article file: %v", err)
	}
	if g.Text != "Prices rose. Café reopened." || g.Path != ok {
		t.Errorf("got text %q path %q", g.Text, g.Path)
	}
	tests := []struct{ name, body, wantErr string }{
		{"not JSON", `{`, "unexpected end"},
		{"neither text nor article", `{"sentences":[{"n":1,"start":0,"end":1,"label":"fact"}]}`, "neither text nor article"},
		{"article missing", `{"article":"none.txt","sentences":[{"n":1,"start":0,"end":1,"label":"fact"}]}`, "article"},
		{"no sentences", `{"text":"Hi."}`, "no sentences"},
		{"unknown label", `{"text":"Hi.","sentences":[{"n":1,"start":0,"end":3,"label":"opinion"}]}`, "unknown label"},
		{"unknown also_acceptable", `{"text":"Hi.","sentences":[{"n":1,"start":0,"end":3,"label":"fact","also_acceptable":["rumour"]}]}`, "also_acceptable"},
		{"offsets outside", `{"text":"Hi.","sentences":[{"n":1,"start":0,"end":9,"label":"fact"}]}`, "outside"},
		{"offsets select other text", `{"text":"Café reopened.","sentences":[{"n":1,"start":0,"end":4,"text":"Cafe","label":"fact"}]}`, "select"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadGold(write(strings.ReplaceAll(tc.name, " ", "_")+".json", tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
	if _, err := LoadGold(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: got no error")
	}
}

func TestEvaluationJSON(t *testing.T) {
	ev := evaluate(t, NewRules(), tinyGold(t))
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"strict_accuracy", "lenient_accuracy", "macro_f1", "per_label", "confusion", "misses", "items"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	fact, _ := m["per_label"].(map[string]any)["fact"].(map[string]any)
	for _, k := range []string{"precision", "recall", "f1", "support"} {
		if _, ok := fact[k]; !ok {
			t.Errorf("per_label.fact lacks %q", k)
		}
	}
}

func TestWriteText(t *testing.T) {
	r := fixed{
		labels: []codebook.Label{codebook.Fact, codebook.Assessment, codebook.Fact, codebook.Assessment, codebook.Fact},
		conf:   []float64{0.9, 0.8, 0.6, 0.7, 0.5},
	}
	ev := evaluate(t, r, tinyGold(t))
	var b bytes.Buffer
	if err := ev.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"reviewer fixed 0 on tiny.gold.json: 4 sentences scored, 1 excluded",
		"strict accuracy 0.500   lenient accuracy 0.750   macro-F1 0.389",
		"label", "precision", "confusion (rows: gold, columns: predicted)",
		"worst misses (2 of 2)", "n=2 gold fact → assessment 0.80 (wrong)",
		"n=3 gold quote (also fact) → fact 0.60 (acceptable)", "reasons: fixed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

// TestConfidenceIsMeaningful checks, over every gold file, that confident
// suggestions are right more often than unsure ones.
func TestConfidenceIsMeaningful(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, shared.Path(t, "data", "seed-article.gold.json"))
	var hiN, hiOK, loN, loOK int
	for _, p := range paths {
		for _, it := range evaluate(t, NewRules(), loadGold(t, p)).Items {
			switch {
			case it.Confidence >= 0.75:
				hiN++
				if it.Strict {
					hiOK++
				}
			case it.Confidence < 0.6:
				loN++
				if it.Strict {
					loOK++
				}
			}
		}
	}
	if hiN == 0 || loN == 0 {
		t.Fatalf("confident %d, unsure %d: want both", hiN, loN)
	}
	hi, lo := float64(hiOK)/float64(hiN), float64(loOK)/float64(loN)
	t.Logf("strict accuracy: %.2f of %d suggestions with confidence ≥ 0.75, %.2f of %d below 0.6", hi, hiN, lo, loN)
	if hi <= lo {
		t.Errorf("confident suggestions right %.2f of the time, unsure ones %.2f: want confident more often right", hi, lo)
	}
}
