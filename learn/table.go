package learn

import "math/bits"

// table maps feature hashes to their runs of weights: open addressing
// with linear probing over two flat arrays, about twice as fast as a Go
// map for the random look-ups a tagger makes (one cache line for the key,
// one for its run). Key 0 marks an empty slot; a feature whose hash is 0
// is stored apart.
type table struct {
	keys  []uint64
	runs  []run
	shift uint // 64 - log2(len(keys))
	n     int
	zero  *run // the run of the feature whose hash is 0, if any
}

// newTable makes a table for n features, at most half full.
func newTable(n int) *table {
	size := 1 << max(4, bits.Len(uint(2*n)))
	return &table{keys: make([]uint64, size), runs: make([]run, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

// slot is where probing for h starts: Fibonacci hashing spreads FNV's
// bits over the table.
func (t *table) slot(h uint64) int {
	return int((h * 0x9E3779B97F4A7C15) >> t.shift)
}

func (t *table) put(h uint64, r run) {
	if h == 0 {
		t.zero = &r
		t.n++
		return
	}
	mask := len(t.keys) - 1
	for i := t.slot(h); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case 0:
			t.keys[i], t.runs[i] = h, r
			t.n++
			return
		case h:
			t.runs[i] = r
			return
		}
	}
}

func (t *table) get(h uint64) (run, bool) {
	if h == 0 {
		if t.zero == nil {
			return run{}, false
		}
		return *t.zero, true
	}
	mask := len(t.keys) - 1
	for i := t.slot(h); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case h:
			return t.runs[i], true
		case 0:
			return run{}, false
		}
	}
}

// each calls f for every key and its run, in no particular order.
func (t *table) each(f func(uint64, run)) {
	if t.zero != nil {
		f(0, *t.zero)
	}
	for i, k := range t.keys {
		if k != 0 {
			f(k, t.runs[i])
		}
	}
}
