package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Putin said the sanctions WORKED.", []string{"putin", "said", "sanctions", "worked"}},
		{"Clinton’s e-mails, COVID-19 and 1,000 cases", []string{"clinton", "mails", "covid", "19", "1", "000", "cases"}},
		{"Ms. Müller-Lüdenscheidt met Łukasz and Søren in Straße", []string{"ms", "muller", "ludenscheidt", "met", "lukasz", "soren", "strasse"}},
		{"Путин заявил, что ёлка — зелёная", []string{"путин", "заявил", "что", "елка", "зеленая"}},
		{"Ｆｕｌｌ-width ﬁnance ²", []string{"full", "width", "finance", "2"}},
		{"Café with e\u0301 combining", []string{"cafe", "combining"}},
		{"the of and a I", nil},
		{"", nil},
	} {
		if got := Words(c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Words(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestWordsSkipLongWords(t *testing.T) {
	long := strings.Repeat("x", MaxWordBytes+1)
	if got := Words("short " + long + " end"); !reflect.DeepEqual(got, []string{"short", "end"}) {
		t.Errorf("Words with a %d-byte word = %q", len(long), got)
	}
}

func TestVector(t *testing.T) {
	if got, want := Vector(Document("Putin met Putin", "Kremlin")), "'putin':1,3 'met':2 'kremlin':4"; got != want {
		t.Errorf("Vector = %q, want %q", got, want)
	}
	if got := Vector(""); got != "" {
		t.Errorf("Vector of nothing = %q", got)
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in, tsq, fts, str string
	}{
		{`Putin`, `('putin')`, `("putin")`, `putin`},
		{`Putin sanctions`, `('putin' & 'sanctions')`, `("putin" AND "sanctions")`, `putin sanctions`},
		{`"White House" -Trump`, `(('white' <-> 'house') & !'trump')`, `(("white house") NOT "trump")`, `"white house" -trump`},
		{`sanct*`, `('sanct':*)`, `("sanct" *)`, `sanct*`},
		{`"prime min"*`, `(('prime' <-> 'min':*))`, `("prime min" *)`, `"prime min"*`},
		{`covid-19`, `(('covid' <-> '19'))`, `("covid 19")`, `"covid 19"`},
		{`Putin OR Kremlin -Moscow`, `('putin') | ('kremlin' & !'moscow')`, `("putin") OR (("kremlin") NOT "moscow")`, `putin OR kremlin -moscow`},
		{`"the secretary of state"`, `(('secretary' <-> 'state'))`, `("secretary state")`, `"secretary state"`},
		{`Зеленский`, `('зеленскии')`, `("зеленскии")`, `зеленскии`},
		{`"unclosed phrase`, `(('unclosed' <-> 'phrase'))`, `("unclosed phrase")`, `"unclosed phrase"`},
		{`-"two words" one`, `(!('two' <-> 'words') & 'one')`, `(("one") NOT "two words")`, `-"two words" one`},
	} {
		q, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := q.TSQuery(); got != c.tsq {
			t.Errorf("Parse(%q).TSQuery() = %s, want %s", c.in, got, c.tsq)
		}
		if got := q.FTS5(); got != c.fts {
			t.Errorf("Parse(%q).FTS5() = %s, want %s", c.in, got, c.fts)
		}
		if got := q.String(); got != c.str {
			t.Errorf("Parse(%q).String() = %s, want %s", c.in, got, c.str)
		}
	}
}

func TestParseEmptyAndErrors(t *testing.T) {
	for _, in := range []string{"", "   ", "the of and", `"the"`, "-"} {
		q, err := Parse(in)
		if err != nil || !q.Empty() {
			t.Errorf("Parse(%q) = %+v, %v; want an empty query", in, q, err)
		}
	}
	q, _ := Parse("the and of")
	if !reflect.DeepEqual(q.Ignored, []string{"the", "and", "of"}) {
		t.Errorf("ignored = %q", q.Ignored)
	}
	for in, want := range map[string]error{
		strings.Repeat("a", MaxQueryLen+1): ErrTooLong,
		"-trump":                           ErrOnlyExcluded,
		"putin OR -trump":                  ErrOnlyExcluded,
		"p*":                               ErrShortPrefix,
		"*":                                ErrShortPrefix,
		"nul\x00byte":                      ErrInvalidString,
		"bad \xff utf8":                    ErrInvalidString,
	} {
		if _, err := Parse(in); !errors.Is(err, want) {
			t.Errorf("Parse(%.20q) = %v, want %v", in, err, want)
		}
	}
	if _, err := Parse(strings.Repeat("é", MaxQueryLen)); err != nil {
		t.Errorf("a query of exactly %d characters: %v", MaxQueryLen, err)
	}
}

func TestHighlight(t *testing.T) {
	q, _ := Parse(`putin sanct* -trump`)
	got := Highlight(`Putin's <b>sanctions</b> & Trump`, q, 0)
	want := `<mark>Putin</mark>&#39;s &lt;b&gt;<mark>sanctions</mark>&lt;/b&gt; &amp; Trump`
	if got != want {
		t.Errorf("Highlight = %s\nwant %s", got, want)
	}
	q, _ = Parse("zelensky")
	long := strings.Repeat("word ", 100) + "Zelensky spoke " + strings.Repeat("more ", 100)
	got = Highlight(long, q, 60)
	if !strings.Contains(got, "<mark>Zelensky</mark>") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || len([]rune(got)) > 100 {
		t.Errorf("excerpt of a long text = %q", got)
	}
	q, _ = Parse("muller")
	if got := Highlight("Frau Müller sagte", q, 0); got != "Frau <mark>Müller</mark> sagte" {
		t.Errorf("accented highlight = %q", got)
	}
}
