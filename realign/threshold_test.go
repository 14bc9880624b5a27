package realign

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"factdesk/internal/shared"
)

// newsSentences returns the distinct sentences of the NewsSD-ENG training
// split, a pool of real news sentences unrelated to each other.
func newsSentences(t testing.TB) []string {
	t.Helper()
	f, err := os.Open(shared.Path(t, "eval", "newssd_train.jsonl"))
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	defer f.Close()
	seen := map[string]bool{}
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var v struct{ Sentence string }
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("parse %q: %v", sc.Text(), err)
		}
		if k := key(v.Sentence); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read pool: %v", err)
	}
	return out
}

// TestMinSimilarityUnrelated measures the similarity of pairs of distinct
// news sentences whose lengths are close enough to be compared at all (one
// pair in seven of the 150,000 or so, to keep the test short), and checks
// that MinSimilarity sits far above what unrelated sentences reach by
// chance.
func TestMinSimilarityUnrelated(t *testing.T) {
	pool := newsSentences(t)
	runes := make([][]rune, len(pool))
	for i, s := range pool {
		runes[i] = []rune(s)
	}
	seen, pairs, above := 0, 0, 0
	var sample []float64
	for i := range runes {
		for j := i + 1; j < len(runes); j++ {
			if ratio(len(runes[i]), len(runes[j])) < MinSimilarity {
				continue
			}
			if seen++; seen%7 != 0 {
				continue
			}
			pairs++
			if pairs%10 == 0 {
				sample = append(sample, similarity(runes[i], runes[j], 0))
			}
			if similarity(runes[i], runes[j], MinSimilarity) >= MinSimilarity {
				above++
			}
		}
	}
	slices.Sort(sample)
	median := sample[len(sample)/2]
	p999 := sample[len(sample)*999/1000]
	t.Logf("%d sentences, %d comparable pairs: %d at or above %.2f; sample of %d: median %.3f, 99.9th percentile %.3f",
		len(pool), pairs, above, MinSimilarity, len(sample), median, p999)
	if share := float64(above) / float64(pairs); share > 0.001 {
		t.Errorf("unrelated pairs at or above MinSimilarity: got %.4f%%, want under 0.1%%", 100*share)
	}
	if p999 >= MinSimilarity-0.05 {
		t.Errorf("99.9th percentile of unrelated pairs: got %.3f, want well under %.2f", p999, MinSimilarity)
	}
}

// TestSimilarity checks the measure itself and its early exit.
func TestSimilarity(t *testing.T) {
	tests := []struct {
		name  string
		a, b  string
		floor float64
		want  float64
	}{
		{"both empty", "", "", 0, 1},
		{"one empty", "abc", "", 0, 0},
		{"equal", "kitten", "kitten", 0, 1},
		{"kitten sitting", "kitten", "sitting", 0, 1 - 3.0/7},
		{"one digit of 20", "decrease to 455 now.", "decrease to 445 now.", 0, 1 - 1.0/20},
		{"multibyte runes count once", "Clinton’s campaign", "Clinton's campaign", 0, 1 - 1.0/18},
		{"below the floor gives 0", "kitten", "sitting", 0.6, 0},
		{"at the floor is kept", "abcd", "abxy", 0.5, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := similarity([]rune(tt.a), []rune(tt.b), tt.floor)
			if diff := got - tt.want; diff > 1e-12 || diff < -1e-12 {
				t.Errorf("similarity(%q, %q, %v): got %v, want %v", tt.a, tt.b, tt.floor, got, tt.want)
			}
		})
	}
}

// TestKey checks the white-space folding that exact matching uses.
func TestKey(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"already folded", "It said so.", "It said so."},
		{"double space", "It  said so.", "It said so."},
		{"leading space", " It said so.", "It said so."},
		{"trailing space", "It said so. ", "It said so."},
		{"tab and newline", "It\tsaid\nso.", "It said so."},
		{"no-break space", "It\u00a0said so.", "It said so."},
		{"non-ASCII text kept", "Clinton’s “campaign”", "Clinton’s “campaign”"},
		{"empty", "", ""},
		{"only space", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := key(tt.in); got != tt.want {
				t.Errorf("key(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
