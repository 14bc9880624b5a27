package agreement

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestPairwisePublished checks the two-rater coefficients against values
// published with their data.
func TestPairwisePublished(t *testing.T) {
	type want struct {
		value    float64
		decimals int
	}
	tests := []struct {
		name   string
		source string
		table  [][]int
		// nil entries are not published for this table
		observed, expected, kappa, ac1, alpha *want
	}{
		{
			name:     "wikipedia simple example",
			source:   `Wikipedia, "Cohen's kappa", section "Simple example": 50 grant proposals, p_o 0.7, p_e 0.5, kappa 0.4`,
			table:    [][]int{{20, 5}, {10, 15}},
			observed: &want{0.7, 3}, expected: &want{0.5, 3}, kappa: &want{0.4, 3},
		},
		{
			name:   "wikipedia same percentages, first table",
			source: `Wikipedia, "Cohen's kappa", section "Same percentages but different numbers": kappa 0.1304`,
			table:  [][]int{{45, 15}, {25, 15}},
			kappa:  &want{0.1304, 4}, observed: &want{0.6, 3},
		},
		{
			name:   "wikipedia same percentages, second table",
			source: `Wikipedia, "Cohen's kappa", section "Same percentages but different numbers": kappa 0.2593`,
			table:  [][]int{{25, 35}, {5, 35}},
			kappa:  &want{0.2593, 4}, observed: &want{0.6, 3},
		},
		{
			name:   "SAS PROC FREQ 3x3 example",
			source: "SAS simple kappa printout for the table [[0,4,1],[0,8,0],[0,1,5]], kappa 0.4842, as reproduced in statsmodels' test_inter_rater.py",
			table:  [][]int{{0, 4, 1}, {0, 8, 0}, {0, 1, 5}},
			kappa:  &want{0.4842, 4},
		},
		{
			name: "irrCAC cont3x3abstractors",
			source: "Gwet, R package irrCAC, README: kappa2.table 0.7964094, gwet.ac1.table 0.8493305, " +
				"krippen2.table 0.7972585, pa2.table 0.89",
			table:    [][]int{{13, 0, 0}, {0, 20, 7}, {0, 4, 56}},
			observed: &want{0.89, 2}, kappa: &want{0.7964094, 7}, ac1: &want{0.8493305, 7}, alpha: &want{0.7972585, 7},
		},
		{
			name: "krippendorff 2011 binary two observers",
			source: `Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section A: ` +
				"10 units, observers A 0100000010 and B 1110010000, alpha 0.095",
			// rows: A, columns: B; A=0,B=0: 5; A=0,B=1: 3; A=1,B=0: 1; A=1,B=1: 1
			table: [][]int{{5, 3}, {1, 1}},
			alpha: &want{0.095, 3},
		},
		{
			name: "kappa paradox: high agreement, near-zero kappa",
			source: "Table 1 of a hypothetical MRI example in PMC7222679 (kappa and Gwet's AC1 review): " +
				"p_o 0.675, p_e 0.668, kappa 0.022",
			table:    [][]int{{130, 56}, {9, 5}},
			observed: &want{0.675, 3}, expected: &want{0.668, 3}, kappa: &want{0.022, 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := fromTable(t, tt.table)
			got, err := Pairwise(a, b)
			if err != nil {
				t.Fatalf("Pairwise: %v", err)
			}
			check := func(name string, v *float64, w *want) {
				t.Helper()
				if w != nil {
					approx(t, name+" ("+tt.source+")", v, w.value, w.decimals)
				}
			}
			check("observed", got.Observed, tt.observed)
			check("expected", got.Expected, tt.expected)
			check("cohen_kappa", got.CohenKappa, tt.kappa)
			check("gwet_ac1", got.GwetAC1, tt.ac1)
			check("krippendorff_alpha", got.KrippendorffAlpha, tt.alpha)
			if got.N != len(a) {
				t.Errorf("N: got %d, want %d", got.N, len(a))
			}
			for i := range tt.table {
				if !slices.Equal(got.Confusion[i], tt.table[i]) {
					t.Errorf("confusion row %d: got %v, want %v", i, got.Confusion[i], tt.table[i])
				}
			}
		})
	}
}

