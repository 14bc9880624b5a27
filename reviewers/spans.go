package reviewers

import (
	"math"
	"unicode/utf8"

	"factdesk/attribution"
	"factdesk/export"
	"factdesk/models"
	"factdesk/segment"
)

// bodyOffsets is the body an article's sentences were split from, with
// its offset converter: the extractor counts bytes, what is stored counts
// code points.
type bodyOffsets struct {
	body string
	offs *segment.Offsets
}

func newBodyOffsets(body string) bodyOffsets {
	return bodyOffsets{body: body, offs: segment.NewOffsets(body)}
}

// storedSpans turns the extractor's spans, byte offsets into the body,
// into code point offsets, in order. It drops what is not a span of the
// body: an unknown role, an empty or reversed range, one outside the body
// or cutting a character in two.
func (b bodyOffsets) storedSpans(parts []attribution.Part) models.AttributionSpans {
	var out models.AttributionSpans
	for _, p := range parts {
		if !models.SpanRole(p.Role).Valid() || p.Start < 0 || p.End <= p.Start || p.End > len(b.body) ||
			!b.boundary(p.Start) || !b.boundary(p.End) {
			continue
		}
		out = append(out, models.AttributionSpan{Role: models.SpanRole(p.Role), Start: b.offs.CodePoint(p.Start), End: b.offs.CodePoint(p.End)})
	}
	return out.Sorted()
}

// readerSpans turns stored spans back into the extractor's byte offsets.
func (b bodyOffsets) readerSpans(spans models.AttributionSpans) []attribution.Part {
	var out []attribution.Part
	for _, p := range spans {
		if p.End > b.offs.Len() {
			continue // not of this body
		}
		out = append(out, attribution.Part{Role: string(p.Role), Start: b.offs.Byte(p.Start), End: b.offs.Byte(p.End)})
	}
	return out
}

// boundary reports whether a character starts at byte i of the body (or
// the body ends there).
func (b bodyOffsets) boundary(i int) bool {
	return i == len(b.body) || utf8.RuneStart(b.body[i])
}

// storedConfidence is the reader's confidence as stored: a probability,
// 0 (not known) for anything else.
func storedConfidence(c float64) float64 {
	if math.IsNaN(c) || c < 0 || c > 1 {
		return 0
	}
	return c
}

// lazyBody is a revision's body whose offset converter is built the
// first time a span needs it: most reports have no spans.
type lazyBody struct {
	text string
	offs *segment.Offsets
}

// reportSpans turns stored spans into the report's, with the words each
// marks; a span that is not of this body is left out.
func (b *lazyBody) reportSpans(spans models.AttributionSpans) []export.Span {
	if len(spans) == 0 {
		return nil
	}
	if b.offs == nil {
		b.offs = segment.NewOffsets(b.text)
	}
	out := make([]export.Span, 0, len(spans))
	for _, p := range spans {
		if p.Start < 0 || p.End <= p.Start || p.End > b.offs.Len() {
			continue
		}
		out = append(out, export.Span{Role: string(p.Role), Start: p.Start, End: p.End, Text: b.text[b.offs.Byte(p.Start):b.offs.Byte(p.End)]})
	}
	return out
}
