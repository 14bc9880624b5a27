package postag

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The tagger learnt from CoreNLP's normalised forms: quotes as `` and '',
// brackets as -LRB- and -RRB-, dashes as --, curly apostrophes as
// straight ones. Words from a text are brought to those forms before
// they are tagged, so that “ and " and `` all read the same.

// fixedForms are the tokens whose form does not depend on their context.
var fixedForms = map[string]string{
	"“": "``", "„": "``", "«": "``",
	"”": "''", "»": "''",
	"‘": "`", "’": "'",
	"(": "-LRB-", ")": "-RRB-",
	"[": "-LSB-", "]": "-RSB-",
	"{": "-LCB-", "}": "-RCB-",
	"—": "--", "–": "--", "―": "--", "‒": "--",
	"…": "...",
}

// ptbForm is w in CoreNLP's form, when the form does not depend on the
// neighbours (a typewriter quote does).
func ptbForm(w string) string {
	if f, ok := fixedForms[w]; ok {
		return f
	}
	if strings.ContainsAny(w, "’‘\u00ad") {
		return apostrophes.Replace(w)
	}
	return w
}

var apostrophes = strings.NewReplacer("’", "'", "‘", "'", "\u00ad", "")

// quoteSide says on which side a typewriter quote attaches.
type quoteSide int

const (
	sideUnknown quoteSide = iota
	sideOpen              // attached to the word after it
	sideClose             // attached to the word before it
)

// ptbForms returns the CoreNLP forms of words. side, when not nil, tells
// how the i-th word attaches to its neighbours, which decides whether a
// typewriter quote opens or closes; without it quotes alternate.
func ptbForms(words []string, side func(i int) quoteSide) []string {
	forms := make([]string, len(words))
	open := false // a double quote is open
	for i, w := range words {
		switch w {
		case `"`:
			s := sideUnknown
			if side != nil {
				s = side(i)
			}
			if s == sideUnknown {
				s = sideClose
				if !open && !closesSentence(words, i) {
					s = sideOpen
				}
			}
			forms[i] = "''"
			if s == sideOpen {
				forms[i] = "``"
			}
			open = s == sideOpen
		case "'":
			s := sideUnknown
			if side != nil {
				s = side(i)
			}
			forms[i] = "'"
			if s == sideOpen || s == sideUnknown && (i == 0 || opener(forms[i-1])) {
				forms[i] = "`"
			}
		default:
			forms[i] = ptbForm(w)
			switch forms[i] {
			case "``":
				open = true
			case "''":
				open = false
			}
		}
	}
	return forms
}

// closesSentence reports whether nothing but punctuation follows words[i].
func closesSentence(words []string, i int) bool {
	for _, w := range words[i+1:] {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return false
			}
		}
	}
	return i > 0
}

// opener reports whether a form opens something a quote may follow.
func opener(f string) bool {
	switch f {
	case "``", "`", "-LRB-", "-LSB-", "-LCB-", "--", ":":
		return true
	}
	return false
}

// tokenSides tells for each token of toks how it attaches to its
// neighbours, from the spaces between them.
func tokenSides(toks []Token) func(i int) quoteSide {
	return func(i int) quoteSide {
		left := i > 0 && toks[i-1].End == toks[i].Start
		right := i+1 < len(toks) && toks[i+1].Start == toks[i].End
		switch {
		case right && !left:
			return sideOpen
		case left && !right:
			return sideClose
		}
		return sideUnknown
	}
}

// normWord is the word feature of a form, as Honnibal normalises it:
// lower case, years and numbers collapsed. Unlike his, hyphenated words
// stay themselves, which measured better on news.
func normWord(f string) string {
	switch {
	case len(f) == 4 && allDigits(f):
		return "!YEAR"
	case f != "" && f[0] >= '0' && f[0] <= '9':
		return "!DIGITS"
	}
	return strings.ToLower(f)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// suffix is the last n characters of s.
func suffix(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

// prefix is the first n characters of s.
func prefix(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// Word flags, one bit each.
const (
	flagHyphen = 1 << iota
	flagDigit
	flagUpper    // starts with a capital
	flagAllUpper // letters all capitals, at least two
	flagInitial  // first word of the sentence
	flagPeriod   // contains a period (U.S., a.m.)
)

// wordInfo appends the shape of a form to shape and returns it with the
// form's flags. The shape maps capitals to X, other letters to x, digits
// to d, keeps ASCII punctuation and cuts runs to two: "Washington" is
// "Xxx", "$3.50" is "$d.dd".
func wordInfo(f string, initial bool, shape []byte) ([]byte, int) {
	flags := 0
	if initial {
		flags |= flagInitial
	}
	upper, letters := 0, 0
	var last byte
	run := 0
	for i, r := range f {
		var c byte
		switch {
		case unicode.IsUpper(r):
			c = 'X'
			upper++
			letters++
			if i == 0 {
				flags |= flagUpper
			}
		case unicode.IsLetter(r):
			c = 'x'
			letters++
		case unicode.IsDigit(r):
			c = 'd'
			flags |= flagDigit
		case r == '-':
			c = '-'
			flags |= flagHyphen
		case r == '.':
			c = '.'
			flags |= flagPeriod
		case r < utf8.RuneSelf:
			c = byte(r)
		default:
			c = '?'
		}
		if c == last {
			run++
		} else {
			run = 1
			last = c
		}
		if run <= 2 {
			shape = append(shape, c)
		}
	}
	if letters >= 2 && upper == letters {
		flags |= flagAllUpper
	}
	return shape, flags
}
