package models

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// The fast readers of spans and reasons must read what encoding/json
// reads, or report that they cannot and leave it to encoding/json.

var spanInputs = []string{
	`[]`, `[{"role":"source","start":12,"end":25}]`,
	`[{"role":"source","start":15,"end":35},{"role":"cue","start":36,"end":42},{"role":"content","start":43,"end":68}]`,
	`[{"role":"cue","start":0,"end":-3}]`, `[{"role":"cue","start":-0,"end":1}]`,
	` []`, `[] `, `[{"role":"cue","start":1,"end":2},]`, `[{"role":"cue","start":1,"end":2}`, `[{"role":"cue","start":01,"end":2}]`,
	`[{"role":"who","start":1,"end":2}]`, `[{"role":"cue","end":2,"start":1}]`, `[{"role":"cue","start":1.5,"end":2}]`,
	`[{"role":"cue","start":1234567890123,"end":2}]`, `[{"role":"cu\u0065","start":1,"end":2}]`, `null`, `[`, `]`,
}

func FuzzParseSpans(f *testing.F) {
	for _, s := range spanInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := parseSpans([]byte(raw))
		if !ok {
			return
		}
		var want []AttributionSpan
		if err := json.Unmarshal([]byte(raw), &want); err != nil {
			t.Fatalf("parseSpans(%q) = %v, but encoding/json refuses it: %v", raw, got, err)
		}
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual([]AttributionSpan(got), want) {
			t.Fatalf("parseSpans(%q) = %v, encoding/json reads %v", raw, got, want)
		}
		if b, _ := AttributionSpans(got).MarshalJSON(); string(b) != raw && raw != "[]" {
			t.Fatalf("parseSpans(%q) read what Value does not write: %s", raw, b)
		}
	})
}

func TestParseSpansReadsWhatValueWrites(t *testing.T) {
	for _, s := range []AttributionSpans{nil, {{Role: SpanSource, Start: 0, End: 7}},
		{{Role: SpanSource, Start: 15, End: 35}, {Role: SpanCue, Start: 36, End: 42}, {Role: SpanContent, Start: 43, End: 999999}}} {
		v, err := s.Value()
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseSpans([]byte(v.(string)))
		if !ok || !reflect.DeepEqual(got, s) {
			t.Errorf("parseSpans(%s) = %v, %v; want %v", v, got, ok, s)
		}
	}
}

var reasonInputs = []string{
	`[]`, `["a"]`, `["reads as a plain statement (85%)","plain wording: 'Mr', 'called'","quotation marks"]`, `["é","“x”"]`,
	`[""]`, `["",""]`, `["a",]`, `["a"`, `["a" ,"b"]`, `["a\"b"]`, `["\u003c"]`, "[\"\x01\"]", "[\"\xff\"]", `[1]`, `null`, `[`, `"a"`,
}

func FuzzParsePlainStrings(f *testing.F) {
	for _, s := range reasonInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := parsePlainStrings(raw)
		if !ok {
			return
		}
		var want []string
		if err := json.Unmarshal([]byte(raw), &want); err != nil {
			t.Fatalf("parsePlainStrings(%q) = %q, but encoding/json refuses it: %v", raw, got, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parsePlainStrings(%q) = %#v, encoding/json reads %#v", raw, got, want)
		}
	})
}

// TestParseWrittenTime checks the fast reading of the SQLite driver's
// times against time.ParseInLocation, which the driver uses.
func TestParseWrittenTime(t *testing.T) {
	const layout = "2006-01-02 15:04:05.999999999-07:00"
	r := rand.New(rand.NewPCG(3, 4))
	zones := []*time.Location{time.UTC, time.FixedZone("", 0), time.FixedZone("X", 5*3600+1800), time.FixedZone("", -7*3600-1800), time.FixedZone("", 14*3600)}
	inputs := []string{"2026-01-02 03:04:05+00:00", "2026-01-02 03:04:05.000000001-00:00", "0001-01-01 00:00:00+00:00",
		"2026-04-31 03:04:05+00:00", "2026-01-02 24:04:05+00:00", "2026-01-02 03:04:05.+00:00", "2026-01-02 03:04:05.1234567891+00:00",
		"2026-01-02 03:04:05+0000", "2026-01-02 03:04:05 +00:00", "2026-01-02 03:04:05+24:00", "2026-1-02 03:04:05+00:00"}
	written := len(inputs)
	for range 2000 {
		at := time.Unix(r.Int64N(1<<34)-1<<33, r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
		if r.IntN(3) == 0 {
			at = at.Truncate(time.Second)
		}
		inputs = append(inputs, at.Format(layout))
	}
	for i, s := range inputs {
		got, ok := parseWrittenTime(s)
		want, err := time.ParseInLocation(layout, s, time.UTC)
		if ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Fatalf("parseWrittenTime(%q) = %v; time.ParseInLocation: %v, %v", s, got, want, err)
		}
		if !ok && i >= written && s[0] != '-' {
			t.Errorf("parseWrittenTime(%q) left a time as the driver writes it to the slow path", s)
		}
	}
}
