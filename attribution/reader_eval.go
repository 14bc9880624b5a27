package attribution

import (
	"strings"
	"unicode"

	"factdesk/internal/brat"
	"factdesk/postag"
	"factdesk/segment"
)

// Scores are the figures of a reader against annotated documents, counted
// per sentence of factdesk's segmenter.
//
//   - A sentence holds attributed content when a relation's content covers
//     one of its letters or digits; the reader says so when it gives the
//     sentence an attribution.
//   - Speaker and cue are scored on the sentences both say are attributed,
//     against the relation whose content covers most of the sentence: the
//     speaker by head word (the reader's source spans cover the last word
//     of the annotated source before any comma or parenthesis) and exactly
//     (the same words); the cue by its first word.
//   - Pronoun speakers ("he", "they") count as right when the reader's
//     speaker ends with the head word of the person the pronoun stands for,
//     where the corpus says who that is (Antecedents).
//   - Content overlap counts the letters and digits of content spans.
type Scores struct {
	Documents, Sentences          int
	Gold, Predicted, Both         int // attributed sentences
	SpeakerGold, SpeakerHead      int
	SpeakerExact                  int
	PronounGold, PronounRight     int
	CueGold, CueHead              int
	ContentGold, ContentPredicted int // letters and digits
	ContentBoth                   int
	Examples                      []string `json:"-"`
}

// Antecedents tells, for a pronoun at a byte range of a document, the
// head word of who it stands for, "" when unknown.
type Antecedents func(start, end int) string

// Add scores one document read by the reader: attrs has one attribution
// per sentence of segs, the document's sentences.
func (sc *Scores) Add(doc brat.Document, segs []segment.Sentence, attrs []Attribution, who Antecedents) {
	sc.Documents++
	text := doc.Text
	goldContent := make([]bool, len(text))
	for _, r := range doc.Relations {
		for _, s := range r.Content {
			for b := s.Start; b < s.End; b++ {
				goldContent[b] = true
			}
		}
	}
	predContent := make([]bool, len(text))
	for _, a := range attrs {
		for _, p := range a.Spans {
			if p.Role == RoleContent {
				for b := max(p.Start, 0); b < min(p.End, len(text)); b++ {
					predContent[b] = true
				}
			}
		}
	}
	for b, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		if goldContent[b] {
			sc.ContentGold++
		}
		if predContent[b] {
			sc.ContentPredicted++
			if goldContent[b] {
				sc.ContentBoth++
			}
		}
	}
	for i, s := range segs {
		sc.Sentences++
		rel, ok := mainRelation(doc, s)
		pred := !attrs[i].IsZero() || len(attrs[i].Spans) > 0
		if ok {
			sc.Gold++
		}
		if pred {
			sc.Predicted++
		}
		if !ok || !pred {
			continue
		}
		sc.Both++
		a := attrs[i]
		if len(rel.Source) > 0 {
			sc.SpeakerGold++
			head, exact := headOf(text, rel.Source)
			if sameHead(text, a, fold(text[head.Start:head.End])) {
				sc.SpeakerHead++
			} else {
				sc.miss("speaker", text[exact.Start:exact.End], a.Speaker, s.Text)
			}
			if sameText(text, a.Spans, RoleSource, exact) || strings.EqualFold(strings.TrimSpace(a.Speaker), text[exact.Start:exact.End]) {
				sc.SpeakerExact++
			}
			src := strings.ToLower(strings.TrimSpace(text[exact.Start:exact.End]))
			if thirdPersonPronoun[src] && who != nil {
				if ante := who(exact.Start, exact.End); ante != "" {
					sc.PronounGold++
					if lastWord(a.Speaker) == strings.ToLower(ante) {
						sc.PronounRight++
					} else {
						kind := "pronoun-other"
						if covers(a.Spans, RoleSource, exact) {
							kind = "pronoun-resolve"
						}
						sc.miss(kind, src+" = "+ante, a.Speaker, s.Text)
					}
				}
			}
		}
		if len(rel.Cue) > 0 {
			sc.CueGold++
			if head := firstWord(text, rel.Cue[0]); covers(a.Spans, RoleCue, head) {
				sc.CueHead++
			} else {
				sc.miss("cue", text[rel.Cue[0].Start:rel.Cue[0].End], a.Cue, s.Text)
			}
		}
	}
}

// HoldsContent reports whether the corpus marks words of sentence s of
// doc as attributed content.
func HoldsContent(doc brat.Document, s segment.Sentence) bool {
	_, ok := mainRelation(doc, s)
	return ok
}

