// Package postag tags English words with their Penn Treebank part of
// speech (NN, VBD, NNP, …), and owns the tokenizer the machine reader's
// models share. The tagger is an averaged perceptron trained on the
// CoreNLP annotation of a public news corpus; its weights are embedded.
package postag

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word, number or punctuation mark of a text, as the Penn
// Treebank splits them: "don't" is "do" + "n't", "Trump's" is "Trump" +
// "'s", "$34" is "$" + "34", "cannot" is "can" + "not"; abbreviations
// keep their periods ("U.S.", "Mr.").
type Token struct {
	Text       string
	Start, End int // byte offsets in the text
}

// abbreviations keep their final period; so do letters with inner
// periods ("U.S.", "a.m."), without being listed.
var abbreviations = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`mr mrs ms messrs dr sen sens rep reps gov govs gen lt col sgt
		capt cmdr adm jr sr st inc co corp ltd bros vs v etc jan feb mar apr aug sept sep oct nov dec
		prof rev hon pres ft mt ave blvd dept univ est approx fig vol ala ariz ark calif colo conn
		del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev okla ore pa penn tenn
		tex va vt wash wis wisc wyo`) {
		abbreviations[a] = true
	}
}

// Tokenize splits text into tokens, as Stanford CoreNLP does in the main:
// on the tagger's training corpus 99.8% of the tokens of each are tokens
// of the other. Sentence-final abbreviations differ: CoreNLP gives the
// period of "in the U.S." a token of its own, Tokenize does not.
func Tokenize(text string) []Token {
	toks := make([]Token, 0, len(text)/5+4)
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, s := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += s
		}
		toks = splitChunk(toks, text, i, j, nextWord(text[j:]))
		i = j
	}
	return toks
}

// after is what follows a run of text without spaces.
type after struct {
	digit bool // the next word starts with a digit
}

func nextWord(rest string) after {
	word := strings.TrimLeftFunc(rest, unicode.IsSpace)
	return after{digit: word != "" && word[0] >= '0' && word[0] <= '9'}
}

// splitChunk splits a run of text without spaces, [start, end), into
// tokens; next, what follows it, decides some final periods: "No. 1"
// keeps its period, "No." alone does not.
func splitChunk(toks []Token, text string, start, end int, next after) []Token {
	// Leading punctuation: quotes, brackets, currency, dashes.
	for start < end {
		n := leadingMark(text[start:end])
		if n == 0 {
			break
		}
		toks = append(toks, Token{text[start : start+n], start, start + n})
		start += n
	}
	var tail []Token
	wordEnd := end
	for start < end {
		chunk := text[start:end]
		if end != wordEnd {
			next = after{}
		}
		n := trailingMark(chunk, next)
		if n == 0 {
			if n = contraction(chunk); n >= len(chunk) {
				n = 0
			}
		}
		if n == 0 {
			break
		}
		tail = append(tail, Token{text[end-n : end], end - n, end})
		end -= n
	}
	if start < end {
		toks = splitInner(toks, text, start, end)
	}
	for k := len(tail) - 1; k >= 0; k-- {
		toks = append(toks, tail[k])
	}
	return toks
}

// splitInner splits a word at inner dashes ("—", "--") and ellipses
// ("…", "..."); hyphens, slashes, apostrophes and periods inside a word
// stay.
func splitInner(toks []Token, text string, start, end int) []Token {
	from := start
	for k := start; k < end; {
		r, s := utf8.DecodeRuneInString(text[k:])
		n := 0
		switch {
		case r == '—' || r == '…' || r == '–' && k > start && k+s < end:
			n = s
		case strings.HasPrefix(text[k:end], "--"), strings.HasPrefix(text[k:end], "..."):
			n = 2
			for k+n < end && text[k+n] == text[k] {
				n++
			}
		}
		if n == 0 {
			k += s
			continue
		}
		if from < k {
			toks = append(toks, Token{text[from:k], from, k})
		}
		toks = append(toks, Token{text[k : k+n], k, k + n})
		k += n
		from = k
	}
	if from < end {
		toks = append(toks, Token{text[from:end], from, end})
	}
	return toks
}

