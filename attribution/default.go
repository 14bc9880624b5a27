package attribution

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"sync"

	"factdesk/learn"
	"factdesk/postag"
	"factdesk/segment"
)

// The reader's weights, written by "make train" (internal/train) from
// the PolNeAR training articles; never edit them by hand.
var (
	//go:embed reader.bin
	readerFile []byte
	//go:embed calibration.bin
	calibrationFile []byte
)

// defaultReader is the reader of the embedded weights, decoded on first
// use and never changed.
var defaultReader = sync.OnceValue(func() *Reader {
	return NewReader(learn.MustDecode(readerFile), postag.Default().TagTokens, learn.MustDecode(calibrationFile))
})

// Default returns the learned reader of the embedded weights.
func Default() *Reader { return defaultReader() }

// ReaderVersion identifies the embedded weights and word lists, so that
// whoever stores a reading can tell what produced it.
func ReaderVersion() string {
	h := sha256.New()
	h.Write(readerFile)
	h.Write(calibrationFile)
	h.Write([]byte(wordsTxt))
	return hex.EncodeToString(h.Sum(nil)[:4])
}

// Read is the learned reader's reading of an article: one attribution
// per sentence, with spans and confidence. sentences are an article's
// sentences in order, as segment.Split returns them. Extract is the
// rule-based reading it builds on.
func Read(sentences []segment.Sentence) []Attribution {
	return Default().Read(sentences)
}

// ReadExcluding is Read for an article some of whose sentences are
// excluded from review (see ExtractExcluding): the reader reads the
// article without them, so an excluded sentence gets no attribution, lends
// none, and a continuation after it continues the last sentence before it.
func ReadExcluding(sentences []segment.Sentence, excluded []Exclusion) []Attribution {
	if len(excluded) == 0 {
		return Read(sentences)
	}
	skip, _ := excludedAt(sentences, excluded)
	var kept []int
	for i := range sentences {
		if !skip[i] {
			kept = append(kept, i)
		}
	}
	out := make([]Attribution, len(sentences))
	for i := range out {
		out[i] = Attribution{From: -1}
	}
	for k, a := range Read(subset(sentences, kept)) {
		out[kept[k]] = a
	}
	// What the rules make of the sentences around an excluded one (a
	// continuation after a duplicate continues the kept copy's claim)
	// stands where the reader found nothing or no speaker.
	for i, rule := range ExtractExcluding(sentences, excluded) {
		switch {
		case rule.IsZero():
		case out[i].IsZero():
			out[i] = rule
		case (out[i].Speaker == "" || lex.pronoun[fold(out[i].Speaker)]) && rule.Speaker != "" && !lex.pronoun[fold(rule.Speaker)]:
			out[i].Speaker, out[i].CarriedOver, out[i].From = rule.Speaker, rule.CarriedOver, rule.From
			if out[i].Kind() == KindNone {
				out[i].Cue = rule.Cue
			}
		}
	}
	return out
}
