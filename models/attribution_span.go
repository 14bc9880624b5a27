package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
)

// SpanRole is what a span of an attribution marks in the article.
type SpanRole string

// The roles of a span.
const (
	SpanSource  SpanRole = "source"  // the words naming the speaker or source
	SpanCue     SpanRole = "cue"     // the words that attribute the claim ("said", "according to")
	SpanContent SpanRole = "content" // the sentence's part of what is attributed
)

// SpanRoles lists the roles in the order the page and the exports name them.
var SpanRoles = []SpanRole{SpanSource, SpanCue, SpanContent}

// Valid reports whether r is a known role.
func (r SpanRole) Valid() bool { return r == SpanSource || r == SpanCue || r == SpanContent }

// AttributionSpan is one span of the machine's reading of an attribution:
// its role and where it lies, in code points of the body of the sentence's
// revision, like Sentence.Start and End. A source span may lie in an
// earlier sentence (the content is carried over from there).
type AttributionSpan struct {
	Role  SpanRole `json:"role"`
	Start int      `json:"start"`
	End   int      `json:"end"`
}

// AttributionSpans are an attribution's spans in order of their start,
// stored as a JSON array in one text column ("[]" when there are none)
// and written as an array, never null.
type AttributionSpans []AttributionSpan

// Check returns an error naming the first span that is not one: an
// unknown role, or an empty, reversed or negative range.
func (s AttributionSpans) Check() error {
	for i, p := range s {
		if !p.Role.Valid() {
			return fmt.Errorf("span %d: unknown role %q", i, p.Role)
		}
		if p.Start < 0 || p.End <= p.Start {
			return fmt.Errorf("span %d (%s): range %d–%d is not one", i, p.Role, p.Start, p.End)
		}
	}
	return nil
}

// Sorted returns the spans in order of start (then role, then end),
// without repeats.
func (s AttributionSpans) Sorted() AttributionSpans {
	out := slices.Clone(s)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.Role != b.Role {
			return slices.Index(SpanRoles, a.Role) < slices.Index(SpanRoles, b.Role)
		}
		return a.End < b.End
	})
	return slices.Compact(out)
}

// MarshalJSON writes the spans as an array, [] when there are none.
func (s AttributionSpans) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]AttributionSpan(s))
}

// GormDataType names the column's type for GORM.
func (AttributionSpans) GormDataType() string { return "text" }

// Value writes the spans as a JSON array.
func (s AttributionSpans) Value() (driver.Value, error) {
	b, err := s.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("encode attribution spans: %w", err)
	}
	return string(b), nil
}

// Scan reads a JSON array of spans; NULL and "" read as none.
func (s *AttributionSpans) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case nil:
		*s = nil
		return nil
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		return fmt.Errorf("scan attribution spans: unexpected %T", src)
	}
	out, ok := parseSpans(raw)
	if !ok && len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			return fmt.Errorf("scan attribution spans: %w", err)
		}
	}
	if len(out) == 0 {
		out = nil
	}
	*s = out
	return nil
}

// parseSpans reads spans as Value writes them, without reflection:
// [{"role":"source","start":12,"end":25},…], compact, keys in that order,
// a known role. Anything else reports false, for encoding/json to read.
// The machine reads every sentence of an article, so a long article's
// attributions hold thousands of these.
func parseSpans(raw []byte) (AttributionSpans, bool) {
	p := spanParser{b: raw}
	if !p.lit("[") {
		return nil, false
	}
	if p.lit("]") {
		return nil, p.i == len(raw)
	}
	out := make(AttributionSpans, 0, 3)
	for {
		var sp AttributionSpan
		if !p.lit(`{"role":"`) {
			return nil, false
		}
		switch {
		case p.lit(`source"`):
			sp.Role = SpanSource
		case p.lit(`cue"`):
			sp.Role = SpanCue
		case p.lit(`content"`):
			sp.Role = SpanContent
		default:
			return nil, false
		}
		var ok1, ok2 bool
		if !p.lit(`,"start":`) {
			return nil, false
		}
		sp.Start, ok1 = p.int()
		if !p.lit(`,"end":`) {
			return nil, false
		}
		sp.End, ok2 = p.int()
		if !ok1 || !ok2 || !p.lit("}") {
			return nil, false
		}
		out = append(out, sp)
		if p.lit("]") {
			return out, p.i == len(raw)
		}
		if !p.lit(",") {
			return nil, false
		}
	}
}

// spanParser walks the bytes of a spans column.
type spanParser struct {
	b []byte
	i int
}

// lit consumes s if the input continues with it.
func (p *spanParser) lit(s string) bool {
	if len(p.b)-p.i < len(s) || string(p.b[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

// int consumes an integer as encoding/json writes one: an optional minus
// and at most 9 digits, without leading zeros.
func (p *spanParser) int() (int, bool) {
	neg := p.lit("-")
	n, digits := 0, 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if digits == 9 || (digits == 1 && n == 0) {
			return 0, false
		}
		n = n*10 + int(p.b[p.i]-'0')
		digits++
		p.i++
	}
	if digits == 0 || (neg && n == 0) {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}