// TestPairwiseParadox shows why AC1 is reported next to kappa: on the
// paradox table kappa is near zero although the raters agree on two items
// in three, while AC1 stays near the observed agreement. The AC1 value is
// ours (Gwet 2008, eq. 14, by hand: π = 0.8125, p_e = 0.3046875), not a
// published one.
func TestPairwiseParadox(t *testing.T) {
	a, b := fromTable(t, [][]int{{130, 56}, {9, 5}})
	got, err := Pairwise(a, b)
	if err != nil {
		t.Fatalf("Pairwise: %v", err)
	}
	approx(t, "expected_ac1", got.ExpectedAC1, 0.3046875, 7)
	approx(t, "gwet_ac1", got.GwetAC1, (0.675-0.3046875)/(1-0.3046875), 7)
	if *got.GwetAC1 < 10**got.CohenKappa {
		t.Errorf("AC1 %.3f should dwarf kappa %.3f on a skewed table", *got.GwetAC1, *got.CohenKappa)
	}
}

// TestPairwiseTables checks the confusion table, per-label counts and the
// handling of missing ratings.
func TestPairwiseTables(t *testing.T) {
	a := []string{"fact", "fact", "quote", "", "assessment", "fact"}
	b := []string{"fact", "quote", "quote", "fact", "assessment", ""}
	got, err := Pairwise(a, b)
	if err != nil {
		t.Fatalf("Pairwise: %v", err)
	}
	if got.Items != 6 || got.N != 4 {
		t.Errorf("items, n: got %d, %d, want 6, 4", got.Items, got.N)
	}
	if want := []string{"assessment", "fact", "quote"}; !slices.Equal(got.Labels, want) {
		t.Errorf("labels: got %q, want %q", got.Labels, want)
	}
	wantConfusion := [][]int{{1, 0, 0}, {0, 1, 1}, {0, 0, 1}}
	for i := range wantConfusion {
		if !slices.Equal(got.Confusion[i], wantConfusion[i]) {
			t.Errorf("confusion row %s: got %v, want %v", got.Labels[i], got.Confusion[i], wantConfusion[i])
		}
	}
	approx(t, "observed", got.Observed, 0.75, 9)
	fact := got.PerLabel[1]
	if fact.Label != "fact" || fact.A != 2 || fact.B != 1 || fact.Both != 1 {
		t.Errorf("fact row: got %+v, want a=2 b=1 both=1", fact)
	}
	approx(t, "fact specific agreement", fact.Specific, 2.0/3, 9)

	t.Run("fixed categories order the table and keep unused labels", func(t *testing.T) {
		cats := []string{"fact", "allegation", "quote", "assessment"}
		got, err := Options{Categories: cats}.Pairwise(a, b)
		if err != nil {
			t.Fatalf("Pairwise: %v", err)
		}
		if !slices.Equal(got.Labels, cats) {
			t.Errorf("labels: got %q, want %q", got.Labels, cats)
		}
		if got.PerLabel[1].Specific != nil {
			t.Errorf("allegation specific agreement: got %v, want omitted (nobody used it)", *got.PerLabel[1].Specific)
		}
		// Four categories instead of three change AC1's chance agreement:
		// π = (fact 3/8, quote 3/8, assessment 2/8, allegation 0).
		pe := (3.0/8*5/8 + 3.0/8*5/8 + 2.0/8*6/8) / 3
		approx(t, "expected_ac1 on the full scale", got.ExpectedAC1, pe, 9)
	})
}

// TestPairwiseUndefined covers the data on which coefficients have no
// value, and checks that results are then JSON without NaN.
func TestPairwiseUndefined(t *testing.T) {
	tests := []struct {
		name          string
		opts          Options
		a, b          []string
		wantUndefined []string
		wantDefined   []string
	}{
		{
			name:          "nothing rated by both",
			a:             []string{"fact", ""},
			b:             []string{"", "quote"},
			wantUndefined: []string{"observed", "expected", "cohen_kappa", "gwet_ac1", "krippendorff_alpha"},
		},
		{
			name:          "empty input",
			wantUndefined: []string{"observed", "cohen_kappa"},
		},
		{
			name:          "one label used by both raters",
			a:             []string{"fact", "fact", "fact"},
			b:             []string{"fact", "fact", "fact"},
			wantUndefined: []string{"cohen_kappa", "gwet_ac1", "krippendorff_alpha"},
			wantDefined:   []string{"observed", "expected"},
		},
		{
			name:          "one label used, full scale given",
			opts:          Options{Categories: []string{"fact", "allegation", "quote", "assessment"}},
			a:             []string{"fact", "fact", "fact"},
			b:             []string{"fact", "fact", "fact"},
			wantUndefined: []string{"cohen_kappa", "krippendorff_alpha"},
			wantDefined:   []string{"observed", "gwet_ac1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.opts.Pairwise(tt.a, tt.b)
			if err != nil {
				t.Fatalf("Pairwise: %v", err)
			}
			raw, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("unmarshal %s: %v", raw, err)
			}
			for _, name := range tt.wantUndefined {
				if _, ok := m[name]; ok {
					t.Errorf("%s: present in %s, want omitted", name, raw)
				}
				if got.Undefined[name] == "" {
					t.Errorf("%s: no reason given in %v", name, got.Undefined)
				}
			}
			for _, name := range tt.wantDefined {
				if _, ok := m[name]; !ok {
					t.Errorf("%s: missing from %s", name, raw)
				}
			}
			if strings.Contains(string(raw), "NaN") {
				t.Errorf("JSON holds NaN: %s", raw)
			}
		})
	}
	t.Run("AC1 on the full scale is 1 when both always agree", func(t *testing.T) {
		got, err := Options{Categories: []string{"fact", "quote"}}.Pairwise([]string{"fact", "fact"}, []string{"fact", "fact"})
		if err != nil {
			t.Fatalf("Pairwise: %v", err)
		}
		approx(t, "gwet_ac1", got.GwetAC1, 1, 9)
	})
}

