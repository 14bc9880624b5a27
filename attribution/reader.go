package attribution

import (
	"runtime"
	"strings"
	"sync"
	"unicode"

	"factdesk/internal/brat"
	"factdesk/learn"
	"factdesk/postag"
	"factdesk/segment"
)

// tagSentences gives every token of the sentences its tag with model m,
// left to right, each sentence knowing how the one before it ended.
func tagSentences(m *learn.Model, sents []rsentence) [][]int {
	out := make([][]int, len(sents))
	feats := make([]uint64, 0, 64)
	scores := make([]float64, tagCount)
	prevSentence := tagOut
	for si := range sents {
		s := &sents[si]
		if s.parFirst {
			prevSentence = tagOut
		}
		tags := make([]int, len(s.toks))
		p1, p2 := tagOut, tagOut
		for k := range s.toks {
			feats = s.features(feats[:0], k, p1, p2, prevSentence)
			best, _ := learn.Best(m.ScoresHashed(feats, scores))
			tags[k] = best
			p1, p2 = best, p1
		}
		if len(s.toks) > 0 {
			prevSentence = p1
		}
		out[si] = tags
	}
	return out
}

// text is the words of a run of the sentence's tokens.
func (s *rsentence) text(r tokenRun) string {
	return s.seg.Text[r.start-s.seg.Start : r.end-s.seg.Start]
}

// runs returns the maximal runs of tokens with tag, as byte spans of the
// body, each with its first and last token.
type tokenRun struct {
	from, to   int // token indexes, inclusive
	start, end int // bytes into the body
}

func runsOf(s *rsentence, tags []int, tag int) []tokenRun {
	var out []tokenRun
	for k := 0; k < len(tags); k++ {
		if tags[k] != tag {
			continue
		}
		j := k
		for j+1 < len(tags) && tags[j+1] == tag {
			j++
		}
		from, to := k, j
		k = j
		// A run begins and ends with words: the commas and dashes around
		// a source or cue are not part of it, nor those around content
		// (its quotation marks are).
		for from <= to && edgeMark(s.toks[from], tag) {
			from++
		}
		for to >= from && edgeMark(s.toks[to], tag) {
			to--
		}
		if from <= to {
			out = append(out, tokenRun{from: from, to: to, start: s.toks[from].start, end: s.toks[to].end})
		}
	}
	return out
}

