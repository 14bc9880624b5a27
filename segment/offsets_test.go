package segment

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// naiveCodePoint counts the code points a range loop starts before b.
func naiveCodePoint(s string, b int) int {
	n := 0
	for i := range s {
		if i >= b {
			break
		}
		n++
	}
	return n
}

func offsetTexts() []string {
	r := rand.New(rand.NewPCG(3, 4))
	out := []string{"", "plain ASCII text.", "é", "“Quoted” — text…", "\xff\xfe\x80", "a\xe2\x80b\xf0\x9f\x98\x80c\xed\xa0\x80"}
	for range 50 {
		out = append(out, randomText(r, 1+r.IntN(200)))
	}
	out = append(out, strings.Repeat("Ünïcödé “text” ", 300)+"\xff"+strings.Repeat("ascii ", 100))
	return out
}

func TestOffsetsCodePoint(t *testing.T) {
	for k, s := range offsetTexts() {
		o := NewOffsets(s)
		if got, want := o.Len(), utf8.RuneCountInString(s); got != want {
			t.Errorf("text %d: Len() = %d, want %d", k, got, want)
		}
		for b := -1; b <= len(s)+1; b++ {
			want := naiveCodePoint(s, min(max(b, 0), len(s)))
			if b > len(s) {
				want = o.Len()
			}
			if got := o.CodePoint(b); got != want {
				t.Fatalf("text %d %q: CodePoint(%d) = %d, want %d", k, s, b, got, want)
			}
		}
	}
}

func TestOffsetsByte(t *testing.T) {
	for k, s := range offsetTexts() {
		o := NewOffsets(s)
		starts := []int{}
		for i := range s {
			starts = append(starts, i)
		}
		starts = append(starts, len(s))
		for p, want := range starts {
			if got := o.Byte(p); got != want {
				t.Fatalf("text %d %q: Byte(%d) = %d, want %d", k, s, p, got, want)
			}
			if got := o.CodePoint(want); got != p {
				t.Fatalf("text %d: CodePoint(Byte(%d)) = %d", k, p, got)
			}
		}
		if got := o.Byte(-5); got != 0 {
			t.Errorf("text %d: Byte(-5) = %d, want 0", k, got)
		}
		if got := o.Byte(len(starts) + 10); got != len(s) {
			t.Errorf("text %d: Byte(past the end) = %d, want %d", k, got, len(s))
		}
	}
}

// TestOffsetsMatchJSON checks the promise that code point offsets count
// characters the way a JSON reader of the exported text counts them, invalid
// bytes included.
func TestOffsetsMatchJSON(t *testing.T) {
	text := "Bad \xff byte. “Quote” \xe2\x80 cut. Fine."
	o := NewOffsets(text)
	for _, s := range Split(text) {
		rec := o.Record(s)
		data, err := json.Marshal(rec)
		if err != nil {
			t.Fatalf("marshal %+v: %v", rec, err)
		}
		var back Record
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("unmarshal %s: %v", data, err)
		}
		if got, want := utf8.RuneCountInString(back.Text), back.End-back.Start; got != want {
			t.Errorf("sentence %q: JSON text has %d characters, offsets span %d", s.Text, got, want)
		}
	}
	var whole string
	data, _ := json.Marshal(text)
	if err := json.Unmarshal(data, &whole); err != nil {
		t.Fatalf("unmarshal text: %v", err)
	}
	if got, want := utf8.RuneCountInString(whole), o.Len(); got != want {
		t.Errorf("JSON text has %d characters, Len() = %d", got, want)
	}
}

func TestRecords(t *testing.T) {
	text := "“Tschüß.” Bye."
	o := NewOffsets(text)
	got := o.Records(Split(text))
	want := []Record{
		{Paragraph: 0, Index: 0, Start: 0, End: 9, Text: "“Tschüß.”", Quote: QuoteWhole},
		{Paragraph: 0, Index: 1, Start: 10, End: 14, Text: "Bye.", Quote: QuoteNone},
	}
	if len(got) != len(want) {
		t.Fatalf("Records: got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func BenchmarkOffsets(b *testing.B) {
	text := benchText()
	sentences := Split(text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		o := NewOffsets(text)
		for _, s := range sentences {
			sink += o.CodePoint(s.Start) + o.CodePoint(s.End)
		}
	}
}

func TestCountRunes(t *testing.T) {
	for _, s := range offsetTexts() {
		if got, want := countRunes(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("countRunes(%q) = %d, want %d", s, got, want)
		}
	}
}
