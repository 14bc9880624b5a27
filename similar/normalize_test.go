package similar

import (
	"slices"
	"testing"
)

// TestNormalize checks each folding Normalize promises.
func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case", "Putin ANNOUNCED", "putin announced"},
		{"curly and straight apostrophes", "Clinton’s campaign, Clinton's campaign", "clintons campaign clintons campaign"},
		{"quotation marks", "an “influence campaign” and \"influence campaign\" and «campagne»", "an influence campaign and influence campaign and campagne"},
		{"dashes and hyphens separate", "Over 1,000 employees — diplomats and cyber-attacks", "over 1000 employees diplomats and cyber attacks"},
		{"thousands separators", "1,000 and 1,000,000 and 12,5", "1000 and 1000000 and 12 5"},
		{"decimal points kept", "a 2.5% rise, then 3.", "a 2.5 rise then 3"},
		{"date commas separate", "September 1, 2017", "september 1 2017"},
		{"white space", "  two\t\nlines  ", "two lines"},
		{"trailing quote and apostrophe", "the diplomats’ ‘retaliate’", "the diplomats retaliate"},
		{"non-ASCII letters kept", "Łódź Straße", "łódź straße"},
		{"empty", "", ""},
		{"punctuation only", "…!?", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestWords checks word splitting and the MinWords cut.
func TestWords(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string
		eligible bool
	}{
		{"headline of four words", "755 US diplomats ousted", []string{"755", "us", "diplomats", "ousted"}, false},
		{"five words", "He denied it, he said.", []string{"he", "denied", "it", "he", "said"}, false},
		{"six words", "Putin has repeatedly denied Russia’s role.", []string{"putin", "has", "repeatedly", "denied", "russias", "role"}, true},
		{"empty", "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Words(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Words(%q): got %q, want %q", tt.in, got, tt.want)
			}
			if got := Eligible(tt.in); got != tt.eligible {
				t.Errorf("Eligible(%q): got %v, want %v", tt.in, got, tt.eligible)
			}
		})
	}
}
