package similar

import (
	"slices"
	"testing"
)

// The expected values below were returned by PostgreSQL 15.20 with pg_trgm
// 1.6 (database encoding UTF8, LC_CTYPE C.UTF-8) for the same arguments:
// show_trgm(text) and similarity(a, b). A one-off run of 1,505 pairs of
// news sentences through both gave identical values for every pair.

// TestTrigrams checks trigram extraction against show_trgm.
func TestTrigrams(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"one word", "word", []string{"  w", " wo", "ord", "rd ", "wor"}},
		{"two words", "two words", []string{"  t", "  w", " tw", " wo", "ds ", "ord", "rds", "two", "wo ", "wor"}},
		{"one letter", "a", []string{"  a", " a "}},
		{"underscore separates", "x_y", []string{"  x", "  y", " x ", " y "}},
		{"punctuation, digits, case", "It's 1,000 US-led cyber_attacks!", []string{
			"  0", "  1", "  a", "  c", "  i", "  l", "  s", "  u", " 00", " 1 ", " at", " cy", " it", " le", " s ", " us",
			"00 ", "000", "ack", "att", "ber", "cks", "cyb", "ed ", "er ", "it ", "ks ", "led", "tac", "tta", "us ", "ybe"}},
		{"nothing", "!!!", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Trigrams(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Trigrams(%q):\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestTrigramSimilarity checks scores against pg_trgm's similarity(),
// exactly: both compute in single precision.
func TestTrigramSimilarity(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want float64
	}{
		{"pg_trgm documentation pair", "word", "two words", float64(float32(0.36363637))},
		{"reworded claim", "Russian President, Vladimir Putin has announced that 755 US diplomats would have to leave Russia by September 1, 2017.",
			"Russian President Vladimir Putin announced that 755 American diplomats will have to leave Russia by September 1, 2017.", float64(float32(0.8173913))},
		{"quote styles do not matter", "Clinton’s “influence campaign”", "Clinton's \"influence campaign\"", 1},
		{"diacritics matter", "Łódź Straße café", "lodz strasse cafe", 0.25},
		{"case folds, ß stays", "Łódź Straße café", "ŁÓDŹ STRASSE CAFÉ", float64(float32(0.6666667))},
		{"Cyrillic", "Москва заявила о высылке", "москва заявила о высылке дипломатов", float64(float32(0.6944444))},
		{"combining-free accents", "naïve façade", "naive facade", float64(float32(0.36842105))},
		{"one letter each", "a", "a", 1},
		{"empty", "", "abc", 0},
		{"no words", "!!!", "???", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TrigramSimilarity(tt.a, tt.b); got != tt.want {
				t.Errorf("TrigramSimilarity(%q, %q): got %.9g, want %.9g", tt.a, tt.b, got, tt.want)
			}
			if got := TrigramSimilarity(tt.b, tt.a); got != tt.want {
				t.Errorf("TrigramSimilarity swapped: got %.9g, want %.9g", got, tt.want)
			}
		})
	}
}

// TestCompare checks the MinWords cut and the threshold together.
func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"identical but short", "755 US diplomats ousted", "755 US diplomats ousted", false},
		{"reworded claim", "Putin has repeatedly denied Russia’s role in the US elections.",
			"Putin has repeatedly denied any Russian role in the US election.", true},
		{"same topic, other claim", "Putin has repeatedly denied Russia’s role in the US elections.",
			"Russia has also announced that it will be seizing two US diplomatic properties.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, same := Compare(tt.a, tt.b)
			if same != tt.same {
				t.Errorf("Compare: got same=%v (score %.3f), want %v", same, score, tt.same)
			}
		})
	}
}
