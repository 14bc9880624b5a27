package agreement

import "fmt"

// PairResult is the agreement between two raters. Only the items both of
// them rated count (N); an item one of them left blank is ignored.
type PairResult struct {
	Items int `json:"items"` // items given, rated or not
	N     int `json:"n"`     // items both raters rated

	// Observed is the share of the N items given the same label.
	Observed *float64 `json:"observed,omitempty"`
	// Expected is Cohen's chance agreement Σ_k p_a(k) p_b(k), from each
	// rater's own label distribution.
	Expected *float64 `json:"expected,omitempty"`
	// CohenKappa is (Observed - Expected) / (1 - Expected) (Cohen 1960).
	CohenKappa *float64 `json:"cohen_kappa,omitempty"`
	// ExpectedAC1 is Gwet's chance agreement Σ_k π_k(1-π_k)/(q-1), with
	// π_k the mean of the two raters' shares of label k and q the number
	// of categories on the scale.
	ExpectedAC1 *float64 `json:"expected_ac1,omitempty"`
	// GwetAC1 is (Observed - ExpectedAC1) / (1 - ExpectedAC1) (Gwet 2008).
	// Unlike kappa it stays close to the observed agreement when one label
	// dominates, as facts do in news.
	GwetAC1 *float64 `json:"gwet_ac1,omitempty"`
	// KrippendorffAlpha is Krippendorff's alpha for nominal data over the
	// N items.
	KrippendorffAlpha *float64 `json:"krippendorff_alpha,omitempty"`

	// Labels orders the rows and columns of Confusion and PerLabel.
	Labels []string `json:"labels"`
	// Confusion[i][j] counts the items the first rater labeled Labels[i]
	// and the second Labels[j].
	Confusion [][]int `json:"confusion"`
	// PerLabel holds, for each label, how often each rater used it.
	PerLabel []PairLabel `json:"per_label"`

	// Undefined says, per coefficient JSON name, why it is missing.
	Undefined map[string]string `json:"undefined,omitempty"`
}

// PairLabel is one label's row of a two-rater comparison.
type PairLabel struct {
	Label string `json:"label"`
	A     int    `json:"a"`    // items the first rater gave this label
	B     int    `json:"b"`    // items the second rater gave this label
	Both  int    `json:"both"` // items both gave this label
	// Specific is the specific (positive) agreement 2·Both/(A+B): of the
	// times either rater used the label, how often the other agreed. It is
	// omitted when neither used the label.
	Specific *float64 `json:"specific,omitempty"`
}

// Pairwise compares the ratings a and b that two raters gave the same
// items, in the same order. It is an error when their lengths differ or,
// with fixed Categories, a rating is not one of them; a comparison without
// any item rated by both is not an error but leaves the coefficients nil.
func (o Options) Pairwise(a, b []string) (PairResult, error) {
	if len(a) != len(b) {
		return PairResult{}, fmt.Errorf("compare raters: first rated %d items, second %d", len(a), len(b))
	}
	s, err := o.newScale(a, b)
	if err != nil {
		return PairResult{}, fmt.Errorf("compare raters: %w", err)
	}
	q := len(s.labels)
	res := PairResult{Items: len(a), Labels: s.labels, Confusion: make([][]int, q)}
	for i := range res.Confusion {
		res.Confusion[i] = make([]int, q)
	}
	var counts [][]int // per paired item, for Krippendorff's alpha
	for i := range a {
		if a[i] == Missing || b[i] == Missing {
			continue
		}
		ia, ib := s.index[a[i]], s.index[b[i]]
		res.Confusion[ia][ib]++
		row := make([]int, q)
		row[ia]++
		row[ib]++
		counts = append(counts, row)
		res.N++
	}
	rowSum, colSum := make([]int, q), make([]int, q)
	agree := 0
	for i := range q {
		for j := range q {
			rowSum[i] += res.Confusion[i][j]
			colSum[j] += res.Confusion[i][j]
		}
		agree += res.Confusion[i][i]
	}
	res.PerLabel = make([]PairLabel, q)
	for k, l := range s.labels {
		pl := PairLabel{Label: l, A: rowSum[k], B: colSum[k], Both: res.Confusion[k][k]}
		if pl.A+pl.B > 0 {
			v := 2 * float64(pl.Both) / float64(pl.A+pl.B)
			pl.Specific = &v
		}
		res.PerLabel[k] = pl
	}

	u := undefined{}
	if res.N == 0 {
		for _, name := range []string{"observed", "expected", "cohen_kappa", "expected_ac1", "gwet_ac1", "krippendorff_alpha"} {
			u[name] = "no item was rated by both raters"
		}
		res.Undefined = u
		return res, nil
	}
	n := float64(res.N)
	po := float64(agree) / n
	pe := 0.0
	pi := make([]float64, q)
	for k := range q {
		pa, pb := float64(rowSum[k])/n, float64(colSum[k])/n
		pe += pa * pb
		pi[k] = (pa + pb) / 2
	}
	res.Observed = u.set("observed", po, "")
	res.Expected = u.set("expected", pe, "")
	kappa, ok := chanceCorrected(po, pe)
	res.CohenKappa = u.set("cohen_kappa", kappa, reasonIf(!ok, reasonOneLabel))
	if peAC1, ok := gwetChance(pi); ok {
		res.ExpectedAC1 = u.set("expected_ac1", peAC1, "")
		ac1, _ := chanceCorrected(po, peAC1) // peAC1 ≤ 1-1/q < 1
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

// reasonIf returns reason when cond holds, and "" otherwise.
func reasonIf(cond bool, reason string) string {
	if cond {
		return reason
	}
	return ""
}

// RaterPair is the agreement of raters A and B, indexes into the ratings
// given to Pairs.
type RaterPair struct {
	A      int        `json:"a"`
	B      int        `json:"b"`
	Result PairResult `json:"result"`
}

// Pairs compares every pair of raters, in the order (0,1), (0,2), …,
// (1,2), …; ratings is laid out as for Multi.
func (o Options) Pairs(ratings [][]string) ([]RaterPair, error) {
	var out []RaterPair
	for a := range ratings {
		for b := a + 1; b < len(ratings); b++ {
			res, err := o.Pairwise(ratings[a], ratings[b])
			if err != nil {
				return nil, fmt.Errorf("raters %d and %d: %w", a, b, err)
			}
			out = append(out, RaterPair{A: a, B: b, Result: res})
		}
	}
	return out, nil
}
