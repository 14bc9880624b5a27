package reviewers

import (
	"testing"

	"factdesk/models"
	"factdesk/realign"
)

// TestCarryState is the rule for a matched sentence's check in a new
// revision, case by case.
func TestCarryState(t *testing.T) {
	unreviewed := models.SentenceState{Status: "unreviewed", Version: 1}
	excluded := models.SentenceState{Status: "excluded", ExcludeReason: "a duplicate", Version: 1}
	verified := models.SentenceState{Label: "fact", Status: "verified", Verdict: "True", Note: "checked", Version: 4}
	for _, tc := range []struct {
		name         string
		kind         realign.Kind
		old, initial models.SentenceState
		want         models.SentenceState
	}{
		{"unchanged keeps everything", realign.Unchanged, verified, unreviewed, verified},
		{"moved keeps everything", realign.Moved, verified, unreviewed, verified},
		{"moved keeps a person's exclusion", realign.Moved, models.SentenceState{Status: "excluded", ExcludeReason: "boilerplate"}, unreviewed,
			models.SentenceState{Status: "excluded", ExcludeReason: "boilerplate"}},
		{"changed goes back to labeled with its verdict and note", realign.Changed, verified, unreviewed,
			models.SentenceState{Label: "fact", Status: "labeled", Verdict: "True", Note: "checked", Version: 4}},
		{"changed without a label is unreviewed", realign.Changed, models.SentenceState{Status: "unreviewed", Note: "look again"}, unreviewed,
			models.SentenceState{Status: "unreviewed", Note: "look again"}},
		{"changed and excluded now takes the new exclusion", realign.Changed, models.SentenceState{Status: "excluded", ExcludeReason: "teaser"}, excluded,
			models.SentenceState{Status: "excluded", ExcludeReason: "a duplicate"}},
		{"changed, once excluded, now a claim", realign.Changed, models.SentenceState{Status: "excluded", ExcludeReason: "teaser"}, unreviewed,
			models.SentenceState{Status: "unreviewed"}},
		{"changed keeps an accepted suggestion's mark", realign.Changed, models.SentenceState{Label: "quote", Status: "disputed", Suggested: true}, unreviewed,
			models.SentenceState{Label: "quote", Status: "labeled", Suggested: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := carryState(tc.kind, tc.old, tc.initial); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
