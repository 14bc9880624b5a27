package segment

import (
	"strings"
	"unicode/utf8"
)

// Kinds of final marks.
const (
	kPeriod   = iota // .
	kEllipsis        // .. ... … and "word. . ." : ends a sentence before a capital
	kSpaced          // " . . . ", " … ", " ... " standing apart: never ends a sentence
	kStop            // .... . . . . …. : an ellipsis and a period
	kBang            // runs of ? and !
)

// terminal decides whether the final mark s[t0:t1] of the given kind ends
// the sentence, emits it if so, and returns where the scan goes on.
func (sc *scanner) terminal(t0, t1, kind int) int {
	s, be := sc.s, sc.be
	e, quoted := sc.closers(t1, true)
	if e >= be {
		return e
	}
	if r, _ := decodeAt(s, e); !isSpace(r) {
		if (kind == kPeriod || kind == kBang) && sc.glued(t0, e) {
			sc.emit(e)
			sc.begin(e)
		}
		return e
	}
	nx := skipSpace(s, e, be)
	if nx >= be {
		return nx
	}
	if sc.ends(t0, t1, nx, kind, quoted) {
		sc.emit(e)
		sc.begin(nx)
	}
	return nx
}

// attached handles "word. . . ." (s[t0:t1]): a period followed by a spaced
// ellipsis. Before a capital the sentence ends at the period and the
// ellipsis opens the next one; otherwise the whole run stays.
func (sc *scanner) attached(t0, t1 int) int {
	s, be := sc.s, sc.be
	e, _ := sc.closers(t1, false)
	if e < be {
		if r, _ := decodeAt(s, e); isSpace(r) {
			nx := skipSpace(s, e, be)
			if _, fr := sc.firstContent(nx); nx < be && isUpper(fr) {
				sc.emit(t0 + 1)
				sc.begin(t0 + 1)
				return t0 + 1
			}
		}
	}
	e, _ = sc.closers(t1, true)
	return e
}

// closers returns the end of the closing quotation marks and brackets that
// follow a final mark ending at t, and whether one was a quotation mark.
// With apply it records them in the quotation state.
func (sc *scanner) closers(t int, apply bool) (int, bool) {
	s, be := sc.s, sc.be
	quoted := false
	for t < be {
		r, n := decodeAt(s, t)
		if r == '[' {
			if k := footnote(s, t, be); k > t {
				t = k // "martyr.[1] The emperor"
				continue
			}
		}
		if !isCloser(r) {
			break
		}
		if r == '\'' && t+1 < be && s[t+1] == '\'' {
			n = 2 // the typewriter double mark ''
		}
		switch r {
		case '\'', '’', '"':
			if next := sc.runeAfter(t + n); isLetter(next) || isDigit(next) {
				return t, quoted // Jr.'s, or a mark opening the next sentence
			}
		}
		if r != ')' && r != ']' && r != '}' {
			quoted = true
			if apply {
				sc.quoteAt(t, r, n)
			}
		}
		t += n
	}
	return t, quoted
}

// footnote returns the end of a footnote reference such as "[1]" or
// "[12a]" starting at s[t], or t when there is none.
func footnote(s string, t, be int) int {
	k := t + 1
	for k < be && k-t <= 4 && (isDigit(rune(s[k])) || s[k] >= 'a' && s[k] <= 'z') {
		k++
	}
	if k == t+1 || k >= be || s[k] != ']' || !isDigit(rune(s[t+1])) {
		return t
	}
	return k + 1
}

// firstContent skips the opening marks at p and returns the position and
// the character of the first thing after them (0 at the end of the block).
func (sc *scanner) firstContent(p int) (int, rune) {
	for p < sc.be {
		r, n := decodeAt(sc.s, p)
		if !isOpener(r) {
			return p, r
		}
		p += n
	}
	return p, 0
}

// ends decides whether the final mark s[t0:t1] ends the sentence, the next
// word starting at nx.
func (sc *scanner) ends(t0, t1, nx, kind int, quoted bool) bool {
	f, fr := sc.firstContent(nx)
	switch kind {
	case kBang:
		if isLower(fr) || continues(fr) || fr == 0 {
			return false
		}
		if _, w, _ := sc.wordBefore(t0); classOf(w)&wBang != 0 && !sc.starterAt(f) {
			return false // Yahoo! Inc.
		}
		return !(quoted && sc.attribution(nx))
	case kEllipsis:
		return !sc.bracketed(t0, t1) && isUpper(fr)
	case kSpaced:
		return false
	case kStop:
		return !sc.bracketed(t0, t1) && (isUpper(fr) || isDigit(fr))
	}
	return sc.periodEnds(t0, f, fr)
}

