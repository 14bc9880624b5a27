package segment

import (
	"encoding/json"
	"os"
	"testing"

	"factdesk/internal/shared"
)

// goldSentence is one sentence of the seed article's reference reading.
type goldSentence struct {
	N         int    `json:"n"`
	Paragraph int    `json:"paragraph"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`
}

// TestSeedArticle checks the seed article against its reference reading:
// the same 30 sentences, paragraphs, code point offsets, and the quotation
// context of the quotes in it.
func TestSeedArticle(t *testing.T) {
	text, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatalf("read seed article: %v", err)
	}
	data, err := os.ReadFile(shared.Path(t, "data", "seed-article.gold.json"))
	if err != nil {
		t.Fatalf("read gold: %v", err)
	}
	var gold struct {
		Sentences []goldSentence `json:"sentences"`
	}
	if err := json.Unmarshal(data, &gold); err != nil {
		t.Fatalf("decode gold: %v", err)
	}
	// Quotation contexts a careful reader gives the sentences: 7 and 18
	// hold a whole quotation ("influence campaign", "retaliate"), 23-25 are
	// one quotation of three sentences.
	quotes := map[int]Quote{7: QuoteWhole, 18: QuoteWhole, 23: QuoteOpen, 24: QuoteInside, 25: QuoteClose}

	got := Split(string(text))
	if len(got) != len(gold.Sentences) {
		for _, s := range got {
			t.Logf("%d %q", s.Index, s.Text)
		}
		t.Fatalf("got %d sentences, want %d", len(got), len(gold.Sentences))
	}
	o := NewOffsets(string(text))
	for i, g := range gold.Sentences {
		r := o.Record(got[i])
		wantQuote := QuoteNone
		if q, ok := quotes[g.N]; ok {
			wantQuote = q
		}
		if r.Index+1 != g.N || r.Paragraph != g.Paragraph || r.Start != g.Start || r.End != g.End ||
			r.Text != g.Text || r.Quote != wantQuote {
			t.Errorf("sentence %d:\n got: %d para %d [%d,%d) %s %q\nwant: %d para %d [%d,%d) %s %q",
				g.N, r.Index+1, r.Paragraph, r.Start, r.End, r.Quote, r.Text,
				g.N, g.Paragraph, g.Start, g.End, wantQuote, g.Text)
		}
	}
}
