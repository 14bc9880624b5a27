// Package search turns texts and search queries into the words factdesk's
// full-text index holds, the same way for both databases.
//
// The words are computed in Go, not by the databases' own parsers, so that
// PostgreSQL (a tsvector built from the words, GIN-indexed) and SQLite
// (FTS5 over the words with its "ascii" tokenizer, which splits on ASCII
// spaces and punctuation only) see exactly the same tokens: the same data
// gives the same result set on both. A word is a run of letters and
// digits after folding: compatibility forms decomposed (ﬁ → fi, ² → 2,
// full-width letters → ASCII), accents and other non-spacing marks
// dropped (é → e, ё → е), a few letters without a decomposition spelled
// out (ß → ss, ł → l, ø → o), everything lower-cased. Every other
// character, apostrophes and hyphens included, separates words, so that
// "Clinton's" is found by "Clinton" and "COVID-19" is the two words
// "covid 19" (a query for it is the phrase). Common English words and
// single letters are not indexed and are dropped from queries.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxWordBytes is the longest word indexed; longer runs (encoded blobs,
// long digit strings) are skipped on both sides.
const MaxWordBytes = 64

// MaxWords is the most words of one text that are indexed: PostgreSQL
// keeps positions up to 16383, and beyond it phrases would match
// differently on the two databases.
const MaxWords = 16000

// stopWords are the English words too common to find anything by.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be been but by for from had has have he her his i if in into
		is it its me my not of on or our she so than that the their them then there these they this those to was we
		were what when which who will with you your`) {
		stopWords[w] = true
	}
}

// IsStopWord reports whether w (already folded) is left out of the index.
func IsStopWord(w string) bool {
	if len(w) == 1 && w[0] >= 'a' && w[0] <= 'z' {
		return true
	}
	return stopWords[w]
}

// special spells out letters that have no decomposition.
var special = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// token is one word of a text: its folded form and where it is.
type token struct {
	word       string
	start, end int // byte offsets into the text
}

// scan calls f for every word of text, stop words included, in order.
func scan(text string, f func(t token)) {
	var (
		word  []byte
		start = -1
		buf   []byte
	)
	flush := func(end int) {
		if start >= 0 && len(word) > 0 {
			f(token{word: string(word), start: start, end: end})
		}
		word, start = word[:0], -1
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r < utf8.RuneSelf {
			switch {
			case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
				word = append(word, byte(r))
			case 'A' <= r && r <= 'Z':
				word = append(word, byte(r+'a'-'A'))
			default:
				flush(i)
				i += size
				continue
			}
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		folded, inWord := fold(r, buf[:0])
		buf = folded
		switch {
		case !inWord:
			flush(i)
		case len(folded) > 0:
			if start < 0 {
				start = i
			}
			word = append(word, folded...)
		}
		i += size
	}
	flush(len(text))
}

// fold returns the folded form of a non-ASCII rune appended to buf, and
// whether the rune belongs to a word (letters, digits and marks do; a
// non-spacing mark folds to nothing).
func fold(r rune, buf []byte) ([]byte, bool) {
	if s, ok := special[r]; ok {
		return append(buf, s...), true
	}
	if unicode.Is(unicode.Mn, r) {
		return buf, true
	}
	var tmp [utf8.UTFMax]byte
	n := utf8.EncodeRune(tmp[:], r)
	d := norm.NFKD.Append(nil, tmp[:n]...)
	inWord := false
	for j := 0; j < len(d); {
		c, size := utf8.DecodeRune(d[j:])
		j += size
		switch {
		case unicode.Is(unicode.Mn, c):
		case unicode.IsLetter(c) || unicode.IsNumber(c) || unicode.IsMark(c):
			if s, ok := special[c]; ok {
				buf = append(buf, s...)
			} else {
				buf = utf8.AppendRune(buf, unicode.ToLower(c))
			}
			inWord = true
		default:
			// A compatibility form that decomposes into a separator
			// (a ligature of punctuation, a spacing accent): not a word.
			return buf[:0], false
		}
	}
	return buf, inWord
}

// Words returns the words of text that the index holds, in order: folded,
// without stop words and words longer than MaxWordBytes, at most MaxWords.
func Words(text string) []string {
	var out []string
	scan(text, func(t token) {
		if len(out) < MaxWords && len(t.word) <= MaxWordBytes && !IsStopWord(t.word) {
			out = append(out, t.word)
		}
	})
	return out
}

// Document is the indexed form of texts that are searched together (a
// source's title, publisher and address): their words joined by spaces,
// the text SQLite's FTS5 table holds.
func Document(texts ...string) string {
	var words []string
	for _, t := range texts {
		words = append(words, Words(t)...)
	}
	if len(words) > MaxWords {
		words = words[:MaxWords]
	}
	return strings.Join(words, " ")
}

// Vector returns the PostgreSQL tsvector literal of a document made by
// Document: every word with its positions (1-based, as FTS5 counts them),
// at most 256 of them, PostgreSQL's limit per word.
func Vector(doc string) string {
	if doc == "" {
		return ""
	}
	words := strings.Fields(doc)
	pos := make(map[string][]int, len(words))
	order := make([]string, 0, len(words))
	for i, w := range words {
		p, seen := pos[w]
		if !seen {
			order = append(order, w)
		}
		if len(p) < 256 {
			pos[w] = append(p, i+1)
		}
	}
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i, w := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		b.WriteString(w)
		b.WriteString("':")
		for j, p := range pos[w] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(itoa(p))
		}
	}
	return b.String()
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(buf[i:])
}
