package machine

import (
	"bytes"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"factdesk/internal/shared"
	"factdesk/learn"
)

// subjP is the embedded model's probability that text, read alone, is
// subjective, with its reasons for the side it takes.
func subjP(t *testing.T, text string) (float64, []string) {
	t.Helper()
	s, err := loadSubjectivity()
	if err != nil {
		t.Fatal(err)
	}
	spans, a := sentenceAlone(text)
	j := s.judge(text, spans, a)
	return j.p, j.reasons(j.p >= 0.5, 3)
}

// TestSubjectivityRecorded pins the embedded model's probabilities on
// sentences written for this test. They change only when the model is
// retrained or its features change; then check that the sides still hold
// and record the new figures.
func TestSubjectivityRecorded(t *testing.T) {
	for _, tc := range []struct {
		text string
		p    float64 // recorded probability of subjective
		subj bool
	}{
		{"This reckless policy is a disgrace and must end.", 0.899, true},
		{"The council approved the budget on Tuesday by 7 votes to 2.", 0.031, false},
		{"The museum reopened on 12 May after a renovation that cost 4 million euros.", 0.057, false},
		{"Frankly, the minister's excuses are absurd and nobody should believe them.", 0.977, true},
		{"I think the new stadium is a terrible waste of money.", 0.837, true},
		{"The bill passed the lower house with 215 votes in favour.", 0.298, false},
		{"Why would anyone trust a board that has failed so badly?", 0.804, true},
	} {
		t.Run(tc.text[:min(len(tc.text), 30)], func(t *testing.T) {
			p, reasons := subjP(t, tc.text)
			if (p >= 0.5) != tc.subj {
				t.Errorf("p = %.3f, want the %v side (reasons %q)", p, tc.subj, reasons)
			}
			if math.Abs(p-tc.p) > 0.005 {
				t.Errorf("p = %.3f, recorded %.3f (reasons %q)", p, tc.p, reasons)
			}
		})
	}
}

// TestSubjectivityReasons checks that the reasons name the words a
// checker would point at.
func TestSubjectivityReasons(t *testing.T) {
	_, reasons := subjP(t, "This reckless policy is a disgrace and must end.")
	if len(reasons) == 0 || !strings.Contains(reasons[0], "evaluative words: 'reckless'") {
		t.Errorf("reasons %q, want evaluative words naming 'reckless' first", reasons)
	}
	_, reasons = subjP(t, "The council approved the budget on Tuesday by 7 votes to 2.")
	if !slices.Contains(reasons, "date: 'Tuesday'") {
		t.Errorf("reasons %q, want the date among them", reasons)
	}
	for _, r := range reasons {
		if strings.Contains(r, "'the'") || strings.Contains(r, "'on'") {
			t.Errorf("reason %q names a stop word", r)
		}
	}
}

// tinySet is a hand-made training set: evaluative sentences against
// reports of events.
var tinySet = []SubjectivityExample{
	{"The plan is a shameful waste of money.", true},
	{"This is a terrible and reckless decision.", true},
	{"The reform is a brilliant idea that deserves support.", true},
	{"Frankly the whole affair is absurd.", true},
	{"We should be ashamed of this disgraceful policy.", true},
	{"The minister's speech was dull and pointless.", true},
	{"It is a wonderful achievement and a great day.", true},
	{"The budget is an outrageous insult to voters.", true},
	{"The policy is clearly a foolish mistake.", true},
	{"What a pathetic response from the board.", true},
	{"The council met on Tuesday at 10 a.m.", false},
	{"The bridge was opened in 2019 by the governor.", false},
	{"Police arrested three men on Friday.", false},
	{"The company employs 1,200 people in Lyon.", false},
	{"The bill passed by 230 votes to 190 on Monday.", false},
	{"The report was published in March.", false},
	{"Prices rose by 4% in the year to June.", false},
	{"The train left the station at 6 p.m.", false},
	{"The hospital treated 40 patients on Sunday.", false},
	{"The court adjourned the case until 3 May.", false},
}

// trainTiny trains on exs with settings for a tiny set (every word
// counts, more passes) and returns the model as its file reads back.
func trainTiny(t *testing.T, exs []SubjectivityExample) (*learn.Model, SubjectivityReport) {
	t.Helper()
	m, rep, err := TrainSubjectivityExamples(exs, nil, SubjectivityParams{Epochs: 30, Rate: 0.2, L2: 0.01, MinCount: 1}, 7)
	if err != nil {
		t.Fatal(err)
	}
	return m, rep
}

