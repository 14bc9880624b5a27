package postag

import (
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string // want: the tokens joined by spaces
	}{
		{"contractions", "She didn't say it; they're sure we'll win.",
			"She did n't say it ; they 're sure we 'll win ."},
		{"curly contractions", "We can’t, and I’m sure he’d agree.",
			"We ca n’t , and I ’m sure he ’d agree ."},
		{"cannot and gonna", "I cannot say we're gonna win.",
			"I can not say we 're gon na win ."},
		{"possessives", "The senators' votes and Trump's plan.",
			"The senators ' votes and Trump 's plan ."},
		{"abbreviations", "Mr. Smith met Sen. Jones in Washington, D.C., at 3 p.m. on Jan. 5.",
			"Mr. Smith met Sen. Jones in Washington , D.C. , at 3 p.m. on Jan. 5 ."},
		{"initials", "J. K. Rowling and George W. Bush spoke.",
			"J. K. Rowling and George W. Bush spoke ."},
		{"number sign and no.", "He is No. 1 in the poll and #2 in #Iowa. The answer was no.",
			"He is No. 1 in the poll and # 2 in #Iowa . The answer was no ."},
		{"an address ends a sentence", "Write to desk@example.com.",
			"Write to desk@example.com ."},
		{"typewriter quotes", `"It's over," he said.`,
			`" It 's over , " he said .`},
		{"TeX quotes", "``It is,'' she said.",
			"`` It is , '' she said ."},
		{"curly quotes", "“We won,” she wrote of the ‘quiet’ vote.",
			"“ We won , ” she wrote of the ‘ quiet ’ vote ."},
		{"decades", "the '90s and the ’80s",
			"the '90s and the ’80s"},
		{"dashes", "The plan—if it passes—would cost more -- much more.",
			"The plan — if it passes — would cost more -- much more ."},
		{"money and percent", "Taxes rose 5% to $3.2 billion (or £2 billion).",
			"Taxes rose 5 % to $ 3.2 billion ( or £ 2 billion ) ."},
		{"ellipses", "Wait…what... now...",
			"Wait … what ... now ..."},
		{"exclamations", "Wow!!! Really?!",
			"Wow !!! Really ?!"},
		{"hyphens", "A well-known candi- date won 52-48.",
			"A well-known candi - date won 52-48 ."},
		{"brackets", "[Updated] The vote (in March) passed.",
			"[ Updated ] The vote ( in March ) passed ."},
		{"spaces", "  one\ttwo\n\nthree\u00a0four ",
			"one two three four"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			toks := Tokenize(tc.text)
			words := make([]string, len(toks))
			for i, tok := range toks {
				words[i] = tok.Text
				if got := tc.text[tok.Start:tok.End]; got != tok.Text {
					t.Errorf("token %d: text[%d:%d] is %q, want %q", i, tok.Start, tok.End, got, tok.Text)
				}
				if i > 0 && tok.Start < toks[i-1].End {
					t.Errorf("token %d (%q) starts at %d, before the previous ends at %d", i, tok.Text, tok.Start, toks[i-1].End)
				}
			}
			if got := strings.Join(words, " "); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func FuzzTokenize(f *testing.F) {
	f.Add(`"It's over," Mr. O’Brien said—at 3 p.m. (EST)... #1!!!`)
	f.Add("can’t ‘90s $5 5% D.C., ``x''")
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, tok := range Tokenize(text) {
			if tok.Start < end || tok.End <= tok.Start || tok.End > len(text) {
				t.Fatalf("token %q at [%d,%d) after %d in %q", tok.Text, tok.Start, tok.End, end, text)
			}
			if text[tok.Start:tok.End] != tok.Text {
				t.Fatalf("token %q is not text[%d:%d] of %q", tok.Text, tok.Start, tok.End, text)
			}
			end = tok.End
		}
	})
}
