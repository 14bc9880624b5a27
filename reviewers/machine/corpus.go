package machine

import (
	"context"
	"fmt"
	"io"
	"time"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/internal/brat"
	"factdesk/segment"
)

// Reading is how attributions are found for an article's sentences:
// attribution.Read (the learned reader) or attribution.Extract (the rules).
type Reading func([]segment.Sentence) []attribution.Attribution

// CorpusEvaluation is how a reading and a reviewer compare with an
// attribution corpus in brat format (see attribution.Scores for what each
// figure counts).
type CorpusEvaluation struct {
	Reading  string `json:"reading"`
	Reviewer string `json:"reviewer"`
	Articles int    `json:"articles"`
	// Sentences as factdesk's segmenter splits the articles; Attributed
	// those whose words the corpus marks as attributed content.
	Sentences  int `json:"sentences"`
	Attributed int `json:"attributed"`
	// Detection: does a sentence hold attributed content?
	Detection PRF `json:"detection"`
	// On the sentences both call attributed: the speaker by head word and
	// exactly, pronoun speakers resolved to the right person (where the
	// corpus's coreference says who), the cue by its first word.
	SpeakerHead    Rate `json:"speaker_head"`
	SpeakerExact   Rate `json:"speaker_exact"`
	PronounRight   Rate `json:"pronoun_right"`
	CueHead        Rate `json:"cue_head"`
	ContentOverlap PRF  `json:"content_overlap"`
	// LabelAccuracy is the coarse label accuracy: quote or allegation for
	// an attributed sentence, fact or assessment for the others.
	LabelAccuracy Rate `json:"label_accuracy"`
	// MicrosPerSentence is the time to read and label a sentence, on one
	// core.
	MicrosPerSentence float64 `json:"micros_per_sentence"`
}

// PRF is precision, recall and F1.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Rate is a share of a number of cases.
type Rate struct {
	Value float64 `json:"value"`
	Of    int     `json:"of"`
}

// share is a/b, 0 for no cases.
func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func prf(both, predicted, gold int) PRF {
	p, r := share(both, predicted), share(both, gold)
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{p, r, f}
}

// EvaluateCorpus reads each document with read, labels it with r and
// scores both against the corpus. who gives, per document, the
// coreference the corpus ships (nil when none).
func EvaluateCorpus(ctx context.Context, name string, read Reading, r Reviewer, docs []brat.Document, who func(brat.Document) attribution.Antecedents) (CorpusEvaluation, error) {
	ev := CorpusEvaluation{Reading: name, Reviewer: r.Name() + " " + r.Version()}
	var sc attribution.Scores
	labelRight, labelled := 0, 0
	var spent time.Duration
	// The embedded weights load on first use; that is not reading.
	warm := segment.Split("The weights load once, she said.")
	if _, err := r.Suggest(ctx, SentencesRead(read, "", warm)); err != nil {
		return ev, err
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return ev, err
		}
		segs := segment.Split(d.Text)
		begin := time.Now()
		attrs := read(segs)
		in := make([]Sentence, len(segs))
		for i, s := range segs {
			in[i] = Sentence{Index: s.Index, Paragraph: s.Paragraph, Start: s.Start, Text: s.Text, Quote: s.Quote, Attribution: attrs[i]}
		}
		sugs, err := r.Suggest(ctx, in)
		if err != nil {
			return ev, fmt.Errorf("%s: %w", d.Name, err)
		}
		spent += time.Since(begin)
		var ante attribution.Antecedents
		if who != nil {
			ante = who(d)
		}
		sc.Add(d, segs, attrs, ante)
		for i, s := range segs {
			gold := attribution.HoldsContent(d, s)
			said := sugs[i].Label == codebook.Quote || sugs[i].Label == codebook.Allegation
			labelled++
			if gold == said {
				labelRight++
			}
		}
	}
	ev.Articles, ev.Sentences, ev.Attributed = sc.Documents, sc.Sentences, sc.Gold
	ev.Detection = prf(sc.Both, sc.Predicted, sc.Gold)
	ev.SpeakerHead = Rate{share(sc.SpeakerHead, sc.SpeakerGold), sc.SpeakerGold}
	ev.SpeakerExact = Rate{share(sc.SpeakerExact, sc.SpeakerGold), sc.SpeakerGold}
	ev.PronounRight = Rate{share(sc.PronounRight, sc.PronounGold), sc.PronounGold}
	ev.CueHead = Rate{share(sc.CueHead, sc.CueGold), sc.CueGold}
	ev.ContentOverlap = prf(sc.ContentBoth, sc.ContentPredicted, sc.ContentGold)
	ev.LabelAccuracy = Rate{share(labelRight, labelled), labelled}
	if sc.Sentences > 0 {
		ev.MicrosPerSentence = float64(spent.Microseconds()) / float64(sc.Sentences)
	}
	return ev, nil
}

