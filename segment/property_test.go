package segment

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// checkInvariants fails the test when sentences, as returned by
// Split(text), break a promise of Split.
func checkInvariants(t testing.TB, text string, sentences []Sentence) {
	t.Helper()
	starts := make([]bool, len(text)+1) // code point boundaries, as a range loop sees them
	for i := range text {
		starts[i] = true
	}
	starts[len(text)] = true
	single := lineParagraphs(text)
	prevStart, prevEnd, prevPara := 0, 0, 0
	for i, s := range sentences {
		if s.Index != i {
			t.Fatalf("sentence %d: got index %d", i, s.Index)
		}
		if s.Start < prevEnd || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("sentence %d: got [%d,%d) after end %d of %d bytes", i, s.Start, s.End, prevEnd, len(text))
		}
		if !starts[s.Start] || !starts[s.End] {
			t.Fatalf("sentence %d: got [%d,%d), not on code point boundaries", i, s.Start, s.End)
		}
		if s.Text != text[s.Start:s.End] {
			t.Fatalf("sentence %d: got text %q, want text[%d:%d] = %q", i, s.Text, s.Start, s.End, text[s.Start:s.End])
		}
		if !s.Quote.Valid() {
			t.Fatalf("sentence %d: got quote %q", i, s.Quote)
		}
		first, _ := utf8.DecodeRuneInString(s.Text)
		last, _ := utf8.DecodeLastRuneInString(s.Text)
		if isSpace(first) || isSpace(last) {
			t.Fatalf("sentence %d: got %q, not trimmed", i, s.Text)
		}
		if breaks(s.Text) || single && lineEndsParagraph(s.Text) {
			t.Fatalf("sentence %d: got %q, crossing a paragraph break (single-line paragraphs %v)", i, s.Text, single)
		}
		gap := text[prevEnd:s.Start]
		if i == 0 {
			if s.Paragraph != 0 {
				t.Fatalf("sentence 0: got paragraph %d, want 0", s.Paragraph)
			}
		} else {
			// A blank line always separates paragraphs. Under the
			// single-line convention so does a line break after a final
			// mark before a line that does not start in lower case, and
			// other line breaks may.
			want, may := prevPara, prevPara
			switch {
			case breaks(gap):
				want, may = prevPara+1, prevPara+1
			case single && lineEndsParagraph(text[prevStart:s.End]):
				want, may = prevPara+1, prevPara+1
			case single && strings.ContainsAny(gap, "\r\n"):
				may = prevPara + 1
			}
			if s.Paragraph < want || s.Paragraph > may {
				t.Fatalf("sentence %d: got paragraph %d, want %d to %d (gap %q, single-line paragraphs %v)",
					i, s.Paragraph, want, may, gap, single)
			}
		}
		if k := nonSpace(gap); k >= 0 {
			t.Fatalf("sentence %d: got %q left out before it (at %d)", i, gap, prevEnd+k)
		}
		prevStart, prevEnd, prevPara = s.Start, s.End, s.Paragraph
	}
	if k := nonSpace(text[prevEnd:]); k >= 0 {
		t.Fatalf("got %q left out at the end (at %d)", text[prevEnd:], prevEnd+k)
	}
}

// nonSpace returns the offset of the first non-space code point of s, or -1.
func nonSpace(s string) int {
	for i, r := range s {
		if !isSpace(r) {
			return i
		}
	}
	return -1
}

// breaks reports whether s holds a paragraph break: a line holding only
// white space, lines ending in \r\n, \r or \n. Written apart from the
// splitter, as the definition reads.
func breaks(s string) bool {
	lineBreaks := 0 // line breaks since the last non-space character
	prev := rune(0)
	for _, r := range s {
		switch {
		case r == '\n' && prev == '\r':
			// the \n of \r\n: the same line break
		case r == '\n' || r == '\r':
			lineBreaks++
			if lineBreaks == 2 {
				return true
			}
		case !isSpace(r):
			lineBreaks = 0
		}
		prev = r
	}
	return false
}

