package segment

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"factdesk/internal/shared"
)

// readNewsSD returns the sentences of the NewsSD-ENG training split: news
// text cut into units by people outside the project.
func readNewsSD(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(shared.Path(t, "eval", "newssd_train.jsonl"))
	if err != nil {
		t.Fatalf("open NewsSD: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		var rec struct {
			Sentence string `json:"sentence"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("decode NewsSD line: %v", err)
		}
		out = append(out, strings.TrimSpace(rec.Sentence))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read NewsSD: %v", err)
	}
	return out
}

// plainEnd reports whether a NewsSD unit ends like a sentence: a final
// mark, perhaps followed by closing quotes and brackets, after a word.
func plainEnd(s string) bool {
	s = strings.TrimRight(s, "”’\"')")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!")
}

// plainStart reports whether a unit starts like a sentence: a capital or a
// digit, perhaps after an opening quote.
func plainStart(s string) bool {
	s = strings.TrimLeft(s, "“‘\"'(")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// TestNewsSD joins the NewsSD units of news text into paragraphs of five
// and checks two things. Every sentence Split returns lies inside one unit:
// a unit may hold several sentences, but Split may not glue the end of one
// unit to the start of the next. Units hold several sentences often enough
// that the reverse is not checked.
func TestNewsSD(t *testing.T) {
	units := readNewsSD(t)
	checked := 0
	for i := 0; i < len(units); i += 5 {
		group := units[i:min(i+5, len(units))]
		text := strings.Join(group, " ")
		got := Split(text)
		checkInvariants(t, text, got)
		// Unit k spans [ends[k-1]+1, ends[k]) of text.
		start := 0
		for k, u := range group {
			end := start + len(u)
			if k+1 < len(group) && plainEnd(u) && plainStart(group[k+1]) {
				checked++
				for _, s := range got {
					if s.Start < end && s.End > end {
						t.Errorf("sentence glues two NewsSD units:\n%q", s.Text)
					}
				}
			}
			start = end + 1
		}
	}
	if checked < 400 {
		t.Errorf("checked %d unit boundaries, want at least 400", checked)
	}
}
