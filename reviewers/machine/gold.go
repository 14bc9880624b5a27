package machine

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"unicode/utf8"

	"factdesk/codebook"
	"factdesk/segment"
)

// Gold is a reference reading of an article: its sentences with the label
// a careful checker gives each, in the shape of
// ../shared/data/seed-article.gold.json.
type Gold struct {
	About string `json:"about,omitempty"`
	// Article names the article's text file, relative to the gold file.
	Article string `json:"article,omitempty"`
	// Text is the article's text, embedded, or read from Article by LoadGold.
	Text      string            `json:"text,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	Sentences []GoldSentence    `json:"sentences"`
	// Path is the file the gold was loaded from, for reports.
	Path string `json:"-"`
}

// GoldSentence is one sentence of a Gold. Start and End are Unicode code
// point offsets into the text, start inclusive, end exclusive.
type GoldSentence struct {
	N              int              `json:"n"` // 1-based
	Paragraph      int              `json:"paragraph"`
	Start          int              `json:"start"`
	End            int              `json:"end"`
	Text           string           `json:"text"`
	Label          codebook.Label   `json:"label"`
	AlsoAcceptable []codebook.Label `json:"also_acceptable,omitempty"`
	// Exclude, when set, says why the sentence is not scored ("truncated",
	// "duplicate").
	Exclude string `json:"exclude,omitempty"`
	Note    string `json:"note,omitempty"`
}

// Acceptable reports whether l is the sentence's label or one of its
// also-acceptable labels.
func (s GoldSentence) Acceptable(l codebook.Label) bool {
	if l == s.Label {
		return true
	}
	for _, a := range s.AlsoAcceptable {
		if a == l {
			return true
		}
	}
	return false
}

// LoadGold reads a gold file and the article it names, and checks that
// every label is in the codebook and every sentence's offsets select its
// text.
func LoadGold(path string) (Gold, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Gold{}, fmt.Errorf("load gold: %w", err)
	}
	var g Gold
	if err := json.Unmarshal(b, &g); err != nil {
		return Gold{}, fmt.Errorf("load gold %s: %w", path, err)
	}
	g.Path = path
	if g.Text == "" {
		if g.Article == "" {
			return Gold{}, fmt.Errorf("load gold %s: neither text nor article is set", path)
		}
		t, err := os.ReadFile(filepath.Join(filepath.Dir(path), filepath.FromSlash(g.Article)))
		if err != nil {
			return Gold{}, fmt.Errorf("load gold %s: article: %w", path, err)
		}
		g.Text = string(t)
	}
	if err := g.check(); err != nil {
		return Gold{}, fmt.Errorf("load gold %s: %w", path, err)
	}
	return g, nil
}

// check validates labels and offsets.
func (g Gold) check() error {
	if !utf8.ValidString(g.Text) {
		return fmt.Errorf("article text is not valid UTF-8")
	}
	if len(g.Sentences) == 0 {
		return fmt.Errorf("no sentences")
	}
	off := segment.NewOffsets(g.Text)
	for _, s := range g.Sentences {
		if !s.Label.Valid() {
			return fmt.Errorf("sentence n=%d: unknown label %q", s.N, s.Label)
		}
		for _, a := range s.AlsoAcceptable {
			if !a.Valid() {
				return fmt.Errorf("sentence n=%d: unknown also_acceptable label %q", s.N, a)
			}
		}
		if s.Start < 0 || s.End < s.Start || s.End > off.Len() {
			return fmt.Errorf("sentence n=%d: offsets [%d,%d) outside the text's %d code points", s.N, s.Start, s.End, off.Len())
		}
		if got := g.Text[off.Byte(s.Start):off.Byte(s.End)]; s.Text != "" && got != s.Text {
			return fmt.Errorf("sentence n=%d: offsets [%d,%d) select %q, not %q", s.N, s.Start, s.End, got, s.Text)
		}
	}
	return nil
}

// Segments returns the gold's own sentences as a segmentation of its text,
// so that labels can be scored apart from segmentation errors. Quote is
// left to the reviewer to read from the marks (QuoteNone).
func (g Gold) Segments() []segment.Sentence {
	off := segment.NewOffsets(g.Text)
	out := make([]segment.Sentence, 0, len(g.Sentences))
	for i, s := range g.Sentences {
		if s.Start < 0 || s.End > off.Len() || s.End < s.Start {
			continue
		}
		start, end := off.Byte(s.Start), off.Byte(s.End)
		out = append(out, segment.Sentence{
			Paragraph: s.Paragraph, Index: i, Start: start, End: end,
			Text: g.Text[start:end], Quote: segment.QuoteNone,
		})
	}
	return out
}
