package machine

import (
	"fmt"
	"slices"
	"strings"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/segment"
)

// quotationCues weighs the sentence's place in a direct quotation and
// reports whether the sentence is a quotation.
func quotationCues(ev *evidence, text string, qctx segment.Quote, spans []attribution.Span) bool {
	switch qctx {
	case segment.QuoteOpen:
		ev.add(codebook.Quote, wQuoteContext, "opens a direct quotation")
		return true
	case segment.QuoteInside:
		ev.add(codebook.Quote, wQuoteContext, "inside a direct quotation")
		return true
	case segment.QuoteClose:
		ev.add(codebook.Quote, wQuoteContext, "closes a direct quotation")
		return true
	}
	share := attribution.QuotedShare(text, spans)
	switch {
	case share >= quoteShareWhole:
		ev.add(codebook.Quote, wQuoteWhole, "a direct quotation")
		return true
	case share >= quoteShareQuoted:
		ev.add(codebook.Quote, wQuotedWords, "quoted words")
	}
	return false
}

// attributionCues weighs the sentence's attribution and reports whether
// the sentence's claim is someone else's than the writer's.
func attributionCues(ev *evidence, s Sentence, inQuote bool) bool {
	a := s.Attribution
	if a.IsZero() {
		return false
	}
	k := a.Kind()
	if inQuote {
		if a.Speaker != "" {
			ev.add(codebook.Quote, 0.3, "speaker: "+a.Speaker)
		}
		return k != attribution.KindOutlet
	}
	if a.CarriedOver && !(k == attribution.KindReport && containsFold(s.Text, a.Cue)) {
		from := fmt.Sprintf(" (sentence %d)", a.From+1)
		switch k {
		case attribution.KindReport, attribution.KindClaim:
			ev.add(codebook.Allegation, wCarryReport, "continues a claim attributed to "+speakerOr(a, "an unnamed source")+from)
		case attribution.KindSpeech:
			ev.add(codebook.Allegation, wCarrySpeech, "may continue what "+speakerOr(a, "someone")+" said"+from)
			ev.add(codebook.Quote, wCarrySpeech/2, "")
		case attribution.KindAnnounce, attribution.KindReaction:
			ev.add(codebook.Fact, wAnnounceFact-0.7, "continues an announcement by "+speakerOr(a, "someone")+from)
			ev.add(codebook.Allegation, 0.6, "")
		case attribution.KindOutlet:
			ev.add(codebook.Assessment, wCarryOutlet, "continues the outlet's assessment"+from)
			return false
		}
		return true
	}
	switch k {
	case attribution.KindReport:
		if strings.HasPrefix(a.Cue, "according") || strings.HasPrefix(a.Cue, "as reported") || strings.HasPrefix(a.Cue, "citing") {
			ev.add(codebook.Allegation, wReport, "attributed: "+a.Cue+" "+speakerOr(a, "a source"))
		} else if a.Speaker != "" {
			ev.add(codebook.Allegation, wReport, "hedged: "+a.Cue+" (source: "+a.Speaker+")")
		} else {
			ev.add(codebook.Allegation, wReport, "hedged: "+a.Cue)
		}
	case attribution.KindClaim:
		ev.add(codebook.Allegation, wClaim, "attributed claim: "+speakerOr(a, "someone")+" "+a.Cue)
	case attribution.KindSpeech:
		ev.add(codebook.Quote, wSpeech, "speech verb with a speaker: "+speakerOr(a, "someone")+" "+a.Cue)
	case attribution.KindAnnounce:
		ev.add(codebook.Fact, wAnnounceFact, "announcement: "+speakerOr(a, "someone")+" "+a.Cue)
		ev.add(codebook.Quote, wAnnounceQuote, "")
	case attribution.KindReaction:
		ev.add(codebook.Fact, wAnnounceFact, "public reaction: "+a.Cue+" by "+speakerOr(a, "someone"))
		ev.add(codebook.Quote, wAnnounceQuote, "")
	case attribution.KindOutlet:
		ev.add(codebook.Assessment, wOutlet, "first-person outlet voice: "+a.Cue)
		return false
	default:
		return false
	}
	return true
}

