package machine

import (
	"bufio"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"factdesk/attribution"
	"factdesk/learn"
	"factdesk/segment"
)

// SubjectivityParams are the training settings of the subjectivity model.
type SubjectivityParams struct {
	Epochs int     // passes over the sentences
	Rate   float64 // AdaGrad's base step
	L2     float64 // regularisation per example
	// MinCount drops features that fire in fewer training sentences: rare
	// words teach the model the training set, not the language.
	MinCount int
}

// DefaultSubjectivityParams are the settings subjectivity.bin is trained
// with, chosen by 10-fold cross-validation on NewsSD-ENG among a handful
// of candidates (see SubjectivityReport).
var DefaultSubjectivityParams = SubjectivityParams{Epochs: 10, Rate: 0.05, L2: 0.2, MinCount: 2}

// SubjectivitySeed is the seed subjectivity.bin is trained with:
// TrainSubjectivity of NewsSD-ENG's training split with this seed gives
// its bytes exactly (TestSubjectivityBinUpToDate).
const SubjectivitySeed uint64 = 2016

// subjFolds is the number of cross-validation folds.
const subjFolds = 10

// SubjectivityExample is one training sentence: its text and whether it
// is subjective (the writer's own evaluation, interpretation or
// prediction).
type SubjectivityExample struct {
	Text       string
	Subjective bool
}

// SubjectivityReport is what training the subjectivity model measured.
// The scores are cross-validated: each sentence is scored by a model
// trained without its fold (folds fixed by a hash of the sentence).
type SubjectivityReport struct {
	Examples   int                `json:"examples"` // cross-validated
	Extra      int                `json:"extra"`    // trained on, never scored
	Subjective int                `json:"subjective"`
	Folds      int                `json:"folds"`
	Seed       uint64             `json:"seed"`
	Params     SubjectivityParams `json:"params"`
	Features   int                `json:"features"` // with a weight in the final model
	// Model is the subjectivity model alone: subjective when p ≥ 0.5.
	Model SubjectivityScores `json:"model"`
	// Learned and Rules are the reviewers' "assessment or not" on each
	// sentence read alone (the Learned reviewer with the fold's model).
	Learned SubjectivityScores `json:"learned"`
	Rules   SubjectivityScores `json:"rules"`
}

// String writes the report as a few readable lines.
func (r SubjectivityReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "subjectivity model: %d sentences (%d subjective) cross-validated in %d folds, %d own sentences added to training; %d features (epochs %d, rate %g, L2 %g, min count %d, seed %d)",
		r.Examples, r.Subjective, r.Folds, r.Extra, r.Features, r.Params.Epochs, r.Params.Rate, r.Params.L2, r.Params.MinCount, r.Seed)
	for _, x := range []struct {
		name string
		s    SubjectivityScores
	}{{"model", r.Model}, {"reader reviewer", r.Learned}, {"rules reviewer", r.Rules}} {
		fmt.Fprintf(&b, "\n  %-16s assessment-or-not macro-F1 %.3f, subjective F1 %.3f (precision %.3f, recall %.3f), accuracy %.3f, ECE %.3f",
			x.name, x.s.MacroF1, x.s.SubjectiveF1, x.s.Precision, x.s.Recall, x.s.Accuracy, x.s.ECE)
	}
	return b.String()
}

// SubjectivityScores are the scores of an assessment-or-not decision.
type SubjectivityScores struct {
	MacroF1       float64 `json:"macro_f1"`
	SubjectiveF1  float64 `json:"subjective_f1"`
	ObjectiveF1   float64 `json:"objective_f1"`
	Precision     float64 `json:"precision"` // of subjective
	Recall        float64 `json:"recall"`    // of subjective
	Accuracy      float64 `json:"accuracy"`
	FoldMacroF1SD float64 `json:"fold_macro_f1_sd,omitempty"` // spread of the folds' macro-F1
	// ECE is the expected calibration error over 10 equal bins of the
	// confidence in the decision taken: how far, on average, the stated
	// confidence is from the share of decisions that were right.
	ECE         float64          `json:"ece"`
	Reliability []ReliabilityBin `json:"reliability"`
}

// ReliabilityBin is one bin of a reliability table.
type ReliabilityBin struct {
	From, To   float64 // confidence range [From, To)
	N          int
	Confidence float64 // mean stated confidence
	Accuracy   float64 // share right
}

// ReadSubjectivityExamples reads a JSON-lines file of {"sentence",
// "label"} records, label "SUBJ" or "OBJ" (the NewsSD-ENG format).
func ReadSubjectivityExamples(path string) ([]SubjectivityExample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read subjectivity examples: %w", err)
	}
	defer f.Close()
	var out []SubjectivityExample
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var x struct{ Sentence, Label string }
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			return nil, fmt.Errorf("read subjectivity examples %s:%d: %w", path, n, err)
		}
		if x.Label != "SUBJ" && x.Label != "OBJ" || x.Sentence == "" {
			return nil, fmt.Errorf("read subjectivity examples %s:%d: want a sentence labeled SUBJ or OBJ", path, n)
		}
		out = append(out, SubjectivityExample{Text: x.Sentence, Subjective: x.Label == "SUBJ"})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read subjectivity examples %s: %w", path, err)
	}
	return out, nil
}

