package postag

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"factdesk/learn"
)

// tagText tokenizes and tags a sentence, returning its tokens and tags
// joined by spaces.
func tagText(t *Tagger, text string) (string, string) {
	toks := Tokenize(text)
	words := make([]string, len(toks))
	for i, tok := range toks {
		words[i] = tok.Text
	}
	return strings.Join(words, " "), strings.Join(t.TagTokens(toks), " ")
}

func TestDefaultTagsPlainSentences(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"The senator said on Tuesday that taxes would rise.", "DT NN VBD IN NNP IN NNS MD VB ."},
		{"She has not voted since 2012.", "PRP VBZ RB VBN IN CD ."},
		{"Two reporters asked whether the governor's office had released the data.", "CD NNS VBD IN DT NN POS NN VBD VBN DT NNS ."},
		{"They are voting for him because he promised new jobs.", "PRP VBP VBG IN PRP IN PRP VBD JJ NNS ."},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if _, got := tagText(Default(), tc.text); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestDefaultRecorded pins what the shipped model says of a few sentences
// written for this test, hard cases included. A retrained model may
// change them; look at the differences before updating them.
func TestDefaultRecorded(t *testing.T) {
	for _, tc := range []struct{ text, tokens, tags string }{
		{`"We won't back down," Mr. Smith told the committee's chairman.`,
			`" We wo n't back down , " Mr. Smith told the committee 's chairman .`,
			"`` PRP MD RB RB RB , '' NNP NNP VBD DT NN POS NN ."},
		{"According to the campaign, the governor's plan would cost $4.5 billion over 10 years.",
			"According to the campaign , the governor 's plan would cost $ 4.5 billion over 10 years .",
			"VBG TO DT NN , DT NN POS NN MD VB $ CD CD IN CD NNS ."},
		{"I cannot believe they're gonna cut 5% of the budget—again.",
			"I can not believe they 're gon na cut 5 % of the budget — again .",
			"PRP MD RB VB PRP VBP VBG TO VB CD NN IN DT NN : RB ."},
		{"The mayor, who spoke to reporters, denied the report: “It’s simply false.”",
			"The mayor , who spoke to reporters , denied the report : “ It ’s simply false . ”",
			"DT NN , WP VBD TO NNS , VBD DT NN : `` PRP VBZ RB JJ . ''"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			toks, tags := tagText(Default(), tc.text)
			if toks != tc.tokens {
				t.Errorf("tokens: got  %s\n            want %s", toks, tc.tokens)
			}
			if tags != tc.tags {
				t.Errorf("tags: got  %s\n          want %s", tags, tc.tags)
			}
		})
	}
}

func TestQuotes(t *testing.T) {
	text := `"Yes," he said, "we will."`
	want := "`` UH , '' PRP VBD , `` PRP MD . ''"
	t.Run("TagTokens", func(t *testing.T) {
		if _, got := tagText(Default(), text); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
	t.Run("Tag", func(t *testing.T) {
		var words []string
		for _, tok := range Tokenize(text) {
			words = append(words, tok.Text)
		}
		if got := strings.Join(Default().Tag(words), " "); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
	t.Run("closing first", func(t *testing.T) {
		// Only the spaces tell that this quote closes.
		toks := Tokenize(`it." Then`)
		if got, want := Default().TagTokens(toks)[2], "''"; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	})
	t.Run("forms", func(t *testing.T) {
		for _, tc := range []struct{ words, want string }{
			{`" a " b " c "`, "`` a '' b `` c ''"},
			{`a b . "`, "a b . ''"},
			{`' a ' b`, "` a ' b"},
			{"“ ( ’s ) — … ”", "`` -LRB- 's -RRB- -- ... ''"},
			{"can’t O’Brien", "can't O'Brien"},
		} {
			if got := strings.Join(ptbForms(strings.Fields(tc.words), nil), " "); got != tc.want {
				t.Errorf("%s: got %s, want %s", tc.words, got, tc.want)
			}
		}
	})
}

func TestTagEmpty(t *testing.T) {
	if got := Default().Tag(nil); len(got) != 0 {
		t.Errorf("got %v, want no tags", got)
	}
}

func TestDefaultConcurrent(t *testing.T) {
	want := strings.Fields("DT NN VBD IN NNP IN NNS MD VB .")
	words := strings.Fields("The senator said on Tuesday that taxes would rise .")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := Default().Tag(words); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("got %v, want %v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestEmbeddedModelEncodesToItself(t *testing.T) {
	var buf bytes.Buffer
	if err := Default().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), modelFile) {
		t.Errorf("re-encoding the embedded model gave %d bytes that differ from its %d", buf.Len(), len(modelFile))
	}
}

func TestDecodeRejectsOtherFiles(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":      nil,
		"learn file": modelFile[len(fileMagic)+20:],
		"truncated":  modelFile[:len(modelFile)/2],
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Decode(bytes.NewReader(b)); err == nil {
				t.Error("got no error")
			}
		})
	}
}

func TestFeatureHashIsLearnHash(t *testing.T) {
	got := uint64(name("i-1 tag+i word").with("NN").with("said"))
	if want := learn.Hash("i-1 tag+i word\x1fNN\x1fsaid"); got != want {
		t.Errorf("got %#x, want %#x", got, want)
	}
}

// benchSentence is a 30-word sentence written for the benchmark.
const benchSentence = `The governor told reporters on Monday that the state's new budget, which passed 52-48, would cut "wasteful" spending by $3.2 billion over two years.`

// BenchmarkTag tags one sentence of 31 tokens; Tokenize is the baseline.
func BenchmarkTag(b *testing.B) {
	tagger := Default()
	toks := Tokenize(benchSentence)
	words := make([]string, len(toks))
	for i, tok := range toks {
		words[i] = tok.Text
	}
	b.Run("Tokenize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Tokenize(benchSentence)
		}
	})
	b.Run("Tag", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tagger.Tag(words)
		}
	})
	b.Run("TagTokens", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tagger.TagTokens(toks)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(modelFile)); err != nil {
			b.Fatal(err)
		}
	}
}
