package attribution

import (
	"strings"

	"factdesk/segment"
)

// Speakers for the outlet's own voice.
const (
	OutletSpeaker = "the outlet" // "Our assessment", "we believe"
	WriterSpeaker = "the writer" // "in my view", "I believe"
)

// extractor holds what one Extract call has learnt about the article so
// far: the people named in it, most recent last, the last named speaker
// of the current paragraph and the subject of the sentence before, which
// a speaker "it" or "they" may stand for.
type extractor struct {
	people      []string // people, most recently mentioned last
	names       []string // other full names seen, to complete surnames
	paraSpeaker string
	prevSubject string // the previous sentence's subject, when it is "the …"
}

// cand is one attribution cue found in a sentence.
type cand struct {
	kind    Kind
	cue     string
	spk     []token
	speaker string  // set instead of spk for the outlet's voice
	medium  []token // where it was said, when the cue's own phrase names it
}

// stated finds the attribution a sentence states itself, looking only at
// the words outside quotation marks.
func (x *extractor) stated(s segment.Sentence, info *sentInfo) Attribution {
	toks := info.toks
	var cands []cand
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.word || t.quoted {
			continue
		}
		if !lex.starts[t.low] && !lex.hedgeAdverb[t.low] && (t.cap || (lex.verbs[t.low] == KindNone && !lex.passiveOnly[t.low])) {
			continue
		}
		if n := matchAt(toks, i, lex.according); n > 0 {
			spk, med := documentSource(toks, i+n)
			cands = append(cands, cand{kind: KindReport, cue: lowWords(toks[i : i+n]), spk: spk, medium: med})
			i += n - 1
			continue
		}
		if lex.hedgeAdverb[t.low] {
			cands = append(cands, cand{kind: KindReport, cue: t.low})
			continue
		}
		if n := matchAt(toks, i, lex.outletWe); n > 0 {
			cands = append(cands, cand{kind: KindOutlet, cue: s.Text[t.start:toks[i+n-1].end], speaker: OutletSpeaker})
			i += n - 1
			continue
		}
		if n := matchAt(toks, i, lex.outletI); n > 0 {
			cands = append(cands, cand{kind: KindOutlet, cue: s.Text[t.start:toks[i+n-1].end], speaker: WriterSpeaker})
			i += n - 1
			continue
		}
		if t.cap || (lex.verbs[t.low] == KindNone && !lex.passiveOnly[t.low]) {
			continue
		}
		if c, ok := verbCand(toks, i); ok {
			cands = append(cands, c)
		}
	}
	c, ok := pick(cands)
	if !ok {
		return Attribution{}
	}
	a := Attribution{Cue: c.cue, From: s.Index, Speaker: c.speaker}
	if c.kind != KindOutlet {
		spk := c.spk
		if len(c.medium) > 0 {
			a.Medium = surface(s.Text, c.medium)
		} else if m, ok := findMedium(toks); ok {
			a.Medium = s.Text[m.start:m.end]
			// "In an interview with Vesti TV Putin said": the medium's name
			// and the speaker run together; split them.
			if len(spk) > 1 && m.obj >= 0 && spk[0].start == toks[m.obj].start {
				name, rest := x.splitRun(spk)
				spk = name
				a.Medium = s.Text[m.start:rest[len(rest)-1].end]
			}
		}
		a.Speaker = x.speakerName(s.Text, spk)
	}
	return a
}

// pick chooses among a sentence's cues: the first one with a speaker, then
// the outlet's voice, then the first bare hedge or passive.
func pick(cands []cand) (cand, bool) {
	for _, c := range cands {
		if c.kind != KindOutlet && len(c.spk) > 0 {
			return c, true
		}
	}
	for _, c := range cands {
		if c.kind == KindOutlet {
			return c, true
		}
	}
	for _, c := range cands {
		if c.kind == KindReport {
			return c, true
		}
	}
	return cand{}, false
}