// TestPairwiseErrors covers input that is a mistake of the caller.
func TestPairwiseErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		a, b []string
		want string
	}{
		{"different lengths", Options{}, []string{"fact"}, []string{"fact", "quote"}, "first rated 1 items, second 2"},
		{"label outside the scale", Options{Categories: []string{"fact"}}, []string{"fact"}, []string{"opinion"}, `"opinion" is not one of`},
		{"empty category", Options{Categories: []string{"fact", ""}}, nil, nil, "empty string"},
		{"duplicate category", Options{Categories: []string{"fact", "fact"}}, nil, nil, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.opts.Pairwise(tt.a, tt.b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error: got %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestPairwiseSymmetry checks that swapping the raters transposes the
// table and leaves every coefficient unchanged.
func TestPairwiseSymmetry(t *testing.T) {
	a, b := fromTable(t, [][]int{{13, 0, 2}, {1, 20, 7}, {0, 4, 56}})
	ab, err := Pairwise(a, b)
	if err != nil {
		t.Fatal(err)
	}
	ba, err := Pairwise(b, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		x, y *float64
	}{
		{"observed", ab.Observed, ba.Observed}, {"expected", ab.Expected, ba.Expected},
		{"cohen_kappa", ab.CohenKappa, ba.CohenKappa}, {"gwet_ac1", ab.GwetAC1, ba.GwetAC1},
		{"krippendorff_alpha", ab.KrippendorffAlpha, ba.KrippendorffAlpha},
	} {
		if math.Abs(*c.x-*c.y) > 1e-12 {
			t.Errorf("%s: got %v one way and %v the other", c.name, *c.x, *c.y)
		}
	}
	for i := range ab.Confusion {
		for j := range ab.Confusion {
			if ab.Confusion[i][j] != ba.Confusion[j][i] {
				t.Errorf("confusion[%d][%d]: got %d, want the transpose %d", i, j, ab.Confusion[i][j], ba.Confusion[j][i])
			}
		}
	}
}

// TestPairs checks that every pair of raters is compared once, in order,
// and that a bad pair is reported with its raters.
func TestPairs(t *testing.T) {
	ratings := fromItems(t, krippendorff2011)
	got, err := Options{}.Pairs(ratings)
	if err != nil {
		t.Fatalf("Pairs: %v", err)
	}
	want := [][2]int{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}
	if len(got) != len(want) {
		t.Fatalf("pairs: got %d, want %d", len(got), len(want))
	}
	for k, p := range got {
		if p.A != want[k][0] || p.B != want[k][1] {
			t.Errorf("pair %d: got (%d,%d), want %v", k, p.A, p.B, want[k])
		}
		single, err := Pairwise(ratings[p.A], ratings[p.B])
		if err != nil {
			t.Fatal(err)
		}
		if p.Result.N != single.N {
			t.Errorf("pair (%d,%d): n %d, Pairwise gives %d", p.A, p.B, p.Result.N, single.N)
		}
	}
	// Observers A and B both rated units 1-9: n 9; A and C share 8 units.
	if got[0].Result.N != 9 || got[1].Result.N != 8 {
		t.Errorf("n of (A,B) and (A,C): got %d and %d, want 9 and 8", got[0].Result.N, got[1].Result.N)
	}
	_, err = Options{Categories: []string{"1", "2", "3", "4"}}.Pairs(ratings)
	if err == nil || !strings.Contains(err.Error(), "raters 0 and 1") {
		t.Errorf("label 5 outside the scale: got error %v, want one naming raters 0 and 1", err)
	}
}
