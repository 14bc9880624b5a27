package attribution

import (
	"unicode"
	"unicode/utf8"

	"factdesk/segment"
)

// token is a word, a number or one punctuation mark of a sentence.
type token struct {
	text   string // as written
	low    string // folded (lower case, straight apostrophes)
	start  int    // byte offset in the sentence
	end    int
	word   bool // letters or digits
	cap    bool // a word starting with an upper-case letter
	num    bool // a word starting with a digit
	quoted bool // inside a quotation (words only)
	qmark  bool // a quotation mark
}

// Span is a byte range [Start, End) of a sentence.
type Span struct{ Start, End int }

// tokenize splits a sentence into tokens and marks the words inside quoted spans.
func tokenize(text string, quoted []Span) []token {
	toks := make([]token, 0, len(text)/5+4)
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isWordRune(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) {
					j += s2
					continue
				}
				// Joiners stay inside a word when a letter or digit follows:
				// Russia's, rate-setting, U.S, 1,000, 3.1.
				if isJoiner(r2) && j+s2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+s2:])
					if isWordRune(r3) && (r2 != ',' || unicode.IsDigit(r3) && unicode.IsDigit(r)) {
						j += s2
						continue
					}
				}
				if r2 == '%' && unicode.IsDigit(r) {
					j += s2
				}
				break
			}
			w := text[i:j]
			first, _ := utf8.DecodeRuneInString(w)
			toks = append(toks, token{
				text: w, low: fold(w), start: i, end: j, word: true,
				cap: unicode.IsUpper(first), num: unicode.IsDigit(first),
				quoted: inSpans(quoted, i),
			})
			i = j
		default:
			toks = append(toks, token{text: text[i : i+size], low: text[i : i+size], start: i, end: i + size, qmark: isQuoteMark(r)})
			i += size
		}
	}
	return toks
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func isJoiner(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || r == '.' || r == ',' || r == '‑'
}

func isQuoteMark(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '‘', '’':
		return true
	}
	return false
}

func inSpans(spans []Span, i int) bool {
	for _, s := range spans {
		if i >= s.Start && i < s.End {
			return true
		}
	}
	return false
}

// QuotedSpans returns the byte ranges of text that lie inside quotation
// marks, marks included, and whether a quotation is still open at the end.
// inside says that a quotation opened in an earlier sentence is still open
// at the start of this one. A closing mark with no opening mark before it
// also means the sentence started inside a quotation, so a segmenter that
// did not track quotations across sentences still gets the closing
// sentence right. Double marks (“ ” " „ « ») pair with each other; single
// marks (‘ ’) only when an opening ‘ stands before a word, because ’ is
// mostly an apostrophe.
func QuotedSpans(text string, inside bool) (spans []Span, open bool) {
	spans, open, _ = quotedSpans(text, inside)
	return spans, open
}

// QuoteContext places a sentence in a direct quotation by its marks alone:
// inside says a quotation opened in an earlier sentence is still open at
// its start. It returns the context (none, whole, open, inside or close),
// the quoted spans as QuotedSpans does, and whether a quotation is still
// open at the end, to pass as inside for the next sentence of the
// paragraph. A sentence inside a quotation with no marks of its own is
// one span covering the whole sentence.
func QuoteContext(text string, inside bool) (ctx segment.Quote, spans []Span, open bool) {
	spans, open, unopened := quotedSpans(text, inside)
	switch {
	case inside && open:
		ctx = segment.QuoteInside
	case inside || unopened:
		ctx = segment.QuoteClose
	case open:
		ctx = segment.QuoteOpen
	case len(spans) > 0:
		ctx = segment.QuoteWhole
	default:
		ctx = segment.QuoteNone
	}
	if ctx == segment.QuoteInside && len(spans) == 0 {
		spans = []Span{{0, len(text)}}
	}
	return ctx, spans, open
}

// quotedSpans is QuotedSpans that also reports whether a closing mark came
// with no opening mark before it (the sentence started inside a quotation).
func quotedSpans(text string, inside bool) (spans []Span, open, unopened bool) {
	start := 0
	single := false // the open quotation was opened by a single mark
	seenOpen := inside
	prev := ' '
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next := ' '
		if i+size < len(text) {
			next, _ = utf8.DecodeRuneInString(text[i+size:])
		}
		switch r {
		case '“', '„', '«':
			if !inside {
				inside, single, start, seenOpen = true, false, i, true
			}
		case '”', '»':
			if inside && !single {
				spans = append(spans, Span{start, i + size})
				inside = false
			} else if !seenOpen {
				spans = append(spans, Span{0, i + size})
				seenOpen, unopened = true, true
			}
		case '"':
			opening := isOpenContext(prev) && !unicode.IsSpace(next)
			switch {
			case inside && !single:
				spans = append(spans, Span{start, i + 1})
				inside = false
			case !inside && opening:
				inside, single, start, seenOpen = true, false, i, true
			case !inside && !seenOpen:
				spans = append(spans, Span{0, i + 1})
				seenOpen, unopened = true, true
			}
		case '‘':
			if !inside && isOpenContext(prev) && isWordRune(next) {
				inside, single, start, seenOpen = true, true, i, true
			}
		case '’':
			if inside && single && !isWordRune(next) {
				spans = append(spans, Span{start, i + size})
				inside = false
			}
		}
		prev = r
		i += size
	}
	if inside {
		spans = append(spans, Span{start, len(text)})
	}
	return spans, inside, unopened
}

// isOpenContext reports whether a quotation mark after r opens a quotation.
func isOpenContext(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == '[' || r == '—' || r == '–' || r == ':' || r == '-'
}

// QuotedShare is the part of text, counted in letters and digits, that lies
// inside spans: 0 for none, 1 when every word is quoted.
func QuotedShare(text string, spans []Span) float64 {
	total, in := 0, 0
	for i, r := range text {
		if !isWordRune(r) {
			continue
		}
		total++
		if inSpans(spans, i) {
			in++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(in) / float64(total)
}
