package machine

import (
	"context"
	"fmt"
	"sort"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/segment"
)

// Evaluation is how a reviewer's suggestions compare with a gold reading.
type Evaluation struct {
	Reviewer string `json:"reviewer"`
	Version  string `json:"version"`
	Gold     string `json:"gold,omitempty"` // the gold file's path
	// Sentences is the number of gold sentences scored; Excluded those left out.
	Sentences       int     `json:"sentences"`
	Excluded        int     `json:"excluded"`
	StrictAccuracy  float64 `json:"strict_accuracy"`  // predicted == gold label
	LenientAccuracy float64 `json:"lenient_accuracy"` // gold label or one of also_acceptable
	// MacroF1 is the mean F1 over the labels that occur in the gold or in
	// the predictions.
	MacroF1  float64                       `json:"macro_f1"`
	PerLabel map[codebook.Label]LabelScore `json:"per_label"`
	// Confusion counts sentences by gold label, then predicted label
	// (predicted "" when no segment covers the gold sentence).
	Confusion map[codebook.Label]map[codebook.Label]int `json:"confusion"`
	// Items holds every scored sentence in gold order; Misses those whose
	// prediction is not the gold label, worst first: wrong even leniently
	// before acceptable-but-not-gold, confident before unsure.
	Items  []Item `json:"items"`
	Misses []Item `json:"misses"`
}

// LabelScore is precision, recall and F1 of one label, by the gold label.
type LabelScore struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`   // gold sentences with the label
	Predicted int     `json:"predicted"` // sentences predicted with it
}

// Item is one scored gold sentence with the suggestion it was scored by.
type Item struct {
	N              int                     `json:"n"`
	Text           string                  `json:"text"`
	Gold           codebook.Label          `json:"gold"`
	AlsoAcceptable []codebook.Label        `json:"also_acceptable,omitempty"`
	Predicted      codebook.Label          `json:"predicted"`
	Confidence     float64                 `json:"confidence"`
	Reasons        []string                `json:"reasons,omitempty"`
	Attribution    attribution.Attribution `json:"attribution"`
	Strict         bool                    `json:"strict"`
	Lenient        bool                    `json:"lenient"`
	// Segment is the index of the segment the suggestion belongs to, -1 if none.
	Segment int `json:"segment"`
}

// Evaluate segments g's text with segment.Split, asks r for suggestions and
// scores every gold sentence that is not excluded by the suggestion for the
// segment that covers most of its span.
func Evaluate(ctx context.Context, r Reviewer, g Gold) (Evaluation, error) {
	return EvaluateSegments(ctx, r, g, segment.Split(g.Text))
}

// EvaluateSegments is Evaluate with a given segmentation of g's text: the
// one stored with an article, or g.Segments() to score labels apart from
// segmentation errors.
func EvaluateSegments(ctx context.Context, r Reviewer, g Gold, segs []segment.Sentence) (Evaluation, error) {
	return EvaluateRead(ctx, r, attribution.Extract, g, segs)
}

// EvaluateRead is EvaluateSegments with the attributions found by read.
func EvaluateRead(ctx context.Context, r Reviewer, read Reading, g Gold, segs []segment.Sentence) (Evaluation, error) {
	sugs, err := r.Suggest(ctx, SentencesRead(read, g.Text, segs))
	if err != nil {
		return Evaluation{}, fmt.Errorf("evaluate %s: %w", g.Path, err)
	}
	if len(sugs) != len(segs) {
		return Evaluation{}, fmt.Errorf("evaluate %s: reviewer %s returned %d suggestions for %d sentences", g.Path, r.Name(), len(sugs), len(segs))
	}
	ev := Evaluation{
		Reviewer: r.Name(), Version: r.Version(), Gold: g.Path,
		PerLabel:  map[codebook.Label]LabelScore{},
		Confusion: map[codebook.Label]map[codebook.Label]int{},
	}
	off := segment.NewOffsets(g.Text)
	for _, gs := range g.Sentences {
		if gs.Exclude != "" {
			ev.Excluded++
			continue
		}
		it := Item{N: gs.N, Text: gs.Text, Gold: gs.Label, AlsoAcceptable: gs.AlsoAcceptable, Segment: -1}
		if k := bestSegment(segs, off.Byte(gs.Start), off.Byte(gs.End)); k >= 0 {
			s := sugs[k]
			it.Segment, it.Predicted, it.Confidence, it.Reasons, it.Attribution = k, s.Label, s.Confidence, s.Reasons, s.Attribution
		}
		it.Strict = it.Predicted == gs.Label
		it.Lenient = gs.Acceptable(it.Predicted)
		ev.Items = append(ev.Items, it)
	}
	ev.score()
	return ev, nil
}

// bestSegment returns the index of the segment that overlaps the byte
// range [start, end) most, or -1.
func bestSegment(segs []segment.Sentence, start, end int) int {
	best, most := -1, 0
	for k, s := range segs {
		o := min(end, s.End) - max(start, s.Start)
		if o > most {
			best, most = k, o
		}
	}
	return best
}

// score fills the accuracies, the per-label scores, the confusion matrix
// and the misses from the items.
func (ev *Evaluation) score() {
	ev.Sentences = len(ev.Items)
	if ev.Sentences == 0 {
		return
	}
	strict, lenient := 0, 0
	gold := map[codebook.Label]int{}
	pred := map[codebook.Label]int{}
	hit := map[codebook.Label]int{}
	for _, it := range ev.Items {
		if it.Strict {
			strict++
			hit[it.Gold]++
		}
		if it.Lenient {
			lenient++
		}
		gold[it.Gold]++
		pred[it.Predicted]++
		if ev.Confusion[it.Gold] == nil {
			ev.Confusion[it.Gold] = map[codebook.Label]int{}
		}
		ev.Confusion[it.Gold][it.Predicted]++
		if !it.Strict {
			ev.Misses = append(ev.Misses, it)
		}
	}
	ev.StrictAccuracy = float64(strict) / float64(ev.Sentences)
	ev.LenientAccuracy = float64(lenient) / float64(ev.Sentences)
	n, sum := 0, 0.0
	for _, l := range codebook.Labels {
		if gold[l] == 0 && pred[l] == 0 {
			continue
		}
		ls := LabelScore{Support: gold[l], Predicted: pred[l]}
		if pred[l] > 0 {
			ls.Precision = float64(hit[l]) / float64(pred[l])
		}
		if gold[l] > 0 {
			ls.Recall = float64(hit[l]) / float64(gold[l])
		}
		if ls.Precision+ls.Recall > 0 {
			ls.F1 = 2 * ls.Precision * ls.Recall / (ls.Precision + ls.Recall)
		}
		ev.PerLabel[l] = ls
		n++
		sum += ls.F1
	}
	ev.MacroF1 = sum / float64(n)
	sort.SliceStable(ev.Misses, func(i, j int) bool {
		a, b := ev.Misses[i], ev.Misses[j]
		if a.Lenient != b.Lenient {
			return !a.Lenient
		}
		return a.Confidence > b.Confidence
	})
}
