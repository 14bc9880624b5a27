package attribution

import (
	"testing"

	"factdesk/ingest"
	"factdesk/segment"
)

// FuzzExtract feeds arbitrary text through the segmenter and the
// extractor and checks what every result promises.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"According to US intelligence agencies, Kremlin interfered. It hacked the servers.",
		"“We waited.\n\nBut it will not be soon.” In an interview with Vesti TV Putin said so.",
		"\"Families,\" she said. \"More to do.\"",
		"‘Quoted’ — said, ,said said. By by according to",
		"Mr Smith, 52, who, said: and said \xff\xfe",
		"According to the union, wages fell. The firm is..\n\nAccording to the union, wages fell. The firm is reported to have lied.",
		"According to figures published by the city's finance department, debt rose. According to a report in the Times by Jane Roe's office.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ss := segment.Split(text)
		got := Extract(ss)
		if len(got) != len(ss) {
			t.Fatalf("got %d attributions for %d sentences", len(got), len(ss))
		}
		for i, a := range got {
			if a.IsZero() != (a.From == -1) {
				t.Errorf("sentence %d: %+v: zero %v but From %d", i, a, a.IsZero(), a.From)
			}
			if a.From >= len(ss) || a.From < -1 {
				t.Errorf("sentence %d: From %d outside the article", i, a.From)
			}
			if !a.IsZero() && a.Cue == "" {
				t.Errorf("sentence %d: attribution without a cue: %+v", i, a)
			}
		}
		checkRead(t, text, ss, Read(ss))
		// Read as the import reads it, no attribution is on or from an
		// excluded sentence.
		excluded := map[int]bool{}
		var ex []Exclusion
		for _, e := range ingest.Exclusions(ss) {
			excluded[e.Index] = true
			ex = append(ex, Exclusion{Index: e.Index, Of: e.Of})
		}
		for _, read := range []func([]segment.Sentence, []Exclusion) []Attribution{ExtractExcluding, ReadExcluding} {
			for i, a := range read(ss, ex) {
				if a.IsZero() != (a.From == -1) || a.From >= len(ss) || a.From < -1 {
					t.Errorf("sentence %d: %+v: zero %v but From %d", i, a, a.IsZero(), a.From)
				}
				if excluded[i] && !a.IsZero() || excluded[a.From] {
					t.Errorf("sentence %d (excluded %v): %+v names an excluded sentence", i, excluded[i], a)
				}
			}
		}
	})
}

// checkRead checks what the learned reader promises of every reading:
// one attribution per sentence, From inside the article, spans inside the text with a known role, and
// a confidence in [0, 1].
func checkRead(t *testing.T, text string, ss []segment.Sentence, got []Attribution) {
	t.Helper()
	if len(got) != len(ss) {
		t.Fatalf("Read: %d attributions for %d sentences", len(got), len(ss))
	}
	for i, a := range got {
		if a.IsZero() != (a.From == -1) || a.From >= len(ss) || a.From < -1 {
			t.Errorf("Read, sentence %d: %+v: zero %v but From %d", i, a, a.IsZero(), a.From)
		}
		if a.IsZero() && len(a.Spans) > 0 {
			t.Errorf("Read, sentence %d: spans without an attribution: %+v", i, a)
		}
		if a.Confidence < 0 || a.Confidence > 1 {
			t.Errorf("Read, sentence %d: confidence %v", i, a.Confidence)
		}
		for _, p := range a.Spans {
			if p.Start < 0 || p.End > len(text) || p.Start >= p.End || p.Role != RoleSource && p.Role != RoleCue && p.Role != RoleContent {
				t.Errorf("Read, sentence %d: span %+v is not a span of the text", i, p)
			}
		}
	}
}
