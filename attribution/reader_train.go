package attribution

import (
	"math/rand/v2"
	"slices"

	"factdesk/internal/brat"
	"factdesk/learn"
	"factdesk/postag"
	"factdesk/segment"
)

// goldTags gives each token of the document's sentences its tag from the
// annotated relations. A token in several relations (a nested
// attribution: "X said Y claimed Z") takes its role in the outermost one,
// the relation with the most content, since the sentence's speaker is the
// outer source.
func goldTags(doc brat.Document, sents []rsentence) [][]int {
	rels := slices.Clone(doc.Relations)
	slices.SortStableFunc(rels, func(a, b brat.Relation) int { return spanLen(b.Content) - spanLen(a.Content) })
	out := make([][]int, len(sents))
	for i, s := range sents {
		tags := make([]int, len(s.toks))
		for k, t := range s.toks {
			mid := (t.start + t.end) / 2
			for _, r := range rels {
				if tag := roleAt(r, mid); tag != tagOut {
					tags[k] = tag
					break
				}
			}
		}
		out[i] = tags
	}
	return out
}

func spanLen(spans []brat.Span) int {
	n := 0
	for _, s := range spans {
		n += s.End - s.Start
	}
	return n
}

// roleAt is the tag of byte at in relation r.
func roleAt(r brat.Relation, at int) int {
	in := func(spans []brat.Span) bool {
		for _, s := range spans {
			if at >= s.Start && at < s.End {
				return true
			}
		}
		return false
	}
	switch {
	case in(r.Source):
		return tagSource
	case in(r.Cue):
		return tagCue
	case in(r.Content):
		return tagContent
	}
	return tagOut
}

// trainingDoc is a document read for training.
type trainingDoc struct {
	sents []rsentence
	gold  [][]int
}

// prepare reads a document as the reader will: split, rules applied,
// tokens tagged.
func prepare(doc brat.Document, tag func([]postag.Token) []string) trainingDoc {
	segs := segment.Split(doc.Text)
	infos := analyse(segs)
	rules := extract(segs, nil)
	sents := readSentences(segs, infos, rules, tag)
	return trainingDoc{sents: sents, gold: goldTags(doc, sents)}
}

// TrainReader trains the reader's tagger on annotated documents with the
// given part-of-speech tagger (nil: none), for epochs passes in an order
// drawn from seed, and returns the averaged model.
func TrainReader(docs []brat.Document, tag func([]postag.Token) []string, epochs int, seed uint64) *learn.Model {
	prepared := make([]trainingDoc, len(docs))
	for i, d := range docs {
		prepared[i] = prepare(d, tag)
	}
	p := learn.NewPerceptron(readerTags)
	order := make([]int, len(prepared))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0xa77))
	var hashes []uint64
	scores := make([]float64, tagCount)
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, di := range order {
			d := prepared[di]
			prevSentence := tagOut
			for si := range d.sents {
				s := &d.sents[si]
				if s.parFirst {
					prevSentence = tagOut
				}
				p1, p2 := tagOut, tagOut
				for k := range s.toks {
					hashes = s.features(hashes[:0], k, p1, p2, prevSentence)
					guess, _ := learn.Best(p.Scores(hashes, scores))
					truth := d.gold[si][k]
					p.Learn(hashes, truth, guess)
					p1, p2 = guess, p1
				}
				if len(s.toks) > 0 {
					prevSentence = p1
				}
			}
		}
	}
	return p.Average()
}