// lineEndsParagraph reports whether s holds a line break that the
// single-line paragraph convention must read as a paragraph break: one line
// break between a line that ends on a final mark (perhaps followed by
// closing marks) and one whose text does not start, after any punctuation,
// in lower case. Written apart from the splitter, as the definition reads.
func lineEndsParagraph(s string) bool {
	rs := []rune(s)
	lineBreak := func(r rune) bool { return r == '\n' || r == '\r' }
	for k := 0; k < len(rs); k++ {
		if !lineBreak(rs[k]) {
			continue
		}
		b := k - 1
		for b >= 0 && isSpace(rs[b]) && !lineBreak(rs[b]) {
			b--
		}
		e := k + 1
		if rs[k] == '\r' && e < len(rs) && rs[e] == '\n' {
			e++
		}
		for e < len(rs) && isSpace(rs[e]) && !lineBreak(rs[e]) {
			e++
		}
		if b < 0 || e >= len(rs) || lineBreak(rs[b]) || lineBreak(rs[e]) {
			continue // a blank line, or no text on one side
		}
		for b >= 0 && strings.ContainsRune(")]}\"'”’»›", rs[b]) {
			b--
		}
		if b < 0 || !strings.ContainsRune(".?!…", rs[b]) {
			continue
		}
		for e < len(rs) && (unicode.IsPunct(rs[e]) || unicode.IsSymbol(rs[e])) {
			e++
		}
		if e >= len(rs) || !unicode.IsLower(rs[e]) {
			return true
		}
	}
	return false
}

// pieces are the fragments random texts are made of: words, marks,
// abbreviations, quotes, brackets, list markers, odd spaces and bytes.
var pieces = []string{
	"the", "The", "Putin", "said", "U.S.", "Mr.", "Dr.", "a.m.", "p.m.", "Inc.", "etc.", "e.g.",
	"J.", "I", "3.5", "1,000", "$4.2bn", "10.5%", "2.0.1", "example.com", "a@b.co", "http://x.y/z",
	".", ".", ".", "?", "!", "...", "..", "…", ". . .", "?!", ",", ";", ":", "—", "–", "-",
	"“", "”", "‘", "’", "\"", "'", "«", "»", "(", ")", "[", "]", "{", "}",
	" ", " ", " ", " ", "\n", "\n\n", "\r\n", "\r", "\r\n\r\n", "\t", "\u00a0", "\u200b", "\ufeff",
	"\u2028", "\u2029", "\u0085", "\v", "\f", "\x00", "\x1b",
	"\xff", "\xe2\x80", "\xc2", "\x80", "\xf0\x9f\x98", "😀", "é", "Ä",
	"1.", "2)", "(a)", "a.", "b.", "•", "⁃", "- ", "* ",
	"By Jane Doe", "MOSCOW (Reuters) -", "Photo: AP", "REUTERS/Kevin Lamarque",
}

// randomText builds a text of n pieces.
func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
		if r.IntN(3) > 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func TestInvariantsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		text := randomText(r, 1+r.IntN(60))
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("case %d: Split(%q) panicked: %v", i, text, p)
				}
			}()
			checkInvariants(t, text, Split(text))
		}()
	}
}

