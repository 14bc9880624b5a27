package learn

import (
	"math"
	"slices"
)

// Perceptron trains an averaged multiclass perceptron (Collins 2002, as
// in Honnibal's tagger): on a wrong guess the features' weights move
// towards the truth and away from the guess, and the model kept is the
// average of the weights over every example seen, which generalises far
// better than the last weights.
type Perceptron struct {
	classes []string
	params  map[uint64][]param
	bias    []param
	seen    int // examples seen: the clock the averages are kept against
}

// param is one weight during training, with what averaging needs.
type param struct {
	class  uint16
	weight float64
	total  float64 // sum of the weight over the examples before stamp
	stamp  int     // when weight last changed
}

// NewPerceptron starts training a perceptron over the given classes.
func NewPerceptron(classes []string) *Perceptron {
	p := &Perceptron{classes: slices.Clone(classes), params: map[uint64][]param{}}
	p.bias = make([]param, len(classes))
	for i := range p.bias {
		p.bias[i].class = uint16(i)
	}
	return p
}

// Scores are the current (not averaged) scores of features, for the guess
// during training.
func (p *Perceptron) Scores(features []uint64, scores []float64) []float64 {
	if len(scores) != len(p.classes) {
		scores = make([]float64, len(p.classes))
	}
	for i, b := range p.bias {
		scores[i] = b.weight
	}
	for _, f := range features {
		for _, q := range p.params[f] {
			scores[q.class] += q.weight
		}
	}
	return scores
}

// Learn counts one example with the given hashed features, true class
// and guessed class, and updates the weights when the guess is wrong.
func (p *Perceptron) Learn(features []uint64, truth, guess int) {
	p.seen++
	if truth == guess {
		return
	}
	p.bump(&p.bias[truth], 1)
	p.bump(&p.bias[guess], -1)
	for _, f := range features {
		ps := p.params[f]
		ps = p.update(ps, truth, 1)
		ps = p.update(ps, guess, -1)
		p.params[f] = ps
	}
}

func (p *Perceptron) update(ps []param, class int, by float64) []param {
	for i := range ps {
		if int(ps[i].class) == class {
			p.bump(&ps[i], by)
			return ps
		}
	}
	ps = append(ps, param{class: uint16(class), stamp: p.seen})
	p.bump(&ps[len(ps)-1], by)
	return ps
}

func (p *Perceptron) bump(q *param, by float64) {
	q.total += float64(p.seen-q.stamp) * q.weight
	q.stamp = p.seen
	q.weight += by
}

// Average returns the model of the averaged weights. Weights whose
// magnitude rounds to zero at the file's precision are dropped.
func (p *Perceptron) Average() *Model {
	avg := func(q param) float64 {
		total := q.total + float64(p.seen-q.stamp)*q.weight
		return total / float64(max(p.seen, 1))
	}
	w := make(map[uint64][]entry, len(p.params))
	for h, ps := range p.params {
		for _, q := range ps {
			if a := avg(q); a != 0 && !math.IsNaN(a) {
				w[h] = append(w[h], entry{class: q.class, weight: float32(a)})
			}
		}
	}
	bias := make([]float32, len(p.classes))
	for i, q := range p.bias {
		bias[i] = float32(avg(q))
	}
	return build(p.classes, bias, w)
}

// build assembles a model from per-feature weights, sorted so that the
// same weights always give the same model and file.
func build(classes []string, bias []float32, w map[uint64][]entry) *Model {
	keys := make([]uint64, 0, len(w))
	for h := range w {
		keys = append(keys, h)
	}
	slices.Sort(keys)
	m := &Model{classes: slices.Clone(classes), bias: bias, index: newTable(len(keys))}
	for _, h := range keys {
		es := w[h]
		slices.SortFunc(es, func(a, b entry) int { return int(a.class) - int(b.class) })
		m.index.put(h, run{start: int32(len(m.entries)), n: int32(len(es))})
		m.entries = append(m.entries, es...)
	}
	return m
}
