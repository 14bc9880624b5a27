package attribution

import "factdesk/segment"

// quoteShareWhole is the part of a sentence's words that must be inside
// quotation marks for the sentence to read as a quotation of its own
// rather than a sentence with a quoted phrase in it.
const quoteShareWhole = 0.6

// quotations gives every sentence of a direct quotation the speaker of
// the quotation: the one a sentence of the quotation names ("…,” she
// said.) or else the one the sentence before it names ("Putin said that
// …" followed by the quotation). A sentence wholly in quotation marks that
// names nobody continues the previous sentence's speaker.
func quotations(sentences []segment.Sentence, infos []sentInfo, out []Attribution) {
	for i := 0; i < len(sentences); i++ {
		ctx := infos[i].ctx
		switch {
		case ctx == segment.QuoteOpen || ctx == segment.QuoteInside || ctx == segment.QuoteClose:
			j := i
			for ctx != segment.QuoteClose && j+1 < len(sentences) &&
				(infos[j+1].ctx == segment.QuoteInside || infos[j+1].ctx == segment.QuoteClose) {
				j++
				if infos[j].ctx == segment.QuoteClose {
					break
				}
			}
			src := -1
			for k := i; k <= j; k++ {
				if out[k].Speaker != "" && out[k].Kind() != KindOutlet {
					src = k
					break
				}
			}
			if src < 0 && i > 0 && speaks(out[i-1]) && sentences[i-1].Paragraph == sentences[i].Paragraph {
				src = i - 1
			}
			if src >= 0 {
				for k := i; k <= j; k++ {
					if out[k].Speaker == "" && !infos[k].pinned {
						out[k] = carried(out[src])
					}
				}
			}
			i = j
		case ctx == segment.QuoteWhole && out[i].IsZero() && !infos[i].pinned && infos[i].share >= quoteShareWhole:
			if i > 0 && speaks(out[i-1]) && sentences[i-1].Paragraph == sentences[i].Paragraph {
				out[i] = carried(out[i-1])
			}
		}
	}
}

// speaks reports whether a names someone who can be the speaker of a
// quotation that follows.
func speaks(a Attribution) bool {
	if a.Speaker == "" {
		return false
	}
	switch a.Kind() {
	case KindSpeech, KindClaim, KindAnnounce, KindReaction:
		return true
	}
	return false
}

// carried returns a as a following sentence inherits it.
func carried(a Attribution) Attribution {
	a.CarriedOver = true
	return a
}

// carryOver continues an attribution inside a paragraph. A sentence that
// opens with a continuing subject ("It …", "He …", "The country …") and
// names no source of its own continues the claim before it; a bare passive
// or hedge ("is reported to") after an attributed report or claim borrows
// its source. Carrying stops at a sentence that names its own source or
// speaks in the outlet's voice, at one that does not continue, and at the
// end of the paragraph.
func carryOver(sentences []segment.Sentence, infos []sentInfo, out []Attribution, x *extractor) {
	var active *Attribution
	for i := range sentences {
		if i == 0 || sentences[i].Paragraph != sentences[i-1].Paragraph {
			active = nil
		}
		if !out[i].IsZero() {
			a := out[i]
			if a.Speaker == "" && !infos[i].pinned && active != nil && active.Speaker != "" &&
				(active.Kind() == KindReport || active.Kind() == KindClaim) {
				a.Speaker, a.Medium, a.From, a.CarriedOver = active.Speaker, active.Medium, active.From, true
				out[i] = a
			}
			active = &a
			continue
		}
		if active != nil {
			if subj, ok := continuingSubject(infos[i].toks); ok &&
				!((subj == "he" || subj == "she") && x.isPerson(active.Speaker)) {
				out[i] = carried(*active)
				continue
			}
		}
		active = nil
	}
}

// continuingSubject returns the subject a sentence opens with when it is
// one that can continue an earlier sentence's claim. A dummy "it" ("It is
// unclear whether …") does not continue anything.
func continuingSubject(toks []token) (string, bool) {
	i := 0
	for i < len(toks) && (!toks[i].word && !toks[i].qmark || toks[i].word && lex.connector[toks[i].low]) {
		i++
	}
	if i >= len(toks) || !lex.starts[toks[i].low] {
		return "", false
	}
	n := matchAt(toks, i, lex.carry)
	if n == 0 {
		return "", false
	}
	subj := lowWords(toks[i : i+n])
	if subj == "it" && i+1 < len(toks) && lex.expletive[toks[i+1].low] {
		return "", false
	}
	return subj, true
}
