package machine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"sync"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/segment"
)

// rulesVersion is bumped whenever the rules change; the word lists' hash
// is appended by Version.
const rulesVersion = "1"

// Weights of the cues. A sentence starts as a fact with weight priorFact;
// each cue adds its weight to one label; the label with the most weight
// wins and Confidence is the softmax of the weights at temperature.
const (
	priorFact        = 1.0
	wQuoteContext    = 4.0 // open, inside or close of a multi-sentence quotation
	wQuoteWhole      = 3.5 // a sentence mostly in quotation marks
	wQuotedWords     = 1.0 // a substantial quoted part
	wSpeech          = 2.5
	wClaim           = 2.5
	wReport          = 3.0
	wAnnounceFact    = 1.5
	wAnnounceQuote   = 0.7
	wOutlet          = 4.0
	wCarryReport     = 2.5
	wCarrySpeech     = 0.8 // a sentence after "X said …" is as often new background as more of what X said
	wCarryOutlet     = 2.5
	wExtraHedge      = 0.8
	wFirstPerson     = 1.5
	wModal           = 1.1
	wPrescribe       = 1.5
	wConditional     = 0.6 // a condition and a modal or future: a conditional prediction
	wIntensifier     = 0.8
	wFuture          = 0.5
	wHedge           = 1.5
	wCondition       = 1.2
	wEvaluative      = 1.6
	wEvaluativeMore  = 0.8
	wEvaluativeWeak  = 0.6
	wQuestion        = 1.5
	wExclamation     = 0.8
	wNumber          = 0.5
	wDate            = 0.5
	wNamedActor      = 0.3
	wPastAction      = 0.3
	temperature      = 0.8
	quoteShareWhole  = 0.6
	quoteShareQuoted = 0.25
)

// Rules is the rule-based machine reviewer. It reads quotation context,
// attributions, the outlet's voice and evaluative or predictive language
// with the word lists in words.txt. It holds no state between calls and is
// safe for concurrent use.
type Rules struct {
	lex     *lexicon
	version string
}

// builtin is the embedded word lists, parsed once per process, and the
// version they give the rules: they never change, so every Rules shares them.
var builtin = sync.OnceValues(func() (*Rules, error) {
	l, err := parseLexicon(wordsTxt)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256([]byte(wordsTxt))
	return &Rules{lex: l, version: rulesVersion + "+" + hex.EncodeToString(h[:4]) + "." + attribution.Version()}, nil
})

// NewRules returns the rule-based reviewer. It panics only if the
// embedded word lists are malformed, which the package's tests rule out.
func NewRules() *Rules {
	r, err := builtin()
	if err != nil {
		panic("machine: words.txt: " + err.Error())
	}
	return &Rules{lex: r.lex, version: r.version}
}

// Name returns "rules".
func (r *Rules) Name() string { return "rules" }

// Version returns the rules' version and the hashes of the word lists they use.
func (r *Rules) Version() string { return r.version }

// Suggest labels every sentence. It fails only when ctx is done.
func (r *Rules) Suggest(ctx context.Context, sentences []Sentence) ([]Suggestion, error) {
	return suggestAll(ctx, sentences, r.judge)
}

// suggestAll follows direct quotations across the sentences of each
// paragraph and asks judge for every sentence's suggestion, with the
// sentence's place in a quotation and its quoted spans. It fails only
// when ctx is done.
func suggestAll(ctx context.Context, sentences []Sentence, judge func(Sentence, segment.Quote, []attribution.Span) Suggestion) ([]Suggestion, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	out := make([]Suggestion, len(sentences))
	open := false
	for i, s := range sentences {
		if i%512 == 511 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("suggest: %w", err)
			}
		}
		if i > 0 && s.Paragraph != sentences[i-1].Paragraph {
			open = false
		}
		inside := open || s.Quote == segment.QuoteInside || s.Quote == segment.QuoteClose
		qctx, spans, stillOpen := attribution.QuoteContext(s.Text, inside)
		switch s.Quote {
		case segment.QuoteOpen, segment.QuoteInside, segment.QuoteClose:
			qctx = s.Quote
		}
		if qctx == segment.QuoteInside && len(spans) == 0 {
			spans = []attribution.Span{{Start: 0, End: len(s.Text)}}
		}
		open = stillOpen
		out[i] = judge(s, qctx, spans)
	}
	return out, nil
}

// evidence collects the weight of the cues for each label.
type evidence struct {
	score   [4]float64
	reasons []reason
}

type reason struct {
	label codebook.Label
	w     float64
	text  string
}

func labelIndex(l codebook.Label) int {
	for i, x := range codebook.Labels {
		if x == l {
			return i
		}
	}
	return 0
}

func (e *evidence) add(l codebook.Label, w float64, text string) {
	e.score[labelIndex(l)] += w
	if text != "" {
		e.reasons = append(e.reasons, reason{l, w, text})
	}
}

// judge labels one sentence.
func (r *Rules) judge(s Sentence, qctx segment.Quote, spans []attribution.Span) Suggestion {
	var ev evidence
	ev.add(codebook.Fact, priorFact, "")
	ws := splitWords(s.Text, spans)
	inQuote := quotationCues(&ev, s.Text, qctx, spans)
	a := s.Attribution
	attributed := attributionCues(&ev, s, inQuote)
	if attributed && !inQuote {
		extraHedge(&ev, ws, a)
	}
	if !inQuote && !attributed {
		r.writerCues(&ev, ws, a.Kind() == attribution.KindOutlet)
	}
	// Specifics in someone else's words are theirs to establish: they
	// count for a fact only in the writer's voice or in an announcement.
	if k := a.Kind(); !inQuote && (!attributed || k == attribution.KindAnnounce || k == attribution.KindReaction) {
		r.factCues(&ev, ws, a.Cue)
	}
	return ev.suggestion(a)
}

// suggestion turns the evidence into a label, a confidence and reasons:
// the winning label's reasons first, strongest first, then the others
// with the label they point to.
func (e *evidence) suggestion(a attribution.Attribution) Suggestion {
	best := 0
	for i := range e.score {
		if e.score[i] > e.score[best] {
			best = i
		}
	}
	var z float64
	for _, s := range e.score {
		z += math.Exp(s / temperature)
	}
	label := codebook.Labels[best]
	sort.SliceStable(e.reasons, func(i, j int) bool {
		wi, wj := e.reasons[i].label == label, e.reasons[j].label == label
		if wi != wj {
			return wi
		}
		return e.reasons[i].w > e.reasons[j].w
	})
	reasons := make([]string, 0, len(e.reasons)+1)
	for _, r := range e.reasons {
		if r.label == label {
			reasons = append(reasons, r.text)
		} else {
			reasons = append(reasons, r.text+" → "+string(r.label))
		}
	}
	if len(reasons) == 0 || e.reasons[0].label != label {
		reasons = append([]string{"no attribution, quotation or judgement: a plain statement"}, reasons...)
	}
	return Suggestion{
		Label:       label,
		Confidence:  math.Exp(e.score[best]/temperature) / z,
		Reasons:     reasons,
		Attribution: a,
	}
}
