package similar

import (
	"slices"
	"unicode"
)

// TrigramSimilarity returns what PostgreSQL's pg_trgm similarity(a, b)
// returns: the number of trigrams the two texts share over the number of
// distinct trigrams of both (pg_trgm's default DIVUNION), computed in
// single precision as pg_trgm does, so that a score computed here for
// SQLite equals the one PostgreSQL computes in SQL. It is 0 when either
// text has no trigram.
func TrigramSimilarity(a, b string) float64 {
	ta, tb := trigramSet(a), trigramSet(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	shared := 0
	for i, j := 0, 0; i < len(ta) && j < len(tb); {
		switch {
		case ta[i] == tb[j]:
			shared++
			i++
			j++
		case ta[i] < tb[j]:
			i++
		default:
			j++
		}
	}
	return float64(float32(shared) / float32(len(ta)+len(tb)-shared))
}

// Trigrams returns the sorted distinct trigrams of text the way pg_trgm's
// show_trgm() finds them: the text is cut into words at every character
// that is not a letter or digit, each word is lower-cased and padded with
// two spaces before and one after, and every run of three characters of a
// padded word is a trigram ("word" gives "  w", " wo", "wor", "ord",
// "rd "). pg_trgm stores trigrams of non-ASCII characters as a hash of
// them, so its show_trgm prints those differently; the sets compare alike.
func Trigrams(text string) []string {
	set := trigramSet(text)
	out := make([]string, len(set))
	for i, t := range set {
		out[i] = string([]rune{rune(t >> 42), rune(t >> 21 & mask21), rune(t & mask21)})
	}
	slices.Sort(out)
	return out
}

const mask21 = 1<<21 - 1

// trigramSet returns the distinct trigrams of text, each packed into a
// uint64 as three 21-bit code points, sorted: the same set Trigrams
// spells out, without a string per trigram.
func trigramSet(text string) []uint64 {
	out := make([]uint64, 0, len(text)+8)
	// a, b are the two characters before the current one; a word starts
	// after two padding spaces.
	var a, b uint64
	inWord := false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if !inWord {
				a, b, inWord = ' ', ' ', true
			}
			c := uint64(unicode.ToLower(r))
			out = append(out, a<<42|b<<21|c)
			a, b = b, c
			continue
		}
		if inWord {
			out = append(out, a<<42|b<<21|' ')
			inWord = false
		}
	}
	if inWord {
		out = append(out, a<<42|b<<21|' ')
	}
	slices.Sort(out)
	return slices.Compact(out)
}
