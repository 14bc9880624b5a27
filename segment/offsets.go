package segment

import (
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
	i := 0
	for i < len(text) && text[i] < utf8.RuneSelf {
		i++
	}
	if i == len(text) {
		o.ascii, o.total = true, len(text)
		return o
	}
	o.points = make([]checkpoint, 0, len(text)/offsetStep+1)
	point, next := 0, 0
	for b := 0; b < len(text); {
		for b >= next {
			o.points = append(o.points, checkpoint{b, point})
			next += offsetStep
		}
		if text[b] < utf8.RuneSelf {
			b++
		} else {
			_, n := utf8.DecodeRuneInString(text[b:])
			b += n
		}
		point++
	}
	for len(o.points) <= len(text)/offsetStep {
		o.points = append(o.points, checkpoint{len(text), point})
	}
	o.total = point
	return o
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

// count returns the number of code points starting in text[from:to].
func (o *Offsets) count(from, to int) int {
	n := 0
	for from < to {
		if o.text[from] < utf8.RuneSelf {
			from++
		} else {
			_, size := utf8.DecodeRuneInString(o.text[from:])
			from += size
		}
		n++
	}
	return n
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

// Records splits nothing: it converts sentences of the text (as returned by
// Split) to their exported form, in order.
func (o *Offsets) Records(sentences []Sentence) []Record {
	out := make([]Record, len(sentences))
	for i, s := range sentences {
		out[i] = o.Record(s)
	}
	return out
}