func TestTrainSubjectivityTiny(t *testing.T) {
	m, rep := trainTiny(t, tinySet)
	if rep.Examples != len(tinySet) || rep.Subjective != 10 || rep.Features != m.Features() || m.Features() == 0 {
		t.Errorf("report %+v, model with %d features", rep, m.Features())
	}
	s, err := newSubjectivity(m, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		subj bool
	}{
		{"The plan is a reckless and shameful decision.", true},
		{"What an absurd and pathetic idea.", true},
		{"The council met on Monday at 9 a.m.", false},
		{"Police arrested two men in Lyon on Sunday.", false},
	} {
		spans, a := sentenceAlone(tc.text)
		if p := s.judge(tc.text, spans, a).p; (p >= 0.5) != tc.subj {
			t.Errorf("%q: p = %.3f, want subjective %v", tc.text, p, tc.subj)
		}
	}
}

// TestTrainSubjectivityDeterministic trains twice, the second time on the
// examples in another order, and wants the same bytes.
func TestTrainSubjectivityDeterministic(t *testing.T) {
	encode := func(m *learn.Model) []byte {
		var b bytes.Buffer
		if err := m.Encode(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, _ := trainTiny(t, tinySet)
	rev := slices.Clone(tinySet)
	slices.Reverse(rev)
	b, _ := trainTiny(t, rev)
	if !bytes.Equal(encode(a), encode(b)) {
		t.Error("two trainings on the same examples gave different bytes")
	}
}

// TestSubjectivityBinUpToDate retrains the embedded model from NewsSD-ENG
// and the package's own sentences and wants subjectivity.bin's bytes:
// the file is what the code and the data make, not a stale copy. It
// also logs the cross-validated scores of the model and both reviewers.
func TestSubjectivityBinUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 870 sentences, 10 times over")
	}
	m, rep, err := TrainSubjectivity(shared.Path(t, "eval", "newssd_train.jsonl"), SubjectivitySeed)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		name string
		s    SubjectivityScores
	}{{"model", rep.Model}, {"learned", rep.Learned}, {"rules", rep.Rules}} {
		t.Logf("%-8s macro-F1 %.3f  subjective F1 %.3f (P %.3f R %.3f)  accuracy %.3f  ECE %.3f",
			r.name, r.s.MacroF1, r.s.SubjectiveF1, r.s.Precision, r.s.Recall, r.s.Accuracy, r.s.ECE)
	}
	for _, b := range rep.Model.Reliability {
		t.Logf("  model confidence [%.1f,%.1f): %3d decisions, stated %.3f, right %.3f", b.From, b.To, b.N, b.Confidence, b.Accuracy)
	}
	// Floors a few points under the figures measured when the model was
	// made: a change that loses more has broken something.
	if rep.Model.MacroF1 < 0.67 || rep.Learned.MacroF1 < 0.66 || rep.Model.ECE > 0.08 {
		t.Errorf("cross-validated: model macro-F1 %.3f (ECE %.3f), learned %.3f; want at least 0.67 (at most 0.08), 0.66",
			rep.Model.MacroF1, rep.Model.ECE, rep.Learned.MacroF1)
	}
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), subjectivityBin) {
		t.Errorf("subjectivity.bin (%d bytes) is not what training gives (%d bytes): retrain it (make train)", len(subjectivityBin), b.Len())
	}
}

func TestOwnSubjectivityExamples(t *testing.T) {
	own, err := OwnSubjectivityExamples()
	if err != nil {
		t.Fatal(err)
	}
	subj := 0
	for _, x := range own {
		if x.Subjective {
			subj++
		}
	}
	if len(own) < 150 || subj*3 < len(own) || subj*3 > 2*len(own) {
		t.Errorf("%d own sentences, %d subjective; want at least 150, a third to two thirds subjective", len(own), subj)
	}
}

func TestReadSubjectivityExamples(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, body string
		n          int
		ok         bool
	}{
		{"good", `{"sentence": "It rained.", "label": "OBJ"}` + "\n" + `{"sentence": "Lovely!", "label": "SUBJ"}` + "\n", 2, true},
		{"bad label", `{"sentence": "It rained.", "label": "MAYBE"}` + "\n", 0, false},
		{"not json", "It rained.\n", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := dir + "/" + strings.ReplaceAll(tc.name, " ", "_") + ".jsonl"
			if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			exs, err := ReadSubjectivityExamples(p)
			if (err == nil) != tc.ok || len(exs) != tc.n {
				t.Errorf("got %d examples, error %v; want %d, ok %v", len(exs), err, tc.n, tc.ok)
			}
		})
	}
}

func TestSubjLexicon(t *testing.T) {
	if _, err := loadSubjLexicon(); err != nil {
		t.Fatal(err)
	}
	if _, err := parseSubjLexicon("[positive]\ngood\n", wordsTxt); err == nil {
		t.Error("a subjectivity.txt without most lists parsed")
	}
}
