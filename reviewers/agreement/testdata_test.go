package agreement

import (
	"math"
	"strconv"
	"testing"
)

// Published data sets and helpers that turn them into ratings.

// fromTable expands a two-rater contingency table (rows: first rater,
// columns: second rater) into the two raters' rating lists. Labels are
// "c0", "c1", … so that their sorted order is the table's order for up to
// ten categories.
func fromTable(t *testing.T, table [][]int) (a, b []string) {
	t.Helper()
	for i, row := range table {
		if len(row) != len(table) {
			t.Fatalf("table row %d has %d cells, want %d", i, len(row), len(table))
		}
		for j, n := range row {
			for range n {
				a = append(a, label(i))
				b = append(b, label(j))
			}
		}
	}
	return a, b
}

// fromDistribution expands a distribution of raters by item and category
// (dist[i][k]: how many raters put item i in category k) into rater rows:
// the item's ratings are handed out to raters 0, 1, … in category order,
// and raters beyond an item's total leave it blank. The coefficients of
// Multi depend only on the distribution, not on who gave which rating.
func fromDistribution(t *testing.T, dist [][]int) [][]string {
	t.Helper()
	raters := 0
	for _, row := range dist {
		raters = max(raters, rowTotal(row))
	}
	ratings := make([][]string, raters)
	for r := range ratings {
		ratings[r] = make([]string, len(dist))
	}
	for i, row := range dist {
		r := 0
		for k, n := range row {
			for range n {
				ratings[r][i] = label(k)
				r++
			}
		}
	}
	return ratings
}

// fromItems turns an items × raters table of integer codes (0 = missing)
// into rater rows.
func fromItems(t *testing.T, items [][]int) [][]string {
	t.Helper()
	ratings := make([][]string, len(items[0]))
	for r := range ratings {
		ratings[r] = make([]string, len(items))
		for i, row := range items {
			if len(row) != len(ratings) {
				t.Fatalf("item %d has %d ratings, want %d", i, len(row), len(ratings))
			}
			if row[r] != 0 {
				ratings[r][i] = strconv.Itoa(row[r])
			}
		}
	}
	return ratings
}

func label(k int) string { return "c" + strconv.Itoa(k) }

// approx checks a coefficient against a published value given to the
// published number of decimals.
func approx(t *testing.T, name string, got *float64, want float64, decimals int) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: got undefined, want %.*f", name, decimals, want)
		return
	}
	if tol := 0.5 * math.Pow(10, -float64(decimals)); math.Abs(*got-want) > tol*1.0001 {
		t.Errorf("%s: got %.*f, want %.*f", name, decimals+3, *got, decimals, want)
	}
}

// fleiss1971 is the psychiatric diagnosis data of Fleiss (1971), "Measuring
// nominal scale agreement among many raters", Psychological Bulletin 76:
// 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression,
// 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other), as
// distributed in the R package irr (data set `diagnoses`, items × raters).
var fleiss1971 = [][]int{
	{4, 4, 4, 4, 4, 4}, {2, 2, 2, 5, 5, 5}, {2, 3, 3, 3, 3, 5}, {5, 5, 5, 5, 5, 5},
	{2, 2, 2, 4, 4, 4}, {1, 1, 3, 3, 3, 3}, {3, 3, 3, 3, 5, 5}, {1, 1, 3, 3, 3, 4},
	{1, 1, 4, 4, 4, 4}, {5, 5, 5, 5, 5, 5}, {1, 4, 4, 4, 4, 4}, {1, 2, 4, 4, 4, 4},
	{2, 2, 2, 3, 3, 3}, {1, 4, 4, 4, 4, 4}, {2, 2, 4, 4, 4, 5}, {3, 3, 3, 3, 3, 5},
	{1, 1, 1, 4, 5, 5}, {1, 1, 1, 1, 1, 2}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 5, 5, 5},
	{5, 5, 5, 5, 5, 5}, {2, 4, 4, 4, 4, 4}, {2, 2, 4, 5, 5, 5}, {1, 1, 4, 4, 4, 4},
	{1, 4, 4, 4, 4, 5}, {2, 2, 2, 2, 2, 4}, {1, 1, 1, 1, 5, 5}, {2, 2, 4, 4, 4, 4},
	{1, 3, 3, 3, 3, 3}, {5, 5, 5, 5, 5, 5},
}

// wikipediaFleiss is the worked example of the English Wikipedia article
// "Fleiss' kappa" (section "Worked example"): 10 items, 14 raters,
// 5 categories, as counts per item and category.
var wikipediaFleiss = [][]int{
	{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
	{7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
}

// distrib6raters is irrCAC's data set distrib.6raters (Gwet, R package
// irrCAC, README/vignette "Calculating Chance-corrected Agreement
// Coefficients"): 15 psychiatric patients, 6 raters, counts per category
// (depression, personality disorder, schizophrenia, neurosis, other).
var distrib6raters = [][]int{
	{0, 0, 0, 6, 0}, {0, 3, 0, 0, 3}, {0, 1, 4, 0, 1}, {0, 0, 0, 0, 6}, {0, 3, 0, 3, 0},
	{2, 0, 4, 0, 0}, {0, 0, 4, 0, 2}, {2, 0, 3, 1, 0}, {2, 0, 0, 4, 0}, {0, 0, 0, 0, 6},
	{1, 0, 0, 5, 0}, {1, 1, 0, 4, 0}, {0, 3, 3, 0, 0}, {1, 0, 0, 5, 0}, {0, 2, 0, 3, 1},
}

// krippendorff2011 is the nominal example with missing values of
// Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011,
// section C): 12 units, observers A-D, 0 = missing; items × observers.
// irrCAC ships the same data as cac.raw4raters.
var krippendorff2011 = [][]int{
	{1, 1, 0, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
	{4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {0, 5, 5, 5}, {0, 0, 1, 1}, {0, 3, 0, 0},
}