// leadingMark is the length of a punctuation mark that starts s and is a
// token of its own, or 0.
func leadingMark(s string) int {
	for _, m := range []string{"``", "''", "--", "..."} {
		if strings.HasPrefix(s, m) && len(s) > len(m) {
			return len(m)
		}
	}
	r, size := utf8.DecodeRuneInString(s)
	if size == len(s) {
		return 0
	}
	next, _ := utf8.DecodeRuneInString(s[size:])
	switch r {
	case '\'', '’', '‘':
		if r != '‘' && unicode.IsDigit(next) {
			return 0 // '90s
		}
		return size
	case '#':
		if !unicode.IsDigit(next) {
			return 0 // a hashtag
		}
		return size
	case '-':
		if !unicode.IsLetter(next) {
			return 0 // -3.1
		}
		return size
	case '"', '“', '«', '„', '(', '[', '{', '$', '£', '€', '—', '–', '…', '*', '¿', '¡':
		return size
	}
	return 0
}

// trailingMark is the length of a punctuation mark that ends s and is a
// token of its own, or 0. A period stays on an abbreviation or an
// initial, and on "No." before a number.
func trailingMark(s string, next after) int {
	for _, m := range []string{"...", "''", "--"} {
		if strings.HasSuffix(s, m) && len(s) > len(m) {
			return len(m)
		}
	}
	r, size := utf8.DecodeLastRuneInString(s)
	if size == len(s) {
		return 0
	}
	switch r {
	case '.':
		if abbreviated(s[:len(s)-1], next) {
			return 0
		}
		return 1
	case '!', '?':
		// "!!!" and "?!" are one token.
		n := 0
		for n < len(s)-1 && (s[len(s)-1-n] == '!' || s[len(s)-1-n] == '?') {
			n++
		}
		return n
	case '-':
		// A word broken at the end of a line: "candi- dates".
		if prev, _ := utf8.DecodeLastRuneInString(s[:len(s)-1]); unicode.IsLetter(prev) {
			return 1
		}
		return 0
	case ',', ';', ':', '"', '”', '’', '»', ')', ']', '}', '%', '…', '—', '–', '*', '\'':
		return size
	}
	return 0
}

// abbreviated reports whether a word followed by a period is an
// abbreviation that keeps the period: a known one ("Sen.", "Calif."), an
// initial ("J."), letters with inner periods ("U.S.", "a.m.", but not
// "example.com.") or "No." before a number.
func abbreviated(word string, next after) bool {
	// Only short words are looked up, so that a long run of punctuation
	// does not cost time quadratic in its length.
	if len(word) <= 8 {
		low := strings.ToLower(word)
		switch {
		case abbreviations[low]:
			return true
		case low == "no" || low == "nos":
			return next.digit
		case utf8.RuneCountInString(word) == 1:
			return unicode.IsUpper(firstRune(word))
		}
	}
	i := strings.LastIndexByte(word, '.')
	if i < 0 {
		return false
	}
	last := word[i+1:]
	if len(last) > 2 {
		return false
	}
	for _, r := range last {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// contraction is the length of a clitic ending s ("n't", "'s", "’ll"),
// or 0. "cannot", "gonna", "gotta" and "wanna" split as CoreNLP splits
// them: "can" "not", "gon" "na".
func contraction(s string) int {
	if len(s) <= 6 {
		switch strings.ToLower(s) {
		case "cannot":
			return 3
		case "gonna", "wanna", "gotta":
			return 2
		}
	}
	// The longest clitic is 5 bytes; a rune cut in two before it only
	// turns into U+FFFD.
	low := strings.ToLower(s[max(0, len(s)-5):])
	for _, c := range []string{"n't", "n’t"} {
		if strings.HasSuffix(low, c) {
			return len(c)
		}
	}
	for _, c := range []string{"'s", "'re", "'ve", "'ll", "'d", "'m", "’s", "’re", "’ve", "’ll", "’d", "’m"} {
		if strings.HasSuffix(low, c) {
			return len(c)
		}
	}
	return 0
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