// extraHedge adds weight to an allegation that is hedged twice ("according
// to two officials, the minister reportedly resigned").
func extraHedge(ev *evidence, ws []word, a attribution.Attribution) {
	k := a.Kind()
	if k != attribution.KindReport && k != attribution.KindClaim {
		return
	}
	cue := fold(a.Cue)
	for _, w := range ws {
		if w.isWord && !w.quoted && strings.HasSuffix(w.low, "ly") && w.low != cue &&
			attribution.KindOf(w.low) == attribution.KindReport {
			ev.add(codebook.Allegation, wExtraHedge, "also hedged: "+w.text)
			return
		}
	}
}

func speakerOr(a attribution.Attribution, def string) string {
	if a.Speaker != "" {
		return a.Speaker
	}
	return def
}

func containsFold(s, sub string) bool {
	return sub != "" && strings.Contains(fold(s), fold(sub))
}

// writerCues weighs the writer's own evaluative and predictive language.
// outlet says the sentence already speaks in the outlet's voice.
func (r *Rules) writerCues(ev *evidence, ws []word, outlet bool) {
	l := r.lex
	nEval, nWeak, nModal, nHedge := 0, 0, 0, 0
	seen := map[string]bool{}
	conditional, predicts := false, false
	// clause is what the current clause hangs on: "" for a main clause,
	// "if" for a condition, "rel" for a relative or complement clause.
	clause := ""
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if !w.isWord {
			if w.text == "," || w.text == ";" || w.text == ":" || w.text == "—" || w.text == "–" {
				clause = ""
			}
			continue
		}
		if w.quoted {
			continue
		}
		if l.clauseIf[w.low] {
			clause = "if"
			conditional = conditional || w.low == "if"
		}
		if !outlet && !seen["1p"] && l.firstPerson[w.low] && (w.low != "us" || w.text == "us") {
			seen["1p"] = true
			ev.add(codebook.Assessment, wFirstPerson, "first-person voice: "+w.text)
		}
		if !l.first[w.low] {
			continue
		}
		if p := matchAt(ws, i, l.evaluative); p != nil {
			if key := strings.Join(p, " "); nEval < 3 && !seen[key] {
				wt := wEvaluative
				if nEval > 0 {
					wt = wEvaluativeMore
				}
				ev.add(codebook.Assessment, wt, "evaluative word: "+phraseText(ws, i, len(p)))
				nEval++
				seen[key] = true
			}
			i += len(p) - 1
			continue
		}
		if p := matchAt(ws, i, l.hedge); p != nil {
			if nHedge < 2 {
				wt := wHedge
				if nHedge > 0 {
					wt = wHedge / 3
				}
				ev.add(codebook.Assessment, wt, "hedge: "+phraseText(ws, i, len(p)))
				nHedge++
			}
			i += len(p) - 1
			continue
		}
		if p := matchAt(ws, i, l.condition); p != nil {
			conditional = true
			if !seen["cond"] {
				seen["cond"] = true
				ev.add(codebook.Assessment, wCondition, "condition: "+phraseText(ws, i, len(p)))
			}
			i += len(p) - 1
			continue
		}
		if p := matchAt(ws, i, l.notModal); p != nil {
			i += len(p) - 1
			continue
		}
		if p, pre := matchAt(ws, i, l.modal), matchAt(ws, i, l.prescribe); p != nil || pre != nil {
			// A modal in a condition is not a prediction ("unclear if the
			// House would sign"); one opening a relative clause ("variants
			// that could spread") counts less.
			if clause != "if" && nModal < 2 && !seen[w.low] {
				wt := wModal
				if pre != nil {
					wt = wPrescribe
				}
				if nModal > 0 || r.opensRelative(ws, i) {
					wt /= 3
				}
				ev.add(codebook.Assessment, wt, "modal verb: "+w.text)
				nModal++
				seen[w.low] = true
				predicts = true
			}
			continue
		}
		if p := matchAt(ws, i, l.future); p != nil {
			if clause != "if" && !seen["future"] {
				seen["future"] = true
				predicts = true
				ev.add(codebook.Assessment, wFuture, "prediction: "+phraseText(ws, i, len(p)))
			}
			i += len(p) - 1
			continue
		}
		if p := matchAt(ws, i, l.intensifier); p != nil {
			if !seen["intens"] {
				seen["intens"] = true
				ev.add(codebook.Assessment, wIntensifier, "emphasis: "+phraseText(ws, i, len(p)))
			}
			continue
		}
		if p := matchAt(ws, i, l.evalWeak); p != nil {
			if nWeak < 2 {
				ev.add(codebook.Assessment, wEvaluativeWeak, "judgement word: "+phraseText(ws, i, len(p)))
				nWeak++
			}
			i += len(p) - 1
		}
	}
	if conditional && predicts {
		ev.add(codebook.Assessment, wConditional, "conditional prediction")
	}
	if n := len(ws); n > 0 && !ws[n-1].quoted {
		switch ws[n-1].text {
		case "?":
			ev.add(codebook.Assessment, wQuestion, "question")
		case "!":
			ev.add(codebook.Assessment, wExclamation, "exclamation")
		}
	}
}