// bracketed reports whether the ellipsis s[t0:t1] marks an omission in
// brackets: "[...]", "(…)".
func (sc *scanner) bracketed(t0, t1 int) bool {
	s := sc.s
	return t0 > sc.bs && (s[t0-1] == '[' || s[t0-1] == '(') &&
		t1 < sc.be && (s[t1] == ']' || s[t1] == ')')
}

// periodEnds decides whether the single period at s[t0] ends the sentence,
// the next word's first character fr being at f.
func (sc *scanner) periodEnds(t0, f int, fr rune) bool {
	if isLower(fr) || continues(fr) || fr == 0 {
		return false
	}
	ws, w, whole := sc.wordBefore(t0)
	if w == "" || !whole {
		return true
	}
	digit := isDigit(fr) || fr == '#'
	cls := abbrevClassOf(w)
	switch {
	case cls&wTitle != 0:
		return false
	case cls&wTime != 0 || isTimeAbbr(w):
		return sc.timeEnds(ws, f, fr)
	case cls&wNumber != 0:
		return !digit
	case cls&wGeneral != 0:
		return !digit && ws > sc.start && (sc.starterAt(f) || sc.subjectAt(f))
	}
	if len(w) <= 12 && dotted(w) {
		if w == "e.g" || w == "i.e" || w == "E.g" || w == "I.e" {
			return false // an example follows
		}
		// A dotted word that starts the sentence is a prefix: "P.S. I".
		return !digit && ws > sc.start && (sc.starterAt(f) || sc.subjectAt(f))
	}
	if len(w) == 1 && isUpper(rune(w[0])) {
		// An initial ends a sentence only before a sentence starter, but
		// "I" after a lower-case word is the pronoun: "you and I. Did".
		if w == "I" {
			if _, before, _ := sc.wordBefore(trimEnd(sc.s, max(sc.start, 0), ws)); before == "" || !isUpper(firstRune(before)) {
				return true
			}
		}
		return !digit && sc.starterAt(f)
	}
	return true
}

// wordBefore returns the word that ends at t (the characters back to white
// space or the sentence start, less opening marks and anything up to a
// hyphen, a slash or a dash), its start, and whether it was read whole (a
// token longer than 64 bytes is not).
func (sc *scanner) wordBefore(t int) (int, string, bool) {
	s := sc.s
	lim := sc.start
	if lim < 0 {
		lim = sc.bs
	}
	hard := lim // where the word may start for sure
	if t-64 > lim {
		lim = t - 64
	}
	p, q := t, -1 // q: just past the rightmost opening mark or dash
	for p > lim {
		c := s[p-1]
		if k := wordByte[c]; k != byteOther {
			if k == byteSpace {
				break
			}
			if k == byteCut && q < 0 {
				q = p
			}
			p--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(s[:p])
		if isSpace(r) {
			break
		}
		if q < 0 && (isOpener(r) || isDash(r)) {
			q = p
		}
		p -= n
	}
	if p <= lim && lim > hard {
		return p, s[p:t], false
	}
	if q < 0 {
		q = p
	}
	return q, s[q:t], true
}

// Kinds of bytes for wordBefore.
const (
	byteOther = iota // a byte of a multi-byte character: decode it
	byteWord         // an ASCII byte of a word
	byteSpace        // ASCII white space or a control character: the word ends
	byteCut          // an opening mark, a hyphen or a slash: the word starts after it
)

var wordByte = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		switch {
		case c <= ' ' || c == 0x7f:
			t[c] = byteSpace
		case strings.IndexByte("([{\"'`-/", byte(c)) >= 0:
			t[c] = byteCut
		default:
			t[c] = byteWord
		}
	}
	return t
}()

// dotted reports whether w is letters separated by periods: U.S, e.g,
// J.R.R, Ph.D.
func dotted(w string) bool {
	dots, run := 0, 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '.':
			if run == 0 {
				return false
			}
			dots, run = dots+1, 0
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			run++
			if run > 2 {
				return false
			}
		default:
			return false
		}
	}
	return dots > 0 && run > 0
}

func isTimeAbbr(w string) bool {
	return len(w) == 3 && w[1] == '.' && (w[2] == 'm' || w[2] == 'M') &&
		(w[0] == 'a' || w[0] == 'p' || w[0] == 'A' || w[0] == 'P')
}

func firstRune(w string) rune {
	r, _ := decodeAt(w, 0)
	return r
}

// wordAt returns the run of letters starting at p.
func (sc *scanner) wordAt(p int) string {
	s, be := sc.s, sc.be
	q := p
	for q < be {
		r, n := decodeAt(s, q)
		if !isLetter(r) {
			break
		}
		q += n
	}
	return s[p:q]
}

