package realign

// similarity is 1 - d/max(|a|, |b|), d the Levenshtein distance between
// the rune strings a and b: the share of the longer text that survives the
// edit. Two empty texts are identical (1). When the similarity is certain
// to fall below floor the computation stops early and returns 0, so that
// rejecting an unrelated pair costs less than scoring it.
func similarity(a, b []rune, floor float64) float64 {
	longest := max(len(a), len(b))
	if longest == 0 {
		return 1
	}
	// Edits are usually local: strip the common ends so the quadratic
	// part only sees what changed.
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	limit := int((1 - floor) * float64(longest)) // the most edits still above floor
	d, ok := levenshtein(a, b, limit)
	if !ok {
		return 0
	}
	return 1 - float64(d)/float64(longest)
}

// levenshtein returns the edit distance between a and b, or ok=false as
// soon as it must exceed limit.
func levenshtein(a, b []rune, limit int) (int, bool) {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > limit {
		return 0, false
	}
	if len(b) == 0 {
		return len(a), true
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if del := prev[j] + 1; del < v {
				v = del
			}
			if ins := cur[j-1] + 1; ins < v {
				v = ins
			}
			cur[j] = v
			best = min(best, v)
		}
		// Every later row is at least the minimum of this one.
		if best > limit {
			return 0, false
		}
		prev, cur = cur, prev
	}
	if prev[len(b)] > limit {
		return 0, false
	}
	return prev[len(b)], true
}
