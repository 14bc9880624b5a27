package attribution

import (
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		cue  string
		want Kind
	}{
		{"said", KindSpeech},
		{"told reporters", KindSpeech},
		{"threatened", KindSpeech},
		{"claimed", KindClaim},
		{"accused", KindClaim},
		{"found", KindClaim},
		{"according to", KindReport},
		{"According to", KindReport},
		{"reportedly", KindReport},
		{"is reported to", KindReport},
		{"is said to", KindReport},
		{"are accused of", KindReport},
		{"it is understood", KindReport},
		{"announced", KindAnnounce},
		{"denied", KindAnnounce},
		{"was announced", KindAnnounce},
		{"condemned", KindReaction},
		{"have been condemned", KindReaction},
		{"Our assessment", KindOutlet},
		{"we believe", KindOutlet},
		{"In my view", KindOutlet},
		{"", KindNone},
		{"banana", KindNone},
	}
	for _, tc := range tests {
		t.Run(tc.cue, func(t *testing.T) {
			if got := KindOf(tc.cue); got != tc.want {
				t.Errorf("KindOf(%q) = %q, want %q", tc.cue, got, tc.want)
			}
			if got := (Attribution{Cue: tc.cue}).Kind(); got != tc.want {
				t.Errorf("Attribution.Kind() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseLexicon(t *testing.T) {
	if _, err := parseLexicon(wordsTxt); err != nil {
		t.Fatalf("embedded words.txt: %v", err)
	}
	tests := []struct {
		name, src, wantErr string
	}{
		{"entry before a section", "said\n[speech]\n", "before any section"},
		{"repeated section", "[speech]\nsaid\n[speech]\ntold\n", "repeated"},
		{"missing section", "[speech]\nsaid\n", "missing or empty"},
		{"verb in two kinds", strings.Replace(wordsTxt, "[claim]\n", "[claim]\nsaid\n", 1), "both"},
		{"medium without a bar", strings.Replace(wordsTxt, "[medium]\n", "[medium]\non the radio\n", 1), "no '|'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLexicon(tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	if v := Version(); len(v) != 8 {
		t.Errorf("Version() = %q, want 8 hex digits", v)
	}
}
