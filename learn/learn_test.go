package learn

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// toyExamples is a separable three-class problem: each example has one
// word that decides its class and two words that say nothing.
func toyExamples() ([]string, [][]string, []int) {
	classes := []string{"fruit", "tool", "animal"}
	cue := [][]string{{"apple", "pear", "plum"}, {"hammer", "saw", "drill"}, {"cat", "dog", "owl"}}
	noise := []string{"red", "big", "old", "new", "small"}
	var feats [][]string
	var truth []int
	for i := range 3 {
		for j := range noise {
			for c := range classes {
				feats = append(feats, []string{"w=" + cue[c][i], "a=" + noise[j], "b=" + noise[(i+j+c)%len(noise)]})
				truth = append(truth, c)
			}
		}
	}
	return classes, feats, truth
}

func trainToy(t *testing.T) *Model {
	t.Helper()
	classes, feats, truth := toyExamples()
	p := NewPerceptron(classes)
	scores := make([]float64, len(classes))
	for range 10 {
		for i, f := range feats {
			h := HashAll(nil, f)
			guess, _ := Best(p.Scores(h, scores))
			p.Learn(h, truth[i], guess)
		}
	}
	return p.Average()
}

func TestPerceptronLearnsSeparableProblem(t *testing.T) {
	m := trainToy(t)
	classes, feats, truth := toyExamples()
	for i, f := range feats {
		got, _ := Best(m.Scores(f, nil))
		if got != truth[i] {
			t.Errorf("%v: got %s, want %s", f, classes[got], classes[truth[i]])
		}
	}
	// A cue with noise never seen beside it.
	if got, _ := Best(m.Scores([]string{"w=owl", "a=unseen", "b=unseen"}, nil)); classes[got] != "animal" {
		t.Errorf("owl: got %s, want animal", classes[got])
	}
	if got, want := m.Class("tool"), 1; got != want {
		t.Errorf("Class(tool): got %d, want %d", got, want)
	}
	if got := m.Class("mineral"); got != -1 {
		t.Errorf("Class(mineral): got %d, want -1", got)
	}
}

func TestAddHashedMatchesScores(t *testing.T) {
	m := trainToy(t)
	f := []string{"w=saw", "a=red", "b=old"}
	want := m.Scores(f, nil)
	got := m.Scores(nil, make([]float64, len(m.Classes())))
	m.AddHashed(HashAll(nil, f), got)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("class %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	m := trainToy(t)
	var first bytes.Buffer
	if err := m.Encode(&first); err != nil {
		t.Fatal(err)
	}
	d, err := Decode(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(d.Classes(), ","), strings.Join(m.Classes(), ","); got != want {
		t.Errorf("classes: got %s, want %s", got, want)
	}
	if got, want := d.Features(), m.Features(); got > want || got == 0 {
		t.Errorf("features: got %d, want 1..%d", got, want)
	}
	_, feats, _ := toyExamples()
	for _, f := range feats {
		a, b := m.Scores(f, nil), d.Scores(f, nil)
		for c := range a {
			if math.Abs(a[c]-b[c]) > 1e-3*math.Max(1, math.Abs(a[c])) {
				t.Errorf("%v class %d: decoded %v, trained %v", f, c, b[c], a[c])
			}
		}
	}

	t.Run("same bytes", func(t *testing.T) {
		var again, re bytes.Buffer
		if err := trainToy(t).Encode(&again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again.Bytes(), first.Bytes()) {
			t.Error("training twice gave different files")
		}
		// A decoded model is already quantised: it encodes to itself.
		if err := d.Encode(&re); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(re.Bytes(), first.Bytes()) {
			t.Error("a decoded model encodes to different bytes")
		}
	})
	t.Run("MustDecode", func(t *testing.T) {
		if got := MustDecode(first.Bytes()).Features(); got != d.Features() {
			t.Errorf("features: got %d, want %d", got, d.Features())
		}
	})
}

func TestDecodeRejectsOtherFiles(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not gzip":  []byte("factdesk-model-1\n"),
		"truncated": encoded(t)[:40],
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Decode(bytes.NewReader(b)); err == nil {
				t.Error("got no error")
			}
		})
	}
}

func encoded(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := trainToy(t).Encode(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLogisticCalibrated trains on examples whose class is "yes" with a
// known probability for each cue and checks the model says so.
func TestLogisticCalibrated(t *testing.T) {
	rates := map[string]float64{"cue=a": 0.8, "cue=b": 0.3, "cue=c": 0.5}
	var examples []Example
	for _, cue := range []string{"cue=a", "cue=b", "cue=c"} {
		for i := range 200 {
			class := 0
			if float64(i) < rates[cue]*200 {
				class = 1
			}
			examples = append(examples, Example{Features: []uint64{Hash(cue)}, Class: class})
		}
	}
	m := Logistic{Classes: []string{"no", "yes"}, Seed: 7}.Train(examples)
	for cue, want := range rates {
		got := Softmax(m.Scores([]string{cue}, nil))[1]
		if math.Abs(got-want) > 0.02 {
			t.Errorf("P(yes | %s): got %.3f, want %.2f", cue, got, want)
		}
	}

	t.Run("deterministic", func(t *testing.T) {
		var a, b bytes.Buffer
		if err := m.Encode(&a); err != nil {
			t.Fatal(err)
		}
		if err := (Logistic{Classes: []string{"no", "yes"}, Seed: 7}).Train(examples).Encode(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("the same examples and seed gave different files")
		}
	})
}

func TestBestAndSoftmax(t *testing.T) {
	if got, _ := Best([]float64{1, 3, 3}); got != 1 {
		t.Errorf("Best tie: got %d, want 1", got)
	}
	p := Softmax([]float64{1000, 1000, 1000 - math.Log(2)})
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	if got := fmt.Sprintf("%.3f %.3f %.3f %.3f", p[0], p[1], p[2], sum); got != "0.400 0.400 0.200 1.000" {
		t.Errorf("Softmax: got %s, want 0.400 0.400 0.200 1.000", got)
	}
}

func TestHashIsFNV1a(t *testing.T) {
	// Published FNV-1a 64 test vectors.
	for s, want := range map[string]uint64{"": 0xcbf29ce484222325, "a": 0xaf63dc4c8601ec8c, "foobar": 0x85944171f73967e8} {
		if got := Hash(s); got != want {
			t.Errorf("Hash(%q): got %#x, want %#x", s, got, want)
		}
	}
}
