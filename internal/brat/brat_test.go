package brat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParse reads annotations of a text the test writes, with code point
// offsets past multi-byte letters, a discontinuous content span, a
// relation without a source and lines the reader skips.
func TestParse(t *testing.T) {
	text := "Zelenskyy’s aide said: “Ми готові.” Prices, reportedly, rose."
	//       0         1          2           3        4
	// Code points: "Zelenskyy’s aide" is 0–16, "said" 17–21, the quote 23–35.
	ann := "T1\tSource 0 16\tZelenskyy’s aide\n" +
		"T2\tCue 17 21\tsaid\n" +
		"T3\tContent 23 35\t“Ми готові.”\n" +
		"T4\tAttribution 17 21\tsaid\n" +
		"E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n" +
		"T5\tCue 44 54\treportedly\n" +
		"T6\tContent 36 42;56 60\tPrices rose\n" +
		"T7\tAttribution-no-source 44 54\treportedly\n" +
		"E2\tAttribution-no-source:T7 Cue:T5 Content:T6\n" +
		"#1\tAnnotatorNotes T1\ta note\n" +
		"T8\tDiscuss 0 4\tZele\n"
	rels, err := Parse(text, strings.NewReader(ann))
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 2 {
		t.Fatalf("%d relations, want 2", len(rels))
	}
	words := func(spans []Span) []string {
		var out []string
		for _, s := range spans {
			out = append(out, text[s.Start:s.End])
		}
		return out
	}
	checks := []struct {
		got  []string
		want string
	}{
		{words(rels[0].Source), "Zelenskyy’s aide"},
		{words(rels[0].Cue), "said"},
		{words(rels[0].Content), "“Ми готові.”"},
		{words(rels[1].Source), ""},
		{words(rels[1].Cue), "reportedly"},
		{words(rels[1].Content), "Prices|rose"},
	}
	for i, c := range checks {
		if got := strings.Join(c.got, "|"); got != c.want {
			t.Errorf("check %d: got %q, want %q", i, got, c.want)
		}
	}
}

// TestParseErrors checks that malformed offsets are errors.
func TestParseErrors(t *testing.T) {
	for _, ann := range []string{"T1\tSource\tno offsets\n", "T1\tSource 5 2\tbackwards\n", "T1\tSource a b\tletters\n"} {
		if _, err := Parse("some text here", strings.NewReader(ann)); err == nil {
			t.Errorf("Parse(%q): no error", ann)
		}
	}
}

// TestReadDir reads a corpus laid out as PolNeAR's (text/ and
// attributions/ with an annotator suffix) and one laid out flat.
func TestReadDir(t *testing.T) {
	for _, layout := range []string{"split", "flat"} {
		t.Run(layout, func(t *testing.T) {
			dir := t.TempDir()
			textDir, annDir := dir, dir
			if layout == "split" {
				textDir, annDir = filepath.Join(dir, "text"), filepath.Join(dir, "attributions")
				for _, d := range []string{textDir, annDir} {
					if err := os.Mkdir(d, 0o755); err != nil {
						t.Fatal(err)
					}
				}
			}
			write := func(path, s string) {
				if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write(filepath.Join(textDir, "b_story.txt"), "Lee said yes.")
			write(filepath.Join(annDir, "b_story_zz.ann"), "T1\tSource 0 3\tLee\nT2\tCue 4 8\tsaid\nT3\tContent 9 12\tyes\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n")
			write(filepath.Join(annDir, "b_story_aa.ann"), "T1\tCue 4 8\tsaid\nE1\tAttribution:T1 Cue:T1\n")
			write(filepath.Join(textDir, "a_story.txt"), "Nothing here.")
			write(filepath.Join(annDir, "a_story.ann"), "")
			docs, err := ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 2 || docs[0].Name != "a_story" || docs[1].Name != "b_story" {
				t.Fatalf("got %+v, want a_story then b_story", docs)
			}
			// The first annotator in name order ("aa") is read.
			if r := docs[1].Relations; len(r) != 1 || len(r[0].Source) != 0 {
				t.Errorf("b_story: got %+v, want the aa annotator's relation without a source", r)
			}
			write(filepath.Join(textDir, "c_story.txt"), "Unannotated.")
			if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "c_story.txt") {
				t.Errorf("a text without annotations: got %v, want an error naming it", err)
			}
		})
	}
}
