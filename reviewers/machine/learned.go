package machine

import (
	"context"
	"fmt"
	"strconv"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/segment"
)

// learnedVersion is bumped whenever Learned's rules change; the hashes of
// the subjectivity model's weights and word lists and the attribution
// rules' version are appended by Version.
const learnedVersion = "1"

// How likely a label read from a quotation or an attribution is right.
// confQuotation is the share of right labels among the sentences the
// reviewer reads as quotations in the gold readings it is evaluated on
// (testdata/*.gold.json and the seed article; TestLearnedCalibration),
// with one right and one wrong added (Laplace's rule, as the counts are
// small). The others are those shares divided by
// rulesAttributionConfidence, as the gold readings' attributions are the
// rules', and kept under 1: how likely the label is right when the
// attribution is, to be multiplied by how likely it is
// (attributionConfidence). The outlet's voice has too few cases to
// count (2 of 2); its cues are the outlet's own words.
const (
	confQuotation = 0.92 // inside or mostly a direct quotation: quote (11 of 11)
	confOutlet    = 0.95 // the outlet's own voice: assessment
	confSpeech    = 0.84 // "X said …": quote (18 of 23)
	confReport    = 0.99 // "according to X", "reportedly": allegation (14 of 14)
	confClaim     = 0.86 // "X claimed, alleged, accused": allegation (6 of 7)
	confAnnounce  = 0.99 // "X announced, confirmed", "X condemned": fact (11 of 11)
	confCarry     = 0.89 // continues a claim attributed earlier: allegation (3 of 3)
	// confReaderClaim is how likely "allegation" is right when the learned
	// reader's attributed content has no cue the lists know, or continues
	// an earlier attribution, and the attribution is right (a quote is the
	// usual other reading).
	confReaderClaim = 0.8
	// keepCarried scales the model's confidence in a sentence that may
	// continue what someone said or announced: part of the time it does,
	// and then neither fact nor assessment is right.
	keepCarried = 0.85
)

// reasonsFromModel bounds the reasons the subjectivity model gives.
const reasonsFromModel = 3

// Learned is the machine reviewer that reads quotations and attributions
// as the rule-based reviewer does, for quotes and allegations, and asks a
// trained subjectivity model whether a sentence in the writer's own voice
// is an assessment or a fact. Its confidence is a calibrated probability
// that the label is right. It holds no state between calls and is safe
// for concurrent use.
type Learned struct {
	subj *subjectivity
}

// NewLearned returns the learned reviewer with the embedded model. It
// panics only if the embedded model or word lists are malformed, which
// the package's tests rule out.
func NewLearned() *Learned {
	s, err := loadSubjectivity()
	if err != nil {
		panic("machine: " + err.Error())
	}
	return &Learned{subj: s}
}

// Name returns "reader".
func (l *Learned) Name() string { return "reader" }

// Version returns the reviewer's version with the hashes of its model's
// weights and word lists and the attribution rules' version.
func (l *Learned) Version() string {
	return learnedVersion + "+" + l.subj.version + "." + attribution.Version()
}

// Suggest labels every sentence. It fails only when ctx is done.
func (l *Learned) Suggest(ctx context.Context, sentences []Sentence) ([]Suggestion, error) {
	return suggestAll(ctx, sentences, l.judge)
}

// route is how Learned reached a label.
type route int

const (
	routeQuotation  route = iota // a direct quotation: quote
	routeOutlet                  // the outlet's own voice: assessment
	routeAttributed              // an attribution: quote, allegation or fact
	routeModel                   // the writer's voice: the model's fact or assessment
	routeCarried                 // the model, after someone's words or announcement
)

// judge labels one sentence.
func (l *Learned) judge(s Sentence, qctx segment.Quote, spans []attribution.Span) Suggestion {
	sg, _ := l.decide(s, qctx, spans)
	return sg
}

