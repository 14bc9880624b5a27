package realign

import (
	"slices"
	"strings"
	"testing"
)

// TestAlignSeedRevision revises the example article the way issue 8 asks:
// a corrected figure (455 → 445), a sentence inserted, one removed, a
// paragraph moved and a typo fixed, and checks each lands in its kind.
func TestAlignSeedRevision(t *testing.T) {
	before := seedArticle(t)
	figure := find(t, before, "decrease to 455")
	typo := find(t, before, "Russian President, Vladimir Putin")
	removed := find(t, before, "Department of Justice")
	insertAfter := find(t, before, "further response by Putin")

	// The paragraph about the House vote moves after the Vesti interview.
	movedPara := before[find(t, before, "House of Representatives")].Paragraph
	landPara := before[find(t, before, "In an interview with Vesti")].Paragraph

	var after []Sentence
	oldOf := map[int]int{} // new position → old position, for checking
	var movedSentences []Sentence
	var movedOld []int
	for i, s := range before {
		switch {
		case i == removed:
			continue
		case s.Paragraph == movedPara:
			movedSentences = append(movedSentences, s)
			movedOld = append(movedOld, i)
			continue
		case i == figure:
			s.Text = strings.Replace(s.Text, "455", "445", 1)
		case i == typo:
			s.Text = strings.Replace(s.Text, "President, Vladimir", "President Vladimir", 1)
		}
		if s.Paragraph == landPara+1 && len(movedSentences) > 0 {
			for k, m := range movedSentences {
				oldOf[len(after)] = movedOld[k]
				after = append(after, m)
			}
			movedSentences = nil
		}
		oldOf[len(after)] = i
		after = append(after, s)
		if i == insertAfter {
			after = append(after, Sentence{Paragraph: s.Paragraph, Text: "Analysts expect Moscow to announce further measures before the end of the year."})
		}
	}
	after = renumber(after)

	got := Align(before, after)
	if len(got.Matches) != len(after) {
		t.Fatalf("matches: got %d, want one per new sentence (%d)", len(got.Matches), len(after))
	}
	want := map[Kind]int{Unchanged: len(before) - 1 - 3 - 2, Moved: 3, Changed: 2, New: 1}
	for k, n := range want {
		if c := got.Count(k); c != n {
			t.Errorf("%s: got %d sentences, want %d", k, c, n)
		}
	}
	for j, m := range got.Matches {
		old, known := oldOf[j]
		if !known {
			if m.Kind != New {
				t.Errorf("inserted sentence %d: got %s (old %d), want new", j, m.Kind, m.Old)
			}
			continue
		}
		if m.Old != old {
			t.Errorf("sentence %d %q: matched old %d, want %d", j, after[j].Text, m.Old, old)
		}
		wantKind := Unchanged
		switch {
		case old == figure || old == typo:
			wantKind = Changed
		case slices.Contains(movedOld, old):
			wantKind = Moved
		}
		if m.Kind != wantKind {
			t.Errorf("sentence %d %q: got %s, want %s", j, after[j].Text, m.Kind, wantKind)
		}
	}
	if !slices.Equal(got.Removed, []int{removed}) {
		t.Errorf("removed: got %v, want [%d]", got.Removed, removed)
	}

	t.Run("the corrected figure's diff", func(t *testing.T) {
		var m Match
		for _, x := range got.Matches {
			if x.Old == figure {
				m = x
			}
		}
		var del, ins []string
		for _, op := range m.Diff {
			switch op.Op {
			case OpDelete:
				del = append(del, op.Text)
			case OpInsert:
				ins = append(ins, op.Text)
			}
		}
		if !slices.Equal(del, []string{"455"}) || !slices.Equal(ins, []string{"445"}) {
			t.Errorf("diff: got deletions %q and insertions %q, want [455] and [445]", del, ins)
		}
		if m.Similarity < 0.98 {
			t.Errorf("similarity: got %.3f, want above 0.98 for one digit", m.Similarity)
		}
	})
}

// TestAlignIdentical checks that re-importing the same body changes
// nothing, including the duplicated sentence of the example article.
func TestAlignIdentical(t *testing.T) {
	before := seedArticle(t)
	got := Align(before, slices.Clone(before))
	if !got.Identical() {
		t.Fatalf("identical revision: got %d unchanged of %d, removed %v", got.Count(Unchanged), len(before), got.Removed)
	}
	for j, m := range got.Matches {
		if m.Old != j || m.Similarity != 1 {
			t.Errorf("sentence %d: matched %d with similarity %v, want %d with 1", j, m.Old, m.Similarity, j)
		}
	}
}

