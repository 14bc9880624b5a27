package attribution

import (
	"reflect"
	"testing"
)

// TestExtractExcluding checks that no attribution comes from a sentence
// excluded from review and that carrying does not pass through one.
func TestExtractExcluding(t *testing.T) {
	const claim = "Union officials said the company had moved the work to a cheaper site abroad."
	tests := []struct {
		name     string
		paras    [][]string
		excluded []Exclusion
		want     map[int]want // by sentence
	}{
		{"a duplicate gets nothing; its continuation carries from the kept copy", [][]string{
			{claim},
			{"The company has not commented."},
			{claim, "It also cut the pay of the staff who stayed."},
		}, []Exclusion{{Index: 2, Of: 0}}, map[int]want{
			0: {speaker: "Union officials", cue: "said"},
			2: {zero: true},
			3: {speaker: "Union officials", cue: "said", carried: true, from: 0},
		}},
		{"a bare passive after a duplicate borrows the kept copy's source", [][]string{
			{"According to the auditors, the charity spent donations on travel.", "The director is.."},
			{"According to the auditors, the charity spent donations on travel.", "The director is reported to have approved the trips."},
		}, []Exclusion{{Index: 1, Of: 3}, {Index: 2, Of: 0}}, map[int]want{
			1: {zero: true},
			2: {zero: true},
			3: {speaker: "the auditors", cue: "is reported to", carried: true, from: 0},
		}},
		{"a duplicate of a plain sentence does not cut a claim short", [][]string{
			{"The warehouse stood next to a primary school in Dunmore."},
			{"According to the inspectors, the warehouse had no working alarms.", "The warehouse stood next to a primary school in Dunmore.", "It had also failed two earlier inspections."},
		}, []Exclusion{{Index: 2, Of: 0}}, map[int]want{
			2: {zero: true},
			3: {speaker: "the inspectors", cue: "according to", carried: true, from: 1},
		}},
		{"a truncated teaser is passed over", [][]string{
			{"According to fire inspectors, the warehouse had no working alarms.", "The owner said the..", "It had also failed two earlier inspections."},
			{"The owner said the alarms were being repaired."},
		}, []Exclusion{{Index: 1, Of: 3}}, map[int]want{
			1: {zero: true},
			2: {speaker: "fire inspectors", cue: "according to", carried: true, from: 0},
			3: {speaker: "the owner", cue: "said"},
		}},
		{"an excluded sentence with no copy is passed over", [][]string{
			{"According to the regulator, the bank broke lending rules.", "Read more: Mortgage rates rise again, lenders said.", "The bank then misled its auditors."},
		}, []Exclusion{{Index: 1, Of: -1}}, map[int]want{
			1: {zero: true},
			2: {speaker: "the regulator", cue: "according to", carried: true, from: 0},
		}},
		{"a quotation after a duplicate takes the kept copy's speaker", [][]string{
			{"The coach said the team had let itself down badly."},
			{"The coach said the team had let itself down badly.", "“We were slow.", "We deserved to lose.”"},
		}, []Exclusion{{Index: 1, Of: 0}}, map[int]want{
			1: {zero: true},
			2: {speaker: "the coach", cue: "said", carried: true, from: 0},
			3: {speaker: "the coach", cue: "said", carried: true, from: 0},
		}},
		{"an excluded sentence inside a quotation gets nothing; the rest of it does", [][]string{
			{"We were careless and we deserved nothing today."},
			{"“We were slow.", "We were careless and we deserved nothing today.", "Nobody played well,” Pedro Alves said."},
		}, []Exclusion{{Index: 2, Of: 0}}, map[int]want{
			1: {speaker: "Pedro Alves", cue: "said", carried: true, from: 3},
			2: {zero: true},
			3: {speaker: "Pedro Alves", cue: "said"},
		}},
		{"a teaser's quotation mark does not open a quotation", [][]string{
			{"The minister said the plan was sound.", "“We will not back down from..", "Critics said the plan would fail."},
			{"“We will not back down from this fight,” she said."},
		}, []Exclusion{{Index: 1, Of: 3}}, map[int]want{
			1: {zero: true},
			2: {speaker: "Critics", cue: "said"},
		}},
		{"a person named only in a teaser is not the one she stands for", [][]string{
			{"Finance minister Laura Benn presented the budget on Tuesday."},
			{"Health minister Ana Ruiz said the hospital plan was..", "She said the budget was fair."},
			{"Health minister Ana Ruiz said the hospital plan was late."},
		}, []Exclusion{{Index: 1, Of: 3}}, map[int]want{
			1: {zero: true},
			2: {speaker: "Laura Benn", cue: "said"},
		}},
		{"a paragraph end still stops carrying", [][]string{
			{"According to the union, the firm cut wages.", "The firm is.."},
			{"It employs 4,000 people."},
			{"The firm is the largest employer in the valley."},
		}, []Exclusion{{Index: 1, Of: 3}}, map[int]want{
			1: {zero: true},
			2: {zero: true},
		}},
		{"an exclusion naming no sentence changes nothing", [][]string{
			{"According to the union, the firm cut wages.", "It also closed two depots."},
		}, []Exclusion{{Index: 7, Of: 0}}, map[int]want{
			1: {speaker: "the union", cue: "according to", carried: true, from: 0},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ss := article(tc.paras...)
			got := ExtractExcluding(ss, tc.excluded)
			if len(got) != len(ss) {
				t.Fatalf("got %d attributions for %d sentences", len(got), len(ss))
			}
			for i, w := range tc.want {
				t.Run(itoa(i), func(t *testing.T) { check(t, got[i], w) })
			}
		})
	}
}