// thirdPersonPronoun are the pronoun speakers coreference must resolve.
var thirdPersonPronoun = map[string]bool{"he": true, "she": true, "they": true, "it": true, "him": true, "her": true, "them": true}

// mainRelation is the relation whose content covers most letters of the
// sentence (the outer one on a tie), if any covers one.
func mainRelation(doc brat.Document, s segment.Sentence) (brat.Relation, bool) {
	best, bestN, bestLen := brat.Relation{}, 0, 0
	for _, r := range doc.Relations {
		n := 0
		for _, c := range r.Content {
			for b := max(c.Start, s.Start); b < min(c.End, s.End); b++ {
				if ch := doc.Text[b]; ch >= 0x80 || unicode.IsLetter(rune(ch)) || unicode.IsDigit(rune(ch)) {
					n++
				}
			}
		}
		if l := spanLen(r.Content); n > bestN || n == bestN && n > 0 && l > bestLen {
			best, bestN, bestLen = r, n, l
		}
	}
	return best, bestN > 0
}

// headOf returns the head word of a source (its last word before a comma
// or parenthesis, without a possessive) and the source trimmed of
// surrounding spaces and punctuation.
func headOf(text string, spans []brat.Span) (head, exact brat.Span) {
	exact = brat.Span{Start: spans[0].Start, End: spans[len(spans)-1].End}
	sub := text[exact.Start:exact.End]
	toks := postag.Tokenize(sub)
	var words []postag.Token
	for _, t := range toks {
		if t.Text == "," || t.Text == "(" || t.Text == "—" || t.Text == "--" {
			if len(words) > 0 {
				break
			}
			continue
		}
		if t.Text == "'s" || t.Text == "’s" || !hasAlnum(t.Text) {
			continue
		}
		words = append(words, t)
	}
	if len(words) == 0 {
		return exact, exact
	}
	h := words[len(words)-1]
	first, lastTok := toks[0], toks[len(toks)-1]
	for _, t := range toks {
		if hasAlnum(t.Text) {
			first = t
			break
		}
	}
	for k := len(toks) - 1; k >= 0; k-- {
		if hasAlnum(toks[k].Text) {
			lastTok = toks[k]
			break
		}
	}
	return brat.Span{Start: exact.Start + h.Start, End: exact.Start + h.End},
		brat.Span{Start: exact.Start + first.Start, End: exact.Start + lastTok.End}
}

func firstWord(text string, s brat.Span) brat.Span {
	for _, t := range postag.Tokenize(text[s.Start:s.End]) {
		if hasAlnum(t.Text) {
			return brat.Span{Start: s.Start + t.Start, End: s.Start + t.End}
		}
	}
	return s
}

func hasAlnum(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// covers reports whether a part of role covers the middle of s.
func covers(parts []Part, role string, s brat.Span) bool {
	mid := (s.Start + s.End) / 2
	for _, p := range parts {
		if p.Role == role && mid >= p.Start && mid < p.End {
			return true
		}
	}
	return false
}

// sameHead reports whether the head word of the reader's speaker, or of
// one of its source spans, is head: the same person, named in another
// sentence or more fully, counts.
func sameHead(text string, a Attribution, head string) bool {
	if a.Speaker != "" {
		_, h := speakerHead(a.Speaker)
		if h == head {
			return true
		}
	}
	for _, p := range a.Spans {
		if p.Role == RoleSource {
			if _, h := speakerHead(text[p.Start:p.End]); h == head {
				return true
			}
		}
	}
	return false
}

// speakerHead is the head word of a name or noun phrase, folded.
func speakerHead(s string) (brat.Span, string) {
	h, _ := headOf(s, []brat.Span{{Start: 0, End: len(s)}})
	return h, fold(s[h.Start:h.End])
}

// sameText reports whether the parts of role, from the first's start to
// the last's end, trimmed like the annotation, are exactly s.
func sameText(text string, parts []Part, role string, s brat.Span) bool {
	for _, p := range parts {
		if p.Role != role {
			continue
		}
		_, exact := headOf(text, []brat.Span{{Start: p.Start, End: p.End}})
		if strings.EqualFold(text[exact.Start:exact.End], text[s.Start:s.End]) {
			return true
		}
	}
	return false
}

func lastWord(s string) string {
	f := strings.Fields(strings.ToLower(s))
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[len(f)-1], ".,'’\"()")
}

// miss keeps an example of a miss for the report, up to a limit.
func (sc *Scores) miss(what, want, got, sentence string) {
	if len(sc.Examples) < 5000 {
		sc.Examples = append(sc.Examples, what+"\t"+want+"\t"+got+"\t"+sentence)
	}
}
