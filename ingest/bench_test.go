package ingest

import (
	"fmt"
	"strings"
	"testing"

	"factdesk/segment"
)

// bigText returns about n bytes of news-like text in paragraphs.
func bigText(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Paragraph %d opens with a claim about sanctions number %d. ", i, i)
		b.WriteString("According to officials, the measure affects energy, finance and shipping firms. ")
		b.WriteString("The ministry said it would respond “in due course”.\n\n")
	}
	return b.String()
}

func BenchmarkConvertMarkdown(b *testing.B) {
	src := []byte(strings.ReplaceAll(bigText(DefaultMaxBytes*9/10), "sanctions", "*sanctions*"))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Convert(FormatMarkdown, src, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConvertHTML(b *testing.B) {
	text := bigText(DefaultMaxBytes / 2)
	src := []byte("<html><head><title>Big</title><script>x()</script></head><body><nav>menu</nav><article><p>" +
		strings.ReplaceAll(text, "\n\n", "</p>\n<p>") + "</p></article></body></html>")
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Convert(FormatHTML, src, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExclusions measures the worst case the limits allow: the most
// sentences, every one of them a truncation candidate starting like all the
// others, beside an ordinary article of the same size.
func BenchmarkExclusions(b *testing.B) {
	ordinary := segment.Split(bigText(DefaultMaxBytes))
	var adversarial [][]string
	for i := 0; i < DefaultMaxSentences/2; i++ {
		adversarial = append(adversarial, []string{fmt.Sprintf("The country is number %d and more..", i), fmt.Sprintf("The country is number %d and more.", i+1)})
	}
	cases := []struct {
		name      string
		sentences []segment.Sentence
	}{
		{"ordinary", ordinary},
		{"adversarial", sentencesOf(adversarial...)},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("%s/%d", c.name, len(c.sentences)), func(b *testing.B) {
			for b.Loop() {
				Exclusions(c.sentences)
			}
		})
	}
}
