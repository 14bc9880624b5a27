package machine

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/learn"
)

// The subjectivity model tells the writer's own evaluation, interpretation
// or prediction (an assessment) from a plain report: a logistic regression
// over the words of a sentence, its punctuation, its specifics (numbers,
// dates, names) and the word lists in subjectivity.txt and words.txt. Its
// weights are trained by TrainSubjectivity and embedded as subjectivity.bin.

//go:embed subjectivity.txt
var subjectivityTxt string

//go:embed subjectivity.bin
var subjectivityBin []byte

// The model's classes, in its order.
const (
	classObjective  = "objective"
	classSubjective = "subjective"
)

// subjClasses are the classes the model is trained with.
var subjClasses = []string{classObjective, classSubjective}

// subjLists maps each word list the model reads to what a checker is told
// about a word of it. Lists of words.txt are prefixed "rules.".
var subjLists = []struct{ name, group string }{
	{"rules.evaluative", "evaluative words"},
	{"negative", "evaluative words"},
	{"positive", "evaluative words"},
	{"rules.evaluative_weak", "judgement words"},
	{"emotion", "feeling"},
	{"certainty", "certainty"},
	{"rules.hedge", "hedge"},
	{"downtoner", "hedge"},
	{"rules.prescriptive", "says what ought to be"},
	{"rules.modal", "modal verb"},
	{"rules.future", "prediction"},
	{"rules.condition", "condition"},
	{"rules.intensifier", "emphasis"},
	{"opinion_verb", "opinion verb"},
	{"first_singular", "first person"},
	{"first_plural", "first person"},
	{"second_person", "addresses the reader"},
	{"generalizer", "sweeping words"},
	{"comparison", "comparison"},
	{"contrast", "argument"},
	{"reporting", "reporting verb"},
	{"measure", "quantity"},
	{"calendar", "date"},
	{"time", "date"},
}

// subjEntry is one entry of a word list: its words and the list.
type subjEntry struct {
	words phrase
	list  int // index in subjLists
}

// subjLexicon is the word lists of the subjectivity model, indexed by
// each entry's first word.
type subjLexicon struct {
	rules          *Rules // for its verdict, a feature of the model
	entries        map[string][]subjEntry
	notSuperlative map[string]bool
	hash           string // of the files the lists come from
}

// loadSubjLexicon parses the embedded word lists once.
var loadSubjLexicon = sync.OnceValues(func() (*subjLexicon, error) {
	return parseSubjLexicon(subjectivityTxt, wordsTxt)
})

// parseSubjLexicon reads subjectivity.txt (own) and words.txt (rules) and
// checks that every list the model reads is there.
func parseSubjLexicon(own, rules string) (*subjLexicon, error) {
	ownSecs, err := readSections(own)
	if err != nil {
		return nil, fmt.Errorf("subjectivity.txt: %w", err)
	}
	ruleSecs, err := readSections(rules)
	if err != nil {
		return nil, fmt.Errorf("words.txt: %w", err)
	}
	ruleLex, err := parseLexicon(rules)
	if err != nil {
		return nil, fmt.Errorf("words.txt: %w", err)
	}
	l := &subjLexicon{rules: &Rules{lex: ruleLex}, entries: map[string][]subjEntry{}, notSuperlative: map[string]bool{}}
	for i, sl := range subjLists {
		ps := ownSecs[sl.name]
		if name, ok := strings.CutPrefix(sl.name, "rules."); ok {
			ps = ruleSecs[name]
		}
		if len(ps) == 0 {
			return nil, fmt.Errorf("word list [%s] missing or empty", sl.name)
		}
		for _, p := range ps {
			l.entries[p[0]] = append(l.entries[p[0]], subjEntry{p, i})
		}
	}
	for _, p := range ownSecs["superlative_not"] {
		l.notSuperlative[p[0]] = true
	}
	if len(l.notSuperlative) == 0 {
		return nil, fmt.Errorf("subjectivity.txt: word list [superlative_not] missing or empty")
	}
	h := sha256.Sum256([]byte(own + "\x00" + rules))
	l.hash = hex.EncodeToString(h[:4])
	return l, nil
}