// WriteCorpusText prints evaluations side by side, one column each.
func WriteCorpusText(w io.Writer, evs ...CorpusEvaluation) error {
	if len(evs) == 0 {
		return nil
	}
	e0 := evs[0]
	fmt.Fprintf(w, "%d articles, %d sentences, %d holding attributed content\n\n", e0.Articles, e0.Sentences, e0.Attributed)
	fmt.Fprintf(w, "%-34s", "")
	for _, e := range evs {
		fmt.Fprintf(w, " %22s", e.Reading)
	}
	fmt.Fprintln(w)
	row := func(name string, f func(CorpusEvaluation) string) {
		fmt.Fprintf(w, "%-34s", name)
		for _, e := range evs {
			fmt.Fprintf(w, " %22s", f(e))
		}
		fmt.Fprintln(w)
	}
	p := func(x PRF) string { return fmt.Sprintf("P %.2f R %.2f F %.3f", x.Precision, x.Recall, x.F1) }
	rate := func(x Rate) string { return fmt.Sprintf("%.3f of %d", x.Value, x.Of) }
	row("attribution detection", func(e CorpusEvaluation) string { return p(e.Detection) })
	row("speaker by head word", func(e CorpusEvaluation) string { return rate(e.SpeakerHead) })
	row("speaker exact", func(e CorpusEvaluation) string { return rate(e.SpeakerExact) })
	row("pronoun speaker, right person", func(e CorpusEvaluation) string { return rate(e.PronounRight) })
	row("cue by head word", func(e CorpusEvaluation) string { return rate(e.CueHead) })
	row("content overlap", func(e CorpusEvaluation) string { return p(e.ContentOverlap) })
	row("coarse label accuracy", func(e CorpusEvaluation) string { return rate(e.LabelAccuracy) })
	row("µs per sentence (read + label)", func(e CorpusEvaluation) string { return fmt.Sprintf("%.0f", e.MicrosPerSentence) })
	_, err := fmt.Fprintln(w)
	return err
}

// SubjectivityEvaluation is how a reviewer's "assessment" compares with
// sentences labeled subjective or objective (the NewsSD format), each
// read as an article of one sentence.
type SubjectivityEvaluation struct {
	Reading    string  `json:"reading"`
	Reviewer   string  `json:"reviewer"`
	Sentences  int     `json:"sentences"`
	Subjective int     `json:"subjective"`
	Assessment PRF     `json:"assessment"` // subjective found as assessment
	Objective  PRF     `json:"objective"`  // objective found as anything else
	MacroF1    float64 `json:"macro_f1"`
	Accuracy   float64 `json:"accuracy"`
}

// EvaluateSubjectivity labels each example with r, its attribution found
// by read, and scores assessment against subjective.
func EvaluateSubjectivity(ctx context.Context, name string, read Reading, r Reviewer, examples []SubjectivityExample) (SubjectivityEvaluation, error) {
	ev := SubjectivityEvaluation{Reading: name, Reviewer: r.Name() + " " + r.Version(), Sentences: len(examples)}
	tp, fp, fn, tn := 0, 0, 0, 0
	for _, x := range examples {
		seg := segment.Sentence{Text: x.Text, End: len(x.Text), Quote: segment.QuoteNone}
		in := []Sentence{{Text: x.Text, Quote: seg.Quote, Attribution: read([]segment.Sentence{seg})[0]}}
		sugs, err := r.Suggest(ctx, in)
		if err != nil {
			return ev, err
		}
		said := sugs[0].Label == codebook.Assessment
		switch {
		case x.Subjective && said:
			tp++
		case x.Subjective:
			fn++
		case said:
			fp++
		default:
			tn++
		}
	}
	ev.Subjective = tp + fn
	ev.Assessment = prf(tp, tp+fp, tp+fn)
	ev.Objective = prf(tn, tn+fn, tn+fp)
	ev.MacroF1 = (ev.Assessment.F1 + ev.Objective.F1) / 2
	ev.Accuracy = share(tp+tn, len(examples))
	return ev, nil
}

// WriteSubjectivityText prints evaluations side by side.
func WriteSubjectivityText(w io.Writer, evs ...SubjectivityEvaluation) error {
	for _, e := range evs {
		fmt.Fprintf(w, "%-8s %d sentences (%d subjective): assessment P %.2f R %.2f F %.3f; objective F %.3f; macro-F1 %.3f; accuracy %.3f\n",
			e.Reading, e.Sentences, e.Subjective, e.Assessment.Precision, e.Assessment.Recall, e.Assessment.F1, e.Objective.F1, e.MacroF1, e.Accuracy)
	}
	return nil
}