// decide labels one sentence and says how: a quotation or an attribution
// decides between quote, allegation and an announced fact as the rules
// do; otherwise the sentence is in the writer's voice and the model
// decides between assessment and fact.
func (l *Learned) decide(s Sentence, qctx segment.Quote, spans []attribution.Span) (Suggestion, route) {
	var ev evidence
	ev.add(codebook.Fact, priorFact, "")
	inQuote := quotationCues(&ev, s.Text, qctx, spans)
	a := s.Attribution
	attributed := attributionCues(&ev, s, inQuote)
	if attributed && !inQuote {
		extraHedge(&ev, splitWords(s.Text, spans), a)
	}
	k := a.Kind()
	switch {
	case inQuote:
		sg := ev.suggestion(a)
		sg.Confidence = confQuotation
		return sg, routeQuotation
	case k == attribution.KindOutlet:
		sg := ev.suggestion(a)
		sg.Confidence = confOutlet * attributionConfidence(a)
		return sg, routeOutlet
	case attributed && !(a.CarriedOver && (k == attribution.KindSpeech || k == attribution.KindAnnounce || k == attribution.KindReaction)):
		sg := ev.suggestion(a)
		sg.Confidence = kindConfidence(a, sg.Label) * attributionConfidence(a)
		return sg, routeAttributed
	}
	if a.Confidence >= 0.5 && (k == attribution.KindNone || a.CarriedOver) && attribution.IsClaim(s.Text, s.Start, a) {
		// The learned reader found attributed content that the cue lists
		// do not know (a belief, a stance: "wants", "warned", "as X put
		// it") or that continues an earlier attribution: a claim
		// attributed to a source.
		return Suggestion{Label: codebook.Allegation, Confidence: confReaderClaim * a.Confidence,
			Reasons: []string{readerReason(a)}, Attribution: a}, routeAttributed
	}
	j := l.subj.judge(s.Text, spans, a)
	label, p := codebook.Fact, 1-j.p
	if j.p >= 0.5 {
		label, p = codebook.Assessment, j.p
	}
	reasons := j.reasons(label == codebook.Assessment, reasonsFromModel)
	reasons = append([]string{modelReason(label, p)}, reasons...)
	if !attributed {
		return Suggestion{Label: label, Confidence: p, Reasons: reasons, Attribution: a}, routeModel
	}
	// A sentence after "X said …" or "X announced …": the model reads it
	// as the writer's, but it may be more of X's.
	p *= keepCarried
	reasons = append(reasons, "may continue what "+speakerOr(a, "someone")+" said or announced (sentence "+strconv.Itoa(a.From+1)+")")
	return Suggestion{Label: label, Confidence: p, Reasons: reasons, Attribution: a}, routeCarried
}

// readerReason says what the learned reader found.
func readerReason(a attribution.Attribution) string {
	who := speakerOr(a, "a source")
	if a.CarriedOver && a.From >= 0 {
		return fmt.Sprintf("continues what %s says (sentence %d); the reader is %.0f%% sure it is attributed", who, a.From+1, 100*a.Confidence)
	}
	if a.Cue != "" {
		return fmt.Sprintf("attributed: %s %s; the reader is %.0f%% sure", who, a.Cue, 100*a.Confidence)
	}
	return fmt.Sprintf("attributed to %s; the reader is %.0f%% sure", who, 100*a.Confidence)
}

// kindConfidence is how likely label, read from a's kind, is right when
// the attribution is.
func kindConfidence(a attribution.Attribution, label codebook.Label) float64 {
	if a.CarriedOver {
		return confCarry
	}
	switch a.Kind() {
	case attribution.KindSpeech:
		return confSpeech
	case attribution.KindReport:
		return confReport
	case attribution.KindClaim:
		return confClaim
	case attribution.KindAnnounce, attribution.KindReaction:
		if label == codebook.Fact {
			return confAnnounce
		}
	}
	return confCarry
}

// attributionConfidence is the probability that a holds attributed
// content: the learned reader's Confidence when it gives one; for an
// attribution the rules found, which carries none, 0.9; for none, 1 (the
// route constants and the model's probability already count what is left).
func attributionConfidence(a attribution.Attribution) float64 {
	switch {
	case a.Confidence > 0:
		return a.Confidence
	case a.IsZero():
		return 1
	}
	return rulesAttributionConfidence
}

// rulesAttributionConfidence is how likely an attribution the rules
// found is taken to be right.
const rulesAttributionConfidence = 0.9

// modelReason is the first reason of a label the model chose.
func modelReason(label codebook.Label, p float64) string {
	if label == codebook.Assessment {
		return fmt.Sprintf("reads as the writer's own judgement (%.0f%%)", 100*p)
	}
	return fmt.Sprintf("reads as a plain statement (%.0f%%)", 100*p)
}