// TrainSubjectivity trains the subjectivity model on the examples in path
// (see ReadSubjectivityExamples) and the package's own sentences
// (OwnSubjectivityExamples) with DefaultSubjectivityParams, and
// cross-validates it and both reviewers on the examples in path. The
// same file and seed always give a model that encodes to the same bytes.
func TrainSubjectivity(path string, seed uint64) (*learn.Model, SubjectivityReport, error) {
	exs, err := ReadSubjectivityExamples(path)
	if err != nil {
		return nil, SubjectivityReport{}, err
	}
	own, err := OwnSubjectivityExamples()
	if err != nil {
		return nil, SubjectivityReport{}, err
	}
	return TrainSubjectivityExamples(exs, own, DefaultSubjectivityParams, seed)
}

// TrainSubjectivityExamples is TrainSubjectivity on examples in memory,
// with the given settings: it trains on exs and extra, and
// cross-validates on exs, with extra in every fold's training set. The
// examples are sorted first, so their order does not matter.
func TrainSubjectivityExamples(exs, extra []SubjectivityExample, p SubjectivityParams, seed uint64) (*learn.Model, SubjectivityReport, error) {
	lex, err := loadSubjLexicon()
	if err != nil {
		return nil, SubjectivityReport{}, err
	}
	rep := SubjectivityReport{Examples: len(exs), Extra: len(extra), Folds: subjFolds, Seed: seed, Params: p}
	var set []subjExample
	for k, xs := range [][]SubjectivityExample{exs, extra} {
		for _, x := range sortExamples(xs) {
			spans, a := sentenceAlone(x.Text)
			fold := int(learn.Hash(x.Text) % subjFolds)
			if k == 1 {
				fold = -1 // trained on in every fold, never scored
			} else if x.Subjective {
				rep.Subjective++
			}
			set = append(set, subjExample{SubjectivityExample: x, fold: fold, keys: hashCues(lex.cues(x.Text, spans, a), nil)})
		}
	}
	if len(exs) >= subjFolds {
		if err := crossValidate(set, p, seed, &rep); err != nil {
			return nil, rep, err
		}
	}
	m, err := trainSubj(set, -2, p, seed)
	if err != nil {
		return nil, rep, err
	}
	rep.Features = m.Features()
	return m, rep, nil
}

// sortExamples returns a sorted copy of xs, so that training does not
// depend on the order examples come in.
func sortExamples(xs []SubjectivityExample) []SubjectivityExample {
	xs = slices.Clone(xs)
	slices.SortFunc(xs, func(a, b SubjectivityExample) int {
		if c := cmp.Compare(a.Text, b.Text); c != 0 {
			return c
		}
		return cmp.Compare(boolInt(a.Subjective), boolInt(b.Subjective))
	})
	return xs
}

//go:embed subjectivity_own.txt
var subjectivityOwn string

// OwnSubjectivityExamples returns the package's own training sentences
// (subjectivity_own.txt): invented sentences that teach the model the
// codebook's reading of an assessment.
func OwnSubjectivityExamples() ([]SubjectivityExample, error) {
	var out []SubjectivityExample
	for n, line := range strings.Split(subjectivityOwn, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		if !ok || label != "subj" && label != "obj" || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("subjectivity_own.txt:%d: want a label (subj or obj), a tab and a sentence", n+1)
		}
		out = append(out, SubjectivityExample{Text: strings.TrimSpace(text), Subjective: label == "subj"})
	}
	return out, nil
}

// subjExample is a training sentence with its features and fold.
type subjExample struct {
	SubjectivityExample
	fold int
	keys []uint64
}

// sentenceAlone is what the model's features need of a sentence read
// without its article: its quoted spans and its own attribution.
func sentenceAlone(text string) ([]attribution.Span, attribution.Attribution) {
	_, spans, _ := attribution.QuoteContext(text, false)
	a := attribution.Extract([]segment.Sentence{{Text: text, End: len(text)}})[0]
	return spans, a
}

