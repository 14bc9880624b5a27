package postag

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"factdesk/internal/shared"
)

// tsv joins rows of space-separated columns with tabs and newlines; "_"
// stands for an empty line.
func tsv(rows ...string) string {
	var b strings.Builder
	for _, r := range rows {
		if r != "_" {
			b.WriteString(strings.Join(strings.Fields(r), "\t"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestReadCoNLL(t *testing.T) {
	// A text written for this test: "Taxes rose. “No,” she said."
	in := tsv(
		"# sent tok start end form lemma pos ner head deprel",
		"1 1 0 5 Taxes tax NNS O 2 nsubj",
		"1 2 6 10 rose rise VBD O 0 root",
		"1 3 10 11 . . . O 2 punct",
		"_",
		"2 1 12 13 `` `` `` O 5 punct",
		"2 2 13 15 No no UH O 5 discourse",
		"2 3 15 16 , , , O 5 punct",
		"2 4 16 17 '' '' '' O 5 punct",
		"2 5 18 21 she she PRP O 6 nsubj",
		"2 6 22 26 said say VBD O 0 root",
		"2 7 26 27 . . . O 6 punct",
		"_",
	)
	got, err := ReadCoNLL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0].Words) != 3 || len(got[1].Words) != 7 {
		t.Fatalf("got %d sentences, want 2 of 3 and 7 words: %+v", len(got), got)
	}
	want := Word{Sent: 2, Index: 5, Start: 18, End: 21, Form: "she", Lemma: "she", POS: "PRP", NER: "O", Head: 6, Rel: "nsubj"}
	if w := got[1].Words[4]; w != want {
		t.Errorf("word 2.5: got %+v, want %+v", w, want)
	}
	if got[1].Number != 2 {
		t.Errorf("second sentence number: got %d, want 2", got[1].Number)
	}
	tagged := got[1].Tagged()
	if tagged[0] != (Tagged{"``", "``"}) || tagged[5] != (Tagged{"said", "VBD"}) {
		t.Errorf("Tagged: got %v", tagged)
	}

	t.Run("no blank line at the end", func(t *testing.T) {
		s, err := ReadCoNLL(strings.NewReader(strings.TrimRight(in, "\n")))
		if err != nil || len(s) != 2 {
			t.Errorf("got %d sentences, %v; want 2", len(s), err)
		}
	})
	t.Run("sentence number changes without a blank line", func(t *testing.T) {
		s, err := ReadCoNLL(strings.NewReader(tsv("1 1 0 1 A a DT O 0 root", "2 1 2 3 B b NN O 0 root")))
		if err != nil || len(s) != 2 {
			t.Errorf("got %d sentences, %v; want 2", len(s), err)
		}
	})
	for name, bad := range map[string]string{
		"nine columns":   "1 1 0 5 Taxes tax NNS O 2",
		"not a number":   "1 x 0 5 Taxes tax NNS O 2 nsubj",
		"ends too early": "1 1 5 0 Taxes tax NNS O 2 nsubj",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadCoNLL(strings.NewReader(tsv(bad))); err == nil {
				t.Error("got no error")
			}
		})
	}
}

func TestReadCoref(t *testing.T) {
	in := "# chain\tsent\tstart\tend\thead\trepresentative\ttext\n" +
		"4\t1\t1\t3\t2\t1\tThe mayor\n" +
		"4\t2\t1\t2\t1\t0\tshe\n" +
		"7\t2\t3\t6\t5\t1\ta\tpart with a tab\n"
	got, err := ReadCoref(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Mention{
		{Chain: 4, Sent: 1, Start: 1, End: 3, Head: 2, Representative: true, Text: "The mayor"},
		{Chain: 4, Sent: 2, Start: 1, End: 2, Head: 1, Text: "she"},
		{Chain: 7, Sent: 2, Start: 3, End: 6, Head: 5, Representative: true, Text: "a\tpart with a tab"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	for name, bad := range map[string]string{
		"six columns":      "4\t1\t1\t3\t2\t1\n",
		"representative 2": "4\t1\t1\t3\t2\t2\tx\n",
		"ends too early":   "4\t1\t3\t1\t2\t1\tx\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadCoref(strings.NewReader(bad)); err == nil {
				t.Error("got no error")
			}
		})
	}
}

// TestReadCorpus reads the first articles of the training corpus and
// checks that tokens and mentions are consistent; it copies nothing.
func TestReadCorpus(t *testing.T) {
	dir := shared.Path(t, "data", "polnear-train", "train", "corenlp")
	files, err := filepath.Glob(filepath.Join(dir, "*.conll"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in %s: %v", dir, err)
	}
	slices.Sort(files)
	for _, path := range files[:10] {
		sents, err := readCoNLLFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sents {
			for i, w := range s.Words {
				if w.Index != i+1 || w.Sent != s.Number || w.Head > len(s.Words) || w.POS == "" {
					t.Fatalf("%s: sentence %d word %d: %+v", filepath.Base(path), s.Number, i+1, w)
				}
			}
		}
		f, err := os.Open(strings.TrimSuffix(path, ".conll") + ".coref")
		if err != nil {
			t.Fatal(err)
		}
		ms, err := ReadCoref(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, m := range ms {
			if m.Sent < 1 || m.Sent > len(sents) || m.Start < 1 || m.End <= m.Start || m.End-1 > len(sents[m.Sent-1].Words) {
				t.Fatalf("%s: mention %+v outside its sentence", filepath.Base(path), m)
			}
		}
	}
}