// opensRelative reports whether the word at ws[i] follows "that", "which"
// or "who" closely enough to be the verb of a relative clause.
func (r *Rules) opensRelative(ws []word, i int) bool {
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		if r.lex.relative[ws[k].low] {
			return true
		}
	}
	return false
}

// phraseText returns the n words at ws[i:] as written.
func phraseText(ws []word, i, n int) string {
	parts := make([]string, n)
	for k := 0; k < n; k++ {
		parts[k] = ws[i+k].text
	}
	return strings.Join(parts, " ")
}

// factCues weighs checkable specifics: numbers, dates, and named actors
// doing things in the past tense. cue is the attribution's cue, whose verb
// is not counted as an action of its own.
func (r *Rules) factCues(ev *evidence, ws []word, cue string) {
	var number, date, actor, past string
	cueWords := strings.Fields(fold(cue))
	for i, w := range ws {
		if !w.isWord || w.quoted {
			continue
		}
		if date == "" {
			if p := matchAt(ws, i, r.lex.factTime); p != nil && (len(p) > 1 || w.cap) {
				date = phraseText(ws, i, len(p))
				continue
			}
		}
		switch {
		case w.num && isYear(w.low):
			if date == "" {
				date = w.text
			}
		case w.num:
			if number == "" {
				number = w.text
			}
		case w.cap && i > 0 && actor == "" && w.low != "i":
			actor = capitalRun(ws, i)
		case !w.cap && past == "" && len(w.low) > 4 && strings.HasSuffix(w.low, "ed") && !(i > 0 && r.lex.presentBe[ws[i-1].low]) && !slices.Contains(cueWords, w.low):
			past = w.text
		}
	}
	if number != "" {
		ev.add(codebook.Fact, wNumber, "number: "+number)
	}
	if date != "" {
		ev.add(codebook.Fact, wDate, "date: "+date)
	}
	if past != "" {
		ev.add(codebook.Fact, wPastAction, "past action: "+past)
		if actor != "" {
			ev.add(codebook.Fact, wNamedActor, "named actor: "+actor)
		}
	}
}

// capitalRun returns the capitalised words that start at ws[i], as
// written: "White House", "Vladimir Putin".
func capitalRun(ws []word, i int) string {
	j := i
	for j < len(ws) && ws[j].isWord && ws[j].cap && !ws[j].quoted && j-i < 4 {
		j++
	}
	return phraseText(ws, i, j-i)
}

func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	return (s[:2] == "19" || s[:2] == "20") && s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9'
}