// hugeInputs are texts that break naive segmenters: huge lines, many blank
// lines, deep nesting, long runs of one mark. Each is built at a size.
var hugeInputs = []struct {
	name string
	make func(n int) string
}{
	{"single line of words", func(n int) string { return strings.Repeat("word ", n/5) }},
	{"single line without spaces", func(n int) string { return strings.Repeat("x", n) }},
	{"sentences", func(n int) string { return strings.Repeat("It rose. ", n/9) }},
	{"periods", func(n int) string { return strings.Repeat(".", n) }},
	{"spaced periods", func(n int) string { return strings.Repeat(". ", n/2) }},
	{"glued sentences", func(n int) string { return strings.Repeat("a.Bc", n/4) }},
	{"dotted token", func(n int) string { return strings.Repeat("a.b", n/3) + ". Next." }},
	{"blank lines", func(n int) string { return "A.\n" + strings.Repeat("\n", n) + "B." }},
	{"blank lines with spaces", func(n int) string { return strings.Repeat(" \u00a0\r\n", n/5) + "B." }},
	{"lines", func(n int) string { return strings.Repeat("short line\n", n/11) }},
	{"old Mac lines", func(n int) string { return strings.Repeat("short line\r", n/11) }},
	{"lines then a carriage return", func(n int) string { return strings.Repeat("a line.\n", n/8) + "\r" }},
	{"list lines", func(n int) string { return strings.Repeat("- item\n", n/7) }},
	{"hard-wrapped lines", func(n int) string { return strings.Repeat("the words of a long sentence go on and\n", n/39) }},
	{"nested quotes", func(n int) string { return strings.Repeat("“", n/3) + "x." + strings.Repeat("”", n/3) }},
	{"nested brackets", func(n int) string { return "x. " + strings.Repeat("(", n/2) + strings.Repeat(")", n/2) }},
	{"straight quotes", func(n int) string { return strings.Repeat("\"'", n/2) }},
	{"bullets", func(n int) string { return strings.Repeat("• ", n/4) }},
	{"list markers", func(n int) string { return strings.Repeat("1. ", n/3) }},
	{"abbreviations", func(n int) string { return strings.Repeat("Mr. U.S. ", n/9) }},
	{"questions in quotes", func(n int) string { return strings.Repeat("“Why?” Smith asked. ", n/22) }},
	{"long word before period", func(n int) string { return strings.Repeat("x", n) + ". The end." }},
	{"openers after period", func(n int) string { return "End. " + strings.Repeat("“(", n/4) + "The" }},
	{"invalid bytes", func(n int) string { return strings.Repeat("\xff\xe2\x80. ", n/6) }},
	{"NULs", func(n int) string { return strings.Repeat("a\x00.\x00", n/4) }},
}

// TestHugeInputs runs each pathological input at 5 MB, checks the
// invariants, and checks that the time grows linearly: splitting 5 MB may
// not take more than 50 times as long as 0.5 MB of the same (a quadratic
// algorithm takes 100 times as long, a linear one 10; the slack is for a
// busy machine).
func TestHugeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("huge inputs take a few seconds")
	}
	const big = 5 << 20
	for _, h := range hugeInputs {
		t.Run(strings.ReplaceAll(h.name, " ", "_"), func(t *testing.T) {
			small, large := h.make(big/10), h.make(big)
			smallTime := timeSplit(small, 3)
			start := time.Now()
			got := Split(large)
			largeTime := time.Since(start)
			checkInvariants(t, large, got)
			if largeTime > 50*smallTime && largeTime > 50*time.Millisecond {
				t.Errorf("got %v for 5 MB, %v for 0.5 MB: not linear", largeTime, smallTime)
			}
		})
	}
}

// timeSplit returns the least time of runs of Split(text).
func timeSplit(text string, runs int) time.Duration {
	best := time.Duration(1 << 62)
	for range runs {
		start := time.Now()
		Split(text)
		best = min(best, time.Since(start))
	}
	return best
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"", "Hello World. My name is Jonas.", "\n755 US diplomats ousted\n\nRussia said. “We waited. But. Over.”",
		"I live in the U.S. How about you?", "At 5 a.m. Mr. Smith went to the bank. He left at 6 P.M. Mr. Smith then left.",
		"a. The first item b. The second item", "• 9. The first item • 10. The second item",
		"features\ncontact manager\nevents, activities\n", "The country is..\r\n\r\nNext.",
		"\xff\xfe\x00. \xe2\x80\x9c\xe2\x80", "“Why?” she asked. “Because.”", "MOSCOW (Reuters) - Putin said.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sentences := Split(text)
		checkInvariants(t, text, sentences)
		o := NewOffsets(text)
		for _, s := range sentences {
			r := o.Record(s)
			if o.Byte(r.Start) != s.Start || o.Byte(r.End) != s.End {
				t.Fatalf("sentence %d: bytes [%d,%d) became code points [%d,%d), back to [%d,%d)",
					s.Index, s.Start, s.End, r.Start, r.End, o.Byte(r.Start), o.Byte(r.End))
			}
			if got := utf8.RuneCountInString(s.Text); got != r.End-r.Start {
				t.Fatalf("sentence %d: %d code points, offsets [%d,%d)", s.Index, got, r.Start, r.End)
			}
		}
	})
}
