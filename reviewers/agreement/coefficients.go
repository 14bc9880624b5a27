package agreement

// The coefficients are computed from the distribution of ratings by item
// and category: counts[i][k] is how many raters gave item i label k.

// rowTotal returns how many ratings an item received.
func rowTotal(row []int) int {
	t := 0
	for _, c := range row {
		t += c
	}
	return t
}

// percentAgreement is the observed agreement of Fleiss (1971) generalised
// by Gwet (2014, ch. 2) to items rated by different numbers of raters: for
// each item rated at least twice, the share of ordered pairs of its ratings
// that agree, averaged over those items. It returns the number of items it
// averaged over, and ok=false when there are none.
func percentAgreement(counts [][]int) (pa float64, pairable int, ok bool) {
	sum := 0.0
	for _, row := range counts {
		r := rowTotal(row)
		if r < 2 {
			continue
		}
		agree := 0
		for _, c := range row {
			agree += c * (c - 1)
		}
		sum += float64(agree) / float64(r*(r-1))
		pairable++
	}
	if pairable == 0 {
		return 0, 0, false
	}
	return sum / float64(pairable), pairable, true
}

// classShares returns π_k, the average over rated items of the share of an
// item's ratings that fall in category k (Gwet 2014; irrCAC's pi.vec).
// Items nobody rated are left out; an item rated once counts here although
// it cannot count for agreement.
func classShares(counts [][]int, q int) []float64 {
	pi := make([]float64, q)
	rated := 0
	for _, row := range counts {
		r := rowTotal(row)
		if r == 0 {
			continue
		}
		rated++
		for k, c := range row {
			pi[k] += float64(c) / float64(r)
		}
	}
	if rated > 0 {
		for k := range pi {
			pi[k] /= float64(rated)
		}
	}
	return pi
}

// fleissChance is Fleiss' chance agreement Σ π_k².
func fleissChance(pi []float64) float64 {
	pe := 0.0
	for _, p := range pi {
		pe += p * p
	}
	return pe
}

// gwetChance is Gwet's AC1 chance agreement Σ π_k(1-π_k) / (q-1)
// (Gwet 2008, eq. 14); ok is false for a scale of fewer than two categories.
func gwetChance(pi []float64) (pe float64, ok bool) {
	q := len(pi)
	if q < 2 {
		return 0, false
	}
	for _, p := range pi {
		pe += p * (1 - p)
	}
	return pe / float64(q-1), true
}

// chanceCorrected is (pa - pe) / (1 - pe), with ok=false when pe is 1.
func chanceCorrected(pa, pe float64) (float64, bool) {
	if pe >= 1 {
		return 0, false
	}
	return (pa - pe) / (1 - pe), true
}

// krippendorffNominal is Krippendorff's alpha for nominal data from the
// coincidence matrix (Krippendorff 2011, section C): each item with m ≥ 2
// values contributes every ordered pair of its values with weight 1/(m-1);
// alpha = 1 - (n-1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k. Items with fewer than
// two values are unpairable and left out. reason is set when alpha is
// undefined.
func krippendorffNominal(counts [][]int, q int) (alpha float64, reason string) {
	o := make([][]float64, q)
	for c := range o {
		o[c] = make([]float64, q)
	}
	for _, row := range counts {
		m := rowTotal(row)
		if m < 2 {
			continue
		}
		w := 1 / float64(m-1)
		for c, nc := range row {
			if nc == 0 {
				continue
			}
			for k, nk := range row {
				pairs := nc * nk
				if c == k {
					pairs = nc * (nc - 1)
				}
				o[c][k] += float64(pairs) * w
			}
		}
	}
	nc := make([]float64, q)
	n := 0.0
	for c := range o {
		for k := range o[c] {
			nc[c] += o[c][k]
		}
		n += nc[c]
	}
	if n < 2 {
		return 0, reasonNoPairs
	}
	observed, expected := 0.0, 0.0
	for c := range o {
		for k := range o[c] {
			if c != k {
				observed += o[c][k]
				expected += nc[c] * nc[k]
			}
		}
	}
	if expected == 0 {
		return 0, reasonNoVariety
	}
	return 1 - (n-1)*observed/expected, ""
}
