package reviewers_test

import (
	"testing"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestImportAttributionSkipsExcluded imports articles with a duplicate and
// a truncated teaser and checks the stored machine attributions: an
// excluded sentence has none, and no attribution is carried from it.
func TestImportAttributionSkipsExcluded(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		excluded []int // 0-based
		at       int   // the continuation after an excluded sentence
		speaker  string
		from     int // where the continuation's speaker is stated
	}{
		{
			name: "duplicate",
			body: "Carmel Industries closed its plant in Dunmore last spring.\n\n" +
				"Union officials said the company had moved the work to a cheaper site abroad.\n\n" +
				"The company has not commented.\n\n" +
				"Union officials said the company had moved the work to a cheaper site abroad. It also cut the pay of the staff who stayed.\n",
			excluded: []int{3}, at: 4, speaker: "Union officials", from: 1,
		},
		{
			name: "truncated teaser",
			body: "Warehouse fire under investigation\n\n" +
				"According to fire inspectors, the warehouse had no working alarms. The owner said the.. It had also failed two earlier inspections.\n\n" +
				"The owner said the alarms were being repaired.\n",
			excluded: []int{2}, at: 3, speaker: "fire inspectors", from: 1,
		},
	}
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newMachineEnv(t, db)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				d := e.importText(t, tc.body)
				for _, n := range tc.excluded {
					s := d.Sentences[n]
					if s.Status != codebook.Excluded {
						t.Fatalf("sentence %d %q: status %s, want excluded", n+1, s.Text, s.Status)
					}
					if s.Attribution != nil {
						t.Errorf("excluded sentence %d: got attribution %+v, want none", n+1, *s.Attribution)
					}
				}
				a := d.Sentences[tc.at].Attribution
				switch {
				case a == nil:
					t.Fatalf("sentence %d: no attribution, want %q carried over", tc.at+1, tc.speaker)
				case a.Speaker != tc.speaker || !a.CarriedOver || a.From == nil || *a.From != tc.from:
					from := -1
					if a.From != nil {
						from = *a.From
					}
					t.Errorf("sentence %d: got speaker %q carried %v from %d, want %q carried from %d",
						tc.at+1, a.Speaker, a.CarriedOver, from, tc.speaker, tc.from)
				}
			})
		}
	})
}
