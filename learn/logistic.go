package learn

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Example is one training example of a classifier: its hashed features
// and its class.
type Example struct {
	Features []uint64
	Class    int
}

// Logistic trains a multinomial logistic regression with AdaGrad and L2
// regularisation. Unlike the perceptron's scores its probabilities are
// calibrated: of the answers given with probability 0.8, about 8 in 10
// are right (on data like the training data), which is what a suggestion's
// confidence promises.
type Logistic struct {
	Classes []string
	Epochs  int     // passes over the examples (default 15)
	Rate    float64 // AdaGrad's base step (default 0.2)
	L2      float64 // regularisation per example (default 1e-5)
	Seed    uint64  // for the order of the examples in each pass
}

// Train fits the model to examples. The examples are not changed.
func (l Logistic) Train(examples []Example) *Model {
	epochs, rate, l2 := l.Epochs, l.Rate, l.L2
	if epochs == 0 {
		epochs = 15
	}
	if rate == 0 {
		rate = 0.2
	}
	if l2 == 0 {
		l2 = 1e-5
	}
	k := len(l.Classes)
	type weights struct{ w, g2 []float64 }
	params := map[uint64]*weights{}
	get := func(h uint64) *weights {
		p := params[h]
		if p == nil {
			p = &weights{w: make([]float64, k), g2: make([]float64, k)}
			params[h] = p
		}
		return p
	}
	bias := &weights{w: make([]float64, k), g2: make([]float64, k)}
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(l.Seed, 0x5eed))
	scores := make([]float64, k)
	step := func(p *weights, grad []float64, reg bool) {
		for c := range k {
			g := grad[c]
			if reg {
				g += l2 * p.w[c]
			}
			if g == 0 {
				continue
			}
			p.g2[c] += g * g
			p.w[c] -= rate * g / math.Sqrt(p.g2[c]+1e-8)
		}
	}
	grad := make([]float64, k)
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			ex := examples[i]
			copy(scores, bias.w)
			for _, f := range ex.Features {
				if p := params[f]; p != nil {
					for c := range k {
						scores[c] += p.w[c]
					}
				}
			}
			Softmax(scores)
			for c := range k {
				grad[c] = scores[c]
			}
			grad[ex.Class]--
			step(bias, grad, false)
			for _, f := range ex.Features {
				step(get(f), grad, true)
			}
		}
	}
	w := make(map[uint64][]entry, len(params))
	for h, p := range params {
		for c, v := range p.w {
			if v != 0 {
				w[h] = append(w[h], entry{class: uint16(c), weight: float32(v)})
			}
		}
	}
	b := make([]float32, k)
	for c, v := range bias.w {
		b[c] = float32(v)
	}
	return build(slices.Clone(l.Classes), b, w)
}

// HashAll hashes feature strings, appending to dst.
func HashAll(dst []uint64, features []string) []uint64 {
	for _, f := range features {
		dst = append(dst, Hash(f))
	}
	return dst
}
