package attribution

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed words.txt
var wordsTxt string

// lex is the parsed word list. It is built once from the embedded file and
// never changed, so sharing it between goroutines is safe.
var lex = mustParseLexicon(wordsTxt)

// phrase is a multi-word entry, already split into folded words.
type phrase []string

// mediumEntry is one way of naming where something was said.
type mediumEntry struct {
	words    phrase // the whole trigger, folded
	skip     int    // words before the medium's own name ("in" of "in a statement")
	takesObj bool   // the trigger ends in a preposition and names what follows
}

// lexicon holds every word list of words.txt.
type lexicon struct {
	verbs       map[string]Kind // verb form → kind (speech, claim, announce, reaction)
	passiveOnly map[string]bool
	finding     map[string]bool // verbs that attribute only before "that" or at the end
	according   []phrase
	document    map[string]bool // nouns of documents and data ("figures", "a report")
	documentOf  map[string]bool // documents whose "of" may name their owner
	publication map[string]bool // documents whose "in" names a medium
	documentBy  map[string]bool // participles whose "by" names a document's author
	documentVia map[string]bool // participles whose "by" names who passed a document on
	hedgeAdverb map[string]bool
	outletWe    []phrase
	outletI     []phrase
	medium      []mediumEntry
	aux         map[string]bool
	be          map[string]bool
	adverb      map[string]bool
	time        map[string]bool
	determiner  map[string]bool
	stopLeft    map[string]bool
	subordinate map[string]bool
	relative    map[string]bool
	timeLead    map[string]bool
	nameLink    map[string]bool
	npInner     map[string]bool // "close to": first and second word joined by a space
	pronoun     map[string]bool
	title       map[string]bool
	org         map[string]bool
	carry       []phrase
	connector   map[string]bool
	expletive   map[string]bool
	// starts holds the first word of every multi-word list above, so
	// that most words are passed over with one map lookup.
	starts map[string]bool
}

// parseSections splits a word file into its sections' entries, folded.
func parseSections(src string) (map[string][]string, error) {
	secs := map[string][]string{}
	cur := ""
	for n, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			cur = line[1 : len(line)-1]
			if _, dup := secs[cur]; dup {
				return nil, fmt.Errorf("line %d: section %q repeated", n+1, cur)
			}
			secs[cur] = nil
			continue
		}
		if cur == "" {
			return nil, fmt.Errorf("line %d: entry %q before any section", n+1, line)
		}
		secs[cur] = append(secs[cur], fold(line))
	}
	return secs, nil
}

func mustParseLexicon(src string) *lexicon {
	l, err := parseLexicon(src)
	if err != nil {
		panic("attribution: words.txt: " + err.Error())
	}
	return l
}

// parseLexicon builds the lexicon and checks that every section it needs is there.
func parseLexicon(src string) (*lexicon, error) {
	secs, err := parseSections(src)
	if err != nil {
		return nil, err
	}
	need := []string{"speech", "claim", "finding", "announce", "reaction", "passive", "according",
		"document", "document_of", "publication", "document_by", "document_via",
		"hedge_adverb", "outlet_we", "outlet_i", "medium", "aux", "be", "adverb", "time",
		"determiner", "stop_left", "subordinator", "relative", "time_lead", "name_link", "np_inner", "pronoun", "title", "org", "carry", "connector", "expletive"}
	for _, s := range need {
		if len(secs[s]) == 0 {
			return nil, fmt.Errorf("section [%s] missing or empty", s)
		}
	}
	l := &lexicon{verbs: map[string]Kind{}}
	for sec, k := range map[string]Kind{"speech": KindSpeech, "claim": KindClaim, "finding": KindClaim, "announce": KindAnnounce, "reaction": KindReaction} {
		for _, w := range secs[sec] {
			if prev, dup := l.verbs[w]; dup {
				return nil, fmt.Errorf("verb %q is both %s and %s", w, prev, k)
			}
			l.verbs[w] = k
		}
	}
	set := func(sec string) map[string]bool {
		m := make(map[string]bool, len(secs[sec]))
		for _, w := range secs[sec] {
			m[w] = true
		}
		return m
	}
	phrases := func(sec string) []phrase {
		var ps []phrase
		for _, e := range secs[sec] {
			ps = append(ps, strings.Fields(e))
		}
		return ps
	}
	l.passiveOnly = set("passive")
	l.finding = set("finding")
	l.according = phrases("according")
	l.document = set("document")
	l.documentOf = set("document_of")
	l.publication = set("publication")
	l.documentBy = set("document_by")
	l.documentVia = set("document_via")
	l.hedgeAdverb = set("hedge_adverb")
	l.outletWe = phrases("outlet_we")
	l.outletI = phrases("outlet_i")
	for _, e := range secs["medium"] {
		bar := strings.Index(e, "|")
		if bar < 0 {
			return nil, fmt.Errorf("medium %q has no '|'", e)
		}
		me := mediumEntry{
			words: strings.Fields(strings.Replace(e, "|", " ", 1)),
			skip:  len(strings.Fields(e[:bar])),
		}
		last := me.words[len(me.words)-1]
		me.takesObj = last == "with" || last == "on" || last == "to" || last == "in" || last == "for" || me.skip == len(me.words)
		l.medium = append(l.medium, me)
	}
	l.aux = set("aux")
	l.be = set("be")
	l.adverb = set("adverb")
	l.time = set("time")
	l.determiner = set("determiner")
	l.stopLeft = set("stop_left")
	l.subordinate = set("subordinator")
	l.relative = set("relative")
	l.timeLead = set("time_lead")
	l.nameLink = set("name_link")
	l.npInner = set("np_inner")
	l.pronoun = set("pronoun")
	l.title = set("title")
	l.org = set("org")
	l.carry = phrases("carry")
	l.connector = set("connector")
	l.expletive = set("expletive")
	l.starts = map[string]bool{}
	for _, ps := range [][]phrase{l.according, l.outletWe, l.outletI, l.carry} {
		for _, p := range ps {
			l.starts[p[0]] = true
		}
	}
	for _, m := range l.medium {
		l.starts[m.words[0]] = true
	}
	return l, nil
}

// fold lower-cases s and turns curly apostrophes into straight ones, the
// form every word list is written in.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "’", "'")
}
