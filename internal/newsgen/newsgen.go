// Package newsgen writes deterministic, realistic English news text for
// benchmarks and tests: headlines, datelines, attributions ("according
// to", "X said"), direct quotations of one or several sentences with curly
// quotes, numbers (3.5, 1,000, $4.2bn, 10.5%), abbreviations (U.S., Sen.,
// Dr., a.m., Jan.), dashes and parentheses, in paragraphs separated by
// blank lines.
//
// The same seed always gives the same text (the generator is
// math/rand/v2's PCG, seeded by the caller). The people and companies are
// invented. Every sentence the generator writes is one a careful reader
// would split exactly where the generator did, so Story also serves as a
// reference reading for a segmenter.
//
//	text := newsgen.Text(1, 10<<20) // about 10 MB of articles
//
//	r := rand.New(rand.NewPCG(1, 2))
//	title, body := newsgen.Article(r, 20)
package newsgen

import (
	"math/rand/v2"
	"strings"
)

// Story is a generated article: a headline (no final period) and
// paragraphs of sentences, kept apart so tests can compare a segmenter's
// sentences with them.
type Story struct {
	Title      string
	Paragraphs [][]string
}

// Body returns the article text: the sentences of a paragraph separated by
// one space, paragraphs by a blank line.
func (s Story) Body() string {
	var b strings.Builder
	for i, p := range s.Paragraphs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(strings.Join(p, " "))
	}
	return b.String()
}

// Text returns the headline, a blank line and the body.
func (s Story) Text() string { return s.Title + "\n\n" + s.Body() }

// Sentences returns the headline and every sentence of the body, in order.
func (s Story) Sentences() []string {
	out := []string{s.Title}
	for _, p := range s.Paragraphs {
		out = append(out, p...)
	}
	return out
}

// NewStory writes an article of about the given number of sentences (at
// least one) with r, a math/rand/v2 generator.
func NewStory(r *rand.Rand, sentences int) Story {
	g := gen{r: r}
	st := Story{Title: g.headline()}
	n := 0
	for n < max(sentences, 1) {
		var p []string
		k := 1 + r.IntN(4)
		for range k {
			p = append(p, g.sentences()...)
		}
		if len(st.Paragraphs) == 0 {
			p[0] = g.dateline() + p[0]
		}
		n += len(p)
		st.Paragraphs = append(st.Paragraphs, p)
	}
	return st
}

// Article writes an article of about the given number of sentences with r
// and returns its headline and body.
func Article(r *rand.Rand, sentences int) (title, body string) {
	s := NewStory(r, sentences)
	return s.Title, s.Body()
}

// Text returns about size bytes of articles (whole articles, so a little
// more), each a headline, a blank line and the body, separated by blank
// lines. The same seed gives the same text.
func Text(seed int64, size int) string {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6e657773))
	var b strings.Builder
	b.Grow(size + 8<<10)
	for b.Len() < size {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(NewStory(r, 8+r.IntN(30)).Text())
	}
	return b.String()
}
