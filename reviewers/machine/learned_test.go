package machine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/internal/shared"
	"factdesk/segment"
)

// learnedArticle is an article written for these tests: plain facts, a
// two-sentence quotation, a sourced and a hedged claim, the outlet's own
// voice and the writer's judgement.
const learnedArticle = `The city council approved a new budget on Tuesday by seven votes to two. The plan raises parking fees by 20% from 1 March.

"This budget protects the services people rely on," said Mayor Lena Ortiz. "We made hard choices, and we made them together."

According to two council officials, the finance director warned that the plan relied on optimistic revenue forecasts. The director is reported to have asked for a review.

Our assessment is that the council has postponed the difficult decisions rather than made them. This reckless reliance on parking fees is a mistake the city will regret.`

func suggestText(t *testing.T, r Reviewer, text string) ([]segment.Sentence, []Suggestion) {
	t.Helper()
	segs := segment.Split(text)
	out, err := r.Suggest(context.Background(), SentencesFrom(text, segs))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(segs) {
		t.Fatalf("%d suggestions for %d sentences", len(out), len(segs))
	}
	return segs, out
}

func TestLearnedArticle(t *testing.T) {
	segs, out := suggestText(t, NewLearned(), learnedArticle)
	want := []struct {
		label  codebook.Label
		reason string // a reason it must give
	}{
		{codebook.Fact, "date: 'Tuesday'"},
		{codebook.Fact, "number: '20', '1'"},
		{codebook.Quote, "a direct quotation"},
		{codebook.Quote, "a direct quotation"},
		{codebook.Allegation, "attributed: according to two council officials"},
		{codebook.Allegation, "hedged: is reported to (source: two council officials)"},
		{codebook.Assessment, "first-person outlet voice: Our assessment"},
		{codebook.Assessment, "evaluative words: 'reckless'"},
	}
	if len(segs) != len(want) {
		t.Fatalf("%d sentences, want %d", len(segs), len(want))
	}
	for i, w := range want {
		s := out[i]
		if s.Label != w.label || !slices.Contains(s.Reasons, w.reason) {
			t.Errorf("%q: got %s %.2f %q, want %s with reason %q", segs[i].Text, s.Label, s.Confidence, s.Reasons, w.label, w.reason)
		}
		if s.Confidence < 0.75 || s.Confidence > 0.99 {
			t.Errorf("%q: confidence %.3f, want a clear case's, in [0.75, 0.99]", segs[i].Text, s.Confidence)
		}
	}
	if a := out[2].Attribution; a.Speaker != "Lena Ortiz" || a.Kind() != attribution.KindSpeech {
		t.Errorf("the quotation's attribution: got %+v, want Lena Ortiz said", a)
	}
}

func TestLearnedNameVersion(t *testing.T) {
	l := NewLearned()
	if l.Name() != "reader" {
		t.Errorf("name %q", l.Name())
	}
	s, err := loadSubjectivity()
	if err != nil {
		t.Fatal(err)
	}
	if v := l.Version(); !strings.Contains(v, s.version) || !strings.HasPrefix(v, learnedVersion+"+") {
		t.Errorf("version %q, want %s+ and the model's hash %s", v, learnedVersion, s.version)
	}
}

func TestLearnedCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := SentencesFrom("It rained.", segment.Split("It rained."))
	if _, err := NewLearned().Suggest(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestLearnedSeedArticle compares the learned reviewer with the rules on
// the seed article's gold reading and logs every sentence they label
// differently.
func TestLearnedSeedArticle(t *testing.T) {
	g := loadGold(t, shared.Path(t, "data", "seed-article.gold.json"))
	rules, learned := evaluate(t, NewRules(), g), evaluate(t, NewLearned(), g)
	report(t, learned)
	logChanges(t, rules, learned)
	if learned.LenientAccuracy < 0.9 {
		t.Errorf("lenient accuracy %.3f, want at least 0.9", learned.LenientAccuracy)
	}
	for _, it := range learned.Items {
		if it.N >= 23 && it.N <= 25 && it.Predicted != codebook.Quote {
			t.Errorf("n=%d: got %s (%q), want quote", it.N, it.Predicted, it.Reasons)
		}
	}
}

func logChanges(t *testing.T, rules, learned Evaluation) {
	t.Helper()
	for i, r := range rules.Items {
		l := learned.Items[i]
		if r.Predicted != l.Predicted {
			t.Logf("n=%d %q: gold %s; rules %s %.2f, learned %s %.2f %q", r.N, r.Text, r.Gold, r.Predicted, r.Confidence, l.Predicted, l.Confidence, l.Reasons)
		}
	}
}

// TestLearnedCalibration scores the learned reviewer on every gold reading
// beside the rules, and measures how well its confidence matches the
// share of right labels, by the way it reached them (the figures behind
// the conf… constants).
func TestLearnedCalibration(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.gold.json"))
	if err != nil || len(paths) < 3 {
		t.Fatalf("gold files: %v (%v)", paths, err)
	}
	paths = append(paths, shared.Path(t, "data", "seed-article.gold.json"))
	l := NewLearned()
	type tally struct{ n, right int }
	byRoute := map[string]*tally{}
	var learned, rules []decision
	var strictL, strictR, lenientL, lenientR int
	for _, p := range paths {
		g := loadGold(t, p)
		segs := segment.Split(g.Text)
		routes := make([]string, 0, len(segs))
		_, err := suggestAll(context.Background(), SentencesFrom(g.Text, segs), func(s Sentence, q segment.Quote, sp []attribution.Span) Suggestion {
			sg, r := l.decide(s, q, sp)
			routes = append(routes, fmt.Sprintf("%s %s → %s", routeNames[r], s.Attribution.Kind(), sg.Label))
			return sg
		})
		if err != nil {
			t.Fatal(err)
		}
		evL, evR := evaluate(t, l, g), evaluate(t, NewRules(), g)
		logChanges(t, evR, evL)
		for i, it := range evL.Items {
			key := routes[it.Segment]
			if byRoute[key] == nil {
				byRoute[key] = &tally{}
			}
			byRoute[key].n++
			if it.Strict {
				byRoute[key].right++
			}
			learned = append(learned, decision{gold: true, subj: it.Strict, conf: it.Confidence})
			rules = append(rules, decision{gold: true, subj: evR.Items[i].Strict, conf: evR.Items[i].Confidence})
			strictL += boolInt(it.Strict)
			lenientL += boolInt(it.Lenient)
			strictR += boolInt(evR.Items[i].Strict)
			lenientR += boolInt(evR.Items[i].Lenient)
		}
	}
	keys := make([]string, 0, len(byRoute))
	for k := range byRoute {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("%-40s %2d of %2d right", k, byRoute[k].right, byRoute[k].n)
	}
	confident, confidentRight := 0, 0
	for _, d := range learned {
		if d.conf >= Confident {
			confident++
			confidentRight += boolInt(d.subj)
		}
	}
	t.Logf("learned at %.2f or more: %d suggestions, %d right", Confident, confident, confidentRight)
	eceL, _ := calibration(learned, 10)
	eceR, _ := calibration(rules, 10)
	n := len(learned)
	t.Logf("%d gold sentences: learned strict %d lenient %d, ECE %.3f; rules strict %d lenient %d, ECE %.3f",
		n, strictL, lenientL, eceL, strictR, lenientR, eceR)
	if eceL > 0.15 || lenientL*100 < 90*n {
		t.Errorf("learned: ECE %.3f, lenient %d of %d; want at most 0.15 and 90%%", eceL, lenientL, n)
	}
}

var routeNames = map[route]string{
	routeQuotation: "quotation", routeOutlet: "outlet", routeAttributed: "attributed",
	routeModel: "model", routeCarried: "model after speech",
}
