package similar

import "testing"

// The signature benchmarks run over the example article's sentences and
// report the cost per sentence; BenchmarkWords, the normalisation and
// splitting every measure starts with, is the baseline in the same run.

func benchSentences(b *testing.B) []string {
	b.Helper()
	var out []string
	for _, s := range seedSentences(b) {
		if Eligible(s) {
			out = append(out, s)
		}
	}
	return out
}

func BenchmarkWords(b *testing.B) {
	ss := benchSentences(b)
	for i := 0; b.Loop(); i++ {
		Words(ss[i%len(ss)])
	}
}

func BenchmarkSign(b *testing.B) {
	ss := benchSentences(b)
	for i := 0; b.Loop(); i++ {
		Sign(ss[i%len(ss)])
	}
}

func BenchmarkSignAndBands(b *testing.B) {
	ss := benchSentences(b)
	for i := 0; b.Loop(); i++ {
		Bands(Sign(ss[i%len(ss)]))
	}
}

func BenchmarkTrigramSimilarity(b *testing.B) {
	ss := benchSentences(b)
	for i := 0; b.Loop(); i++ {
		TrigramSimilarity(ss[i%len(ss)], ss[(i+1)%len(ss)])
	}
}

func BenchmarkSignatureSimilarity(b *testing.B) {
	ss := benchSentences(b)
	sigs := make([]Signature, len(ss))
	for i, s := range ss {
		sigs[i] = Sign(s)
	}
	for i := 0; b.Loop(); i++ {
		sigs[i%len(sigs)].Similarity(sigs[(i+1)%len(sigs)])
	}
}
