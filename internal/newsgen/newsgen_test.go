package newsgen

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextDeterministic(t *testing.T) {
	a, b := Text(7, 50_000), Text(7, 50_000)
	if a != b {
		t.Fatalf("Text(7, 50000) differs between two calls")
	}
	if c := Text(8, 50_000); c == a {
		t.Errorf("Text(8, 50000) equals Text(7, 50000)")
	}
}

func TestTextSize(t *testing.T) {
	for _, size := range []int{1, 1000, 100_000, 1 << 20} {
		got := Text(1, size)
		if len(got) < size || len(got) > size+20_000 {
			t.Errorf("Text(1, %d): got %d bytes", size, len(got))
		}
		if !utf8.ValidString(got) {
			t.Errorf("Text(1, %d): invalid UTF-8", size)
		}
	}
}

// TestTextLooksLikeNews checks that the generated text holds what the
// benchmarks rely on: quotations, numbers, abbreviations and paragraphs.
func TestTextLooksLikeNews(t *testing.T) {
	text := Text(3, 200_000)
	for _, want := range []string{"“", "”", " said", "According to", "U.S.", "Sen.", "Dr.", "a.m.", "—", "%", "$", "\n\n", "(Reuters)"} {
		if !strings.Contains(text, want) {
			t.Errorf("Text(3, 200000) holds no %q", want)
		}
	}
	for _, re := range []string{`\d,\d{3}\b`, `\d\.\d%`, `\$\d+\.\dbn`} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("Text(3, 200000) matches no %s", re)
		}
	}
}

func TestArticle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := NewStory(r, 25)
	if got := len(s.Sentences()) - 1; got < 25 {
		t.Errorf("NewStory(r, 25): got %d sentences, want at least 25", got)
	}
	for _, p := range s.Paragraphs {
		for _, sent := range p {
			if sent != strings.TrimSpace(sent) || sent == "" {
				t.Errorf("sentence %q is empty or not trimmed", sent)
			}
		}
	}
	r1, r2 := rand.New(rand.NewPCG(5, 5)), rand.New(rand.NewPCG(5, 5))
	t1, b1 := Article(r1, 10)
	t2, b2 := Article(r2, 10)
	if t1 != t2 || b1 != b2 {
		t.Errorf("Article with equal seeds differs")
	}
	if strings.Contains(t1, ".") || strings.Contains(t1, "\n") {
		t.Errorf("Article title %q: want one line without a period", t1)
	}
}
