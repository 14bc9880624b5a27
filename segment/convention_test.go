package segment

import (
	"fmt"
	"strings"
	"testing"
)

// paraCase is a text, the convention it should be read with, and its
// sentences, each written "paragraph|text".
type paraCase struct {
	name   string
	in     string
	single bool // single line breaks separate paragraphs
	want   []string
}

func runParaCases(t *testing.T, cases []paraCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			if got := lineParagraphs(c.in); got != c.single {
				t.Errorf("lineParagraphs(%q): got %v, want %v", c.in, got, c.single)
			}
			sentences := Split(c.in)
			checkInvariants(t, c.in, sentences)
			got := make([]string, len(sentences))
			for i, s := range sentences {
				got[i] = fmt.Sprintf("%d|%s", s.Paragraph, s.Text)
			}
			if g, w := strings.Join(got, "\n"), strings.Join(c.want, "\n"); g != w {
				t.Errorf("Split(%q)\n got: %q\nwant: %q", c.in, got, c.want)
			}
		})
	}
}

// pastedArticle puts each paragraph on a line of its own, with the
// headline and byline on lines of theirs, as text copied from a web page
// often comes.
const pastedArticle = "Harbor bridge to close for repairs\n" +
	"By Ana Ruiz\n" +
	"PORTVILLE — The Harbor Street bridge will close for six weeks from Monday, the city said on Thursday. Drivers will be sent through the tunnel.\n" +
	"Engineers found cracks in two steel beams during a routine check in May. “We cannot wait for them to grow,” said Tom Becker, the city engineer.\n" +
	"The repairs will cost $3.1 million. The state will pay half.\n" +
	"Some shop owners said they had not been told. “Nobody asked us,” one said.\n"

var pastedWant = []string{
	"0|Harbor bridge to close for repairs",
	"1|By Ana Ruiz",
	"2|PORTVILLE — The Harbor Street bridge will close for six weeks from Monday, the city said on Thursday.",
	"2|Drivers will be sent through the tunnel.",
	"3|Engineers found cracks in two steel beams during a routine check in May.",
	"3|“We cannot wait for them to grow,” said Tom Becker, the city engineer.",
	"4|The repairs will cost $3.1 million.",
	"4|The state will pay half.",
	"5|Some shop owners said they had not been told.",
	"5|“Nobody asked us,” one said.",
}