// TestAlignThreshold places single edits in the example article and
// checks which side of MinSimilarity they fall on.
func TestAlignThreshold(t *testing.T) {
	before := seedArticle(t)
	tests := []struct {
		name    string
		find    string
		newText string
		want    Kind
	}{
		{
			name:    "corrected figure",
			find:    "decrease to 455",
			newText: "The number of US diplomats and Russian nationals employed by the US government will decrease to 445 after September.",
			want:    Changed,
		},
		{
			name:    "typo fixed",
			find:    "Democratic National Committee",
			newText: "It hacked the servers of the Democratic National Comittee and sent the contents of those emails to Wikileaks.",
			want:    Changed,
		},
		{
			name:    "clause added",
			find:    "seizing two US diplomatic",
			newText: "Russia has also announced that it will be seizing two US diplomatic properties, one in Moscow and one outside the city, officials said.",
			want:    Changed,
		},
		{
			name:    "words replaced",
			find:    "The bill targets",
			newText: "The bill targets the Russian energy, finance, rail, shipping, metals and mining sectors.",
			want:    Changed,
		},
		{
			name:    "headline reworded",
			find:    "755 US diplomats ousted",
			newText: "755 US diplomats expelled",
			want:    Changed,
		},
		{
			name:    "rewritten entirely",
			find:    "seizing two US diplomatic",
			newText: "Moscow will also take over a pair of American diplomatic compounds, the Kremlin said.",
			want:    New,
		},
		{
			name:    "rewritten with the same ending",
			find:    "Trump indicated that he would be signing",
			newText: "Trump has since said he will sign the bill.",
			want:    New,
		},
		{
			name:    "subject and object swapped",
			find:    "condemned by the European Union",
			newText: "The European Union has condemned the sanctions, saying they may hurt EU companies with interests in Russia.",
			want:    New,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := find(t, before, tt.find)
			got := Align(before, replaceText(before, i, tt.newText))
			m := got.Matches[i]
			if m.Kind != tt.want {
				t.Fatalf("got %s (similarity %.3f), want %s", m.Kind, m.Similarity, tt.want)
			}
			switch tt.want {
			case Changed:
				if m.Old != i || len(got.Removed) != 0 {
					t.Errorf("got old %d and removed %v, want old %d and nothing removed", m.Old, got.Removed, i)
				}
				checkDiff(t, m.Diff, before[i].Text, tt.newText)
			case New:
				if !slices.Equal(got.Removed, []int{i}) {
					t.Errorf("removed: got %v, want [%d]", got.Removed, i)
				}
			}
			if n := got.Count(Unchanged); n != len(before)-1 {
				t.Errorf("unchanged: got %d, want all %d others", n, len(before)-1)
			}
		})
	}
}

