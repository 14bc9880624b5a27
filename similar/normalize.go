// Package similar finds the same claim in other articles: sentences that
// say the same thing in nearly the same words.
//
// Texts are compared after Normalize (case, punctuation and quote styles
// folded, numbers kept). Two measures serve two purposes:
//
//   - MinHash over word shingles (Sign, Signature.Similarity) with
//     locality-sensitive band keys (Bands), so that a database without
//     trigram indexes (SQLite) finds candidates by exact lookup of band
//     keys in an indexed table;
//   - TrigramSimilarity, the similarity() of PostgreSQL's pg_trgm, which
//     scores and ranks the candidates the same way on both databases: in
//     SQL on PostgreSQL (where a GIN trigram index finds candidates), in Go
//     on SQLite.
//
// Jaccard gives the exact shingle overlap that a signature estimates.
// Sentences of fewer than MinWords words are not matched at all: they are
// too short for their overlap to mean the same claim.
package similar

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinWords is the fewest words a sentence needs to be matched. Shorter
// ones ("He denied it.") recur in unrelated articles by chance.
const MinWords = 6

// Normalize folds the differences that do not change what a sentence
// says: letters are lower-cased; apostrophes of any style inside a word
// are dropped ("Clinton’s" and "Clinton's" both give "clintons"); every
// other character that is not a letter, digit or combining mark, quotation
// marks and dashes included, separates words; numbers are kept whole,
// with thousands separators removed ("1,000" and "1000" give "1000") and
// decimal points kept ("2.5"); runs of white space become one space, none
// at the ends.
func Normalize(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	pendingSpace := false
	var prev rune // last rune written, 0 after a separator
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case isWordRune(r):
			if pendingSpace && b.Len() > 0 {
				b.WriteByte(' ')
			}
			pendingSpace = false
			b.WriteRune(unicode.ToLower(r))
			prev = r
			continue
		case isApostrophe(r) && isWordRune(prev) && i < len(text) && startsWord(text[i:]):
			continue // inside a word: dropped
		case (r == ',' || r == '.') && isDigit(prev) && i < len(text) && isDigitAt(text, i):
			if r == ',' && thousands(text[i:]) {
				continue // 1,000 → 1000
			}
			if r == '.' {
				b.WriteByte('.')
				continue // 2.5 stays 2.5
			}
		}
		pendingSpace = true
		prev = 0
	}
	return b.String()
}

// Words returns the words of text after Normalize.
func Words(text string) []string {
	return strings.Fields(Normalize(text))
}

// Eligible reports whether text has at least MinWords words.
func Eligible(text string) bool {
	return len(Words(text)) >= MinWords
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isDigitAt(s string, i int) bool { return i < len(s) && isDigit(rune(s[i])) }

// startsWord reports whether s begins with a letter, digit or mark.
func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

// thousands reports whether s begins with exactly three digits not followed
// by another digit: the group after a thousands separator.
func thousands(s string) bool {
	if len(s) < 3 || !isDigit(rune(s[0])) || !isDigit(rune(s[1])) || !isDigit(rune(s[2])) {
		return false
	}
	return len(s) == 3 || !isDigit(rune(s[3]))
}

// isApostrophe reports whether r is one of the apostrophe styles.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´', '′':
		return true
	}
	return false
}
