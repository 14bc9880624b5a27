package attribution

import (
	"strings"
	"unicode"
)

// A mention is a name the article uses: a run of capitalised words with
// its title ("Sen. Ted Cruz", "Rep. G. K. Butterfield (D-N.C.)"), in
// document order. Coreference resolves a speaker's pronoun or short name
// to the latest compatible mention before it.
type mention struct {
	at     int    // byte offset in the body
	name   string // without title or party tag: "Ted Cruz"
	words  []string
	title  string // folded title word before it ("sen.", "president"), if any
	gender byte   // 'm', 'f' or 0
	person bool   // has a title, a first name or a full-name shape
	spoke  bool   // the source of an attribution
	first  bool   // the sentence's first words: its subject, most likely
}

// people is what coreference knows of an article.
type people struct {
	mentions []mention
}

// honorific titles that say a person's gender.
var genderTitle = map[string]byte{"mr": 'm', "mr.": 'm', "mrs": 'f', "mrs.": 'f', "ms": 'f', "ms.": 'f', "miss": 'f', "sir": 'm', "lady": 'f'}

// titleRoles maps an abbreviated title to the noun a later "the …" uses.
var titleRoles = map[string]string{"sen.": "senator", "sen": "senator", "rep.": "representative", "rep": "representative",
	"gov.": "governor", "gov": "governor", "gen.": "general", "pres.": "president", "sec.": "secretary", "dr.": "doctor"}

// findPeople collects the name mentions of the sentences.
func findPeople(sents []rsentence) *people {
	p := &people{}
	for si := range sents {
		toks := sents[si].toks
		for k := 0; k < len(toks); k++ {
			if !isNameWord(toks[k]) || toks[k].quoted {
				continue
			}
			j := k + 1
			// A title ends a name before it: "US President Donald Trump".
			for j < len(toks) && (isNameWord(toks[j]) || isInitial(toks[j])) && !toks[j].quoted && !(isTitle(toks[j]) && j > k && !isTitle(toks[j-1])) {
				j++
			}
			m := mention{at: toks[k].start}
			// A title before the name: "Sen.", "President", "Mr.".
			if k > 0 && isTitle(toks[k-1]) {
				m.title = toks[k-1].low
			}
			words := toks[k:j]
			for len(words) > 1 && isTitle(words[0]) {
				m.title = words[0].low
				words = words[1:]
			}
			// Without parts of speech, a capitalised first word alone is
			// more often "The" or "Meanwhile" than a name.
			if len(words) == 0 || isTitle(words[0]) || k == 0 && len(words) == 1 && m.title == "" && words[0].pos == "" {
				k = j
				continue
			}
			for _, w := range words {
				m.words = append(m.words, w.text)
			}
			m.name = strings.Join(m.words, " ")
			m.gender = genderTitle[m.title]
			if m.gender == 0 {
				m.gender = firstNameGender[fold(words[0].text)]
			}
			afterPlace := k > 0 && placePreposition[toks[k-1].low]
			m.first = k == 0 || k == 1 && toks[0].qmark
			m.person = m.title != "" || m.gender != 0 || len(words) >= 2 && len(words) <= 3 && !orgLike(words) && !afterPlace && !strings.Contains(m.name, ".")
			p.mentions = append(p.mentions, m)
			k = j
		}
	}
	// A surname takes the gender and personhood of the full name it ends:
	// "Clinton" is a she where "Hillary Clinton" is.
	// Family members who share it ("Bill", "Hillary") leave it unknown.
	bySurname := map[string]byte{}
	for _, m := range p.mentions {
		last := fold(m.words[len(m.words)-1])
		switch g, seen := bySurname[last]; {
		case m.gender == 0:
		case !seen:
			bySurname[last] = m.gender
		case g != m.gender:
			bySurname[last] = '?'
		}
	}
	for i := range p.mentions {
		m := &p.mentions[i]
		if g := bySurname[fold(m.words[len(m.words)-1])]; m.gender == 0 && (g == 'm' || g == 'f') {
			m.gender, m.person = g, true
		}
	}
	return p
}

// placePreposition are words before a place's name more often than a
// person's: "in Palo Alto", "from New Hampshire".
var placePreposition = map[string]bool{"in": true, "from": true, "at": true, "across": true, "near": true, "to": true, "of": true, "throughout": true, "outside": true, "into": true}

// spoke marks the mention at byte offset at as a source.
func (p *people) spoke(at int) {
	for i := range p.mentions {
		if p.mentions[i].at == at {
			p.mentions[i].spoke = true
		}
	}
}

// isTitle reports whether t is a title before a name: "President",
// "Sen.", "Mr.".
func isTitle(t rtoken) bool {
	return t.title || genderTitle[t.low] != 0 || titleRoles[t.low] != ""
}

