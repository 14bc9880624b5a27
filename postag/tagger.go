package postag

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"factdesk/learn"
)

// Tagger is a greedy left-to-right averaged-perceptron tagger after
// Honnibal's "A good part-of-speech tagger in about 200 lines of Python".
// It is read-only and safe for concurrent use.
type Tagger struct {
	model *learn.Model
	tags  []string       // the model's classes
	dict  map[string]int // forms that (nearly) always have one tag → that tag
}

//go:embed model.bin
var modelFile []byte

var defaultTagger = sync.OnceValue(func() *Tagger {
	t, err := Decode(bytes.NewReader(modelFile))
	if err != nil {
		panic(fmt.Sprintf("postag: embedded model: %v", err)) // a build defect
	}
	return t
})

// Default returns the tagger of the embedded weights, loaded on first use.
func Default() *Tagger { return defaultTagger() }

// Tags returns the tags the tagger can give, sorted.
func (t *Tagger) Tags() []string { return slices.Clone(t.tags) }

// Tag returns the Penn Treebank tag of each word of one sentence. Words
// are tokens as Tokenize splits them; curly and typewriter quotes,
// brackets and dashes may come as they are in the text. A typewriter
// double quote is taken to open or close by turns.
func (t *Tagger) Tag(words []string) []string {
	return t.tagForms(ptbForms(words, nil))
}

// TagTokens tags the tokens of one sentence, like Tag, using the spaces
// between the tokens to tell an opening typewriter quote from a closing
// one.
func (t *Tagger) TagTokens(toks []Token) []string {
	words := make([]string, len(toks))
	for i, tok := range toks {
		words[i] = tok.Text
	}
	return t.tagForms(ptbForms(words, tokenSides(toks)))
}

func (t *Tagger) tagForms(forms []string) []string {
	out := make([]string, len(forms))
	if len(forms) == 0 {
		return out
	}
	c := newContext(forms)
	scores := make([]float64, len(t.tags))
	feats := make([]uint64, 0, 32)
	prev, prev2, verb := start1, start2, start1
	for i, f := range forms {
		k, ok := t.dict[f]
		if !ok {
			feats = c.features(feats[:0], i, prev, prev2, verb)
			k = t.predict(feats, scores)
		}
		out[i] = t.tags[k]
		prev2, prev = prev, out[i]
		if strings.HasPrefix(prev, "VB") {
			verb = c.norms[i+2]
		}
	}
	return out
}

func (t *Tagger) predict(feats []uint64, scores []float64) int {
	t.model.Scores(nil, scores) // the bias
	t.model.AddHashed(feats, scores)
	k, _ := learn.Best(scores)
	return k
}

// fileMagic starts a tagger file; the digit is the format's version.
const fileMagic = "factdesk-postag-1\n"

// Encode writes the tagger as one file: a header, the tag dictionary
// (count, then each form and its tag's number, sorted by form) and the
// model in learn's format. The same tagger always gives the same bytes.
func (t *Tagger) Encode(w io.Writer) error {
	var buf bytes.Buffer
	buf.WriteString(fileMagic)
	forms := make([]string, 0, len(t.dict))
	for f := range t.dict {
		forms = append(forms, f)
	}
	slices.Sort(forms)
	putUvarint(&buf, uint64(len(forms)))
	for _, f := range forms {
		putUvarint(&buf, uint64(len(f)))
		buf.WriteString(f)
		putUvarint(&buf, uint64(t.dict[f]))
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write tagger: %w", err)
	}
	if err := t.model.Encode(w); err != nil {
		return fmt.Errorf("write tagger: %w", err)
	}
	return nil
}

// Decode reads a tagger written by Encode.
func Decode(r io.Reader) (*Tagger, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(fileMagic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != fileMagic {
		return nil, errors.New("read tagger: not a factdesk tagger file")
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n > 1<<24 {
		return nil, errors.New("read tagger: bad dictionary size")
	}
	dict := make(map[string]int, n)
	for range n {
		l, err := binary.ReadUvarint(br)
		if err != nil || l > 1<<10 {
			return nil, errors.New("read tagger: bad dictionary word")
		}
		f := make([]byte, l)
		if _, err := io.ReadFull(br, f); err != nil {
			return nil, fmt.Errorf("read tagger: %w", err)
		}
		k, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("read tagger: %w", err)
		}
		dict[string(f)] = int(k)
	}
	m, err := learn.Decode(br)
	if err != nil {
		return nil, fmt.Errorf("read tagger: %w", err)
	}
	t := &Tagger{model: m, tags: m.Classes(), dict: dict}
	for f, k := range dict {
		if k >= len(t.tags) {
			return nil, fmt.Errorf("read tagger: %q has tag number %d of %d", f, k, len(t.tags))
		}
	}
	return t, nil
}

func putUvarint(buf *bytes.Buffer, v uint64) {
	var b [binary.MaxVarintLen64]byte
	buf.Write(b[:binary.PutUvarint(b[:], v)])
}
