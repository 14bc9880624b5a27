package segment

import (
	"math/bits"
	"unicode/utf8"
)

// interesting marks the bytes the forward scan stops at: final marks,
// quotation marks, the closing parenthesis of list markers, and the lead
// bytes of « » … “ ” ‘ ’ and the bullets. Every other byte is skipped
// without a look.
var interesting = [256]bool{
	'.': true, '?': true, '!': true, '"': true, '\'': true, ')': true,
	0xc2: true, 0xe2: true,
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// scanner splits one text. It is used by one call of Split.
type scanner struct {
	s     string
	out   []Sentence
	lines []span // scratch: the lines of the current paragraph
	info  []lineInfo
	para  int // index of the current paragraph

	conv    convention // the line breaks counted so far
	decided bool       // whether the paragraph convention is decided
	single  bool       // single line breaks that are not wraps end paragraphs
	dry     bool       // count the line breaks, split nothing

	bs, be    int // the current block: lines read as one run of text
	start     int // start of the current sentence, -1 when none
	markerEnd int // end of the list marker that starts the sentence
	q         quotes
	list      listState

	tokStart, tokEnd int  // the last token looked at by urlish
	tokURL           bool // whether it is a URL, e-mail address or path

	tick          int // the next `` in the text, len(s) when none is left
	aheadStraight int // the answers nextMark keeps for " and ”, -1 when none
	aheadCurly    int
}

// span is a range of bytes of the text.
type span struct{ start, end int }

// block splits s[bs:be], a run of text whose line breaks are soft, into
// sentences. bs and be are at non-space characters (be just past one).
func (sc *scanner) block(bs, be int) {
	sc.bs, sc.be = bs, be
	sc.q.reset()
	sc.list = listState{}
	sc.tokStart, sc.tokEnd = 0, 0
	sc.aheadStraight, sc.aheadCurly = -1, -1
	sc.begin(bs)
	s := sc.s[:be]
	i := bs
	for i < be {
		// The scan stops at the next `` as well, which the byte test does
		// not flag: backticks are rare, and one search for them is cheaper
		// than one more test on every eight bytes.
		if sc.tick < i {
			sc.tick = indexString(sc.s, i, "``")
		}
		stop := min(be, sc.tick)
		// Skip eight bytes at a time to the next byte that may be
		// interesting, then look at that byte alone. One test each flags
		// the bytes strictly between 0x20 and 0x2a with the high bit clear
		// (! " # $ % & ' ( ), where the interesting ASCII marks but . and ?
		// lie), ., ?, and the lead bytes 0xc2 and 0xe2. No test borrows or
		// carries into a lower byte, so the lowest flagged byte is a true
		// candidate and the scan jumps to it; interesting sorts out $ % and
		// the like.
		for i+8 <= stop {
			b := s[i : i+8]
			x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
			low := x &^ highs
			m := (ones*(127+0x2a) - low) &^ x & (low + ones*(127-0x20)) & highs
			v, y, z, w := x^(ones*'.'), x^(ones*'?'), x^(ones*0xc2), x^(ones*0xe2)
			m |= ((v-ones)&^v | (y-ones)&^y | (z-ones)&^z | (w-ones)&^w) & highs
			if m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= be {
			break
		}
		if i == sc.tick {
			i = sc.ticks(i)
			continue
		}
		c := s[i]
		if !interesting[c] {
			i++
			continue
		}
		switch c {
		case '.':
			i = sc.period(i)
		case '?', '!':
			i = sc.bang(i)
		case '"':
			sc.quoteAt(i, '"', 1)
			i++
		case '\'':
			n := 1
			if i+1 < be && s[i+1] == '\'' {
				n = 2 // the typewriter double mark ''
			}
			sc.quoteAt(i, '\'', n)
			i += n
		case ')':
			i = sc.paren(i)
		default:
			i = sc.wide(i)
		}
	}
	sc.emit(be)
}

// begin starts a sentence at the first non-space character at or after p.
func (sc *scanner) begin(p int) {
	p = skipSpace(sc.s, p, sc.be)
	if p >= sc.be {
		sc.start = -1
		return
	}
	sc.start = p
	sc.markerEnd = p
	sc.q.begin()
	if c := sc.s[p]; c >= 'A' && c <= 'Z' && p+1 < sc.be && sc.s[p+1] >= 'a' {
		return // a word, the usual start: no list marker
	}
	if m, ok := parseMarker(sc.s, p, sc.be, false); ok {
		sc.markerEnd = m.end
		sc.list.start(m)
	}
}

// emit ends the current sentence at end.
func (sc *scanner) emit(end int) {
	if sc.start < 0 || end <= sc.start {
		return
	}
	sc.out = append(sc.out, Sentence{
		Paragraph: sc.para,
		Index:     len(sc.out),
		Start:     sc.start,
		End:       end,
		Text:      sc.s[sc.start:end],
		Quote:     sc.q.context(),
	})
	sc.start = -1
}

// splitAt ends the current sentence before p, where a list marker starts
// the next one.
func (sc *scanner) splitAt(p int) {
	sc.emit(trimEnd(sc.s, sc.start, p))
	sc.begin(p)
}

// period handles the '.' at s[i] and returns where the scan goes on.
func (sc *scanner) period(i int) int {
	s, be := sc.s, sc.be
	if i < sc.markerEnd {
		return i + 1
	}
	if sc.list.style != listNone {
		if p := sc.markerBefore(i); p >= 0 {
			sc.splitAt(p)
			return i + 1
		}
	}
	j := i + 1
	if j < be {
		if c := s[j]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' {
			return j // 3.5, U.S.-led, example.com: inside a token
		}
	}
	if j < be && s[j] == '.' {
		for j < be && s[j] == '.' {
			j++
		}
		if j-i >= 4 {
			return sc.terminal(i, j, kStop)
		}
		return sc.terminal(i, j, sc.ellipsisKind(i))
	}
	dots := 1
	for j+1 < be && s[j] == ' ' && s[j+1] == '.' {
		dots++
		j += 2
	}
	if dots == 1 {
		return sc.terminal(i, i+1, kPeriod)
	}
	attached := i > sc.start && !isSpace(sc.runeBefore(i))
	switch {
	case attached && dots >= 4:
		return sc.attached(i, j)
	case attached || dots == 2:
		return sc.terminal(i, j, kEllipsis)
	case dots == 3:
		return sc.terminal(i, j, kSpaced)
	}
	return sc.terminal(i, j, kStop)
}

// ellipsisKind tells an ellipsis attached to the word before it ("the
// thing..."), which ends a sentence before a capital, from one standing
// apart (" … ", " ... "), which marks an omission inside a quotation and,
// like ". . .", ends none.
func (sc *scanner) ellipsisKind(i int) int {
	if i > sc.start && isSpace(sc.runeBefore(i)) {
		return kSpaced
	}
	return kEllipsis
}

// bang handles a run of '?' and '!' starting at s[i].
func (sc *scanner) bang(i int) int {
	s, be := sc.s, sc.be
	j := i + 1
	for j < be && (s[j] == '?' || s[j] == '!' || s[j] == '.') {
		j++
	}
	return sc.terminal(i, j, kBang)
}

// paren handles a ')' that may end a list marker.
func (sc *scanner) paren(i int) int {
	if i >= sc.markerEnd && (sc.list.style == listParen || sc.list.style == listBoth) {
		if p := sc.markerBefore(i); p >= 0 {
			sc.splitAt(p)
		}
	}
	return i + 1
}

// wide handles a multi-byte character whose lead byte is interesting.
func (sc *scanner) wide(i int) int {
	s, be := sc.s, sc.be
	r, n := decodeAt(s, i)
	switch r {
	case '…':
		j := i + n
		for j < be && (s[j] == '.' || j+3 <= be && s[j:j+3] == "…") {
			if s[j] == '.' {
				j++
			} else {
				j += 3
			}
		}
		if j-i > n {
			return sc.terminal(i, j, kStop)
		}
		return sc.terminal(i, j, sc.ellipsisKind(i))
	case '“', '”', '‘', '’', '„', '«', '»', '‹', '›':
		sc.quoteAt(i, r, n)
	case utf8.RuneError:
	default:
		if isBullet(r) && i > sc.start && i >= sc.markerEnd && isSpace(sc.runeBefore(i)) {
			sc.splitAt(i)
		}
	}
	return i + n
}
