package ingest

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"factdesk/internal/shared"
	"factdesk/segment"
)

// sentencesOf builds the sentences of a text by hand, one slice of
// sentences per paragraph, as the segmenter would split it.
func sentencesOf(paragraphs ...[]string) []segment.Sentence {
	var out []segment.Sentence
	offset := 0
	for p, sentences := range paragraphs {
		if p > 0 {
			offset += 2 // "\n\n"
		}
		for i, s := range sentences {
			if i > 0 {
				offset++ // " "
			}
			out = append(out, segment.Sentence{
				Paragraph: p, Index: len(out), Start: offset, End: offset + len(s), Text: s, Quote: segment.QuoteNone,
			})
			offset += len(s)
		}
	}
	return out
}

func TestExclusions(t *testing.T) {
	const (
		claim   = "According to US intelligence agencies, Kremlin interfered in the 2016 presidential elections."
		country = "The country is reported to have carried out an “influence campaign” against Hillary Clinton."
	)
	tests := []struct {
		name       string
		paragraphs [][]string
		want       []Exclusion
	}{
		{
			name: "teaser then article",
			paragraphs: [][]string{
				{"755 US diplomats ousted"},
				{"Putin has announced it.", claim, "The country is.."},
				{claim, country},
			},
			want: []Exclusion{
				{Index: 3, Code: ExcludeTruncated, Of: 5, Reason: "truncated teaser: cut-off copy of sentence 6"},
				{Index: 4, Code: ExcludeDuplicate, Of: 2, Reason: "duplicate of sentence 3"},
			},
		},
		{
			name: "quote and space styles folded",
			paragraphs: [][]string{
				{`He called it an "influence  campaign" against the candidate.`},
				{"He called it an “influence campaign”\nagainst the candidate."},
			},
			want: []Exclusion{{Index: 1, Code: ExcludeDuplicate, Of: 0, Reason: "duplicate of sentence 1"}},
		},
		{
			name: "every later copy points at the first",
			paragraphs: [][]string{
				{"The sanctions target energy and banking firms."},
				{"The sanctions target energy and banking firms."},
				{"The sanctions target energy and banking firms."},
			},
			want: []Exclusion{
				{Index: 1, Code: ExcludeDuplicate, Of: 0, Reason: "duplicate of sentence 1"},
				{Index: 2, Code: ExcludeDuplicate, Of: 0, Reason: "duplicate of sentence 1"},
			},
		},
		{
			name: "short repeats kept",
			paragraphs: [][]string{
				{"Asked about the talks, the minister was silent.", "He declined."},
				{"Asked about the sanctions, the ambassador smiled.", "He declined."},
			},
			want: nil,
		},
		{
			name: "unicode ellipsis cut inside a word",
			paragraphs: [][]string{
				{"Lead sentence of the teaser.", "The bill also undercuts the pow…"},
				{"The bill also undercuts the powers of the president."},
			},
			want: []Exclusion{{Index: 1, Code: ExcludeTruncated, Of: 2, Reason: "truncated teaser: cut-off copy of sentence 3"}},
		},
		{
			name: "three-dot ellipsis",
			paragraphs: [][]string{
				{"First.", "Trump indicated that he would..."},
				{"Trump indicated that he would be signing the bill."},
			},
			want: []Exclusion{{Index: 1, Code: ExcludeTruncated, Of: 2, Reason: "truncated teaser: cut-off copy of sentence 3"}},
		},
		{
			name: "cut off without a mark at a paragraph's end",
			paragraphs: [][]string{
				{"Teaser lead sentence.", "The number of US diplomats will decrease to"},
				{"The number of US diplomats will decrease to 455 after September."},
			},
			want: []Exclusion{{Index: 1, Code: ExcludeTruncated, Of: 2, Reason: "truncated teaser: cut-off copy of sentence 3"}},
		},
		{
			name: "headline that starts a later sentence is kept",
			paragraphs: [][]string{
				{"Russia seizes two US properties"},
				{"Russia seizes two US properties in and near Moscow."},
			},
			want: nil,
		},
		{
			name: "complete sentence that starts a later one is kept",
			paragraphs: [][]string{
				{"Lead.", "The bill was passed."},
				{"The bill was passed by a large majority."},
			},
			want: nil,
		},
		{
			name: "trailing off that no later sentence continues",
			paragraphs: [][]string{
				{"“We waited for quite a long time...”", "Nothing changed..."},
				{"Then relations deteriorated."},
			},
			want: nil,
		},
		{
			name: "only later sentences are continued",
			paragraphs: [][]string{
				{"The country is reported to have acted."},
				{"Lead of the second paragraph.", "The country is.."},
			},
			want: nil,
		},
		{
			name: "ellipsis with too little left",
			paragraphs: [][]string{
				{"Lead.", "He said..."},
				{"He said the talks had failed."},
			},
			want: nil,
		},
		{
			name: "cut without a mark must end at a word",
			paragraphs: [][]string{
				{"Lead sentence.", "The ministry said the ambassador"},
				{"The ministry said the ambassadors would leave."},
			},
			want: nil,
		},
		{
			name: "teaser of a repeated sentence points at the kept copy",
			paragraphs: [][]string{
				{"The sanctions target energy and banking firms."},
				{"Lead.", "The sanctions target energy.."},
				{"The sanctions target energy and banking firms."},
			},
			want: []Exclusion{
				{Index: 2, Code: ExcludeTruncated, Of: 0, Reason: "truncated teaser: cut-off copy of sentence 1"},
				{Index: 3, Code: ExcludeDuplicate, Of: 0, Reason: "duplicate of sentence 1"},
			},
		},
		{
			name:       "empty",
			paragraphs: nil,
			want:       nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Exclusions(sentencesOf(tt.paragraphs...))
			if !equalExclusions(got, tt.want) {
				t.Errorf("Exclusions =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func equalExclusions(a, b []Exclusion) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// goldSentence is a sentence of seed-article.gold.json.
type goldSentence struct {
	N         int    `json:"n"`
	Paragraph int    `json:"paragraph"`
	Start     int    `json:"start"` // code points
	End       int    `json:"end"`
	Text      string `json:"text"`
	Exclude   string `json:"exclude"`
}

// loadGold reads the example article and its reference reading, and returns
// the reference sentences with byte offsets, as segment gives them.
func loadGold(t *testing.T) (string, []goldSentence, []segment.Sentence) {
	t.Helper()
	text, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(shared.Path(t, "data", "seed-article.gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gold struct {
		Sentences []goldSentence `json:"sentences"`
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatalf("parse gold file: %v", err)
	}
	byteAt := make([]int, 0, len(text)+1) // code point offset → byte offset
	for i := range string(text) {
		byteAt = append(byteAt, i)
	}
	byteAt = append(byteAt, len(text))
	var sentences []segment.Sentence
	for i, g := range gold.Sentences {
		s := segment.Sentence{Paragraph: g.Paragraph, Index: i, Start: byteAt[g.Start], End: byteAt[g.End], Quote: segment.QuoteNone}
		s.Text = string(text[s.Start:s.End])
		if s.Text != g.Text {
			t.Fatalf("gold sentence %d: text at its offsets is %q, want %q", g.N, s.Text, g.Text)
		}
		sentences = append(sentences, s)
	}
	return string(text), gold.Sentences, sentences
}

// wantGoldExclusions checks got against the "exclude" marks of the gold file.
func wantGoldExclusions(t *testing.T, gold []goldSentence, got []Exclusion) {
	t.Helper()
	var want []string
	for _, g := range gold {
		if g.Exclude != "" {
			want = append(want, g.Exclude+" n="+strconv.Itoa(g.N))
		}
	}
	var have []string
	for _, e := range got {
		have = append(have, string(e.Code)+" n="+strconv.Itoa(e.Index+1))
	}
	if strings.Join(have, ", ") != strings.Join(want, ", ") {
		t.Errorf("exclusions = %v, want %v (%+v)", have, want, got)
	}
}

func TestExclusionsSeedGold(t *testing.T) {
	_, gold, sentences := loadGold(t)
	got := Exclusions(sentences)
	wantGoldExclusions(t, gold, got)
	wantReasons := map[int]string{
		5: "truncated teaser: cut-off copy of sentence 7",
		6: "duplicate of sentence 4",
	}
	for _, e := range got {
		if r := wantReasons[e.Index+1]; e.Reason != r {
			t.Errorf("sentence %d reason = %q, want %q", e.Index+1, e.Reason, r)
		}
	}
}

// TestSeedArticleImport runs the import path on the example article: the
// text converted, split by the segmenter, and the teaser's cut-off sentence
// and the repeated sentence excluded, as in the reference reading.
func TestSeedArticleImport(t *testing.T) {
	text, gold, _ := loadGold(t)
	doc, err := Convert(FormatText, []byte(text), Limits{})
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	if doc.Body != text {
		t.Fatal("Body differs from the imported text")
	}
	if got, want := doc.Title, "755 US diplomats ousted"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	sentences := segment.Split(doc.Body)
	if err := (Limits{}).CheckSentences(len(sentences)); err != nil {
		t.Fatal(err)
	}
	if len(sentences) != len(gold) {
		t.Fatalf("segment.Split gives %d sentences, want %d", len(sentences), len(gold))
	}
	if got := sentences[0].Text; got != doc.Title {
		t.Errorf("sentence 1 = %q, want the title %q", got, doc.Title)
	}
	got := Exclusions(sentences)
	wantGoldExclusions(t, gold, got)
	for _, e := range got {
		if e.Code == ExcludeDuplicate && e.Of != 3 || e.Code == ExcludeTruncated && e.Of != 6 {
			t.Errorf("exclusion %+v: want the duplicate of sentence 4 and the truncation of sentence 7", e)
		}
	}
}

func TestNormalizeSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Plain text.", "plain text."},
		{"  Runs \t of\r\n space\u00a0here ", "runs of space here"},
		{"“Curly” and ‘single’ «guillemets»", `"curly" and 'single' "guillemets"`},
		{"en – em — minus −", "en - em - minus -"},
		{"zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"},
		{"ÉTÉ À Paris", "été à paris"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normalizeSentence(tt.in); got != tt.want {
				t.Errorf("normalizeSentence(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
