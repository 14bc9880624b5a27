package postag

import (
	"bytes"
	"strings"
	"testing"
)

// tinyCorpus is a hand-made corpus: "word/TAG" tokens, one sentence a
// line. "record" and "vote" are nouns after a determiner and verbs after
// a pronoun or "to".
const tinyCorpus = `The/DT senator/NN will/MD vote/VB today/NN ./.
The/DT vote/NN was/VBD close/JJ ./.
They/PRP vote/VBP often/RB ./.
We/PRP record/VBP every/DT vote/NN ./.
The/DT record/NN shows/VBZ a/DT vote/NN ./.
She/PRP wants/VBZ to/TO record/VB the/DT vote/NN ./.
A/DT senator/NN said/VBD "/` + "``" + ` no/UH ./. "/''
Reporters/NNS record/VBP the/DT record/NN ./.
Senators/NNS want/VBP to/TO vote/VB ./.
The/DT reporters/NNS said/VBD the/DT vote/NN was/VBD close/JJ ./.`

func parseTiny(t *testing.T, corpus string) [][]Tagged {
	t.Helper()
	var out [][]Tagged
	for line := range strings.SplitSeq(corpus, "\n") {
		var s []Tagged
		for _, wt := range strings.Fields(line) {
			i := strings.LastIndexByte(wt, '/')
			if i <= 0 {
				t.Fatalf("bad token %q", wt)
			}
			s = append(s, Tagged{Word: wt[:i], Tag: wt[i+1:]})
		}
		out = append(out, s)
	}
	return out
}

func TestTrainLearnsTinyCorpus(t *testing.T) {
	sents := parseTiny(t, tinyCorpus)
	tagger, err := Train(sents, 10, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := tagger.Accuracy(sents); got != 1 {
		t.Errorf("accuracy on the training sentences: got %.3f, want 1", got)
	}
	for _, tc := range []struct{ words, want string }{
		{"They record the vote .", "PRP VBP DT NN ."},
		{"The reporters record the vote .", "DT NNS VBP DT NN ."},
	} {
		if got := strings.Join(tagger.Tag(strings.Fields(tc.words)), " "); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.words, got, tc.want)
		}
	}

	t.Run("deterministic", func(t *testing.T) {
		var a, b bytes.Buffer
		if err := tagger.Encode(&a); err != nil {
			t.Fatal(err)
		}
		again, err := Train(sents, 10, 3)
		if err != nil {
			t.Fatal(err)
		}
		if err := again.Encode(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("training twice gave different files")
		}
		decoded, err := Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		if got := decoded.Accuracy(sents); got != 1 {
			t.Errorf("decoded tagger's accuracy: got %.3f, want 1", got)
		}
		if got, want := strings.Join(decoded.Tags(), " "), "'' . DT JJ MD NN NNS PRP RB TO UH VB VBD VBP VBZ ``"; got != want {
			t.Errorf("tags: got %s, want %s", got, want)
		}
	})
}

func TestTrainTagDictionary(t *testing.T) {
	// "the" 25 times as DT: in the dictionary; "run" 12 times: not.
	var sents [][]Tagged
	for range 25 {
		sents = append(sents, []Tagged{{"the", "DT"}, {"run", "NN"}})
	}
	tagger, err := Train(sents, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := tagger.dict["the"]; !ok || tagger.tags[k] != "DT" {
		t.Errorf("dictionary: got %v", tagger.dict)
	}
	if len(tagger.dict) != 2 {
		t.Errorf("dictionary: got %d words, want 2", len(tagger.dict))
	}
	sents = append(sents, []Tagged{{"the", "NN"}})
	if tagger, err = Train(sents, 1, 1); err != nil {
		t.Fatal(err)
	}
	if _, ok := tagger.dict["the"]; ok {
		t.Error(`"the" with 1 tag in 26 other than DT is in the dictionary`)
	}
}

func TestTrainRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		sents      [][]Tagged
		iterations int
	}{
		"no sentences":  {nil, 5},
		"no iterations": {[][]Tagged{{{"a", "DT"}}}, 0},
		"untagged word": {[][]Tagged{{{"a", "DT"}, {"b", ""}}}, 5},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Train(tc.sents, tc.iterations, 1); err == nil {
				t.Error("got no error")
			}
		})
	}
}