// TestExtractExcludingNone checks that with nothing excluded the reading
// is Extract's.
func TestExtractExcludingNone(t *testing.T) {
	ss := article(
		[]string{"According to prosecutors, the firm hid losses of $40m.", "It also shredded documents."},
		[]string{"“We did nothing wrong,” the chairman said.", "“The figures are sound.”"},
	)
	want := Extract(ss)
	for _, ex := range [][]Exclusion{nil, {}, {{Index: 99, Of: -1}}} {
		got := ExtractExcluding(ss, ex)
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("excluded %v, sentence %d: got %+v, want %+v", ex, i, got[i], want[i])
			}
		}
	}
}

// TestExcludedInvariants excludes every fifth of 731 news sentences from
// outside the project, read as one paragraph, as duplicates of the
// sentence two before them or as teasers, and checks that no excluded
// sentence has or lends an attribution.
func TestExcludedInvariants(t *testing.T) {
	ss := article(newsSD(t))
	var excluded []Exclusion
	isExcluded := map[int]bool{}
	for i := 3; i < len(ss); i += 5 {
		of := i - 2
		if i%2 == 0 {
			of = i + 1 // a teaser of the next sentence
		}
		excluded = append(excluded, Exclusion{Index: i, Of: of})
		isExcluded[i] = true
	}
	got := ExtractExcluding(ss, excluded)
	found := 0
	for i, a := range got {
		switch {
		case isExcluded[i] && (!a.IsZero() || a.From != -1):
			t.Errorf("excluded sentence %d: got %+v, want no attribution", i, a)
		case a.IsZero() && a.From != -1:
			t.Errorf("sentence %d: zero attribution with From %d", i, a.From)
		case !a.IsZero() && isExcluded[a.From]:
			t.Errorf("sentence %d: attribution from excluded sentence %d: %+v", i, a.From, a)
		case !a.IsZero() && !a.CarriedOver && a.From != i:
			t.Errorf("sentence %d: stated here but From %d", i, a.From)
		case !a.IsZero():
			found++
		}
	}
	if found == 0 {
		t.Errorf("no attribution in %d news sentences", len(ss))
	}
}
