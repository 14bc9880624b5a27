package similar

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestShingles checks word pairs, stemming and the short cases.
func TestShingles(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"pairs in order", "Putin denied the role", []string{"putin denied", "denied the", "the role"}},
		{"plurals and possessives stemmed", "Russia’s sanctions, the sanction of Russia", []string{"russia sanction", "sanction the", "the sanction", "sanction of", "of russia"}},
		{"short words and ss kept", "US has its press", []string{"us has", "has its", "its press"}},
		{"repeats counted once", "no no no", []string{"no no"}},
		{"one word", "Ousted", []string{"ousted"}},
		{"nothing", "…", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Shingles(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Shingles(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestJaccard checks exact shingle overlap.
func TestJaccard(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want float64
	}{
		{"same after folding", "Clinton’s “campaign” manager", "clinton's campaign manager!", 1},
		{"one word changed of four", "a b c d", "a b x d", 1.0 / 5},
		{"half shared", "a b c d e", "a b c x y", 2.0 / 6},
		{"nothing shared", "a b c", "x y z", 0},
		{"empty", "", "a b", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Jaccard(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Jaccard(%q, %q): got %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestSignatureEstimatesJaccard compares the signature estimate with the
// exact Jaccard similarity on every pair of example sentences and reworded
// claims: each estimate lies within four standard errors of the truth, and
// the estimates are unbiased on average.
func TestSignatureEstimatesJaccard(t *testing.T) {
	texts := seedSentences(t)
	for _, s := range secondArticle {
		texts = append(texts, s.text)
	}
	sigs := make([]Signature, len(texts))
	for i, s := range texts {
		sigs[i] = Sign(s)
	}
	var bias float64
	pairs := 0
	for i := range texts {
		for j := i + 1; j < len(texts); j++ {
			exact := Jaccard(texts[i], texts[j])
			est := sigs[i].Similarity(sigs[j])
			se := math.Sqrt(exact * (1 - exact) / NumHashes)
			if math.Abs(est-exact) > 4*se+1.0/NumHashes {
				t.Errorf("%q ~ %q: estimate %.3f, exact %.3f (standard error %.3f)", texts[i], texts[j], est, exact, se)
			}
			bias += est - exact
			pairs++
		}
	}
	if bias /= float64(pairs); math.Abs(bias) > 0.01 {
		t.Errorf("mean estimate error over %d pairs: got %+.4f, want within ±0.01", pairs, bias)
	}
}

// TestSignatureStable pins the first values of a signature and its first
// band key: signatures and keys stored in a database must still match
// those computed by later versions, so any change here needs a migration
// that recomputes them.
func TestSignatureStable(t *testing.T) {
	sig := Sign("Putin has repeatedly denied Russia’s role in the US elections.")
	got := fmt.Sprint(sig[:4], Bands(sig)[0])
	const want = "[49868 346834390 216681188 155820538] 4601582179467773057"
	if got != want {
		t.Errorf("signature head and first band: got %s, want %s", got, want)
	}
}

// TestSignatureEncoding checks Bytes and ParseSignature.
func TestSignatureEncoding(t *testing.T) {
	sig := Sign("The bill targets Russian energy, financial, railways, shipping and metals and mining sectors.")
	back, err := ParseSignature(sig.Bytes())
	if err != nil {
		t.Fatalf("ParseSignature: %v", err)
	}
	if back != sig {
		t.Errorf("round trip changed the signature")
	}
	if _, err := ParseSignature(sig.Bytes()[1:]); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("short input: got error %v, want one about the length", err)
	}
}

// TestEmptySignature checks the signature of a text without words.
func TestEmptySignature(t *testing.T) {
	sig := Sign("…")
	if !sig.Empty() {
		t.Fatalf("Sign of punctuation is not empty")
	}
	if k := Bands(sig); k != nil {
		t.Errorf("Bands of empty signature: got %d keys, want none", len(k))
	}
	if s := sig.Similarity(sig); s != 0 {
		t.Errorf("empty similarity: got %v, want 0", s)
	}
	if Sign("Putin denied it.").Empty() {
		t.Errorf("Sign of a sentence is empty")
	}
}

// collision is the probability that two texts with shingle Jaccard
// similarity s share a band key.
func collision(s float64) float64 {
	return 1 - math.Pow(1-math.Pow(s, RowsPerBand), NumBands)
}

// TestBandsCollision checks the banding: pairs built with a known Jaccard
// similarity share a key as often as the formula says (at least 95% at
// 0.5), and pairs of unrelated news sentences share keys so rarely that a
// lookup in a million stored sentences would rescore only a few hundred
// chance candidates.
func TestBandsCollision(t *testing.T) {
	t.Run("formula", func(t *testing.T) {
		for _, c := range []struct{ s, want float64 }{{0.4, 0.88}, {0.5, 0.986}, {0.6, 0.9996}} {
			if got := collision(c.s); math.Abs(got-c.want) > 0.005 {
				t.Errorf("collision(%.1f): got %.4f, want %.4f as documented", c.s, got, c.want)
			}
		}
	})
	// Texts a and b of n+1 words share their first m+1 words: n shingles
	// each, m shared, Jaccard m/(2n-m).
	pair := func(trial, n, m int) (string, string) {
		var a, b []string
		for i := 0; i <= n; i++ {
			a = append(a, fmt.Sprintf("t%dw%d", trial, i))
			if i <= m {
				b = append(b, a[i])
			} else {
				b = append(b, fmt.Sprintf("t%dv%d", trial, i))
			}
		}
		return strings.Join(a, " "), strings.Join(b, " ")
	}
	for _, c := range []struct {
		name string
		n, m int
	}{{"jaccard 0.5", 30, 20}, {"jaccard 0.25", 30, 12}, {"jaccard 0.58", 30, 22}} {
		t.Run(c.name, func(t *testing.T) {
			const trials = 500
			s := float64(c.m) / float64(2*c.n-c.m)
			hits := 0
			for trial := range trials {
				a, b := pair(trial, c.n, c.m)
				if j := Jaccard(a, b); math.Abs(j-s) > 1e-9 {
					t.Fatalf("built pair has Jaccard %v, want %v", j, s)
				}
				if shareKey(Bands(Sign(a)), Bands(Sign(b))) {
					hits++
				}
			}
			rate, want := float64(hits)/trials, collision(s)
			sd := math.Sqrt(want * (1 - want) / trials)
			t.Logf("Jaccard %.2f: %d of %d pairs share a key, formula %.3f", s, hits, trials, want)
			if math.Abs(rate-want) > 4*sd+0.005 {
				t.Errorf("collision rate: got %.3f, want %.3f ± %.3f", rate, want, 4*sd)
			}
		})
	}
	t.Run("chance candidates", func(t *testing.T) {
		pool := newsPool(t)
		sets := make([][]string, len(pool))
		for i, s := range pool {
			sets[i] = Shingles(s)
			slices.Sort(sets[i])
		}
		var expected, meanJ float64
		pairs := 0
		for i := range sets {
			for j := i + 1; j < len(sets); j++ {
				s := sortedJaccard(sets[i], sets[j])
				expected += collision(s)
				meanJ += s
				pairs++
			}
		}
		perMillion := expected / float64(pairs) * 1e6
		t.Logf("%d pairs of news sentences: mean Jaccard %.4f; expected chance candidates per lookup in 1,000,000 sentences: %.0f",
			pairs, meanJ/float64(pairs), perMillion)
		if perMillion > 300 {
			t.Errorf("chance candidates per million: got %.0f, want under 300", perMillion)
		}
	})
}

func shareKey(a, b []uint64) bool {
	for _, k := range a {
		if slices.Contains(b, k) {
			return true
		}
	}
	return false
}

// TestShingleHashes checks that the signature hashes exactly the shingles
// Shingles lists.
func TestShingleHashes(t *testing.T) {
	for _, text := range append(seedSentences(t), "Ousted", "", "no no no") {
		var want []uint64
		for _, s := range Shingles(text) {
			want = append(want, fnvAdd(fnvOffset, s))
		}
		slices.Sort(want)
		if got := shingleHashes(text); !slices.Equal(got, want) {
			t.Errorf("shingleHashes(%q): got %v, want %v", text, got, want)
		}
	}
}
