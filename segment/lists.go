package segment

// Styles of list markers.
const (
	listNone     uint8 = iota
	listDot            // "1. ", "a. "
	listParen          // "1) ", "a) "
	listDotParen       // "1.) "
	listBoth           // "(1) ", "(a) "
	listBullet         // "• ", "- "
)

// marker is a list marker at the start of a sentence or line.
type marker struct {
	style  uint8
	alpha  bool // a letter, not a number
	value  int  // the number, or the letter as a rune
	bullet rune // for listBullet
	end    int  // just past the marker (and its spaces, after a bullet)
}

// listState is the list the scanner is in: the marker it expects next.
type listState struct {
	style uint8
	alpha bool
	next  int
}

// parseMarker reads a list marker at s[p:end]. dashes allows "-", "*" and
// "+" as bullets, as at the start of a line. (En and em dashes are not:
// hard-wrapped text often starts a line with one.)
func parseMarker(s string, p, end int, dashes bool) (marker, bool) {
	r, n := decodeAt(s, p)
	if isBullet(r) || dashes && (r == '-' || r == '*' || r == '+') {
		q := p + n
		if q < end && !isBullet(r) {
			if c, _ := decodeAt(s, q); !isSpace(c) {
				return marker{}, false // "-5%", "*Note"
			}
		}
		m := marker{style: listBullet, bullet: r, end: q}
		q = skipSpace(s, q, end)
		if inner, ok := parseNumbered(s, q, end); ok {
			m.end = inner.end // "• 9. The first item"
		}
		return m, true
	}
	return parseNumbered(s, p, end)
}

// parseNumbered reads a numbered or lettered list marker at s[p:end].
func parseNumbered(s string, p, end int) (marker, bool) {
	m := marker{}
	q := p
	if p >= end {
		return m, false
	}
	if s[p] == '(' {
		m.style = listBoth
		q++
	}
	switch {
	case q < end && isDigit(rune(s[q])):
		v, k := 0, q
		for k < end && k-q < 3 && isDigit(rune(s[k])) {
			v = v*10 + int(s[k]-'0')
			k++
		}
		m.value, q = v, k
	case q < end && (s[q] >= 'a' && s[q] <= 'z' || s[q] >= 'A' && s[q] <= 'Z'):
		m.alpha, m.value = true, int(s[q])
		q++
	default:
		return marker{}, false
	}
	if q >= end {
		return marker{}, false
	}
	switch {
	case m.style == listBoth:
		if s[q] != ')' {
			return marker{}, false
		}
		q++
	case s[q] == ')':
		m.style = listParen
		q++
	case s[q] == '.' && q+1 < end && s[q+1] == ')':
		m.style = listDotParen
		q += 2
	case s[q] == '.':
		if m.alpha && !(m.value >= 'a' && m.value <= 'z') {
			return marker{}, false // "A. Smith": an initial
		}
		m.style = listDot
		q++
	default:
		return marker{}, false
	}
	if q >= end {
		return marker{}, false
	}
	if c, _ := decodeAt(s, q); !isSpace(c) {
		return marker{}, false
	}
	m.end = q
	return m, true
}

// startList records the marker that starts a sentence: it continues the
// current list or starts a new one.
func (l *listState) start(m marker) {
	if m.style == listBullet {
		*l = listState{style: listBullet}
		return
	}
	if l.style == m.style && l.alpha == m.alpha && l.next == m.value {
		l.next++
		return
	}
	if m.alpha && m.value != 'a' && m.value != 'A' {
		return // "b." alone starts no list
	}
	*l = listState{style: m.style, alpha: m.alpha, next: m.value + 1}
}

// markerBefore returns the start of the next expected list marker when its
// final '.' or ')' is at s[i] and it follows white space inside the current
// sentence, or -1.
func (sc *scanner) markerBefore(i int) int {
	l := &sc.list
	s, be := sc.s, sc.be
	after := i + 1
	switch l.style {
	case listDot:
		if s[i] != '.' {
			return -1
		}
	case listDotParen:
		if s[i] != '.' || after >= be || s[after] != ')' {
			return -1
		}
		after++
	case listParen, listBoth:
		if s[i] != ')' {
			return -1
		}
	default:
		return -1
	}
	if after < be {
		if r, _ := decodeAt(s, after); !isSpace(r) {
			return -1
		}
	}
	p := i
	if l.alpha {
		if p-1 < 0 || int(s[p-1]) != l.next {
			return -1
		}
		p--
	} else {
		v, mul := 0, 1
		for p > 0 && i-p < 3 && isDigit(rune(s[p-1])) {
			p--
			v += int(s[p]-'0') * mul
			mul *= 10
		}
		if p == i || v != l.next {
			return -1
		}
	}
	if l.style == listBoth {
		if p == 0 || s[p-1] != '(' {
			return -1
		}
		p--
	}
	if p <= sc.start || !isSpace(sc.runeBefore(p)) {
		return -1
	}
	return p
}
