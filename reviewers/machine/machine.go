// Package machine is factdesk's machine reviewer: for every sentence of an
// article it suggests one of the codebook's labels with a confidence, the
// reasons as short phrases a checker can read, and the attribution it
// relied on. Suggestions save checkers time on the obvious sentences and
// flag the hard ones; they never replace a checker's label.
//
// Reviewer is the interface every machine reviewer implements, so that a
// statistical model or a call to a newsroom's own model server can be
// added beside the rule-based Rules without touching the workflow. The
// package knows nothing of storage or HTTP.
package machine

import (
	"context"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/segment"
)

// Sentence is what a reviewer sees of one sentence: its place in the
// article, its text, its place in a direct quotation and its attribution.
type Sentence struct {
	Index     int `json:"index"`     // 0-based index in the article
	Paragraph int `json:"paragraph"` // 0-based paragraph index
	// Start is the byte offset of the sentence in the article's body,
	// where the attribution's spans count from.
	Start       int                     `json:"start"`
	Text        string                  `json:"text"`
	Quote       segment.Quote           `json:"quote"`
	Attribution attribution.Attribution `json:"attribution"`
}

// Suggestion is a reviewer's label for one sentence.
type Suggestion struct {
	Label codebook.Label `json:"label"`
	// Confidence is in [0,1]: how likely the label is right, higher when
	// several cues agree.
	Confidence float64 `json:"confidence"`
	// Reasons are short phrases a checker reads: "inside a direct
	// quotation", "attributed: according to US intelligence agencies".
	Reasons []string `json:"reasons"`
	// Attribution is the attribution the suggestion relied on (zero with
	// From -1 when none).
	Attribution attribution.Attribution `json:"attribution"`
}

// Reviewer suggests a label for every sentence of an article.
type Reviewer interface {
	// Name identifies the reviewer in stored suggestions ("rules").
	Name() string
	// Version changes whenever the reviewer's behaviour may change, so a
	// stored suggestion says what produced it.
	Version() string
	// Suggest returns one suggestion per input sentence, in the same order.
	// sentences are an article's sentences in order, so that a reviewer can
	// read a sentence's neighbours.
	Suggest(ctx context.Context, sentences []Sentence) ([]Suggestion, error)
}

// SentencesFrom turns the segmenter's sentences of text into a reviewer's
// input, with the attributions attribution.Extract finds. text is the text
// that was split; segs are its sentences as segment.Split returns them.
func SentencesFrom(text string, segs []segment.Sentence) []Sentence {
	return SentencesRead(attribution.Extract, text, segs)
}

// SentencesRead is SentencesFrom with the attributions read: by
// attribution.Read, the learned reader, or attribution.Extract, the rules.
func SentencesRead(read Reading, text string, segs []segment.Sentence) []Sentence {
	attrs := read(segs)
	out := make([]Sentence, len(segs))
	for i, s := range segs {
		t := s.Text
		if t == "" && s.Start >= 0 && s.End <= len(text) && s.Start <= s.End {
			t = text[s.Start:s.End]
		}
		out[i] = Sentence{Index: s.Index, Paragraph: s.Paragraph, Start: s.Start, Text: t, Quote: s.Quote, Attribution: attrs[i]}
	}
	return out
}
