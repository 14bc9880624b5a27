package realign

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"factdesk/internal/shared"
)

// seedArticle returns the sentences of the example article, cut from the
// text at the code point offsets of its reference reading.
func seedArticle(t testing.TB) []Sentence {
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
		Sentences []struct {
			Paragraph  int
			Start, End int
			Text       string
		}
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatalf("parse gold: %v", err)
	}
	runes := []rune(string(text))
	var out []Sentence
	for i, g := range gold.Sentences {
		s := string(runes[g.Start:g.End])
		if s != g.Text {
			t.Fatalf("gold sentence %d: text at [%d,%d) is %q, gold says %q", i, g.Start, g.End, s, g.Text)
		}
		out = append(out, Sentence{Index: i, Paragraph: g.Paragraph, Text: s})
	}
	return out
}

// find returns the position of the only sentence containing sub.
func find(t testing.TB, ss []Sentence, sub string) int {
	t.Helper()
	at := -1
	for i, s := range ss {
		if strings.Contains(s.Text, sub) {
			if at >= 0 {
				t.Fatalf("%q is in sentences %d and %d", sub, at, i)
			}
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no sentence contains %q", sub)
	}
	return at
}

// renumber sets Index to the position in the slice.
func renumber(ss []Sentence) []Sentence {
	for i := range ss {
		ss[i].Index = i
	}
	return ss
}

// replaceText returns a copy of ss with sentence i's text replaced.
func replaceText(ss []Sentence, i int, text string) []Sentence {
	out := slices.Clone(ss)
	out[i].Text = text
	return out
}

// synthetic is a generated article and a revision of it with known edits.
type synthetic struct {
	before, after []Sentence
	changed       map[int]int // new position → old position
	inserted      []int       // new positions
	removed       []int       // old positions
	moved         map[int]int // new position → old position
}

// makeSynthetic builds an article of n sentences from a fixed seed and a
// revision with a figure added or a typo made in one sentence of every
// 100, inserted and removed sentences, and one paragraph moved from
// the first fifth of the article to the last.
func makeSynthetic(tb testing.TB, n int) synthetic {
	tb.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	syll := []string{"ka", "to", "ri", "men", "sa", "lo", "vi", "dan", "pe", "ru", "gol", "ne", "sti", "ba", "mor", "el", "tu", "za"}
	vocab := make([]string, 4000)
	for i := range vocab {
		var b strings.Builder
		for range 1 + rng.IntN(3) {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		vocab[i] = b.String()
	}
	sentence := func() string {
		words := make([]string, 8+rng.IntN(22))
		for k := range words {
			words[k] = vocab[rng.IntN(len(vocab))]
			if rng.IntN(12) == 0 {
				words[k] = fmt.Sprint(rng.IntN(5000))
			}
		}
		words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
		return strings.Join(words, " ") + "."
	}
	var before []Sentence
	para := 0
	for len(before) < n {
		for range 1 + rng.IntN(6) {
			before = append(before, Sentence{Paragraph: para, Text: sentence()})
		}
		para++
	}
	before = renumber(before[:n])

	// Paragraph to move: the first one starting after a fifth of the text.
	from := n / 5
	for before[from].Paragraph == before[from-1].Paragraph {
		from++
	}
	to := from
	for to < n && before[to].Paragraph == before[from].Paragraph {
		to++
	}
	land := 4 * n / 5 // moved paragraph goes before the paragraph starting here
	for before[land].Paragraph == before[land-1].Paragraph {
		land++
	}

	s := synthetic{changed: map[int]int{}, moved: map[int]int{}}
	type entry struct {
		old  int // -1 for inserted
		text string
		kind Kind
	}
	var entries []entry
	emit := func(i int) {
		switch {
		case i%100 == 50:
			s.removed = append(s.removed, i)
		case i%100 == 0 && i > 0:
			entries = append(entries, entry{i, editSentence(before[i].Text, i), Changed})
		case i%250 == 125:
			entries = append(entries, entry{i, before[i].Text, Unchanged})
			entries = append(entries, entry{-1, sentence(), New})
		default:
			entries = append(entries, entry{i, before[i].Text, Unchanged})
		}
	}
	for i := 0; i < n; i++ {
		if i == from {
			i = to - 1
			continue
		}
		if i == land {
			for k := from; k < to; k++ {
				entries = append(entries, entry{k, before[k].Text, Moved})
			}
		}
		emit(i)
	}
	for j, e := range entries {
		s.after = append(s.after, Sentence{Index: j, Text: e.text})
		switch e.kind {
		case Changed:
			s.changed[j] = e.old
		case New:
			s.inserted = append(s.inserted, j)
		case Moved:
			s.moved[j] = e.old
		}
	}
	// Moved sentences that were also due for removal or change stay as
	// they are: the paragraph moves whole.
	s.before = before
	return s
}

// editSentence adds a figure after the first word or swaps two letters,
// alternately.
func editSentence(text string, i int) string {
	if i%200 == 0 {
		return strings.Replace(text, " ", " 1"+fmt.Sprint(i%10)+" ", 1)
	}
	r := []rune(text)
	k := len(r) / 2
	r[k], r[k+1] = r[k+1], r[k]
	if r[k] == r[k+1] || r[k] == ' ' || r[k+1] == ' ' {
		return text[:len(text)-1] + "!"
	}
	return string(r)
}
