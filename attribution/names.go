package attribution

import "strings"

// learnNames remembers the people a sentence introduces with a title
// ("Russian President, Vladimir Putin", "Finance minister Laura Benn") or
// with an age ("Martin Hale, 58,"), so that a later "he" or "Putin" can be
// written as the full name.
func (x *extractor) learnNames(toks []token) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.word || t.quoted || !lex.title[t.low] {
			continue
		}
		j := i + 1
		for j < len(toks) && toks[j].word && lex.title[toks[j].low] {
			j++ // "Prime Minister"
		}
		if j < len(toks) && toks[j].text == "," {
			j++
		}
		k := j
		for k < len(toks) && toks[k].word && toks[k].cap && !toks[k].quoted && k-j < 4 {
			k++
		}
		if looksLikePerson(toks[j:k]) {
			x.remember(joinWords(toks[j:k]))
		}
		i = k - 1
		if i < j {
			i = j - 1
		}
	}
	k := 0
	for k < len(toks) && toks[k].word && toks[k].cap {
		k++
	}
	if k+1 < len(toks) && toks[k].text == "," && toks[k+1].num && looksLikePerson(toks[:k]) {
		x.remember(joinWords(toks[:k]))
	}
	// Any other run that looks like a full name may complete a surname
	// later ("said Brooks"), but is not a candidate for "he" or "she".
	for i := 1; i < len(toks); i++ {
		if !toks[i].word || !toks[i].cap || toks[i].quoted || (toks[i-1].word && toks[i-1].cap) {
			continue
		}
		j := i
		for j < len(toks) && toks[j].word && toks[j].cap && !toks[j].quoted && j-i < 3 {
			j++
		}
		if j-i >= 2 && looksLikePerson(toks[i:j]) {
			x.known(joinWords(toks[i:j]))
		}
		i = j
	}
}

// known adds name to the names that complete surnames, without making it
// the most recent person.
func (x *extractor) known(name string) {
	for _, n := range x.names {
		if n == name {
			return
		}
	}
	x.names = append(x.names, name)
}

// remember makes name the most recently mentioned person.
func (x *extractor) remember(name string) {
	for i, p := range x.people {
		if p == name {
			x.people = append(x.people[:i], x.people[i+1:]...)
			break
		}
	}
	x.people = append(x.people, name)
}

// fullName returns the most recently mentioned person whose name is w or
// ends in w ("Putin" → "Vladimir Putin"), else such a name seen anywhere
// earlier, or "".
func (x *extractor) fullName(w string) string {
	fw := fold(w)
	match := func(p string) bool {
		fp := fold(p)
		return fp == fw || strings.HasSuffix(fp, " "+fw)
	}
	for i := len(x.people) - 1; i >= 0; i-- {
		if match(x.people[i]) {
			return x.people[i]
		}
	}
	for i := len(x.names) - 1; i >= 0; i-- {
		if match(x.names[i]) {
			return x.names[i]
		}
	}
	return ""
}

// isPerson reports whether name is a person the article has named.
func (x *extractor) isPerson(name string) bool {
	for _, p := range x.people {
		if p == name {
			return true
		}
	}
	return false
}

// speakerName turns a speaker's words into a clean name: pronouns resolved
// where the article makes it easy, titles dropped, surnames completed.
func (x *extractor) speakerName(text string, spk []token) string {
	if len(spk) == 0 {
		return ""
	}
	if len(spk) == 1 {
		w := spk[0]
		switch w.low {
		case "he", "she":
			if n := len(x.people); n > 0 {
				return x.people[n-1]
			}
			return w.low
		case "they", "it":
			if x.paraSpeaker != "" {
				return x.paraSpeaker
			}
			if x.prevSubject != "" {
				return x.prevSubject
			}
			return w.low
		}
	}
	name, titled := stripTitle(spk)
	if len(name) == 1 && name[0].cap {
		if full := x.fullName(name[0].text); full != "" {
			x.remember(full)
			return full
		}
	}
	if titled || looksLikePerson(name) {
		n := joinWords(name)
		x.remember(n)
		return n
	}
	return surface(text, name)
}

// splitRun splits a run of capitalised words that holds a medium's name
// and then a speaker's ("Vesti TV Putin") into the speaker's words and the
// medium's. The speaker is the longest tail that is a known person, or
// else the last word.
func (x *extractor) splitRun(run []token) (name, rest []token) {
	for k := 1; k < len(run); k++ {
		tail := run[k:]
		n := joinWords(tail)
		if x.isPerson(n) || (len(tail) == 1 && x.fullName(n) != "") {
			return tail, run[:k]
		}
	}
	return run[len(run)-1:], run[:len(run)-1]
}

func joinWords(ts []token) string {
	ws := make([]string, len(ts))
	for i, t := range ts {
		ws[i] = t.text
	}
	return strings.Join(ws, " ")
}

// leadingSubject returns the noun phrase a sentence opens with when it is
// a common noun with a determiner ("The report, led by …" → "the report"),
// or "".
func leadingSubject(text string, toks []token) string {
	i := 0
	for i < len(toks) && toks[i].word && lex.connector[toks[i].low] {
		i++
	}
	if i >= len(toks) || !toks[i].word || (toks[i].low != "the" && toks[i].low != "a" && toks[i].low != "an") {
		return ""
	}
	j := i + 1
	for j < len(toks) && j-i < 5 {
		t := toks[j]
		if !t.word || t.quoted || lex.stopLeft[t.low] || lex.aux[t.low] || lex.adverb[t.low] || isVerbForm(t) ||
			(!t.cap && strings.HasSuffix(t.low, "ed")) {
			break
		}
		j++
	}
	if j == i+1 {
		return ""
	}
	return surface(text, toks[i:j])
}