// edgeMark reports whether t is punctuation a run of tag does not begin
// or end with.
func edgeMark(t rtoken, tag int) bool {
	if hasLetterOrDigit(t.text) {
		return false
	}
	return tag != tagContent || !t.qmark
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// readAttributions turns the tags of an article's sentences into one
// attribution per sentence: the spans it found, the speaker named by the
// source span (or carried over from the sentence that names it), the cue
// and, from the rules, the medium. text is the body the sentences were
// split from.
func readAttributions(sents []rsentence, tags [][]int) []Attribution {
	out := make([]Attribution, len(sents))
	who := findPeople(sents)
	last := -1 // the latest sentence that names its source
	for i := range sents {
		s := &sents[i]
		content := runsOf(s, tags[i], tagContent)
		sources := keepRuns(s, runsOf(s, tags[i], tagSource), nameLike)
		cues := keepRuns(s, runsOf(s, tags[i], tagCue), cueLike)
		if len(content) == 0 && (len(sources) == 0 || len(cues) == 0) {
			out[i] = Attribution{From: -1}
			continue
		}
		a := Attribution{From: s.seg.Index}
		for _, r := range sources {
			a.Spans = append(a.Spans, Part{RoleSource, r.start, r.end})
		}
		for _, r := range cues {
			a.Spans = append(a.Spans, Part{RoleCue, r.start, r.end})
			if a.Cue == "" {
				a.Cue = fold(s.text(r))
			}
		}
		for _, r := range content {
			a.Spans = append(a.Spans, Part{RoleContent, r.start, r.end})
		}
		switch {
		case len(sources) > 0:
			// Of several sources, the one the cue attributes to: the
			// nearest ("When the bill was passed by Congress, he
			// threatened …"). The other spans stay: a nested
			// attribution's inner source is the reader's reading too.
			r := longest(sources)
			if len(cues) > 0 {
				r = nearest(sources, cues[0])
			}
			if outer, ok := closingAttribution(s, sources, cues); ok {
				r = outer
				a.Cue = fold(s.text(cues[len(cues)-1]))
			}
			lastSpeaker := ""
			if last >= 0 {
				lastSpeaker = out[last].Speaker
			}
			a.Speaker = who.resolve(s.text(r), r.start, lastSpeaker)
			who.spoke(r.start)
			last = i
		case forwardSource(sents, tags, i) >= 0 && (last < 0 || i-last > carryWindow || s.parFirst || s.seg.Quote == segment.QuoteOpen):
			// The first sentences of a quotation whose speaker comes after
			// it: "“A. B,” she said."
			a.CarriedOver = true
			a.From = -2 - forwardSource(sents, tags, i) // resolved below
		case last >= 0 && i-last <= carryWindow:
			// Content without a source continues the latest attribution:
			// the second sentence of a quotation, a paragraph that goes on
			// with what the speaker said.
			prev := out[last]
			a.Speaker, a.CarriedOver, a.From = prev.Speaker, true, prev.From
			s.weak = len(cues) > 0 && !quotedRun(s, content) && KindOf(s.text(cues[0])) == KindNone
			var carried []Part
			for _, p := range prev.Spans {
				if p.Role == RoleSource || p.Role == RoleCue && len(cues) == 0 {
					carried = append(carried, p)
				}
			}
			a.Spans = append(carried, a.Spans...)
			if len(cues) == 0 {
				a.Cue = prev.Cue
			}
		case s.rule.Speaker != "":
			a.Speaker, a.CarriedOver = s.rule.Speaker, s.rule.CarriedOver
			if s.rule.From >= 0 {
				a.From = s.rule.From
			}
		}
		if a.Cue == "" {
			a.Cue = s.rule.Cue
		}
		if !s.rule.IsZero() {
			a.Medium = s.rule.Medium
		}
		out[i] = a
	}
	// Sentences waiting for a speaker named after them take it now, the
	// last first, so that a sentence whose speaker is itself carried (its
	// source span was a slip) finds it resolved; where the sentence after
	// names nobody after all, the sentence stands on its own.
	for i := len(out) - 1; i >= 0; i-- {
		if out[i].From > -2 {
			continue
		}
		named := out[-2-out[i].From]
		if named.From < 0 || named.Speaker == "" {
			out[i].CarriedOver, out[i].From = false, sents[i].seg.Index
			continue
		}
		out[i].Speaker, out[i].From = named.Speaker, named.From
		var carried []Part
		for _, p := range named.Spans {
			if p.Role == RoleSource || p.Role == RoleCue {
				carried = append(carried, p)
			}
		}
		out[i].Spans = append(out[i].Spans, carried...)
		if out[i].Cue == "" || out[i].Cue == sents[i].rule.Cue {
			out[i].Cue = named.Cue
		}
	}
	return out
}

// forwardSource is the sentence after i, in its paragraph, that names the
// source of a run of content through i, or -1: each sentence between holds
// content, none names a source, and the run is at most carryWindow long.
func forwardSource(sents []rsentence, tags [][]int, i int) int {
	for j := i + 1; j < len(sents) && j-i <= carryWindow && !sents[j].parFirst; j++ {
		hasContent, hasSource := false, false
		for _, t := range tags[j] {
			hasContent = hasContent || t == tagContent
			hasSource = hasSource || t == tagSource
		}
		if hasSource {
			return j
		}
		if !hasContent {
			return -1
		}
	}
	return -1
}

// quotedRun reports whether a run of the content is inside quotation
// marks.
func quotedRun(s *rsentence, runs []tokenRun) bool {
	for _, r := range runs {
		for _, t := range s.toks[r.from : r.to+1] {
			if t.quoted || t.qmark {
				return true
			}
		}
	}
	return false
}

// keepRuns drops the runs none of whose tokens pass: a source without a
// noun or pronoun, a cue without a verb, preposition or listed cue word
// are the tagger's slips.
func keepRuns(s *rsentence, runs []tokenRun, pass func(rtoken) bool) []tokenRun {
	out := runs[:0:0]
	for _, r := range runs {
		for _, t := range s.toks[r.from : r.to+1] {
			if pass(t) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

func nameLike(t rtoken) bool {
	return t.pos == "" || strings.HasPrefix(t.pos, "NN") || strings.HasPrefix(t.pos, "PRP") || t.pos == "CD" || t.pos == "FW"
}

func cueLike(t rtoken) bool {
	return t.pos == "" || strings.HasPrefix(t.pos, "VB") || t.pos == "IN" || t.pos == ":" || t.cueKind != KindNone || strings.HasPrefix(t.pos, "NN")
}

// isClaim reports whether the content is a proposition someone asserts
// ("… warned that rates would rise", "…: “We will win”") rather than a
// thing they want or did ("sought warmer ties"): it holds a finite verb
// before any "but" that joins another clause, or the cue is followed by
// "that", a colon, a comma or a quotation mark.
//
// IsClaim is the same question asked of a stored attribution: a is the
// attribution of the sentence text, which starts at byte start of the
// body a's spans count in.
func IsClaim(text string, start int, a Attribution) bool {
	segs := []segment.Sentence{{Text: text, Start: start, End: start + len(text), Quote: segment.QuoteNone}}
	s := readSentences(segs, nil, []Attribution{{From: -1}}, Default().tag)[0]
	tags := make([]int, len(s.toks))
	for k, t := range s.toks {
		for _, p := range a.Spans {
			if t.start >= p.Start && t.end <= p.End {
				switch p.Role {
				case RoleCue:
					tags[k] = tagCue
				case RoleContent:
					tags[k] = tagContent
				}
			}
		}
	}
	return isClaim(&s, runsOf(&s, tags, tagContent), runsOf(&s, tags, tagCue))
}

func isClaim(s *rsentence, content, cues []tokenRun) bool {
	for _, c := range cues {
		// The cue's own words and the two after it: "has sought" may be
		// tagged "has".
		for _, t := range s.toks[c.from:min(c.to+3, len(s.toks))] {
			if intention[t.low] {
				return false
			}
		}
	}
	for _, r := range content {
		for _, t := range s.toks[r.from : r.to+1] {
			switch {
			case t.pos == "VBD" || t.pos == "VBZ" || t.pos == "VBP" || t.pos == "MD":
				return true
			case t.low == "but" || t.low == "while" || t.low == "whereas" || t.text == ";":
				// A clause joined to the content is not what the cue
				// attributes: "sought warmer ties, but Putin's actions
				// have made it clear …".
				return false
			}
		}
	}
	for _, c := range cues {
		if c.to+1 < len(s.toks) {
			switch next := s.toks[c.to+1]; {
			case next.low == "that", next.text == ":", next.text == ",", next.qmark:
				return true
			}
		}
	}
	return false
}

// intention are cue words of wanting and trying: what follows them is an
// aim of the source's, not a claim ("has sought warmer ties", "wants to
// run", "plans to cut taxes"). A promise or a vow is a claim about the
// future and stays one.
var intention = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`want wants wanted wanting seek seeks sought seeking hope hopes hoped hoping
		plan plans planned planning try tries tried trying aim aims aimed aiming intend intends intended
		wish wishes wished attempt attempts attempted strive strove`) {
		intention[w] = true
	}
}

// weakConfidence is the confidence a weak reading needs: a sentence
// whose cue no list knows, without a source of its own, outside
// quotation marks, carried over from an earlier speaker ("What would
// worry Trump more is …" after a sentence about Trump).
const weakConfidence = 0.75

// carryWindow is how many sentences back a sentence of content without a
// source of its own looks for the attribution it continues.
const carryWindow = 4

// closingAttribution finds the source of an attribution that closes the
// sentence after a comma (", aides said."): of a nested attribution
// ("The governor has learned that the audit is late, aides said."), the
// outer one, whose source is the sentence's speaker.
func closingAttribution(s *rsentence, sources, cues []tokenRun) (tokenRun, bool) {
	if len(cues) < 2 {
		return tokenRun{}, false
	}
	last := cues[len(cues)-1]
	src := nearest(sources, last)
	from, to := min(src.from, last.from), max(src.to, last.to)
	if src.from < cues[0].to || from == 0 || s.toks[from-1].text != "," {
		return tokenRun{}, false
	}
	for _, t := range s.toks[to+1:] {
		if hasLetterOrDigit(t.text) {
			return tokenRun{}, false
		}
	}
	return src, true
}

// nearest is the run closest to the cue, counting a run after the cue
// ("told Fox News") as further than one before it, its subject; the
// longer one on a tie.
func nearest(rs []tokenRun, cue tokenRun) tokenRun {
	best, bestGap := rs[0], -1
	for _, r := range rs {
		gap := cue.from - r.to
		if r.from > cue.to {
			gap = 100 + r.from - cue.to
		}
		if bestGap < 0 || gap < bestGap || gap == bestGap && r.end-r.start > best.end-best.start {
			best, bestGap = r, gap
		}
	}
	return best
}

func longest(rs []tokenRun) tokenRun {
	best := rs[0]
	for _, r := range rs[1:] {
		if r.end-r.start > best.end-best.start {
			best = r
		}
	}
	return best
}

// Reader is the learned attribution reader: a tagger over the article's
// tokens, with the rules' reading as features. It is read-only and safe
// for concurrent use.
type Reader struct {
	model *learn.Model
	tag   func([]postag.Token) []string // part of speech; nil: none
	// calibration turns the tagger's answer for a sentence into the
	// probability that the sentence holds attributed content; nil: none.
	calibration *learn.Model
}

// NewReader returns the reader of model, tagging parts of speech with tag
// and calibrating its confidence with calibration (nil: none).
func NewReader(model *learn.Model, tag func([]postag.Token) []string, calibration *learn.Model) *Reader {
	return &Reader{model: model, tag: tag, calibration: calibration}
}

// Read returns one attribution per sentence. sentences are an article's
// sentences in order, as segment.Split returns them; a sentence the
// calibrated reader finds less likely attributed than not gets none.
func (r *Reader) Read(sentences []segment.Sentence) []Attribution {
	infos := analyse(sentences)
	rules := extract(sentences, nil)
	sents, tags := r.tagParallel(sentences, infos, rules)
	out := readAttributions(sents, tags)
	if r.calibration != nil {
		var feats []string
		scores := make([]float64, 2)
		for i := range out {
			if out[i].IsZero() && len(out[i].Spans) == 0 {
				continue
			}
			feats = sentenceFeatures(feats[:0], &sents[i], tags[i], out[i])
			out[i].Confidence = learn.Softmax(r.calibration.Scores(feats, scores))[1]
			if out[i].Confidence < 0.5 || sents[i].weak && out[i].Confidence < weakConfidence {
				out[i] = Attribution{From: -1}
			}
		}
	}
	// The rules stay where they beat the model: they are right 97 times in
	// 100 when they find an attribution, and the outlet's own voice ("Our
	// assessment") is not in the corpus the reader learned from.
	for i, rule := range rules {
		switch {
		case rule.IsZero():
		case out[i].IsZero() || rule.Kind() == KindOutlet:
			out[i] = rule
		case (out[i].Speaker == "" || lex.pronoun[fold(out[i].Speaker)]) && rule.Speaker != "" && !lex.pronoun[fold(rule.Speaker)]:
			// The rules name who the reader could not, or left as "it".
			out[i].Speaker, out[i].CarriedOver, out[i].From = rule.Speaker, rule.CarriedOver, rule.From
			if out[i].Kind() == KindNone {
				out[i].Cue = rule.Cue
			}
		case rule.Kind() != KindNone && out[i].CarriedOver && (!rule.CarriedOver || out[i].Kind() == KindNone):
			// The rules found a speaker stated in the sentence where the
			// reader only carried one over, or carried over a cue they
			// know where the reader's cue is in no list: the rules'
			// reading wins, with the reader's content and confidence.
			keep := out[i]
			out[i] = rule
			out[i].Confidence = keep.Confidence
			for _, p := range keep.Spans {
				if p.Role == RoleContent {
					out[i].Spans = append(out[i].Spans, p)
				}
			}
		}
	}
	// What a checker is shown names a speaker or a cue: content whose
	// speaker and cue the reader could not place is not given.
	for i := range out {
		if out[i].IsZero() {
			out[i] = Attribution{From: -1}
		}
	}
	return out
}

// chunkSentences is about how many sentences one goroutine tags at a time.
const chunkSentences = 256

// tagParallel tokenizes and tags the sentences, paragraphs spread over
// the processors: the tagger reads no further back than the start of a
// paragraph, so paragraphs tag independently and the answer is the same
// as one pass would give. A long article imports in about half the time
// on two cores.
func (r *Reader) tagParallel(sentences []segment.Sentence, infos []sentInfo, rules []Attribution) ([]rsentence, [][]int) {
	sents := make([]rsentence, len(sentences))
	tags := make([][]int, len(sentences))
	do := func(from, to int) {
		copy(sents[from:to], readSentences(sentences[from:to], infos[from:to], rules[from:to], r.tag))
		copy(tags[from:to], tagSentences(r.model, sents[from:to]))
	}
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(sentences) < 2*chunkSentences {
		do(0, len(sentences))
		return sents, tags
	}
	var wg sync.WaitGroup
	limit := make(chan struct{}, workers)
	for from := 0; from < len(sentences); {
		to := min(from+chunkSentences, len(sentences))
		for to < len(sentences) && sentences[to].Paragraph == sentences[to-1].Paragraph {
			to++ // a chunk ends with a paragraph
		}
		limit <- struct{}{}
		start, end := from, to
		wg.Go(func() {
			defer func() { <-limit }()
			do(start, end)
		})
		from = to
	}
	wg.Wait()
	return sents, tags
}

// Calibrate fits the reader's confidence to annotated documents it was
// not trained on: a logistic regression from what it found in a sentence
// to whether the sentence holds attributed content.
func (r *Reader) Calibrate(docs []brat.Document, seed uint64) *learn.Model {
	var examples []learn.Example
	for _, d := range docs {
		segs := segment.Split(d.Text)
		sents := readSentences(segs, analyse(segs), extract(segs, nil), r.tag)
		tags := tagSentences(r.model, sents)
		out := readAttributions(sents, tags)
		for i, s := range segs {
			_, yes := mainRelation(d, s)
			feats := sentenceFeatures(nil, &sents[i], tags[i], out[i])
			examples = append(examples, learn.Example{Features: learn.HashAll(nil, feats), Class: boolInt(yes)})
		}
	}
	return learn.Logistic{Classes: []string{"no", "yes"}, Seed: seed}.Train(examples)
}

// sentenceFeatures are what the calibration reads of the tagger's answer
// for one sentence: whether and how much it found, and the rules' view.
func sentenceFeatures(dst []string, s *rsentence, tags []int, a Attribution) []string {
	var n [tagCount]int
	for _, t := range tags {
		n[t]++
	}
	share := 0
	if len(tags) > 0 {
		share = 10 * n[tagContent] / len(tags)
	}
	has := func(name string, c int) string {
		if c > 0 {
			return name + "=1"
		}
		return name + "=0"
	}
	dst = append(dst,
		has("src", n[tagSource])+has(" cue", n[tagCue])+has(" con", n[tagContent]),
		"share="+string(rune('0'+share)),
		has("carried", boolInt(a.CarriedOver)),
		"rule="+string(s.rule.Kind()),
		has("ruleany", boolInt(!s.rule.IsZero())),
		"quote="+string(s.seg.Quote),
		has("speaker", len(a.Speaker)),
		has("cuekind", boolInt(s.firstCue >= 0)),
	)
	return dst
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
