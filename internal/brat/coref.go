package brat

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"factdesk/postag"
)

// Antecedents reads the CoreNLP annotation a corpus may ship beside a
// document (corenlp/NAME.conll and NAME.coref next to text/) and returns,
// for a byte range of the text that is a mention of a coreference chain,
// the head word of the chain's representative mention when that is a
// name (a proper noun): who "he" is. It
// returns nil, with no error, when the files are not there.
func Antecedents(dir string, doc Document) (func(start, end int) string, error) {
	base := filepath.Join(dir, "corenlp", doc.Name)
	cf, err := os.Open(base + ".conll")
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer cf.Close()
	sents, err := postag.ReadCoNLL(cf)
	if err != nil {
		return nil, fmt.Errorf("%s.conll: %w", base, err)
	}
	rf, err := os.Open(base + ".coref")
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer rf.Close()
	mentions, err := postag.ReadCoref(rf)
	if err != nil {
		return nil, fmt.Errorf("%s.coref: %w", base, err)
	}
	bytesAt := codePointOffsets(doc.Text)
	word := func(sent, tok int) (postag.Word, bool) {
		if sent < 1 || sent > len(sents) || tok < 1 || tok > len(sents[sent-1].Words) {
			return postag.Word{}, false
		}
		return sents[sent-1].Words[tok-1], true
	}
	type located struct {
		start, end int
		chain      int
	}
	var spans []located
	head := map[int]string{} // chain → representative's head word
	for _, m := range mentions {
		first, ok1 := word(m.Sent, m.Start)
		last, ok2 := word(m.Sent, m.End-1)
		if !ok1 || !ok2 || last.End >= len(bytesAt) {
			continue
		}
		spans = append(spans, located{bytesAt[first.Start], bytesAt[last.End], m.Chain})
		// Only a chain that names someone has a right person: its
		// representative's head is a proper noun.
		if h, ok := word(m.Sent, m.Head); ok && m.Representative && h.End < len(bytesAt) && strings.HasPrefix(h.POS, "NNP") {
			w := doc.Text[bytesAt[h.Start]:bytesAt[h.End]]
			if !pronouns[strings.ToLower(w)] {
				head[m.Chain] = w
			}
		}
	}
	return func(start, end int) string {
		for _, s := range spans {
			if s.start <= start && end <= s.end && s.end-s.start <= end-start+1 {
				return head[s.chain]
			}
		}
		return ""
	}, nil
}

var pronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "him": true, "her": true, "them": true,
	"his": true, "its": true, "their": true, "i": true, "we": true, "you": true}
