package agreement

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestMultiPublished checks the several-rater coefficients against values
// published with their data.
func TestMultiPublished(t *testing.T) {
	type want struct {
		value    float64
		decimals int
	}
	tests := []struct {
		name    string
		source  string
		ratings func(t *testing.T) [][]string
		// nil entries are not published for this data set
		observed, expected, fleiss, expectedAC1, ac1, alpha *want
	}{
		{
			name:    "fleiss 1971 psychiatric diagnoses",
			source:  "Fleiss (1971), Psychological Bulletin 76:378-382, kappa 0.430; R irr kappam.fleiss(diagnoses) 0.4302445",
			ratings: func(t *testing.T) [][]string { return fromItems(t, fleiss1971) },
			fleiss:  &want{0.4302445, 7},
		},
		{
			name:     "wikipedia fleiss worked example",
			source:   `Wikipedia, "Fleiss' kappa", worked example: P-bar 0.378, P-bar_e 0.213, kappa 0.210`,
			ratings:  func(t *testing.T) [][]string { return fromDistribution(t, wikipediaFleiss) },
			observed: &want{0.378, 3}, expected: &want{0.213, 3}, fleiss: &want{0.210, 3},
		},
		{
			name: "irrCAC distrib.6raters",
			source: "Gwet, R package irrCAC, README: gwet.ac1.dist 0.4448007 (pa 0.5511111, pe 0.1914815), " +
				"fleiss.kappa.dist 0.4139265 (pe 0.2340741), krippen.alpha.dist 0.4204384",
			ratings:  func(t *testing.T) [][]string { return fromDistribution(t, distrib6raters) },
			observed: &want{0.5511111, 7}, expected: &want{0.2340741, 7}, fleiss: &want{0.4139265, 7},
			expectedAC1: &want{0.1914815, 7}, ac1: &want{0.4448007, 7}, alpha: &want{0.4204384, 7},
		},
		{
			name: "krippendorff 2011 nominal with missing values",
			source: `Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: alpha 0.743; ` +
				"the same data as irrCAC cac.raw4raters, README: krippen.alpha.raw 0.74342, gwet.ac1.raw 0.77544 " +
				"(pa 0.8181818, pe 0.1903212), fleiss.kappa.raw 0.76117 (pe 0.2387153)",
			ratings:  func(t *testing.T) [][]string { return fromItems(t, krippendorff2011) },
			alpha:    &want{0.74342, 5},
			observed: &want{0.8181818, 7}, expectedAC1: &want{0.1903212, 7}, ac1: &want{0.77544, 5},
			expected: &want{0.2387153, 7}, fleiss: &want{0.76117, 5},
		},
		{
			name: "two raters: fleiss is scott's pi",
			source: "Gwet, R package irrCAC, README, cont3x3abstractors: scott2.table 0.7962397 " +
				"(Fleiss' kappa for two raters is Scott's pi), gwet.ac1.table 0.8493305, krippen2.table 0.7972585",
			ratings: func(t *testing.T) [][]string {
				a, b := fromTable(t, [][]int{{13, 0, 0}, {0, 20, 7}, {0, 4, 56}})
				return [][]string{a, b}
			},
			fleiss: &want{0.7962397, 7}, ac1: &want{0.8493305, 7}, alpha: &want{0.7972585, 7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Multi(tt.ratings(t))
			if err != nil {
				t.Fatalf("Multi: %v", err)
			}
			check := func(name string, v *float64, w *want) {
				t.Helper()
				if w != nil {
					approx(t, name+" ("+tt.source+")", v, w.value, w.decimals)
				}
			}
			check("observed", got.Observed, tt.observed)
			check("expected", got.Expected, tt.expected)
			check("fleiss_kappa", got.FleissKappa, tt.fleiss)
			check("expected_ac1", got.ExpectedAC1, tt.expectedAC1)
			check("gwet_ac1", got.GwetAC1, tt.ac1)
			check("krippendorff_alpha", got.KrippendorffAlpha, tt.alpha)
		})
	}
}

// TestMultiCounts checks the item and label counts on Krippendorff's data:
// 12 units, 4 observers, 41 values, unit 12 unpairable, 8 units complete.
func TestMultiCounts(t *testing.T) {
	got, err := Multi(fromItems(t, krippendorff2011))
	if err != nil {
		t.Fatalf("Multi: %v", err)
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"items", got.Items, 12}, {"raters", got.Raters, 4}, {"ratings", got.Ratings, 41},
		{"rated", got.Rated, 12}, {"pairable", got.Pairable, 11}, {"complete", got.Complete, 8},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
		}
	}
	wantCounts := map[string]int{"1": 9, "2": 13, "3": 11, "4": 5, "5": 3}
	sum := 0.0
	for _, lc := range got.Counts {
		if lc.Count != wantCounts[lc.Label] {
			t.Errorf("count of %q: got %d, want %d", lc.Label, lc.Count, wantCounts[lc.Label])
		}
		sum += lc.Share
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("shares add up to %v, want 1", sum)
	}
}

