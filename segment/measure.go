package segment

// Feet and inches are written with the marks of quotations: 6'2", 5' 9",
// a 12" pipe, 5’11”. These functions tell them apart.

// measure reports whether the double mark s[i:i+n] (" or two apostrophes),
// which follows a digit, is an inch mark rather than a quotation mark. It
// is one after feet (6'2", 5' 9") and before a letter or digit (12"x18");
// otherwise it is one when there is no open quotation for it to close (a
// 12" pipe), and, for a ", when the innermost open quotation was opened by
// another mark (“a 12" pipe”) or when the next " in the block not after a
// digit closes a quotation ("a 12" pipe," he said): the quotation ends
// there, not here. In the other cases it closes the quotation, as titles
// ending in a number do ("Apollo 13" and "Top 10").
func (sc *scanner) measure(i, n int) bool {
	if sc.footBefore(i) || !sc.closeSide(i+n) {
		return true
	}
	open := sc.q.innermost(kindDouble)
	switch {
	case open == 0:
		return true
	case n == 2:
		return false // '' closes a quotation whatever opened it
	case open&markStraight == 0:
		return true
	}
	k := sc.nextMark(&sc.aheadStraight, i+1, `"`)
	return k < sc.be && !sc.openSide(k) && sc.closeSide(k+1)
}

// inchCurly reports whether the ” at s[i], which follows a digit, is an
// inch mark: it follows feet (5’11”), and no quotation is open or a later
// ” in the block, not after a digit, can close it.
func (sc *scanner) inchCurly(i int) bool {
	if !sc.footBefore(i) {
		return false
	}
	return !sc.q.has(kindDouble) || sc.nextMark(&sc.aheadCurly, i+len("”"), "”") < sc.be
}

// footBefore reports whether the digits before the mark at s[i] follow a
// foot mark after a digit, one space at most between: 6'2", 5' 9", 5’11”.
func (sc *scanner) footBefore(i int) bool {
	s := sc.s
	p := i
	for p > sc.bs && i-p < 8 && (isDigit(rune(s[p-1])) || s[p-1] == '.') {
		p--
	}
	if p == i {
		return false
	}
	if p > sc.bs && s[p-1] == ' ' {
		p--
	}
	r, n := sc.runeBefore(p), 0
	switch r {
	case '\'':
		n = 1
	case '’':
		n = len("’")
	default:
		return false
	}
	return isDigit(sc.runeBefore(p - n))
}

// footAfter reports whether a ' or ’ after a digit, ending just before
// s[j], is a foot mark: a digit follows it, one space at most between
// (6'2", 5' 9").
func (sc *scanner) footAfter(j int) bool {
	if j < sc.be && sc.s[j] == ' ' {
		j++
	}
	return isDigit(sc.runeAfter(j))
}

// nextMark returns the position of the first mark at or after p in the
// block that does not follow a digit, or the end of the block. The answer
// is kept in *ahead (-1 at the start of a block); calls for the same mark
// within a block must not go backwards, so the block is searched once.
func (sc *scanner) nextMark(ahead *int, p int, mark string) int {
	if *ahead >= p {
		return *ahead
	}
	s := sc.s[:sc.be]
	k := p
	for {
		k = indexString(s, k, mark)
		if k >= sc.be || !isDigit(sc.runeBefore(k)) {
			break
		}
		k += len(mark)
	}
	*ahead = k
	return k
}
