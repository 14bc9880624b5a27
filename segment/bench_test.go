package segment

import (
	"bytes"
	"sync"
	"testing"

	"github.com/neurosnap/sentences/english"

	"factdesk/internal/newsgen"
)

// benchText is the ~10 MB of generated news every benchmark of the
// package reads, so their MB/s compare.
var benchText = sync.OnceValue(func() string { return newsgen.Text(1, 10<<20) })

// sink keeps results alive so the compiler cannot drop the work.
var sink int

// BenchmarkSplit measures factdesk's segmenter.
func BenchmarkSplit(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		sink = len(Split(text))
	}
	b.ReportMetric(float64(len(Split(text))), "sentences/op")
}

// BenchmarkNeurosnap measures github.com/neurosnap/sentences, English Punkt,
// the best-known Go segmenter, on the same text.
func BenchmarkNeurosnap(b *testing.B) {
	text := benchText()
	tok, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		b.Fatalf("load neurosnap English model: %v", err)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		sink = len(tok.Tokenize(text))
	}
}

// BenchmarkFloor is the floor no segmenter can beat: one pass of
// bytes.IndexByte over the same text, for a byte it does not hold.
func BenchmarkFloor(b *testing.B) {
	text := []byte(benchText())
	if bytes.IndexByte(text, 0) >= 0 {
		b.Fatalf("the text holds a NUL byte")
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		sink = bytes.IndexByte(text, 0)
	}
}
