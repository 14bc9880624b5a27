package attribution

import (
	"testing"

	"factdesk/segment"
)

func TestQuoteContext(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		inside    bool
		want      segment.Quote
		wantOpen  bool
		wantShare float64 // checked to two decimals when > 0
	}{
		{"no marks", "The bill targets energy.", false, segment.QuoteNone, false, 0},
		{"whole quotation", "“We will win,” she said.", false, segment.QuoteWhole, false, 0},
		{"scare quotes", "He called it a “farce” and left.", false, segment.QuoteWhole, false, 0},
		{"opens", "“We waited for a long time.", false, segment.QuoteOpen, true, 1},
		{"inside, no marks", "It will not be soon.", true, segment.QuoteInside, true, 1},
		{"closes", "755 will have to stop.”", true, segment.QuoteClose, false, 1},
		{"closes with no opening mark seen", "Nobody listened,” she said.", false, segment.QuoteClose, false, 0},
		{"straight quotes", `"Families are struggling," she said.`, false, segment.QuoteWhole, false, 0},
		{"straight quote opens", `"But there is more to do.`, false, segment.QuoteOpen, true, 1},
		{"single quotes", "Hospital trust ‘ignored warnings’ over deaths", false, segment.QuoteWhole, false, 0},
		{"apostrophes are not quotes", "Russia’s role in the campaigners’ case", false, segment.QuoteNone, false, 0},
		{"guillemets", "«Nous resterons», a-t-il dit.", false, segment.QuoteWhole, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, spans, open := QuoteContext(tc.text, tc.inside)
			if ctx != tc.want || open != tc.wantOpen {
				t.Errorf("QuoteContext(%q, %v) = %s, open %v; want %s, open %v", tc.text, tc.inside, ctx, open, tc.want, tc.wantOpen)
			}
			if tc.wantShare > 0 {
				if got := QuotedShare(tc.text, spans); got < tc.wantShare-0.005 {
					t.Errorf("quoted share: got %.2f, want %.2f", got, tc.wantShare)
				}
			}
			for _, s := range spans {
				if s.Start < 0 || s.End > len(tc.text) || s.Start >= s.End {
					t.Errorf("span %+v outside the text of %d bytes", s, len(tc.text))
				}
			}
		})
	}
}

func TestQuotedShare(t *testing.T) {
	text := "He called it a “farce” and left."
	spans, _ := QuotedSpans(text, false)
	got := QuotedShare(text, spans)
	if got <= 0 || got >= 0.3 {
		t.Errorf("share of a scare quote: got %.2f, want a small part", got)
	}
	if got := QuotedShare("", nil); got != 0 {
		t.Errorf("share of nothing: got %.2f, want 0", got)
	}
}
