package segment

import (
	"math/bits"
	"sort"
	"unicode/utf8"
)

// offsetStep is the distance in bytes between the checkpoints of Offsets.
const offsetStep = 128

// Offsets converts between byte offsets into a text, which Go code uses,
// and Unicode code point offsets, which is how offsets leave the process:
// JSON, exports, the HTTP API and the UI count characters the way the W3C
// Web Annotation model does (TextPositionSelector start and end).
//
// Code points are counted exactly as a range loop over the string counts
// them: every invalid UTF-8 byte is one code point, as encoding/json, which
// writes each invalid byte as one U+FFFD, also sees it.
//
// Build one Offsets per text with NewOffsets and use it for every offset of
// that text. Queries cost O(1): a lookup in a table of checkpoints taken
// every 128 bytes and a decode of at most that many bytes; a pure ASCII text
// needs no table at all. An Offsets is never modified after NewOffsets and
// is safe for concurrent use.
type Offsets struct {
	text   string
	ascii  bool
	total  int          // code points in the text
	points []checkpoint // checkpoint k: the first code point starting at or after byte k*offsetStep
}

type checkpoint struct {
	byte, point int
}

// NewOffsets reads text once and returns its offset converter.
func NewOffsets(text string) *Offsets {
	o := &Offsets{text: text}
	if isASCII(text) {
		o.ascii, o.total = true, len(text)
		return o
	}
	o.points = make([]checkpoint, 0, len(text)/offsetStep+1)
	b, point := 0, 0 // b is a code point boundary, point code points start before it
	for target := 0; target <= len(text); target += offsetStep {
		b, point = o.advance(b, point, target)
		o.points = append(o.points, checkpoint{b, point})
	}
	o.total = point + o.count(b, len(text))
	return o
}

// isASCII reports whether s holds only ASCII bytes, eight at a time.
func isASCII(s string) bool {
	for len(s) >= 8 {
		x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		if x&highs != 0 {
			return false
		}
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// advance returns the first code point boundary at or after target, from
// the boundary b with point code points before it, and the code points
// before that boundary.
func (o *Offsets) advance(b, point, target int) (int, int) {
	if target >= len(o.text) {
		return len(o.text), point + o.count(b, len(o.text))
	}
	if boundary(o.text, target) {
		return target, point + o.count(b, target)
	}
	for b < target {
		_, n := utf8.DecodeRuneInString(o.text[b:])
		b += n
		point++
	}
	return b, point
}

// boundary reports whether a code point surely starts at s[i]: any byte
// but a continuation byte starts one. (A stray continuation byte starts
// one too, but telling it needs the bytes before it.)
func boundary(s string, i int) bool {
	return i >= len(s) || s[i] < 0x80 || s[i] >= 0xc0
}

// Len returns the number of code points in the text.
func (o *Offsets) Len() int { return o.total }

// CodePoint returns the code point offset of a byte offset. An offset
// inside a multi-byte code point counts that code point as passed; offsets
// outside the text are clamped to it.
func (o *Offsets) CodePoint(byteOffset int) int {
	b := min(max(byteOffset, 0), len(o.text))
	if o.ascii {
		return b
	}
	k := b / offsetStep
	if k >= len(o.points) {
		k = len(o.points) - 1
	}
	c := o.points[k]
	if c.byte > b {
		c = o.points[k-1]
	}
	return c.point + o.count(c.byte, b)
}

// count returns the number of code points starting in text[from:to]; from
// is a code point boundary.
func (o *Offsets) count(from, to int) int {
	if boundary(o.text, to) {
		// The decode of text[from:to] then splits it as a range loop over
		// the whole text does, invalid bytes included.
		return countRunes(o.text[from:to])
	}
	n := 0
	for from < to {
		_, size := utf8.DecodeRuneInString(o.text[from:])
		from += size
		n++
	}
	return n
}

// countRunes counts the code points of s as a range loop does, eight ASCII
// bytes at a time.
func countRunes(s string) int {
	n := 0
	for len(s) >= 8 {
		x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		if x&highs == 0 {
			n += 8
			s = s[8:]
			continue
		}
		k := bits.TrailingZeros64(x&highs) >> 3
		_, size := utf8.DecodeRuneInString(s[k:])
		n += k + 1
		s = s[k+size:]
	}
	return n + utf8.RuneCountInString(s)
}

// Byte returns the byte offset of a code point offset; offsets outside
// the text are clamped to it.
func (o *Offsets) Byte(codePoint int) int {
	p := min(max(codePoint, 0), o.total)
	if o.ascii {
		return p
	}
	k := sort.Search(len(o.points), func(k int) bool { return o.points[k].point > p }) - 1
	c := o.points[k]
	b := c.byte
	for i := c.point; i < p; i++ {
		if o.text[b] < utf8.RuneSelf {
			b++
		} else {
			_, size := utf8.DecodeRuneInString(o.text[b:])
			b += size
		}
	}
	return b
}

// Record is a sentence as it leaves the process: the fields of Sentence,
// with Start and End counted in code points and the JSON names of the
// factdesk API and the `factdesk segment` command.
type Record struct {
	Paragraph int    `json:"paragraph"`
	Index     int    `json:"index"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`
	Quote     Quote  `json:"quote"`
}

// Record converts a sentence of the text to its exported form.
func (o *Offsets) Record(s Sentence) Record {
	return Record{
		Paragraph: s.Paragraph,
		Index:     s.Index,
		Start:     o.CodePoint(s.Start),
		End:       o.CodePoint(s.End),
		Text:      s.Text,
		Quote:     s.Quote,
	}
}

// Records converts sentences of the text (as Split returned them) to their
// exported form, in order.
func (o *Offsets) Records(sentences []Sentence) []Record {
	out := make([]Record, len(sentences))
	for i, s := range sentences {
		out[i] = o.Record(s)
	}
	return out
}
