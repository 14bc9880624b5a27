package models

import (
	"testing"

	"factdesk/search"
)

// TestSearchBound checks the bound on a search's share of the index that
// picks how PostgreSQL reads it: the rarest word of a group, the sum of
// groups, prefixes summed over their words, exclusions ignored.
func TestSearchBound(t *testing.T) {
	ws := &wordStats{freq: map[string]float64{"said": 0.3, "interest": 0.05, "rates": 0.06, "sanctions": 0.05, "sanction": 0.01},
		floor: 0.001, listed: true}
	for q, want := range map[string]float64{
		"said":               0.3,
		`"interest rates"`:   0.05, // the planner multiplies: 0.003
		"said castellano":    0.001,
		"said OR interest":   0.35,
		"sanct*":             0.061,
		"said -interest":     0.3,
		"castellano OR said": 0.301,
	} {
		pq, err := search.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := ws.bound(pq)
		if !ok || got < want-1e-9 || got > want+1e-9 {
			t.Errorf("bound(%s) = %v, %v; want %v", q, got, ok, want)
		}
	}
	if _, ok := (&wordStats{}).bound(search.Query{}); ok {
		t.Error("a bound without statistics")
	}
}