// starterAt reports whether the word at f is a typical sentence starter.
// A single letter followed by a period is an initial, not the word "A".
func (sc *scanner) starterAt(f int) bool {
	w := sc.wordAt(f)
	if len(w) == 1 && f+1 < sc.be && sc.s[f+1] == '.' {
		return false
	}
	return classOf(w)&wStarter != 0
}

// subjectAt reports whether the word at f is a noun that often starts a
// news sentence, followed by a lower-case word: "Sales fell", but not the
// title case of a headline, "Stocks Fall".
func (sc *scanner) subjectAt(f int) bool {
	w := sc.wordAt(f)
	if classOf(w)&wSubject == 0 {
		return false
	}
	next := skipSpace(sc.s, f+len(w), sc.be)
	return next > f+len(w) && next < sc.be && isLower(sc.runeAfter(next))
}

// timeEnds decides whether "a.m."/"p.m." (starting at ws) ends the
// sentence before the word at f: not before a day, month or time zone
// ("10 a.m. Friday", "9 p.m. EDT", "7 a.m. Moscow time"), nor after a
// fronted time phrase ("At 5 a.m. Mr. Smith went").
func (sc *scanner) timeEnds(ws, f int, fr rune) bool {
	if !isUpper(fr) {
		return false
	}
	w := sc.wordAt(f)
	if classOf(w)&wTimeWord != 0 {
		return false
	}
	if next := sc.wordAt(skipSpace(sc.s, f+len(w), sc.be)); next == "time" {
		return false
	}
	return !sc.fronted(ws)
}

// fronted reports whether the sentence so far, up to ws, is a short
// fronted time phrase such as "At 5", "Shortly after 9".
func (sc *scanner) fronted(ws int) bool {
	if sc.start < 0 || ws-sc.start > 40 {
		return false
	}
	first := sc.wordAt(sc.start)
	if classOf(first)&wFronted == 0 {
		return false
	}
	return strings.Count(sc.s[sc.start:ws], " ") <= 4
}

// attribution reports whether the words at p are a short capitalised name
// and a verb of speech: '"Why?" Smith asked.', '"No!" Mr. O’Connell said.'
func (sc *scanner) attribution(p int) bool {
	s, be := sc.s, sc.be
	for k := 0; k < 5 && p < be; k++ {
		w := sc.wordAt(p)
		if w == "" {
			return false
		}
		if k > 0 && classOf(w)&wSpeech != 0 {
			return true
		}
		if !isUpper(firstRune(w)) {
			return false
		}
		q := p
		for q < be {
			r, n := decodeAt(s, q)
			if !isLetter(r) && r != '.' && r != '-' && r != '\'' && r != '’' {
				break
			}
			q += n
		}
		p = skipSpace(s, q, be)
		if p == q {
			return false
		}
	}
	return false
}

// glued decides whether the final mark at s[t0], followed with no space by
// the character at e, ends a sentence: "world.Today", "1,000.That", but
// not "Jane.Doe@example.com", "Mr.Smith" or "ASP.NET".
func (sc *scanner) glued(t0, e int) bool {
	s, be := sc.s, sc.be
	r, n := decodeAt(s, e)
	if !isUpper(r) || e+n >= be {
		return false
	}
	if r2, _ := decodeAt(s, e+n); !isLower(r2) {
		return false
	}
	if t0 <= sc.start {
		return false
	}
	if pr := sc.runeBefore(t0); !isLower(pr) && !isDigit(pr) && !isCloser(pr) {
		return false
	}
	if sc.urlish(t0) {
		return false
	}
	_, w, _ := sc.wordBefore(t0)
	return abbrevClassOf(w)&(wTitle|wGeneral|wNumber|wTime) == 0
}

// urlish reports whether the token holding s[t] (the characters between
// white space) is a URL, an e-mail address or a path. The answer is kept
// for the whole token, so a long token is read once.
func (sc *scanner) urlish(t int) bool {
	if t >= sc.tokStart && t < sc.tokEnd {
		return sc.tokURL
	}
	s := sc.s
	a := t
	for a > sc.bs {
		r, n := decodeBefore(s, a)
		if isSpace(r) {
			break
		}
		a -= n
	}
	b := t
	for b < sc.be {
		r, n := decodeAt(s, b)
		if isSpace(r) {
			break
		}
		b += n
	}
	tok := s[a:b]
	sc.tokStart, sc.tokEnd = a, b
	sc.tokURL = strings.IndexByte(tok, '@') >= 0 || strings.IndexByte(tok, '/') >= 0 ||
		strings.IndexByte(tok, '\\') >= 0 || strings.Contains(tok, "www.")
	return sc.tokURL
}
