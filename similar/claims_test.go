package similar

import (
	"cmp"
	"slices"
	"strings"
	"testing"
)

// secondArticle is another outlet's report that repeats four claims of
// the example article in slightly different words, among sentences of its
// own. claimOf maps its sentences to the example sentence they repeat.
var secondArticle = []struct {
	text    string
	claimOf string // a unique part of the example sentence, or ""
}{
	{"Moscow orders deep cut in US embassy staff", ""},
	{"Russian President Vladimir Putin announced that 755 American diplomats will have to leave Russia by September 1, 2017.", "Vladimir Putin has announced that 755"},
	{"The move follows a new round of American sanctions passed by Congress last week.", ""},
	{"Russia hacked the Democratic National Committee's servers and sent the contents of those emails to WikiLeaks.", "It hacked the servers"},
	{"The Kremlin has always denied any interference in the vote.", ""},
	{"The bill targets Russia's energy, financial, railway, shipping, metals and mining sectors.", "The bill targets Russian energy"},
	{"The sanctions have been condemned by the EU because they may affect European companies with vested interests in Russia.", "condemned by the European Union"},
	{"European officials fear that their own companies could be hit by the measures.", ""},
	{"Staff at the embassy in Moscow said they were preparing to leave within weeks.", ""},
}

// TestSameClaimFound indexes the example article's sentences, among the
// unrelated sentences of the news pool, as a store would, and looks up each
// sentence of a second article: the four repeated claims find their
// originals, above Threshold, through the band keys, and nothing else; the
// other sentences find nothing.
func TestSameClaimFound(t *testing.T) {
	seed := seedSentences(t)
	ix := newIndex(append(slices.Clone(seed), newsPool(t)...))
	for _, s := range secondArticle {
		name := s.text[:min(40, len(s.text))]
		t.Run(name, func(t *testing.T) {
			hits, _ := ix.lookup(s.text)
			var want []int
			if s.claimOf != "" {
				for id, x := range seed {
					if strings.Contains(x, s.claimOf) {
						want = append(want, id)
					}
				}
				if len(want) != 1 {
					t.Fatalf("%q is in %d example sentences, want 1", s.claimOf, len(want))
				}
			}
			var got []int
			for _, h := range hits {
				got = append(got, h.id)
				t.Logf("found %q, score %.3f, Jaccard %.3f", ix.texts[h.id], h.score, Jaccard(s.text, ix.texts[h.id]))
			}
			if !slices.Equal(got, want) {
				t.Errorf("found %v, want %v", got, want)
			}
		})
	}
}

// TestUnrelatedNewsFindsNone looks up every sentence of the news pool in
// the example article's index: none of them is the same claim.
func TestUnrelatedNewsFindsNone(t *testing.T) {
	seed := seedSentences(t)
	ix := newIndex(seed)
	pool := newsPool(t)
	candidates := 0
	for _, q := range pool {
		hits, c := ix.lookup(q)
		candidates += c
		for _, h := range hits {
			t.Errorf("%q found %q with score %.3f", q, seed[h.id], h.score)
		}
	}
	t.Logf("%d news sentences looked up: %d band candidates scored, none kept", len(pool), candidates)
}

// TestThresholdSeparation scores every pair of distinct sentences of the
// news pool and checks that Threshold sits far above what unrelated
// sentences score, and far below the reworded claims.
func TestThresholdSeparation(t *testing.T) {
	pool := newsPool(t)
	tris := make([][]uint64, len(pool))
	for i, s := range pool {
		tris[i] = trigramSet(s)
	}
	var scores []float64
	var above []string
	for i := range tris {
		for j := i + 1; j < len(tris); j++ {
			s := sortedJaccard(tris[i], tris[j])
			scores = append(scores, s)
			if s >= Threshold {
				above = append(above, pool[i]+" | "+pool[j])
			}
		}
	}
	slices.Sort(scores)
	n := len(scores)
	median, p9999 := scores[n/2], scores[n*9999/10000]
	t.Logf("%d pairs: median %.3f, 99.99th percentile %.3f, %d at or above %.2f", n, median, p9999, len(above), Threshold)
	for _, a := range above {
		t.Logf("  above: %s", a)
	}
	if p9999 > Threshold-0.1 {
		t.Errorf("99.99th percentile of unrelated pairs: got %.3f, want under %.2f", p9999, Threshold-0.1)
	}
	if share := float64(len(above)) / float64(n); share > 0.0001 {
		t.Errorf("unrelated pairs at or above Threshold: got %.4f%%, want under 0.01%%", 100*share)
	}
	seed := seedSentences(t)
	for _, s := range secondArticle {
		if s.claimOf == "" {
			continue
		}
		for _, x := range seed {
			if strings.Contains(x, s.claimOf) {
				if score := TrigramSimilarity(s.text, x); score < Threshold+0.2 {
					t.Errorf("reworded claim %q: score %.3f, want well above %.2f", s.text, score, Threshold)
				}
			}
		}
	}
}

// TestShingleSeparation checks that word pairs keep unrelated sentences
// apart: 99.9% of pairs of news sentences share under a tenth of their
// shingles, while the reworded claims share over 0.4.
func TestShingleSeparation(t *testing.T) {
	pool := newsPool(t)
	sets := make([][]string, len(pool))
	for i, s := range pool {
		sets[i] = Shingles(s)
		slices.Sort(sets[i])
	}
	var js []float64
	for i := range sets {
		for j := i + 1; j < len(sets); j++ {
			js = append(js, sortedJaccard(sets[i], sets[j]))
		}
	}
	slices.Sort(js)
	p999 := js[len(js)*999/1000]
	t.Logf("%d pairs: 99th percentile %.3f, 99.9th %.3f, max %.3f", len(js), js[len(js)*99/100], p999, js[len(js)-1])
	if p999 >= 0.1 {
		t.Errorf("99.9th percentile Jaccard of unrelated pairs: got %.3f, want under 0.1", p999)
	}
	seed := seedSentences(t)
	for _, s := range secondArticle {
		for _, x := range seed {
			if s.claimOf != "" && strings.Contains(x, s.claimOf) {
				if j := Jaccard(s.text, x); j <= 0.4 {
					t.Errorf("reworded claim %q: Jaccard %.3f, want over 0.4", s.text, j)
				}
			}
		}
	}
}

// sortedJaccard is the Jaccard similarity of two sorted sets.
func sortedJaccard[T cmp.Ordered](a, b []T) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			shared++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}
