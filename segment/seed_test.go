package segment

import (
	"encoding/json"
	"os"
	"strings"
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

// Quotation contexts a careful reader gives the seed article's sentences,
// by number: 7 and 18 hold a whole quotation ("influence campaign",
// "retaliate"), 23-25 are one quotation of three sentences.
var seedQuotes = map[int]Quote{7: QuoteWhole, 18: QuoteWhole, 23: QuoteOpen, 24: QuoteInside, 25: QuoteClose}

// readSeed returns the seed article and its reference reading.
func readSeed(t *testing.T) (string, []goldSentence) {
	t.Helper()
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
	return string(text), gold.Sentences
}

// TestSeedArticle checks the seed article against its reference reading:
// the same 30 sentences, paragraphs, code point offsets, and the quotation
// context of the quotes in it.
func TestSeedArticle(t *testing.T) {
	text, gold := readSeed(t)
	got := Split(text)
	if len(got) != len(gold) {
		for _, s := range got {
			t.Logf("%d %q", s.Index, s.Text)
		}
		t.Fatalf("got %d sentences, want %d", len(got), len(gold))
	}
	o := NewOffsets(text)
	for i, g := range gold {
		r := o.Record(got[i])
		wantQuote := QuoteNone
		if q, ok := seedQuotes[g.N]; ok {
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

// TestSeedArticlePasted reads the seed article as it comes when pasted
// from a page that drops the blank lines: every paragraph on a line of its
// own. It must give the reference reading's sentences, paragraphs and
// quotation contexts all the same.
func TestSeedArticlePasted(t *testing.T) {
	text, gold := readSeed(t)
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	kept := lines[:0]
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l)
		}
	}
	for _, end := range []string{"\n", "\r\n"} {
		pasted := strings.Join(kept, end)
		got := Split(pasted)
		checkInvariants(t, pasted, got)
		if len(got) != len(gold) {
			t.Fatalf("line ends %q: got %d sentences, want %d", end, len(got), len(gold))
		}
		for i, g := range gold {
			want := QuoteNone
			if q, ok := seedQuotes[g.N]; ok {
				want = q
			}
			if s := got[i]; s.Text != g.Text || s.Paragraph != g.Paragraph || s.Quote != want {
				t.Errorf("line ends %q, sentence %d:\n got: para %d %s %q\nwant: para %d %s %q",
					end, g.N, s.Paragraph, s.Quote, s.Text, g.Paragraph, want, g.Text)
			}
		}
	}
}