// TestParagraphConvention checks the paragraph convention Split reads a
// text with: blank lines, or single line breaks where the text puts each
// paragraph on a line of its own.
func TestParagraphConvention(t *testing.T) {
	runParaCases(t, []paraCase{
		{"pasted article", pastedArticle, true, pastedWant},
		{"pasted article with Windows line ends", strings.ReplaceAll(pastedArticle, "\n", "\r\n"), true, pastedWant},
		{"pasted article with old Mac line ends", strings.ReplaceAll(pastedArticle, "\n", "\r"), true, pastedWant},
		{"pasted article with a blank line after the headline",
			strings.Replace(pastedArticle, "repairs\n", "repairs\n\n", 1), true, pastedWant},
		{"hard-wrapped article without blank lines",
			"The Harbor Street bridge will close for six weeks from Monday, the city\n" +
				"said on Thursday. Drivers will be sent through the tunnel, which will\n" +
				"stay open at night. Engineers found cracks in two of the steel beams\n" +
				"during a routine check in May. The repairs will cost $3.1 million.\n",
			false, []string{
				"0|The Harbor Street bridge will close for six weeks from Monday, the city\nsaid on Thursday.",
				"0|Drivers will be sent through the tunnel, which will\nstay open at night.",
				"0|Engineers found cracks in two of the steel beams\nduring a routine check in May.",
				"0|The repairs will cost $3.1 million.",
			}},
		{"hard-wrapped article with blank lines and a line ending a sentence",
			"The Harbor Street bridge will close for six weeks from Monday, the city\n" +
				"said on Thursday. Drivers will be sent through the tunnel.\n" +
				"Engineers found cracks in two of the steel beams during a check in\n" +
				"May.\n" +
				"\n" +
				"The repairs will cost $3.1 million, and the state will pay half of\n" +
				"it. Shop owners said they had not been told.\n",
			false, []string{
				"0|The Harbor Street bridge will close for six weeks from Monday, the city\nsaid on Thursday.",
				"0|Drivers will be sent through the tunnel.",
				"0|Engineers found cracks in two of the steel beams during a check in\nMay.",
				"1|The repairs will cost $3.1 million, and the state will pay half of\nit.",
				"1|Shop owners said they had not been told.",
			}},
		{"headline and byline lines before blank-line paragraphs",
			"Harbor bridge to close for repairs\nBy Ana Ruiz\n\n" +
				"The bridge will close on Monday. Drivers will use the tunnel.\n\n" +
				"The repairs will cost $3.1 million.\n\nThe state will pay half.",
			false, []string{
				"0|Harbor bridge to close for repairs",
				"0|By Ana Ruiz",
				"1|The bridge will close on Monday.",
				"1|Drivers will use the tunnel.",
				"2|The repairs will cost $3.1 million.",
				"3|The state will pay half.",
			}},
		{"blank-line paragraphs of a sentence a line",
			"The bridge will close.\nDrivers will use the tunnel.\n\n" +
				"The repairs will cost $3.1 million.\nThe state will pay half.\n\n" +
				"Shop owners were not told.\nThey were angry.",
			false, []string{
				"0|The bridge will close.",
				"0|Drivers will use the tunnel.",
				"1|The repairs will cost $3.1 million.",
				"1|The state will pay half.",
				"2|Shop owners were not told.",
				"2|They were angry.",
			}},
		{"a wrapped line in a pasted article",
			"The bridge will close on Monday.\n" +
				"Engineers found cracks in two of the steel beams during a routine\n" +
				"check in May, the city said.\n" +
				"The state will pay half.\n" +
				"Shop owners were not told.\n",
			true, []string{
				"0|The bridge will close on Monday.",
				"1|Engineers found cracks in two of the steel beams during a routine\ncheck in May, the city said.",
				"2|The state will pay half.",
				"3|Shop owners were not told.",
			}},
		{"a line ending on a comma in a pasted article",
			"The bridge will close on Monday.\nDrivers, cyclists and buses,\nTaxis included, will use the tunnel.\nThe state will pay half.\nShop owners were not told.",
			true, []string{
				"0|The bridge will close on Monday.",
				"1|Drivers, cyclists and buses,\nTaxis included, will use the tunnel.",
				"2|The state will pay half.",
				"3|Shop owners were not told.",
			}},
		{"headline, byline, credit and dateline lines",
			"Bridge to close\nBy Ana Ruiz and Li Wei\nPhoto: Reuters\nPORTVILLE (Reuters) -\nThe bridge will close on Monday. Drivers will use the tunnel.\nThe state will pay half.",
			true, []string{
				"0|Bridge to close",
				"1|By Ana Ruiz and Li Wei",
				"2|Photo: Reuters",
				"3|PORTVILLE (Reuters) -", // the dash carries the line on
				"3|The bridge will close on Monday.",
				"3|Drivers will use the tunnel.",
				"4|The state will pay half.",
			}},
		{"one line break after a sentence",
			"Why?\nBecause it matters.", false, []string{"0|Why?", "0|Because it matters."}},
		{"list lines without final marks",
			"Key points:\n- Sanctions on energy\n- Travel bans\n- Asset freezes", false,
			[]string{"0|Key points:", "0|- Sanctions on energy", "0|- Travel bans", "0|- Asset freezes"}},
	})
}

// TestLineParagraphsRule checks the thresholds of the convention: at least
// two single line breaks that end paragraphs, three times as many as the
// wraps, more than twice as many as the blank-line breaks.
func TestLineParagraphsRule(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want bool
	}{
		{"no line break", "One. Two. Three.", false},
		{"one paragraph end", "One.\nTwo.", false},
		{"two paragraph ends", "One.\nTwo.\nThree.", true},
		{"trailing line breaks do not count", "One.\nTwo.\n\n\n", false},
		{"three ends to one wrap", "One.\nTwo.\nThree.\nFour is\nnot done.", true},
		{"two ends to one wrap", "One.\nTwo.\nThree is\nnot done.", false},
		{"a line ending on a comma is a wrap", "One.\nTwo.\nThree,\nFour.\nFive,\nSix.", false},
		{"a headline line tells nothing", "Bridge to close\nOne.\nTwo.\nThree.", true},
		{"a byline ends a paragraph", "By Ana Ruiz\nOne.\nTwo.", true},
		{"a colon tells nothing", "He said:\nOne.\nTwo.", false},
		{"ends after a final mark and a closing quote", "“One.”\n“Two.”\nThree.", true},
		{"final mark before lower case is a wrap", "It was in the U.S.\nofficials said. One.\nTwo.\nThree.", false},
		{"three ends to one blank line", "Bridge to close\n\nOne.\nTwo.\nThree.\nFour.", true},
		{"two ends to one blank line", "Bridge to close\n\nOne.\nTwo.\nThree.", false},
		{"blank lines that hold white space count", "One.\nTwo.\n \u00a0\t\nThree.\nFour.", false},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			if got := lineParagraphs(c.in); got != c.want {
				t.Errorf("lineParagraphs(%q): got %v, want %v", c.in, got, c.want)
			}
			checkInvariants(t, c.in, Split(c.in))
		})
	}
}