func isNameWord(t rtoken) bool {
	r := []rune(t.text)
	if t.pos != "" && t.pos != "NNP" && t.pos != "NNPS" {
		return false
	}
	return len(r) > 1 && unicode.IsUpper(r[0]) && !t.pronoun && !isAllCaps(t.text) && !lex.determiner[t.low] &&
		strings.IndexFunc(t.text, unicode.IsLetter) == 0
}

func isInitial(t rtoken) bool {
	r := []rune(t.text)
	return len(r) == 2 && unicode.IsUpper(r[0]) && r[1] == '.'
}

// isAllCaps reports whether s is written in capitals: a headline's word
// or an acronym ("US", "DNC"), which names a body or place, not a person.
func isAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

func orgLike(words []rtoken) bool {
	for _, w := range words {
		if lex.org[w.low] {
			return true
		}
	}
	return false
}

// resolve returns the canonical name of a speaker the article writes as
// surface at byte offset at: a pronoun or a short name resolved to the
// latest compatible full mention before it, a title dropped; surface
// itself, trimmed, when nothing better is known.
func (p *people) resolve(surface string, at int, lastSpeaker string) string {
	s := strings.TrimSpace(surface)
	// "Mr. Daniel Okafor, the council leader": the name, not its
	// apposition; "the council leader, Daniel Okafor" likewise.
	if parts := strings.Split(s, ","); len(parts) > 1 {
		for _, part := range parts {
			w := strings.Fields(part)
			if len(w) > 0 && isCapitalized(w[len(w)-1]) && fold(w[0]) != "the" && !lex.title[fold(w[len(w)-1])] {
				s = strings.TrimSpace(part)
				break
			}
		}
	}
	low := fold(s)
	switch low {
	case "he", "him", "his":
		return p.latest(at, func(m mention) bool { return m.person && m.gender != 'f' }, lastSpeaker, 'm', s)
	case "she", "her":
		return p.latest(at, func(m mention) bool { return m.person && m.gender != 'm' }, lastSpeaker, 'f', s)
	}
	words := strings.Fields(s)
	if len(words) == 0 {
		return s
	}
	// "Mr. Obama", "Sen. Cruz", "Obama": the full name with that surname.
	head := words[len(words)-1]
	if len(words) <= 2 && isCapitalized(head) {
		for i := len(p.mentions) - 1; i >= 0; i-- {
			m := p.mentions[i]
			if m.at < at && len(m.words) > 1 && strings.EqualFold(m.words[len(m.words)-1], head) {
				return m.name
			}
		}
		if len(words) == 2 && (genderTitle[fold(words[0])] != 0 || lex.title[fold(words[0])] || titleRoles[fold(words[0])] != "") {
			return head
		}
	}
	// "Sen. Bernie Sanders": the name without its title.
	if len(words) > 2 && isCapitalized(head) {
		k := 0
		for k < len(words)-1 && (genderTitle[fold(words[k])] != 0 || lex.title[fold(words[k])] || titleRoles[fold(words[k])] != "") {
			k++
		}
		if k > 0 {
			return strings.Join(words[k:], " ")
		}
	}
	// "the senator", "the president": the latest person with that title.
	if len(words) == 2 && (fold(words[0]) == "the") {
		role := fold(words[1])
		for i := len(p.mentions) - 1; i >= 0; i-- {
			m := p.mentions[i]
			if m.at < at && m.title != "" && (m.title == role || titleRoles[m.title] == role) {
				return m.name
			}
		}
	}
	return s
}

// latest is the name of the person a pronoun before at most likely
// stands for: of the compatible people mentioned before it, a recent
// source first, then a recent subject, then the latest mention; each
// within a window of mentions.
func (p *people) latest(at int, fits func(mention) bool, lastSpeaker string, gender byte, fallback string) string {
	best, bestScore := -1, -1.0
	seen := 0
	for i := len(p.mentions) - 1; i >= 0 && seen < 12; i-- {
		m := p.mentions[i]
		if m.at >= at {
			continue
		}
		seen++
		if !fits(m) {
			continue
		}
		score := 1.0 / float64(seen)
		if m.spoke || m.name == lastSpeaker {
			score += 1
		}
		if m.first {
			score += 0.5
		}
		if m.gender == gender {
			score += 0.5
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return fallback
	}
	return p.fullest(p.mentions[best], at, gender)
}

// fullest is the fullest earlier name ending in m's surname, of a person
// of the given gender where the name says it ("Hillary Clinton", not
// "Bill Clinton", for "she").
func (p *people) fullest(m mention, at int, gender byte) string {
	if len(m.words) > 1 {
		return m.name
	}
	for i := len(p.mentions) - 1; i >= 0; i-- {
		o := p.mentions[i]
		if o.at < at && len(o.words) > 1 && strings.EqualFold(o.words[len(o.words)-1], m.words[0]) &&
			(o.gender == 0 || o.gender == gender || gender == 0) {
			return o.name
		}
	}
	return m.name
}

func isCapitalized(s string) bool {
	r := []rune(s)
	return len(r) > 0 && unicode.IsUpper(r[0])
}
