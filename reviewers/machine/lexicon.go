package machine

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed words.txt
var wordsTxt string

// phrase is a word-list entry split into folded words.
type phrase []string

// phraseSet is a word list indexed by each entry's first word.
type phraseSet map[string][]phrase

func newPhraseSet(ps []phrase) phraseSet {
	s := phraseSet{}
	for _, p := range ps {
		s[p[0]] = append(s[p[0]], p)
	}
	return s
}

// lexicon holds the reviewer's word lists. It is parsed once from the
// embedded file by NewRules and never changed afterwards.
type lexicon struct {
	modal       phraseSet
	notModal    phraseSet
	prescribe   phraseSet
	future      phraseSet
	hedge       phraseSet
	condition   phraseSet
	evaluative  phraseSet
	evalWeak    phraseSet
	intensifier phraseSet
	firstPerson map[string]bool
	clauseIf    map[string]bool
	relative    map[string]bool
	presentBe   map[string]bool
	factTime    phraseSet
	first       map[string]bool // first words of every phrase, to skip most tokens fast
}

// parseLexicon reads words.txt and checks that every list is there.
func parseLexicon(src string) (*lexicon, error) {
	secs, err := readSections(src)
	if err != nil {
		return nil, err
	}
	for _, s := range []string{"modal", "not_modal", "prescriptive", "future", "hedge", "condition", "evaluative", "evaluative_weak", "intensifier", "first_person", "fact_time", "clause_if", "relative", "present_be"} {
		if len(secs[s]) == 0 {
			return nil, fmt.Errorf("section [%s] missing or empty", s)
		}
	}
	l := &lexicon{
		modal: newPhraseSet(secs["modal"]), notModal: newPhraseSet(secs["not_modal"]),
		prescribe: newPhraseSet(secs["prescriptive"]),
		future:    newPhraseSet(secs["future"]), hedge: newPhraseSet(secs["hedge"]),
		condition: newPhraseSet(secs["condition"]), evaluative: newPhraseSet(secs["evaluative"]),
		evalWeak: newPhraseSet(secs["evaluative_weak"]), intensifier: newPhraseSet(secs["intensifier"]),
		factTime: newPhraseSet(secs["fact_time"]),
		first:    map[string]bool{},
	}
	set := func(sec string) map[string]bool {
		m := map[string]bool{}
		for _, p := range secs[sec] {
			m[p[0]] = true
		}
		return m
	}
	l.firstPerson = set("first_person")
	l.clauseIf = set("clause_if")
	l.relative = set("relative")
	l.presentBe = set("present_be")
	for _, ps := range secs {
		for _, p := range ps {
			l.first[p[0]] = true
		}
	}
	return l, nil
}

// readSections reads a word-list file: a "[section]" line starts a list,
// every other line is an entry of it, "#" starts a comment. Entries are
// folded and split into words.
func readSections(src string) (map[string][]phrase, error) {
	secs := map[string][]phrase{}
	cur := ""
	for n, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			cur = line[1 : len(line)-1]
			if _, dup := secs[cur]; dup {
				return nil, fmt.Errorf("line %d: section [%s] repeated", n+1, cur)
			}
			secs[cur] = nil
		case cur == "":
			return nil, fmt.Errorf("line %d: entry %q before any section", n+1, line)
		default:
			secs[cur] = append(secs[cur], strings.Fields(fold(line)))
		}
	}
	return secs, nil
}

// fold lower-cases s and straightens curly apostrophes.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "’", "'")
}

// matchAt returns the longest phrase of ps that matches the words at
// ws[i:], or nil.
func matchAt(ws []word, i int, ps phraseSet) phrase {
	var best phrase
	for _, p := range ps[ws[i].low] {
		if len(p) <= len(best) || i+len(p) > len(ws) {
			continue
		}
		ok := true
		for k, w := range p {
			if ws[i+k].quoted || ws[i+k].low != w {
				ok = false
				break
			}
		}
		if ok {
			best = p
		}
	}
	return best
}
