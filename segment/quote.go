package segment

// Kinds of quotation marks on the quotation stack.
const (
	kindDouble uint8 = 1 + iota // “ ” " „ « » and the typewriter `` ''
	kindSingle                  // ‘ ’ ' ‹ ›
)

// markStraight flags a quotation on the stack opened by a straight ".
const markStraight uint8 = 4

// quotes follows the quotation marks of a block: which quotations are open,
// and what the current sentence has seen of them.
type quotes struct {
	stack [32]uint8 // kinds of the innermost open quotations
	depth int       // open quotations; may exceed len(stack)

	startDepth int  // depth when the current sentence began
	opened     bool // the current sentence opened a quotation
	stray      bool // it closed a quotation opened before the block
}

func (q *quotes) reset() { q.depth = 0 }

// begin starts a sentence.
func (q *quotes) begin() {
	q.startDepth = q.depth
	q.opened = false
	q.stray = false
}

// open opens a quotation of the kind, which may carry markStraight.
func (q *quotes) open(kind uint8) {
	if q.depth < len(q.stack) {
		q.stack[q.depth] = kind
	}
	q.depth++
	q.opened = true
}

// has reports whether a quotation of the kind is open.
func (q *quotes) has(kind uint8) bool {
	if q.depth > len(q.stack) {
		return true
	}
	for d := q.depth - 1; d >= 0; d-- {
		if q.stack[d]&^markStraight == kind {
			return true
		}
	}
	return false
}

// innermost returns the stack entry of the innermost open quotation of the
// kind, markStraight included, or 0 when none is open. Beyond the stack it
// answers as for a straight mark.
func (q *quotes) innermost(kind uint8) uint8 {
	if q.depth > len(q.stack) {
		return kind | markStraight
	}
	for d := q.depth - 1; d >= 0; d-- {
		if q.stack[d]&^markStraight == kind {
			return q.stack[d]
		}
	}
	return 0
}

// close closes the innermost open quotation of the kind, and any left open
// inside it. It reports false when none is open.
func (q *quotes) close(kind uint8) bool {
	if q.depth > len(q.stack) {
		q.depth--
		return true
	}
	for d := q.depth - 1; d >= 0; d-- {
		if q.stack[d]&^markStraight == kind {
			q.depth = d
			return true
		}
	}
	return false
}

// context is the place of the sentence that ends now in a quotation.
func (q *quotes) context() Quote {
	inside := q.startDepth > 0 || q.stray
	open := q.depth > 0
	switch {
	case inside && open:
		return QuoteInside
	case inside:
		return QuoteClose
	case open:
		return QuoteOpen
	case q.opened:
		return QuoteWhole
	}
	return QuoteNone
}

// quoteAt handles the quotation mark or apostrophe r of n bytes at s[i]. A
// ' of two bytes is two apostrophes, the typewriter closing double mark.
func (sc *scanner) quoteAt(i int, r rune, n int) {
	q := &sc.q
	switch r {
	case '“', '„', '«':
		q.open(kindDouble)
	case '‹':
		q.open(kindSingle)
	case '”', '»':
		if r == '”' && isDigit(sc.runeBefore(i)) && sc.inchCurly(i) {
			return // 5’11”
		}
		if !q.close(kindDouble) {
			if sc.openSide(i) && !sc.closeSide(i+n) {
				q.open(kindDouble) // ” used as an opening mark
			} else {
				q.stray = true
			}
		}
	case '›':
		q.close(kindSingle)
	case '‘':
		if isDigit(sc.runeAfter(i + n)) {
			return // ‘90s
		}
		q.open(kindSingle)
	case '’':
		prev, next := sc.runeBefore(i), sc.runeAfter(i+n)
		if isLetter(prev) && isLetter(next) {
			return // apostrophe: Clinton’s, wasn’t
		}
		if isDigit(prev) && sc.footAfter(i+n) {
			return // 5’11”
		}
		if q.has(kindSingle) {
			q.close(kindSingle)
		}
	case '"':
		sc.straight(i, 1, kindDouble)
	case '\'':
		if n == 2 {
			sc.straight(i, 2, kindDouble)
		} else {
			sc.straight(i, 1, kindSingle)
		}
	}
}

// straight handles a straight quotation mark of n bytes at s[i] (", ' or
// two apostrophes for a double mark), which may open or close a quotation
// (or, for ', be an apostrophe or a foot mark, or, for the double marks
// after a digit, an inch mark): its side is read from the characters
// around it.
func (sc *scanner) straight(i, n int, kind uint8) {
	q := &sc.q
	prev, next := sc.runeBefore(i), sc.runeAfter(i+n)
	if kind == kindSingle && isLetter(prev) && isLetter(next) {
		return // don't
	}
	openSide, closeSide := sc.openSide(i), sc.closeSide(i+n)
	if kind == kindSingle {
		switch {
		case openSide && isDigit(next):
			return // '90s
		case isDigit(prev) && sc.footAfter(i+n):
			return // 6'2", 5' 9"
		case openSide && !closeSide:
			q.open(kindSingle)
		case !openSide && closeSide && q.has(kindSingle):
			q.close(kindSingle)
		}
		return
	}
	if isDigit(prev) && sc.measure(i, n) {
		return
	}
	mark := kindDouble
	if n == 1 {
		mark |= markStraight
	}
	switch {
	case openSide && !closeSide:
		q.open(mark)
	case !openSide && closeSide:
		if !q.close(kindDouble) && !isDigit(prev) {
			q.stray = true
		}
	case q.has(kindDouble):
		q.close(kindDouble)
	default:
		q.open(mark)
	}
}

// ticks handles the run of backticks starting at s[i] and returns its end.
// Two of them are the typewriter opening double mark; a longer run (a code
// fence) is no quotation mark.
func (sc *scanner) ticks(i int) int {
	j := i
	for j < sc.be && sc.s[j] == '`' {
		j++
	}
	if j-i == 2 {
		sc.q.open(kindDouble)
	}
	return j
}

// openSide reports whether a mark at s[i] stands where a quotation opens:
// at the start of the block or after white space, a bracket, another
// opening mark or a dash.
func (sc *scanner) openSide(i int) bool {
	if i <= sc.bs {
		return true
	}
	r := sc.runeBefore(i)
	return isSpace(r) || isOpener(r) || isDash(r) || r == '/'
}

// closeSide reports whether the mark ending just before s[j] stands where a
// quotation closes: at the end of the block or before white space or
// punctuation.
func (sc *scanner) closeSide(j int) bool {
	if j >= sc.be {
		return true
	}
	r, _ := decodeAt(sc.s, j)
	return isSpace(r) || continues(r) || isCloser(r) || r == '?' || r == '!'
}

func (sc *scanner) runeBefore(i int) rune {
	if i <= sc.bs {
		return ' '
	}
	r, _ := decodeBefore(sc.s, i)
	return r
}

func (sc *scanner) runeAfter(j int) rune {
	if j >= sc.be {
		return ' '
	}
	r, _ := decodeAt(sc.s, j)
	return r
}