// cue is one feature of a sentence as the subjectivity model reads it.
type cue struct {
	key   string // the feature's name, hashed for the model: "w:reckless"
	group string // what a checker is told of it ("evaluative words"); "" when text is the whole reason
	text  string // the words that fire it, as written, or the whole reason
}

// cueSet collects the cues of one sentence.
type cueSet struct {
	out                   []cue
	prev                  string // the last word or mark, for bigrams
	words, names, numbers int
}

func (c *cueSet) add(key, group, text string) { c.out = append(c.out, cue{key, group, text}) }

// cues returns the features of a sentence: text, its quoted spans and
// its attribution (zero when none). Words inside quotation marks give
// features of their own: they are someone else's words.
func (l *subjLexicon) cues(text string, spans []attribution.Span, a attribution.Attribution) []cue {
	ws := splitWords(text, spans)
	c := &cueSet{out: make([]cue, 0, 4*len(ws)+16), prev: "<s>"}
	for i, w := range ws {
		if w.isWord {
			l.wordCues(c, ws, i)
		} else {
			c.markCues(w)
		}
	}
	c.add(l.rules.verdict(ws), "", "")
	c.add("b:"+c.prev+"_</s>", "", "")
	c.add("len:"+lengthBucket(c.words), "", "")
	c.add("names:"+countBucket(c.names), "", "")
	c.add("numbers:"+countBucket(c.numbers), "", "")
	switch share := attribution.QuotedShare(text, spans); {
	case share >= quoteShareWhole:
		c.add("quoted:most", "", "mostly quoted words")
	case share > 0:
		c.add("quoted:some", "", "quoted words")
	}
	if !a.IsZero() && !a.CarriedOver {
		c.add("attr:"+string(a.Kind()), "", "attributed: "+a.Cue)
	}
	return c.out
}

// markCues adds the cues of a punctuation mark.
func (c *cueSet) markCues(w word) {
	switch w.text {
	case "!", "?", "(", ";", ":", "—", "–", "…":
		c.add("p:"+w.text, "", punctuationReason(w.text))
	case "\"", "“", "”", "‘", "’", "'":
		c.add("p:quote", "", "quotation marks")
	case "%":
		c.add("p:%", "quantity", "%")
	case "$", "£", "€":
		c.add("p:money", "amount", w.text)
	}
	if w.text != "\"" && w.text != "“" && w.text != "”" {
		c.add("b:"+c.prev+"_"+w.text, "", "")
		c.prev = w.text
	}
}

// wordCues adds the cues of the word ws[i]: the word and the bigram it
// ends, numbers and names, its shape and ending, and the word lists'
// entries that start at it.
func (l *subjLexicon) wordCues(c *cueSet, ws []word, i int) {
	w := ws[i]
	q := ""
	if w.quoted {
		q = "q"
	}
	first := c.words == 0
	c.words++
	low := w.low
	if isAcronym(w.text) {
		low = w.text // "US" is not "us"
	}
	group := l.group(low)
	switch {
	case w.num:
		low, group = "#", "number"
		c.numbers++
		if isYear(w.low) {
			c.add("year", "date", w.text)
		} else {
			c.add("num", "number", w.text)
		}
	case w.cap && !first && !opensClause(ws, i) && group == "wording":
		group = "names"
	}
	c.add(q+"w:"+low, group, w.text)
	c.add(q+"b:"+c.prev+"_"+low, "", "")
	c.prev = low
	if !w.num {
		if s := shape(w.text); s != "" {
			c.add("sh:"+s, "", "")
		}
		if w.cap && !first && low != "i" && !w.quoted && !opensClause(ws, i) {
			c.names++
			c.add("name", "", "")
		}
		if !w.cap && len(low) > 5 && strings.HasSuffix(low, "est") && !l.notSuperlative[low] {
			c.add(q+"sup", "superlative", w.text)
		}
		if !w.cap && len(low) > 6 {
			c.add(q+"sf:"+low[len(low)-3:], group, w.text)
		}
	}
	for _, e := range l.entries[low] {
		if matchWords(ws, i, e.words) && (subjLists[e.list].name != "calendar" || w.cap) {
			c.add(q+"l:"+subjLists[e.list].name, subjLists[e.list].group, phraseText(ws, i, len(e.words)))
		}
	}
}