// TestAlignCases covers duplicates, one-to-one matching, moves combined
// with changes, white space and empty revisions.
func TestAlignCases(t *testing.T) {
	s := func(texts ...string) []Sentence {
		out := make([]Sentence, len(texts))
		for i, x := range texts {
			out[i] = Sentence{Index: i, Text: x}
		}
		return out
	}
	a := "The ministry said 40 people were hurt in the blast on Monday."
	b := "Rescue teams worked through the night to reach the trapped miners."
	c := "The company has not commented on the cause of the explosion."
	d := "Officials expect the mine to stay closed for at least a month."
	tests := []struct {
		name          string
		before, after []Sentence
		wantKinds     []Kind
		wantOld       []int
		wantRemoved   []int
	}{
		{
			name:   "nothing before",
			before: nil, after: s(a, b),
			wantKinds: []Kind{New, New}, wantOld: []int{-1, -1}, wantRemoved: []int{},
		},
		{
			name:   "nothing after",
			before: s(a, b), after: nil,
			wantKinds: []Kind{}, wantOld: []int{}, wantRemoved: []int{0, 1},
		},
		{
			name:   "a repeated sentence stays in place",
			before: s(a, b, a, c), after: s(a, b, a, c),
			wantKinds: []Kind{Unchanged, Unchanged, Unchanged, Unchanged}, wantOld: []int{0, 1, 2, 3}, wantRemoved: []int{},
		},
		{
			name:   "one of a repeated sentence removed",
			before: s(a, b, a, c), after: s(b, a, c),
			wantKinds: []Kind{Unchanged, Unchanged, Unchanged}, wantOld: []int{1, 2, 3}, wantRemoved: []int{0},
		},
		{
			name:   "sentences swapped: one stays, one moves",
			before: s(a, b, c, d), after: s(a, c, b, d),
			wantKinds: []Kind{Unchanged, Moved, Unchanged, Unchanged}, wantOld: []int{0, 2, 1, 3}, wantRemoved: []int{},
		},
		{
			name:   "re-spaced text is unchanged",
			before: s(a, b), after: s(strings.ReplaceAll(a, " ", "  ")+" ", b),
			wantKinds: []Kind{Unchanged, Unchanged}, wantOld: []int{0, 1}, wantRemoved: []int{},
		},
		{
			name:   "two near copies compete for one old sentence",
			before: s(a, b), after: s(strings.Replace(a, "40", "41", 1), strings.Replace(a, "40", "42", 1), b),
			wantKinds: []Kind{Changed, New, Unchanged}, wantOld: []int{0, -1, 1}, wantRemoved: []int{},
		},
		{
			name:   "moved to the end and changed",
			before: s(a, b, c, d), after: s(b, c, d, strings.Replace(a, "Monday", "Sunday", 1)),
			wantKinds: []Kind{Unchanged, Unchanged, Unchanged, Changed}, wantOld: []int{1, 2, 3, 0}, wantRemoved: []int{},
		},
		{
			name: "neighbours decide between two equally similar candidates",
			// The new figure is one digit from both old ones; the new
			// sentence sits between c and d, as the second one did.
			before:    s(a, strings.Replace(a, "40", "41", 1), b, c, strings.Replace(a, "40", "61", 1), d),
			after:     s(a, b, c, strings.Replace(a, "40", "51", 1), d),
			wantKinds: []Kind{Unchanged, Unchanged, Unchanged, Changed, Unchanged}, wantOld: []int{0, 2, 3, 4, 5}, wantRemoved: []int{1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Align(tt.before, tt.after)
			kinds, olds := []Kind{}, []int{}
			for _, m := range got.Matches {
				kinds = append(kinds, m.Kind)
				olds = append(olds, m.Old)
			}
			if !slices.Equal(kinds, tt.wantKinds) {
				t.Errorf("kinds: got %v, want %v", kinds, tt.wantKinds)
			}
			if !slices.Equal(olds, tt.wantOld) {
				t.Errorf("old positions: got %v, want %v", olds, tt.wantOld)
			}
			if !slices.Equal(got.Removed, tt.wantRemoved) {
				t.Errorf("removed: got %v, want %v", got.Removed, tt.wantRemoved)
			}
		})
	}
}

// TestAlignSynthetic aligns a generated 5,000-sentence article with known
// edits, checks every sentence's kind and counterpart, and checks that the
// approximate phase compared each unmatched sentence with a bounded number
// of candidates instead of with every unmatched one.
func TestAlignSynthetic(t *testing.T) {
	s := makeSynthetic(t, 5000)
	got, st := align(s.before, s.after)
	for j, m := range got.Matches {
		wantKind, wantOld := Unchanged, -1
		if old, ok := s.changed[j]; ok {
			wantKind, wantOld = Changed, old
		} else if old, ok := s.moved[j]; ok {
			wantKind, wantOld = Moved, old
		} else if slices.Contains(s.inserted, j) {
			wantKind = New
		}
		if m.Kind != wantKind || (wantOld >= 0 && m.Old != wantOld) {
			t.Errorf("sentence %d: got %s old %d, want %s old %d", j, m.Kind, m.Old, wantKind, wantOld)
		}
	}
	if !slices.Equal(got.Removed, s.removed) {
		t.Errorf("removed: got %d sentences, want %d", len(got.Removed), len(s.removed))
	}
	unmatched := len(s.changed) + len(s.inserted)
	if limit := unmatched * (2*windowEach + byWords); st.compared > limit {
		t.Errorf("similarity computations: got %d, want at most %d for %d unmatched sentences", st.compared, limit, unmatched)
	}
	t.Logf("%d sentences, %d changed, %d inserted, %d removed, %d moved; %d similarity computations",
		len(s.after), len(s.changed), len(s.inserted), len(s.removed), len(s.moved), st.compared)
}

// checkDiff checks that the diff rebuilds both texts.
func checkDiff(t *testing.T, ops []DiffOp, old, new string) {
	t.Helper()
	var o, n strings.Builder
	for _, op := range ops {
		switch op.Op {
		case OpEqual:
			o.WriteString(op.Text)
			n.WriteString(op.Text)
		case OpDelete:
			o.WriteString(op.Text)
		case OpInsert:
			n.WriteString(op.Text)
		default:
			t.Errorf("unknown op %q", op.Op)
		}
	}
	if o.String() != old || n.String() != new {
		t.Errorf("diff rebuilds %q and %q, want %q and %q", o.String(), n.String(), old, new)
	}
}
