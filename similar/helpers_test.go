package similar

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"factdesk/internal/shared"
)

// seedSentences returns the sentences of the example article, cut at the
// code point offsets of its reference reading.
func seedSentences(t testing.TB) []string {
	t.Helper()
	text, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatalf("read article: %v", err)
	}
	raw, err := os.ReadFile(shared.Path(t, "data", "seed-article.gold.json"))
	if err != nil {
		t.Fatalf("read gold: %v", err)
	}
	var gold struct {
		Sentences []struct{ Start, End int }
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatalf("parse gold: %v", err)
	}
	runes := []rune(string(text))
	out := make([]string, len(gold.Sentences))
	for i, g := range gold.Sentences {
		out[i] = string(runes[g.Start:g.End])
	}
	return out
}

// newsPool returns the distinct eligible sentences of the NewsSD-ENG
// training split: real news sentences, unrelated to the example article.
func newsPool(t testing.TB) []string {
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
		if n := Normalize(v.Sentence); !seen[n] && Eligible(v.Sentence) {
			seen[n] = true
			out = append(out, v.Sentence)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read pool: %v", err)
	}
	return out
}

// index is an in-memory stand-in for the band table a database keeps:
// band key → ids of the sentences holding it.
type index struct {
	texts []string
	bands map[uint64][]int
}

func newIndex(texts []string) *index {
	ix := &index{texts: texts, bands: map[uint64][]int{}}
	for id, s := range texts {
		if !Eligible(s) {
			continue
		}
		for _, k := range Bands(Sign(s)) {
			ix.bands[k] = append(ix.bands[k], id)
		}
	}
	return ix
}

// found is one stored sentence found for a query.
type found struct {
	id    int
	score float64
}

// lookup does what a store does on SQLite: candidates by band key, scored
// with TrigramSimilarity, kept from Threshold up. It also returns how many
// candidates it scored.
func (ix *index) lookup(query string) (hits []found, candidates int) {
	if !Eligible(query) {
		return nil, 0
	}
	seen := map[int]bool{}
	for _, k := range Bands(Sign(query)) {
		for _, id := range ix.bands[k] {
			if seen[id] {
				continue
			}
			seen[id] = true
			if score, same := Compare(query, ix.texts[id]); same {
				hits = append(hits, found{id, score})
			}
		}
	}
	return hits, len(seen)
}
