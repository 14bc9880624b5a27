// Package learn holds the linear models factdesk's machine reader is made
// of: an averaged perceptron for taggers and a logistic regression for
// calibrated classifiers, both over sparse string features, and one
// compact, deterministic file format for their weights, which the binary
// embeds. Training is deterministic: the same examples in the same order
// with the same seed give the same bytes.
//
// It knows nothing of language; callers turn text into features.
package learn

import "math"

// Hash is the key a feature string is stored under: 64-bit FNV-1a. At the
// million features a model holds a collision is vanishingly unlikely, and
// a hash keeps the file and the lookup small.
func Hash(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// HashParts is Hash of the parts joined, without joining them: FNV-1a
// reads bytes one at a time, so Hash("w=" + word) == HashParts("w=",
// word). Callers that build a feature of several strings per word use it
// to spare the allocation.
func HashParts(parts ...string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range parts {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= prime
		}
	}
	return h
}

// run is where one feature's entries lie in Model.entries.
type run struct {
	start int32
	n     int32
}

// entry is one feature's weight for one class.
type entry struct {
	class  uint16
	weight float32
}

// Model is a trained linear model ready for prediction: for each feature
// the weights of the classes it speaks for. It is read-only and safe for
// concurrent use.
type Model struct {
	classes []string
	index   *table // feature hash → its weights in entries
	entries []entry
	bias    []float32 // per class, the weight of the always-on feature
}

// Classes returns the class names in the model's order.
func (m *Model) Classes() []string { return m.classes }

// Class returns the index of the class named name, or -1.
func (m *Model) Class(name string) int {
	for i, c := range m.classes {
		if c == name {
			return i
		}
	}
	return -1
}

// Features is the number of features with a weight.
func (m *Model) Features() int { return m.index.n }

// Scores adds up the weights of features into scores, which must have one
// element per class, and returns it.
func (m *Model) Scores(features []string, scores []float64) []float64 {
	scores = m.biased(scores)
	for _, f := range features {
		m.add(Hash(f), scores)
	}
	return scores
}

// biased returns scores holding the bias of each class, allocated when
// it has the wrong length.
func (m *Model) biased(scores []float64) []float64 {
	if len(scores) != len(m.classes) {
		scores = make([]float64, len(m.classes))
	}
	for i, b := range m.bias {
		scores[i] = float64(b)
	}
	return scores
}

// ScoresHashed is Scores for features already hashed (Hash, HashParts).
func (m *Model) ScoresHashed(hashes []uint64, scores []float64) []float64 {
	scores = m.biased(scores)
	for _, h := range hashes {
		m.add(h, scores)
	}
	return scores
}

// AddHashed adds the weights of the features with the given hashes to
// scores, for callers that hash their features as they build them.
func (m *Model) AddHashed(hashes []uint64, scores []float64) {
	for _, h := range hashes {
		m.add(h, scores)
	}
}

// add adds the weights of the feature with hash h to scores.
func (m *Model) add(h uint64, scores []float64) {
	r, ok := m.index.get(h)
	if !ok {
		return
	}
	for _, e := range m.entries[r.start : r.start+r.n] {
		scores[e.class] += float64(e.weight)
	}
}

// Best returns the class with the highest score (the lowest index wins a
// tie) and its score.
func Best(scores []float64) (int, float64) {
	best := 0
	for i, s := range scores {
		if s > scores[best] {
			best = i
		}
	}
	return best, scores[best]
}

// Softmax turns scores into probabilities in place and returns them.
func Softmax(scores []float64) []float64 {
	if len(scores) == 0 {
		return scores
	}
	_, top := Best(scores)
	sum := 0.0
	for i, s := range scores {
		scores[i] = math.Exp(s - top)
		sum += scores[i]
	}
	for i := range scores {
		scores[i] /= sum
	}
	return scores
}