// group is what a checker is told of a word: the group of the first word
// list that holds it alone, or "wording".
func (l *subjLexicon) group(low string) string {
	for _, e := range l.entries[low] {
		if len(e.words) == 1 {
			return subjLists[e.list].group
		}
	}
	return "wording"
}

// opensClause reports whether ws[i] follows a mark after which a capital
// letter starts a sentence rather than a name.
func opensClause(ws []word, i int) bool {
	if i == 0 {
		return true
	}
	switch ws[i-1].text {
	case ":", "\"", "“", "‘", "(", "—", "–", "?", "!":
		return true
	}
	return false
}

// isAcronym reports whether s is two or more capital letters and nothing else.
func isAcronym(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// matchWords reports whether the words at ws[i:] are p, quoted or not.
func matchWords(ws []word, i int, p phrase) bool {
	if i+len(p) > len(ws) {
		return false
	}
	for k, w := range p {
		if ws[i+k].low != w {
			return false
		}
	}
	return true
}

// shape is a word's shape when it is not a plain lower-case or
// capitalised word: "XX" for an acronym, "x-x" for a compound, "xd" for
// letters with digits.
func shape(s string) string {
	var b strings.Builder
	last := rune(0)
	for _, r := range s {
		c := 'x'
		switch {
		case r >= 'A' && r <= 'Z':
			c = 'X'
		case r >= '0' && r <= '9':
			c = 'd'
		case r == '-' || r == '\'' || r == '’' || r == '.':
			c = r
		}
		if c != last {
			b.WriteRune(c)
			last = c
		}
	}
	if sh := b.String(); sh != "x" && sh != "Xx" && sh != "X" {
		return sh
	}
	return ""
}

func punctuationReason(p string) string {
	switch p {
	case "!":
		return "exclamation"
	case "?":
		return "question"
	case "(":
		return "parenthesis"
	case ";", ":":
		return "colon or semicolon"
	}
	return "dash"
}

func lengthBucket(n int) string {
	switch {
	case n <= 8:
		return "short"
	case n <= 16:
		return "medium"
	case n <= 28:
		return "long"
	case n <= 40:
		return "longer"
	}
	return "longest"
}

func countBucket(n int) string {
	if n >= 3 {
		return "3+"
	}
	return strconv.Itoa(n)
}

// hashCues returns the distinct hashed keys of cs, sorted: a feature
// counts once however often it fires.
func hashCues(cs []cue, dst []uint64) []uint64 {
	for _, c := range cs {
		dst = append(dst, learn.Hash(c.key))
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// subjectivity is the trained model with the word lists its features need.
type subjectivity struct {
	lex     *subjLexicon
	model   *learn.Model
	subj    int    // index of the subjective class
	version string // hash of the weights and the word lists
}

// loadSubjectivity decodes the embedded model once.
var loadSubjectivity = sync.OnceValues(func() (*subjectivity, error) {
	m, err := learn.Decode(bytes.NewReader(subjectivityBin))
	if err != nil {
		return nil, fmt.Errorf("subjectivity.bin: %w", err)
	}
	h := sha256.Sum256(subjectivityBin)
	return newSubjectivity(m, hex.EncodeToString(h[:4]))
})

// newSubjectivity wraps a trained model; version names its weights.
func newSubjectivity(m *learn.Model, version string) (*subjectivity, error) {
	lex, err := loadSubjLexicon()
	if err != nil {
		return nil, err
	}
	subj := m.Class(classSubjective)
	if subj < 0 || m.Class(classObjective) < 0 || len(m.Classes()) != 2 {
		return nil, fmt.Errorf("subjectivity model: classes %v, want %v", m.Classes(), subjClasses)
	}
	return &subjectivity{lex: lex, model: m, subj: subj, version: version + "." + lex.hash}, nil
}

// judgement is the model's reading of one sentence.
type judgement struct {
	p    float64 // probability that the sentence is subjective
	cues []cue
	keys []uint64  // distinct hashed keys of cues
	lean []float64 // per key, how far it pushes towards subjective (log-odds)
}

// judge reads a sentence.
func (s *subjectivity) judge(text string, spans []attribution.Span, a attribution.Attribution) judgement {
	cs := s.lex.cues(text, spans, a)
	keys := hashCues(cs, make([]uint64, 0, len(cs)))
	var scores [2]float64
	s.model.Scores(nil, scores[:])
	s.model.AddHashed(keys, scores[:])
	learn.Softmax(scores[:])
	lean := make([]float64, len(keys))
	one := make([]uint64, 1)
	for i, k := range keys {
		var w [2]float64
		one[0] = k
		s.model.AddHashed(one, w[:])
		lean[i] = w[s.subj] - w[1-s.subj]
	}
	return judgement{p: scores[s.subj], cues: cs, keys: keys, lean: lean}
}

// reasons returns up to n phrases for the features that push the sentence
// most towards subjective (towardsSubj) or objective, strongest first:
// "evaluative words: 'reckless', 'disgrace'".
func (j judgement) reasons(towardsSubj bool, n int) []string {
	type grp struct {
		name  string
		w     float64 // the sum of its features' leans, each counted once
		keys  []string
		texts []string
	}
	leanOf := map[string]float64{}
	for _, c := range j.cues {
		k := learn.Hash(c.key)
		if i, ok := slices.BinarySearch(j.keys, k); ok {
			leanOf[c.key] = j.lean[i]
		}
	}
	var groups []*grp
	find := func(name string) *grp {
		for _, g := range groups {
			if g.name == name {
				return g
			}
		}
		g := &grp{name: name}
		groups = append(groups, g)
		return g
	}
	type weighed struct {
		c cue
		w float64
	}
	var ranked []weighed
	for _, c := range j.cues {
		w := leanOf[c.key]
		if !towardsSubj {
			w = -w
		}
		if w >= minReasonLean && c.text != "" && !(c.group == "wording" && stopWord(c.text)) {
			ranked = append(ranked, weighed{c, w})
		}
	}
	slices.SortStableFunc(ranked, func(a, b weighed) int { return cmpDesc(a.w, b.w) })
	for _, r := range ranked {
		c, w := r.c, r.w
		name := c.group
		switch {
		case name == "":
			name = "=" + c.text // a reason of its own
		case name == "wording" && !towardsSubj:
			name = "plain wording"
		}
		g := find(name)
		if !slices.Contains(g.keys, c.key) {
			g.keys = append(g.keys, c.key)
			g.w += w
		}
		if !slices.Contains(g.texts, c.text) {
			g.texts = append(g.texts, c.text)
		}
	}
	slices.SortStableFunc(groups, func(a, b *grp) int { return cmpDesc(a.w, b.w) })
	var out []string
	for _, g := range groups {
		if len(out) == n {
			break
		}
		if whole, ok := strings.CutPrefix(g.name, "="); ok {
			out = append(out, whole)
			continue
		}
		texts := g.texts[:min(len(g.texts), 3)]
		out = append(out, g.name+": '"+strings.Join(texts, "', '")+"'")
	}
	return out
}

// minReasonLean is the least log-odds a feature must add to be named as a
// reason: weaker ones are noise to a checker.
const minReasonLean = 0.05

// cmpDesc orders floats from the largest down.
func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// verdict is the rule-based reviewer's reading of a sentence in the
// writer's voice, as a feature of the model: how far its judgement cues
// outweigh its cues of a checkable fact, in five steps. The cues
// themselves are the model's reasons, through its word lists.
func (r *Rules) verdict(ws []word) string {
	var ev evidence
	ev.add(codebook.Fact, priorFact, "")
	r.writerCues(&ev, ws, false)
	r.factCues(&ev, ws, "")
	d := ev.score[labelIndex(codebook.Assessment)] - ev.score[labelIndex(codebook.Fact)]
	var step string
	switch {
	case d > 1.5:
		step = "+2"
	case d > 0.5:
		step = "+1"
	case d > -0.5:
		step = "0"
	case d > -1.5:
		step = "-1"
	default:
		step = "-2"
	}
	return "rules:" + step
}

// stopWord reports whether a word says too little to be named as a
// reason on its own: "is", "the", "This".
func stopWord(s string) bool {
	switch fold(s) {
	case "a", "an", "the", "this", "that", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been",
		"has", "have", "had", "do", "does", "did", "to", "of", "in", "on", "at", "by", "for", "with", "from",
		"as", "and", "or", "there", "which", "who", "he", "she", "they", "them", "his", "her", "their":
		return true
	}
	return false
}
