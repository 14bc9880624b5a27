package export

import (
	"reflect"
	"testing"

	"factdesk/codebook"
)

func TestSummarize(t *testing.T) {
	cite := func(rel codebook.Relation) []Citation { return []Citation{{Relation: rel}} }
	sentences := []Sentence{
		{Label: codebook.Fact, Status: codebook.Verified, Citations: cite(codebook.Supports), Verdict: "True"},
		{Label: codebook.Fact, Status: codebook.Disputed, Citations: cite(codebook.Contradicts), Verdict: "False"},
		{Label: codebook.Allegation, Status: codebook.Labeled, Citations: cite(codebook.Context)},
		{Label: codebook.Allegation, Status: codebook.Verified, Citations: cite(codebook.Origin)},
		{Label: codebook.Quote, Status: codebook.Verified, Citations: cite(codebook.Origin), Verdict: "True"},
		{Label: codebook.Quote, Status: codebook.Labeled, Citations: cite(codebook.Supports)},
		{Label: codebook.Fact, Status: codebook.Excluded, Citations: cite(codebook.Supports)},
		{Status: codebook.Unreviewed},
		{Label: codebook.Assessment, Status: codebook.Labeled},
	}
	// Open threads are what the comments say they are: a resolved one, a
	// reply and a decision note are not.
	reply := int64(1)
	rounds := []Round{{Comments: []Comment{{Resolved: true}, {Open: true, Kind: "comment"}, {Kind: "comment", ReplyTo: &reply}}},
		{Comments: []Comment{{Open: true, Kind: "change_request"}, {Kind: "decision"}}}}
	got := Summarize(sentences, rounds)
	want := Summary{
		Sentences:    9,
		ByLabel:      map[string]int{"fact": 3, "allegation": 2, "quote": 2, "assessment": 1, Unlabeled: 1},
		ByStatus:     map[string]int{"unreviewed": 1, "labeled": 3, "verified": 3, "disputed": 1, "unverifiable": 0, "excluded": 1},
		Coverage:     Coverage{InScope: 8, Labeled: 7, FactsAndAllegations: 4, Sourced: 2, Quotes: 2, QuotesWithOrigin: 1},
		Verdicts:     map[string]int{"True": 2, "False": 1},
		OpenComments: 2,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Summarize =\n%+v\nwant\n%+v", got, want)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	s := Summarize(nil, nil)
	if s.Sentences != 0 || len(s.ByLabel) != 5 || len(s.ByStatus) != 6 || s.Verdicts == nil {
		t.Errorf("empty summary = %+v, want every label and status at 0", s)
	}
}
