// Package attribution finds, for every sentence of an article, who the
// sentence's claim comes from as the article states it: the speaker or
// source, the cue that attributes it ("according to", "said", "is reported
// to"), the medium where it was said ("an interview with Vesti TV"), and
// whether the sentence states it or carries it over from an earlier one.
//
// Two readers live here. Read is the learned one: an averaged-perceptron
// tagger of source, cue and content spans (trained by internal/train on
// the PolNeAR corpus, weights embedded), coreference for pronoun and
// short-name speakers, and a calibrated confidence. Extract is the
// rule-based one over the word lists in words.txt; Read uses its answer as
// a feature. Both propose; a checker confirms or edits. The package knows
// nothing of storage or HTTP.
package attribution

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"factdesk/segment"
)

// Attribution says who a sentence's claim comes from. The zero value (with
// From set to -1 by Extract) means the sentence carries no attribution.
type Attribution struct {
	// Speaker is the person, body or document the claim comes from
	// ("US intelligence agencies", "Vladimir Putin", "the outlet"); empty
	// for a bare passive or hedge ("is reported to", "reportedly").
	Speaker string `json:"speaker"`
	// Cue is the words that attribute the claim, lower case except for the
	// outlet's own phrases, which are kept as written ("Our assessment").
	Cue string `json:"cue"`
	// Medium is where it was said ("an interview with Vesti TV", "a
	// statement"), or the document the speaker issued ("figures" of
	// "according to figures published by the finance department").
	Medium string `json:"medium"`
	// CarriedOver is true when the sentence continues a claim attributed
	// in an earlier sentence (a quotation, "It also …", a bare passive
	// that borrows an earlier source).
	CarriedOver bool `json:"carried_over"`
	// From is the index (segment.Sentence.Index) of the sentence where the
	// speaker is stated, or -1 when there is none.
	From int `json:"from"`
	// Spans are the words of the sentence's attribution as the article
	// marks them: the source (where the speaker is named, possibly in an
	// earlier sentence), the cue and the sentence's part of the content.
	// Offsets are bytes into the text the sentences were split from, like
	// segment.Sentence.Start. Only the learned reader finds spans.
	Spans []Part `json:"spans,omitempty"`
	// Confidence is the reader's probability that the sentence holds
	// attributed content, 0 when unknown (the rules give none).
	Confidence float64 `json:"confidence,omitempty"`
}

// Roles of a span.
const (
	RoleSource  = "source"
	RoleCue     = "cue"
	RoleContent = "content"
)