// TestMultiAgreesWithPairwise checks that for two raters without missing
// ratings the shared quantities are the same whichever function computes
// them.
func TestMultiAgreesWithPairwise(t *testing.T) {
	a, b := fromTable(t, [][]int{{20, 5, 1}, {10, 15, 2}, {0, 3, 9}})
	p, err := Pairwise(a, b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Multi([][]string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		x, y *float64
	}{
		{"observed", p.Observed, m.Observed},
		{"gwet_ac1", p.GwetAC1, m.GwetAC1},
		{"krippendorff_alpha", p.KrippendorffAlpha, m.KrippendorffAlpha},
	} {
		if math.Abs(*c.x-*c.y) > 1e-12 {
			t.Errorf("%s: Pairwise %v, Multi %v", c.name, *c.x, *c.y)
		}
	}
}

// TestMultiMissing checks that unequal numbers of ratings per item are
// handled by the generalised formulas rather than by dropping items.
func TestMultiMissing(t *testing.T) {
	full := fromDistribution(t, wikipediaFleiss)
	complete, err := Multi(full)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a blank item changes nothing", func(t *testing.T) {
		withBlank := make([][]string, len(full))
		for r := range full {
			withBlank[r] = append(append([]string{}, full[r]...), Missing)
		}
		got, err := Multi(withBlank)
		if err != nil {
			t.Fatal(err)
		}
		if got.Items != 11 || got.Rated != 10 {
			t.Errorf("items, rated: got %d, %d, want 11, 10", got.Items, got.Rated)
		}
		if *got.FleissKappa != *complete.FleissKappa || *got.KrippendorffAlpha != *complete.KrippendorffAlpha {
			t.Errorf("kappa, alpha: got %v, %v, want %v, %v", *got.FleissKappa, *got.KrippendorffAlpha,
				*complete.FleissKappa, *complete.KrippendorffAlpha)
		}
	})
	t.Run("an item rated once counts for the shares only", func(t *testing.T) {
		once := make([][]string, len(full))
		for r := range full {
			v := Missing
			if r == 0 {
				v = label(0)
			}
			once[r] = append(append([]string{}, full[r]...), v)
		}
		got, err := Multi(once)
		if err != nil {
			t.Fatal(err)
		}
		if got.Pairable != 10 || got.Rated != 11 {
			t.Errorf("pairable, rated: got %d, %d, want 10, 11", got.Pairable, got.Rated)
		}
		if *got.Observed != *complete.Observed {
			t.Errorf("observed: got %v, want unchanged %v", *got.Observed, *complete.Observed)
		}
		if *got.Expected == *complete.Expected {
			t.Errorf("expected: unchanged at %v, want the single rating to shift the shares", *got.Expected)
		}
		// Krippendorff: an unpairable value is not counted at all.
		if *got.KrippendorffAlpha != *complete.KrippendorffAlpha {
			t.Errorf("alpha: got %v, want unchanged %v", *got.KrippendorffAlpha, *complete.KrippendorffAlpha)
		}
	})
}

// TestMultiUndefined covers data without a defined coefficient.
func TestMultiUndefined(t *testing.T) {
	tests := []struct {
		name          string
		opts          Options
		ratings       [][]string
		wantUndefined []string
	}{
		{
			name:          "nobody rated the same item twice",
			ratings:       [][]string{{"fact", ""}, {"", "quote"}, {"", ""}},
			wantUndefined: []string{"observed", "fleiss_kappa", "gwet_ac1", "krippendorff_alpha"},
		},
		{
			name:          "no items",
			ratings:       [][]string{{}, {}},
			wantUndefined: []string{"observed", "fleiss_kappa"},
		},
		{
			name:          "everyone always says fact",
			ratings:       [][]string{{"fact", "fact"}, {"fact", "fact"}, {"fact", "fact"}},
			wantUndefined: []string{"fleiss_kappa", "gwet_ac1", "krippendorff_alpha"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.opts.Multi(tt.ratings)
			if err != nil {
				t.Fatalf("Multi: %v", err)
			}
			raw, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			var top map[string]any
			if err := json.Unmarshal(raw, &top); err != nil {
				t.Fatalf("unmarshal %s: %v", raw, err)
			}
			for _, name := range tt.wantUndefined {
				if _, ok := top[name]; ok {
					t.Errorf("%s: present in %s, want omitted", name, raw)
				}
				if got.Undefined[name] == "" {
					t.Errorf("%s: no reason in %v", name, got.Undefined)
				}
			}
		})
	}
}

// TestMultiErrors covers input that is a mistake of the caller.
func TestMultiErrors(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		ratings [][]string
		want    string
	}{
		{"no raters", Options{}, nil, "no raters"},
		{"ragged rows", Options{}, [][]string{{"fact", "fact"}, {"fact"}}, "rater 1 rated 1"},
		{"label outside the scale", Options{Categories: []string{"fact"}}, [][]string{{"fact"}, {"claim"}}, `rater 1, item 0: label "claim"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.opts.Multi(tt.ratings)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error: got %v, want one containing %q", err, tt.want)
			}
		})
	}
}
