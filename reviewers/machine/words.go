package machine

import (
	"unicode"
	"unicode/utf8"

	"factdesk/attribution"
)

// word is a word or a punctuation mark of a sentence, as the reviewer's
// rules read it.
type word struct {
	text   string
	low    string // folded
	start  int    // byte offset in the sentence
	isWord bool   // letters or digits, not punctuation
	cap    bool
	num    bool
	quoted bool // inside quotation marks
}

// splitWords splits text into words and punctuation, marking the words
// inside the quoted spans.
func splitWords(text string, quoted []attribution.Span) []word {
	ws := make([]word, 0, len(text)/5+4)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		if !isWordRune(r) {
			ws = append(ws, word{text: text[i : i+size], low: text[i : i+size], start: i, quoted: inSpans(quoted, i)})
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if isWordRune(r2) {
				j += s2
				continue
			}
			// Apostrophes, hyphens and number separators stay inside a word
			// when a letter or digit follows.
			if (r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' || r2 == ',') && j+s2 < len(text) {
				r3, _ := utf8.DecodeRuneInString(text[j+s2:])
				if isWordRune(r3) && (r2 != ',' && r2 != '.' || unicode.IsDigit(r3) && unicode.IsDigit(r)) {
					j += s2
					continue
				}
			}
			break
		}
		w := text[i:j]
		ws = append(ws, word{
			text: w, low: fold(w), start: i, isWord: true,
			cap: unicode.IsUpper(r), num: unicode.IsDigit(r), quoted: inSpans(quoted, i),
		})
		i = j
	}
	return ws
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func inSpans(spans []attribution.Span, i int) bool {
	for _, s := range spans {
		if i >= s.Start && i < s.End {
			return true
		}
	}
	return false
}
