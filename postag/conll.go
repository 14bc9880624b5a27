package postag

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Word is one token of a CoNLL file as Stanford CoreNLP writes it, with
// every column. Form is CoreNLP's normalised form (two backquotes for an
// opening quote, "-LRB-" for "(", "n't" for "n’t"), which can differ from
// the text between Start and End.
type Word struct {
	Sent, Index int // sentence and token number, from 1
	Start, End  int // character (code point) offsets in the article text, end exclusive
	Form        string
	Lemma       string
	POS         string // Penn Treebank tag
	NER         string // named-entity class, "O" for none
	Head        int    // token number of the head in the sentence, 0 for the root
	Rel         string // basic dependency relation to the head
}

// Sentence is one sentence of a CoNLL file.
type Sentence struct {
	Number int // as the file numbers it, from 1
	Words  []Word
}

// Tagged returns the sentence as training material for the tagger.
func (s Sentence) Tagged() []Tagged {
	out := make([]Tagged, len(s.Words))
	for i, w := range s.Words {
		out[i] = Tagged{Word: w.Form, Tag: w.POS}
	}
	return out
}

// ReadCoNLL reads a CoreNLP CoNLL file: lines starting with "#" are
// comments, every other non-blank line is one token of ten TAB-separated
// columns (sentence, token, start, end, form, lemma, POS, NER, head,
// relation), and a blank line ends a sentence.
func ReadCoNLL(r io.Reader) ([]Sentence, error) {
	var (
		out  []Sentence
		cur  Sentence
		line int
	)
	flush := func() {
		if len(cur.Words) > 0 {
			out = append(out, cur)
		}
		cur = Sentence{}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(text, "#"):
			continue
		case strings.TrimSpace(text) == "":
			flush()
			continue
		}
		w, err := parseWord(text)
		if err != nil {
			return nil, fmt.Errorf("conll line %d: %w", line, err)
		}
		if len(cur.Words) > 0 && w.Sent != cur.Number {
			flush()
		}
		cur.Number = w.Sent
		cur.Words = append(cur.Words, w)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read conll: %w", err)
	}
	flush()
	return out, nil
}

func parseWord(line string) (Word, error) {
	f := strings.Split(line, "\t")
	if len(f) != 10 {
		return Word{}, fmt.Errorf("%d columns, want 10", len(f))
	}
	var n [5]int
	for i, k := range [5]int{0, 1, 2, 3, 8} {
		v, err := strconv.Atoi(f[k])
		if err != nil || v < 0 {
			return Word{}, fmt.Errorf("column %d: %q is not a number", k+1, f[k])
		}
		n[i] = v
	}
	if n[3] < n[2] {
		return Word{}, fmt.Errorf("token ends at %d before it starts at %d", n[3], n[2])
	}
	return Word{
		Sent: n[0], Index: n[1], Start: n[2], End: n[3],
		Form: f[4], Lemma: f[5], POS: f[6], NER: f[7], Head: n[4], Rel: f[9],
	}, nil
}

// Mention is one mention of a CoreNLP coreference chain.
type Mention struct {
	Chain          int    // the chain's number: mentions with the same number corefer
	Sent           int    // sentence number, from 1
	Start, End     int    // token numbers in the sentence, from 1, end exclusive
	Head           int    // token number of the mention's head
	Representative bool   // the chain's representative mention
	Text           string // the mention's words, as CoreNLP joined them
}

// ReadCoref reads a CoreNLP coreference file: a "#" header, then one
// mention a line, TAB-separated: chain, sentence, start, end, head,
// representative (1 or 0), text.
func ReadCoref(r io.Reader) ([]Mention, error) {
	var out []Mention
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		f := strings.SplitN(text, "\t", 7)
		if len(f) != 7 {
			return nil, fmt.Errorf("coref line %d: %d columns, want 7", line, len(f))
		}
		var n [6]int
		for i := range n {
			v, err := strconv.Atoi(f[i])
			if err != nil || v < 0 {
				return nil, fmt.Errorf("coref line %d: column %d: %q is not a number", line, i+1, f[i])
			}
			n[i] = v
		}
		if n[5] > 1 {
			return nil, fmt.Errorf("coref line %d: representative is %d, want 0 or 1", line, n[5])
		}
		if n[3] < n[2] {
			return nil, fmt.Errorf("coref line %d: mention ends at %d before it starts at %d", line, n[3], n[2])
		}
		out = append(out, Mention{
			Chain: n[0], Sent: n[1], Start: n[2], End: n[3], Head: n[4],
			Representative: n[5] == 1, Text: f[6],
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read coref: %w", err)
	}
	return out, nil
}