// verbCand reads the attribution verb at toks[v]: active with a speaker,
// passive with or without an agent ("condemned by the European Union", "is
// reported to"), or a participle with an agent ("figures reported by").
func verbCand(toks []token, v int) (cand, bool) {
	t := toks[v]
	k := lex.verbs[t.low]
	if v > 0 && (lex.determiner[toks[v-1].low] || toks[v-1].low == "to") {
		return cand{}, false // "its alleged role", "refused to say"
	}
	j := v - 1
	for j >= 0 && toks[j].word && lex.adverb[toks[j].low] && !lex.be[toks[j].low] {
		j--
	}
	if j >= 0 && toks[j].word && lex.be[toks[j].low] {
		a := j
		for a > 0 && toks[a-1].word && (lex.aux[toks[a-1].low] || lex.adverb[toks[a-1].low]) {
			a--
		}
		if a > 0 && toks[a-1].low == "it" {
			a-- // "it is alleged", "it was reported"
		}
		end := v + 1
		if end < len(toks) && (toks[end].low == "to" || toks[end].low == "of") {
			end++
		}
		var agent []token
		if v+1 < len(toks) && toks[v+1].low == "by" {
			agent = rightNP(toks, v+2)
		}
		kind := passiveKind(k, t.low)
		if kind == KindNone || (len(agent) == 0 && kind != KindReport) {
			return cand{}, false
		}
		return cand{kind: kind, cue: lowWords(toks[a:end]), spk: agent}, true
	}
	if k == KindNone {
		return cand{}, false // a passive-only verb used actively
	}
	if lex.finding[t.low] && !(v+1 < len(toks) && toks[v+1].low == "that") && !endsClause(toks, v+1) {
		return cand{}, false // "found a body" is an event, not a finding
	}
	if v+1 < len(toks) && toks[v+1].low == "by" && strings.HasSuffix(t.low, "ed") {
		agent := rightNP(toks, v+2)
		if len(agent) == 0 {
			return cand{}, false
		}
		return cand{kind: passiveKind(k, t.low), cue: t.low + " by", spk: agent}, true
	}
	spk := subjectOf(toks, v)
	if len(spk) == 0 || inSubordinate(toks, spk) {
		return cand{}, false
	}
	if len(spk) == 1 && (spk[0].low == "we" || spk[0].low == "i") {
		return cand{}, false // the outlet's voice is read from its own phrases
	}
	return cand{kind: k, cue: t.low, spk: spk}, true
}

// inSubordinate reports whether the speaker's words directly follow a
// word that opens a subordinate clause ("after the company reported …").
func inSubordinate(toks []token, spk []token) bool {
	for k := 1; k < len(toks); k++ {
		if toks[k].start == spk[0].start {
			return toks[k-1].word && lex.subordinate[toks[k-1].low]
		}
	}
	return false
}

// endsClause reports whether nothing but punctuation follows toks[i-1].
func endsClause(toks []token, i int) bool {
	for ; i < len(toks); i++ {
		if toks[i].word {
			return false
		}
	}
	return true
}

// passiveKind is what a passive of a verb of kind k attributes: speech and
// claims become reports; announcements and reactions stay what they are.
func passiveKind(k Kind, w string) Kind {
	switch k {
	case KindSpeech, KindClaim:
		return KindReport
	case KindAnnounce, KindReaction:
		return k
	}
	if lex.passiveOnly[w] {
		return KindReport
	}
	return KindNone
}

// matchAt returns the length of the longest phrase matching the words at toks[i:].
func matchAt(toks []token, i int, ps []phrase) int {
	best := 0
	for _, p := range ps {
		if len(p) > best && matchesAt(toks, i, p) {
			best = len(p)
		}
	}
	return best
}

// matchesAt reports whether the unquoted words at toks[i:] are p.
func matchesAt(toks []token, i int, p phrase) bool {
	if i+len(p) > len(toks) {
		return false
	}
	for k, w := range p {
		t := toks[i+k]
		if !t.word || t.quoted || t.low != w {
			return false
		}
	}
	return true
}

func lowWords(ts []token) string {
	ws := make([]string, 0, len(ts))
	for _, t := range ts {
		if t.word {
			ws = append(ws, t.low)
		}
	}
	return strings.Join(ws, " ")
}

// medium is where a sentence says something was said: the byte range of
// its words and the token where the name it takes starts (-1 for none).
type medium struct {
	start, end int
	obj        int
}

// findMedium finds where something was said ("in an interview with Vesti
// TV", "in a statement").
func findMedium(toks []token) (medium, bool) {
	for i := range toks {
		if !toks[i].word || toks[i].quoted || !lex.starts[toks[i].low] {
			continue
		}
		var best *mediumEntry
		for k := range lex.medium {
			m := &lex.medium[k]
			if (best == nil || len(m.words) > len(best.words)) && matchesAt(toks, i, m.words) {
				best = m
			}
		}
		if best == nil {
			continue
		}
		end := i + len(best.words)
		startTok := i + best.skip
		obj := -1
		if best.takesObj {
			np := objectName(toks, end)
			if len(np) == 0 && best.skip == len(best.words) {
				continue
			}
			if len(np) > 0 {
				obj = end
				end += len(np)
			}
		}
		if startTok >= end {
			continue
		}
		return medium{start: toks[startTok].start, end: toks[end-1].end, obj: obj}, true
	}
	return medium{}, false
}

// objectName reads a name after a preposition: an optional "the" and
// capitalised words ("Vesti TV", "the BBC").
func objectName(toks []token, i int) []token {
	j := i
	if j < len(toks) && toks[j].word && lex.determiner[toks[j].low] {
		j++
	}
	for j < len(toks) && toks[j].word && !toks[j].quoted && (toks[j].cap || toks[j].num) && j-i < maxSpeakerWords {
		j++
	}
	if j == i || (j == i+1 && lex.determiner[toks[i].low]) {
		return nil
	}
	return toks[i:j]
}
