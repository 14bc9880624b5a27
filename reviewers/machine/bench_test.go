package machine

import (
	"context"
	"os"
	"strings"
	"testing"

	"factdesk/internal/newsgen"
	"factdesk/internal/shared"
	"factdesk/segment"
)

// benchSuggest measures r suggesting for the sentences of text, with and
// without extracting their attributions, and reports ns per sentence.
func benchSuggest(b *testing.B, r Reviewer, text string) {
	segs := segment.Split(text)
	ctx := context.Background()
	b.Run("suggest", func(b *testing.B) {
		in := SentencesFrom(text, segs)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Suggest(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(segs)), "ns/sentence")
	})
	b.Run("extract+suggest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Suggest(ctx, SentencesFrom(text, segs)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(segs)), "ns/sentence")
	})
}

func BenchmarkSuggest(b *testing.B) {
	seed, err := os.ReadFile(shared.Path(b, "data", "seed-article.txt"))
	if err != nil {
		b.Fatal(err)
	}
	r := NewRules()
	b.Run("seed", func(b *testing.B) { benchSuggest(b, r, string(seed)) })
	// 731 news sentences from outside the project, in paragraphs of five.
	texts, _ := newsSD(b)
	var sb strings.Builder
	for i, s := range texts {
		sb.WriteString(s)
		if i%5 == 4 {
			sb.WriteString("\n\n")
		} else {
			sb.WriteString(" ")
		}
	}
	b.Run("newssd", func(b *testing.B) { benchSuggest(b, r, sb.String()) })
	// About 64 KB of generated news: datelines, attributions, quotations.
	b.Run("newsgen", func(b *testing.B) { benchSuggest(b, r, newsgen.Text(1, 64<<10)) })
}

// BenchmarkLearnedSuggest measures the learned reviewer beside the rules,
// its baseline, on the seed article and on generated news. The first
// call, which decodes the embedded model, is outside the timing.
func BenchmarkLearnedSuggest(b *testing.B) {
	seed, err := os.ReadFile(shared.Path(b, "data", "seed-article.txt"))
	if err != nil {
		b.Fatal(err)
	}
	texts := []struct{ name, text string }{{"seed", string(seed)}, {"newsgen", newsgen.Text(1, 64<<10)}}
	for _, r := range []Reviewer{NewRules(), NewLearned()} {
		for _, x := range texts {
			b.Run(r.Name()+"/"+x.name, func(b *testing.B) { benchSuggest(b, r, x.text) })
		}
	}
}