// Part is a span of an attribution: its role and where it lies.
type Part struct {
	Role  string `json:"role"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// IsZero reports whether a carries no attribution.
func (a Attribution) IsZero() bool {
	return a.Speaker == "" && a.Cue == "" && a.Medium == ""
}

// Kind is what an attribution's cue does to the claim. The machine reviewer
// reads it to pick a label.
type Kind string

// The kinds of cue.
const (
	KindNone     Kind = ""         // no cue, or one not in the word lists
	KindSpeech   Kind = "speech"   // said, told, threatened: someone's words
	KindClaim    Kind = "claim"    // claimed, alleged, accused: a disputed claim
	KindReport   Kind = "report"   // according to, reportedly, is reported to
	KindAnnounce Kind = "announce" // announced, confirmed, denied: an act that is news
	KindReaction Kind = "reaction" // condemned, welcomed: a public reaction
	KindOutlet   Kind = "outlet"   // our assessment, we believe: the outlet's own voice
)

// Kind classifies a's cue; see KindOf.
func (a Attribution) Kind() Kind { return KindOf(a.Cue) }

// KindOf classifies a cue as Extract writes it ("said", "according to",
// "is reported to", "Our assessment") and, as well as it can, one a
// checker typed ("told reporters"). Passives of speech and claim verbs are
// reports: the article does not say who makes the claim.
func KindOf(cue string) Kind {
	words := strings.Fields(fold(cue))
	if len(words) == 0 {
		return KindNone
	}
	if matchWords(words, lex.outletWe) || matchWords(words, lex.outletI) {
		return KindOutlet
	}
	for _, p := range lex.according {
		if hasPrefix(words, p) {
			return KindReport
		}
	}
	passive := false
	for _, w := range words {
		switch {
		case lex.hedgeAdverb[w]:
			return KindReport
		case lex.be[w]:
			passive = true
		case lex.verbs[w] != KindNone || lex.passiveOnly[w]:
			k := lex.verbs[w]
			if passive && (k == KindSpeech || k == KindClaim || k == KindNone) {
				return KindReport
			}
			return k
		}
	}
	return KindNone
}

// matchWords reports whether words is exactly one of the phrases.
func matchWords(words []string, ps []phrase) bool {
	for _, p := range ps {
		if len(p) == len(words) && hasPrefix(words, p) {
			return true
		}
	}
	return false
}

func hasPrefix(words []string, p phrase) bool {
	if len(words) < len(p) {
		return false
	}
	for i, w := range p {
		if words[i] != w {
			return false
		}
	}
	return true
}

// Extract is the rule-based reading (see Read for the learned one): it
// returns one attribution per sentence, in order; a sentence with
// none gets the zero Attribution with From -1. sentences are an article's
// sentences in order, as segment.Split returns them. It reads every
// sentence as a claim of the article; ExtractExcluding is Extract for an
// article with sentences excluded from review. It is safe for concurrent
// use.
func Extract(sentences []segment.Sentence) []Attribution {
	return extract(sentences, nil)
}

// extract is Extract with some sentences' attributions fixed in advance:
// pinned maps a position in sentences to the attribution that sentence
// stands for (never zero). A pinned sentence's words are not read (its
// quotation marks still place its neighbours in a quotation): it names no
// one and takes no attribution from its neighbours; they see only the
// pinned attribution (see ExtractExcluding).
func extract(sentences []segment.Sentence, pinned map[int]Attribution) []Attribution {
	x := &extractor{}
	infos := analyse(sentences)
	out := make([]Attribution, len(sentences))
	for i, s := range sentences {
		if i == 0 || s.Paragraph != sentences[i-1].Paragraph {
			x.paraSpeaker, x.prevSubject = "", ""
		}
		if a, ok := pinned[i]; ok {
			infos[i].pinned = true
			out[i] = a
		} else {
			x.learnNames(infos[i].toks)
			out[i] = x.stated(s, &infos[i])
			x.prevSubject = leadingSubject(s.Text, infos[i].toks)
		}
		if out[i].Speaker != "" && !lex.pronoun[fold(out[i].Speaker)] && out[i].Kind() != KindOutlet {
			x.paraSpeaker = out[i].Speaker
		}
	}
	quotations(sentences, infos, out)
	carryOver(sentences, infos, out, x)
	for i := range out {
		if out[i].IsZero() {
			out[i] = Attribution{From: -1}
		}
	}
	return out
}

// sentInfo is what the rules need to know about one sentence.
type sentInfo struct {
	toks  []token
	spans []Span        // quoted byte ranges
	ctx   segment.Quote // place in a quotation, as far as the marks show
	share float64       // part of the words inside quotation marks
	// pinned: the sentence's attribution was fixed before reading (see
	// extract); no rule may change it.
	pinned bool
}

// analyse tokenizes every sentence and follows quotations across the
// sentences of a paragraph. The segmenter's own quotation context is used
// where it says a sentence is inside or closes a quotation.
func analyse(sentences []segment.Sentence) []sentInfo {
	infos := make([]sentInfo, len(sentences))
	open := false
	for i, s := range sentences {
		if i > 0 && s.Paragraph != sentences[i-1].Paragraph {
			open = false
		}
		startsInside := open || s.Quote == segment.QuoteInside || s.Quote == segment.QuoteClose
		ctx, spans, stillOpen := QuoteContext(s.Text, startsInside)
		switch s.Quote {
		case segment.QuoteOpen, segment.QuoteInside, segment.QuoteClose:
			ctx = s.Quote
		}
		if ctx == segment.QuoteInside && len(spans) == 0 {
			spans = []Span{{0, len(s.Text)}}
		}
		infos[i] = sentInfo{toks: tokenize(s.Text, spans), spans: spans, ctx: ctx, share: QuotedShare(s.Text, spans)}
		open = stillOpen
	}
	return infos
}

// Version identifies the embedded word lists, so that whoever stores an
// extraction can tell which lists produced it.
func Version() string {
	h := sha256.Sum256([]byte(wordsTxt))
	return hex.EncodeToString(h[:4])
}
