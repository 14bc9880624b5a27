package agreement

import "fmt"

// MultiResult is the agreement among any number of raters.
//
// Fleiss' kappa was defined for items that all have the same number of
// ratings. Items with fewer (a rater skipped them) are not dropped: the
// coefficients use Gwet's generalisation (Handbook, 4th ed., 2014; irrCAC's
// fleiss.kappa.raw and gwet.ac1.raw), which is the same as Fleiss' formula
// when every item has the same number of ratings. Observed agreement is
// averaged over the items rated at least twice (Pairable); the category
// shares π_k behind chance agreement are averaged over every item rated at
// least once (Rated); items nobody rated are ignored. Krippendorff's alpha
// handles missing ratings by its own definition: only values in items
// with at least two values are pairable.
type MultiResult struct {
	Items    int `json:"items"`    // items given
	Raters   int `json:"raters"`   // raters given
	Ratings  int `json:"ratings"`  // non-missing ratings
	Rated    int `json:"rated"`    // items rated at least once
	Pairable int `json:"pairable"` // items rated at least twice
	Complete int `json:"complete"` // items rated by every rater

	// Observed is the mean, over pairable items, of the share of pairs of
	// an item's ratings that agree.
	Observed *float64 `json:"observed,omitempty"`
	// Expected is Fleiss' chance agreement Σ_k π_k².
	Expected *float64 `json:"expected,omitempty"`
	// FleissKappa is (Observed - Expected) / (1 - Expected) (Fleiss 1971).
	FleissKappa *float64 `json:"fleiss_kappa,omitempty"`
	// ExpectedAC1 is Gwet's chance agreement Σ_k π_k(1-π_k)/(q-1).
	ExpectedAC1 *float64 `json:"expected_ac1,omitempty"`
	// GwetAC1 is (Observed - ExpectedAC1) / (1 - ExpectedAC1) (Gwet 2008).
	GwetAC1 *float64 `json:"gwet_ac1,omitempty"`
	// KrippendorffAlpha is Krippendorff's alpha for nominal data.
	KrippendorffAlpha *float64 `json:"krippendorff_alpha,omitempty"`

	// Counts gives, in scale order, how often each label was used.
	Counts []LabelCount `json:"counts"`
	// Undefined says, per coefficient JSON name, why it is missing.
	Undefined map[string]string `json:"undefined,omitempty"`
}

// Multi compares raters who labeled the same items. ratings[r][i] is rater
// r's label for item i (Missing when r did not rate it); every rater's row
// must have the same length. It is an error to give no rater, rows of
// different lengths, or, with fixed Categories, a label outside them.
func (o Options) Multi(ratings [][]string) (MultiResult, error) {
	if len(ratings) == 0 {
		return MultiResult{}, fmt.Errorf("compare raters: no raters")
	}
	items := len(ratings[0])
	for r, row := range ratings {
		if len(row) != items {
			return MultiResult{}, fmt.Errorf("compare raters: rater 0 rated %d items, rater %d rated %d", items, r, len(row))
		}
	}
	s, err := o.newScale(ratings...)
	if err != nil {
		return MultiResult{}, fmt.Errorf("compare raters: %w", err)
	}
	q := len(s.labels)
	res := MultiResult{Items: items, Raters: len(ratings)}
	counts := make([][]int, items)
	total := make([]int, q)
	for i := range items {
		counts[i] = make([]int, q)
		rated := 0
		for _, row := range ratings {
			if row[i] == Missing {
				continue
			}
			k := s.index[row[i]]
			counts[i][k]++
			total[k]++
			rated++
		}
		res.Ratings += rated
		if rated >= 1 {
			res.Rated++
		}
		if rated == len(ratings) {
			res.Complete++
		}
	}
	res.Counts = make([]LabelCount, q)
	for k, l := range s.labels {
		lc := LabelCount{Label: l, Count: total[k]}
		if res.Ratings > 0 {
			lc.Share = float64(total[k]) / float64(res.Ratings)
		}
		res.Counts[k] = lc
	}

	u := undefined{}
	pa, pairable, ok := percentAgreement(counts)
	res.Pairable = pairable
	if !ok {
		for _, name := range []string{"observed", "expected", "fleiss_kappa", "expected_ac1", "gwet_ac1", "krippendorff_alpha"} {
			u[name] = reasonNoPairs
		}
		res.Undefined = u
		return res, nil
	}
	pi := classShares(counts, q)
	res.Observed = u.set("observed", pa, "")
	pe := fleissChance(pi)
	res.Expected = u.set("expected", pe, "")
	kappa, ok := chanceCorrected(pa, pe)
	res.FleissKappa = u.set("fleiss_kappa", kappa, reasonIf(!ok, reasonOneLabel))
	if peAC1, ok := gwetChance(pi); ok {
		res.ExpectedAC1 = u.set("expected_ac1", peAC1, "")
		ac1, _ := chanceCorrected(pa, peAC1) // peAC1 ≤ 1-1/q < 1
		res.GwetAC1 = u.set("gwet_ac1", ac1, "")
	} else {
		u.set("expected_ac1", 0, reasonOneCat)
		u.set("gwet_ac1", 0, reasonOneCat)
	}
	alpha, why := krippendorffNominal(counts, q)
	res.KrippendorffAlpha = u.set("krippendorff_alpha", alpha, why)
	res.Undefined = u.orNil()
	return res, nil
}
