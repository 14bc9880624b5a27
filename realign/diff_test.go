package realign

import (
	"slices"
	"testing"
)

// TestDiff checks word-level differences step by step.
func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []DiffOp
	}{
		{
			name: "identical",
			a:    "No change here.", b: "No change here.",
			want: []DiffOp{{OpEqual, "No change here."}},
		},
		{
			name: "corrected figure",
			a:    "It will decrease to 455 after September.", b: "It will decrease to 445 after September.",
			want: []DiffOp{{OpEqual, "It will decrease to "}, {OpDelete, "455"}, {OpInsert, "445"}, {OpEqual, " after September."}},
		},
		{
			name: "typo fixed",
			a:    "the Democratic National Comittee and", b: "the Democratic National Committee and",
			want: []DiffOp{{OpEqual, "the Democratic National "}, {OpDelete, "Comittee"}, {OpInsert, "Committee"}, {OpEqual, " and"}},
		},
		{
			name: "comma removed",
			a:    "Russian President, Vladimir Putin", b: "Russian President Vladimir Putin",
			want: []DiffOp{{OpEqual, "Russian President"}, {OpDelete, ","}, {OpEqual, " Vladimir Putin"}},
		},
		{
			name: "one word becomes two",
			a:    "a b c", b: "a x y c",
			want: []DiffOp{{OpEqual, "a "}, {OpDelete, "b"}, {OpInsert, "x y"}, {OpEqual, " c"}},
		},
		{
			name: "spaces between changes are part of the change",
			a:    "one two three", b: "uno dos tres",
			want: []DiffOp{{OpDelete, "one two three"}, {OpInsert, "uno dos tres"}},
		},
		{
			name: "clause added",
			a:    "It will seize two properties.", b: "It will seize two properties, officials said.",
			want: []DiffOp{{OpEqual, "It will seize two properties"}, {OpInsert, ", officials said"}, {OpEqual, "."}},
		},
		{
			name: "from nothing",
			a:    "", b: "New text.",
			want: []DiffOp{{OpInsert, "New text."}},
		},
		{
			name: "to nothing",
			a:    "Old text.", b: "",
			want: []DiffOp{{OpDelete, "Old text."}},
		},
		{
			name: "curly quotes are their own tokens",
			a:    "an “influence campaign” against", b: "an \"influence campaign\" against",
			want: []DiffOp{{OpEqual, "an "}, {OpDelete, "“"}, {OpInsert, "\""}, {OpEqual, "influence campaign"}, {OpDelete, "”"}, {OpInsert, "\""}, {OpEqual, " against"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(tt.a, tt.b)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Diff(%q, %q):\n got %q\nwant %q", tt.a, tt.b, got, tt.want)
			}
			checkDiff(t, got, tt.a, tt.b)
		})
	}
}

// TestDiffRebuilds diffs every pair of sentences of the example article
// and checks that each diff rebuilds both texts.
func TestDiffRebuilds(t *testing.T) {
	ss := seedArticle(t)
	for _, a := range ss {
		for _, b := range ss {
			checkDiff(t, Diff(a.Text, b.Text), a.Text, b.Text)
		}
	}
}
