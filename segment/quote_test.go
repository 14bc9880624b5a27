package segment

import (
	"strings"
	"testing"
)

// quoteCase is a text and the place of each of its sentences in
// quotations.
type quoteCase struct {
	name string
	in   string
	want []Quote
}

func runQuoteCases(t *testing.T, cases []quoteCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			got := Split(c.in)
			checkInvariants(t, c.in, got)
			if len(got) != len(c.want) {
				t.Fatalf("Split(%q): got %q, want %d sentences", c.in, texts(got), len(c.want))
			}
			for i, w := range c.want {
				if got[i].Quote != w {
					t.Errorf("sentence %d %q: got quote %s, want %s", i, got[i].Text, got[i].Quote, w)
				}
			}
		})
	}
}

// TestQuoteTypewriter checks the typewriter double marks of wire copy and
// the Penn Treebank: two backticks open a quotation, two apostrophes open
// or close one.
func TestQuoteTypewriter(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"backticks and apostrophes", "``We will win,'' he said. The crowd cheered.", []Quote{QuoteWhole, QuoteNone}},
		{"three sentences", "``We waited. It will not be soon. We will respond,'' Putin said. He left.",
			[]Quote{QuoteOpen, QuoteInside, QuoteClose, QuoteNone}},
		{"closing after the final mark", "He said: ``We will win.'' ``We will.'' Then he left.",
			[]Quote{QuoteWhole, QuoteWhole, QuoteNone}},
		{"apostrophes on both sides", "He called it ''absurd'' twice. It was not.", []Quote{QuoteWhole, QuoteNone}},
		{"apostrophes with spaces around, as tokenized", "`` We will win , '' he said . She left .", []Quote{QuoteWhole, QuoteNone}},
		{"a backtick and an apostrophe inside", "``He told me `never again.' I believed him,'' she said. We left.",
			[]Quote{QuoteOpen, QuoteClose, QuoteNone}},
		{"a code fence is no quotation mark", "He typed ```go test``` twice. It ran.", []Quote{QuoteNone, QuoteNone}},
		{"closing mark without an opening one", "We will win.'' Then he left.", []Quote{QuoteClose, QuoteNone}},
	})
	got := Split("``We will win.'' ``Never.''")
	if want := []string{"``We will win.''", "``Never.''"}; strings.Join(texts(got), "|") != strings.Join(want, "|") {
		t.Errorf("typewriter marks around sentences: got %q, want %q", texts(got), want)
	}
}

// TestQuoteMeasures checks that feet and inches written with quotation
// marks (6'2", 5' 9", a 12" pipe) do not open or close quotations, while a
// quotation ending in a number ("Apollo 13") still closes.
func TestQuoteMeasures(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"feet and inches outside quotations", "He is 6'2\" and his brother is 5' 9\". They play.", []Quote{QuoteNone, QuoteNone}},
		{"feet and inches in a quotation", "\"He is 6'2\" tall,\" she said. He left.", []Quote{QuoteWhole, QuoteNone}},
		{"inches in a quotation closed later", "\"We need a 12\" pipe and a 6\" valve,\" he said. The crew left.", []Quote{QuoteWhole, QuoteNone}},
		{"inches in a quotation of several sentences", "\"We need a 12\" pipe. It is late,\" he said. The crew left.",
			[]Quote{QuoteOpen, QuoteClose, QuoteNone}},
		{"inches in a curly quotation", "“We need a 12\" pipe,” he said. He left.", []Quote{QuoteWhole, QuoteNone}},
		{"curly feet and inches", "“He is 6’8” tall,” she said. He is 6’8” tall.", []Quote{QuoteWhole, QuoteNone}},
		{"inches before a quotation", "He bought a 55\" TV. \"It was cheap,\" he said.", []Quote{QuoteNone, QuoteWhole}},
		{"inches glued to a letter", "\"The 12\"x18\" print sold,\" she said. It was late.", []Quote{QuoteWhole, QuoteNone}},
		{"feet in a single quotation", "'He is 5' 9\" tall,' she said. He left.", []Quote{QuoteWhole, QuoteNone}},
		{"typewriter inches", "He said: ``I am 6'2'' tall.'' Then he left.", []Quote{QuoteWhole, QuoteNone}},
		{"titles ending in a number", "I saw \"Apollo 13\" and \"Top 10\" on Friday. It was long.", []Quote{QuoteWhole, QuoteNone}},
		{"title ending in a number before a quotation", "I saw \"Apollo 13\" and he said the \"plan\" failed. It did.", []Quote{QuoteWhole, QuoteNone}},
		{"quotation ending in a year", "\"It happened in 1990\" he said. Nobody believed him.", []Quote{QuoteWhole, QuoteNone}},
	})
}

// TestQuoteParagraphs checks that quotation state never runs past a
// paragraph, whichever convention separates paragraphs, and that a
// quotation continued in the next paragraph opens again there.
func TestQuoteParagraphs(t *testing.T) {
	runQuoteCases(t, []quoteCase{
		{"unclosed quotation ends with its paragraph",
			"He said “we will win. The crowd cheered.\n\nThe end came soon.",
			[]Quote{QuoteOpen, QuoteInside, QuoteNone}},
		{"unclosed quotation ends with its line-paragraph",
			"He said: “We will fight. We will win.\nThe crowd cheered. They left.\nIt was late.",
			[]Quote{QuoteOpen, QuoteInside, QuoteNone, QuoteNone, QuoteNone}},
		{"quotation continued over blank-line paragraphs",
			"He said: “We will fight. We will win.\n\n“We will never give up. Never.”\n\nHe left.",
			[]Quote{QuoteOpen, QuoteInside, QuoteOpen, QuoteClose, QuoteNone}},
		{"quotation continued over line-paragraphs",
			"He said: “We will fight. We will win.\n“We will never give up. Never.”\nHe left.",
			[]Quote{QuoteOpen, QuoteInside, QuoteOpen, QuoteClose, QuoteNone}},
		{"straight quotation continued over line-paragraphs",
			"He said: \"We will fight. We will win.\n\"We will never give up. Never.\"\nHe left. It was late.",
			[]Quote{QuoteOpen, QuoteInside, QuoteOpen, QuoteClose, QuoteNone, QuoteNone}},
		{"typewriter quotation continued over line-paragraphs",
			"He said: ``We will fight. We will win.\n``We will never give up. Never.''\nHe left. It was late.",
			[]Quote{QuoteOpen, QuoteInside, QuoteOpen, QuoteClose, QuoteNone, QuoteNone}},
	})
	// The line-paragraph cases above must be read with single line breaks
	// as paragraph breaks, or they test nothing new.
	for _, in := range []string{
		"He said: “We will fight. We will win.\nThe crowd cheered. They left.\nIt was late.",
		"He said: “We will fight. We will win.\n“We will never give up. Never.”\nHe left.",
	} {
		if !lineParagraphs(in) {
			t.Errorf("lineParagraphs(%q): got false, want true", in)
		}
	}
}
