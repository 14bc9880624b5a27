package machine

import (
	"path/filepath"
	"testing"

	"factdesk/internal/shared"
)

// TestConfidentPrecision measures the suggestions at or above Confident
// on every gold reading the reviewer is evaluated on: accepting them in
// bulk must leave (nearly) nothing to correct, and cover enough to be
// worth a key.
func TestConfidentPrecision(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.gold.json"))
	if err != nil || len(paths) < 3 {
		t.Fatalf("gold files: %v (%v)", paths, err)
	}
	paths = append(paths, shared.Path(t, "data", "seed-article.gold.json"))
	var all, confident, right, lenient int
	for _, p := range paths {
		ev := evaluate(t, NewRules(), loadGold(t, p))
		for _, it := range ev.Items {
			all++
			if it.Confidence < Confident {
				continue
			}
			confident++
			if it.Strict {
				right++
			}
			if it.Lenient {
				lenient++
			}
		}
	}
	precision := float64(right) / float64(confident)
	t.Logf("at %.2f: %d of %d sentences, strict precision %.3f, lenient %.3f", Confident, confident, all, precision, float64(lenient)/float64(confident))
	if precision < 0.95 {
		t.Errorf("strict precision at %.2f: got %.3f, want at least 0.95", Confident, precision)
	}
	if confident*4 < all {
		t.Errorf("confident suggestions: %d of %d, want at least a quarter", confident, all)
	}
}