// trainSubj trains on every example outside fold skip (-2: all) and
// returns the model as its file reads back.
func trainSubj(set []subjExample, skip int, p SubjectivityParams, seed uint64) (*learn.Model, error) {
	count := map[uint64]int{}
	for _, x := range set {
		if x.fold != skip {
			for _, k := range x.keys {
				count[k]++
			}
		}
	}
	var train []learn.Example
	for _, x := range set {
		if x.fold == skip {
			continue
		}
		keys := make([]uint64, 0, len(x.keys))
		for _, k := range x.keys {
			if count[k] >= p.MinCount {
				keys = append(keys, k)
			}
		}
		train = append(train, learn.Example{Features: keys, Class: boolInt(x.Subjective)})
	}
	if len(train) == 0 {
		return nil, fmt.Errorf("train subjectivity: no examples")
	}
	m := learn.Logistic{Classes: subjClasses, Epochs: p.Epochs, Rate: p.Rate, L2: p.L2, Seed: seed}.Train(train)
	q, err := m.Quantized()
	if err != nil {
		return nil, fmt.Errorf("train subjectivity: %w", err)
	}
	return q, nil
}

// crossValidate scores the model, the Learned reviewer and the Rules
// reviewer on every fold with a model trained on the others.
func crossValidate(set []subjExample, p SubjectivityParams, seed uint64, rep *SubjectivityReport) error {
	var model, learned, rules []decision
	var foldF1 []float64
	for f := range subjFolds {
		m, err := trainSubj(set, f, p, seed)
		if err != nil {
			return err
		}
		s, err := newSubjectivity(m, "cv")
		if err != nil {
			return err
		}
		var fold []decision
		for _, x := range set {
			if x.fold != f {
				continue
			}
			var sc [2]float64
			s.model.Scores(nil, sc[:])
			s.model.AddHashed(x.keys, sc[:])
			pr := learn.Softmax(sc[:])[s.subj]
			d := decision{gold: x.Subjective, subj: pr >= 0.5, conf: max(pr, 1-pr)}
			fold = append(fold, d)
			model = append(model, d)
			learned = append(learned, reviewAlone(&Learned{subj: s}, x.Text, x.Subjective))
			rules = append(rules, reviewAlone(NewRules(), x.Text, x.Subjective))
		}
		foldF1 = append(foldF1, scoreDecisions(fold).MacroF1)
	}
	rep.Model = scoreDecisions(model)
	rep.Model.FoldMacroF1SD = stddev(foldF1)
	rep.Learned = scoreDecisions(learned)
	rep.Rules = scoreDecisions(rules)
	return nil
}

// decision is one assessment-or-not decision with its confidence.
type decision struct {
	gold, subj bool
	conf       float64 // stated probability that the decision is right
}

// reviewAlone asks r for the label of text as a one-sentence article and
// turns it into an assessment-or-not decision. The confidence of a label
// other than assessment is the reviewer's confidence in that label, a
// lower bound on its confidence that the sentence is no assessment.
func reviewAlone(r Reviewer, text string, gold bool) decision {
	in := SentencesFrom(text, []segment.Sentence{{Text: text, End: len(text), Quote: segment.QuoteNone}})
	out, err := r.Suggest(context.Background(), in)
	if err != nil || len(out) != 1 {
		return decision{gold: gold, conf: 0.5}
	}
	return decision{gold: gold, subj: out[0].Label == "assessment", conf: out[0].Confidence}
}

// scoreDecisions computes F1s, accuracy and calibration.
func scoreDecisions(ds []decision) SubjectivityScores {
	var tp, fp, fn, tn int
	for _, d := range ds {
		switch {
		case d.subj && d.gold:
			tp++
		case d.subj:
			fp++
		case d.gold:
			fn++
		default:
			tn++
		}
	}
	var s SubjectivityScores
	s.Precision = ratio(tp, tp+fp)
	s.Recall = ratio(tp, tp+fn)
	s.SubjectiveF1 = f1(s.Precision, s.Recall)
	s.ObjectiveF1 = f1(ratio(tn, tn+fn), ratio(tn, tn+fp))
	s.MacroF1 = (s.SubjectiveF1 + s.ObjectiveF1) / 2
	s.Accuracy = ratio(tp+tn, len(ds))
	s.ECE, s.Reliability = calibration(ds, 10)
	return s
}

// calibration bins decisions by stated confidence and returns the
// expected calibration error with the bins that hold any.
func calibration(ds []decision, bins int) (float64, []ReliabilityBin) {
	type acc struct {
		n          int
		conf, hits float64
	}
	b := make([]acc, bins)
	for _, d := range ds {
		i := min(int(d.conf*float64(bins)), bins-1)
		b[i].n++
		b[i].conf += d.conf
		if d.subj == d.gold {
			b[i].hits++
		}
	}
	var ece float64
	var out []ReliabilityBin
	for i, x := range b {
		if x.n == 0 {
			continue
		}
		rb := ReliabilityBin{From: float64(i) / float64(bins), To: float64(i+1) / float64(bins), N: x.n,
			Confidence: x.conf / float64(x.n), Accuracy: x.hits / float64(x.n)}
		ece += float64(x.n) / float64(len(ds)) * math.Abs(rb.Confidence-rb.Accuracy)
		out = append(out, rb)
	}
	return ece, out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func stddev(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	var mean, ss float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
