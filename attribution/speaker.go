package attribution

import "strings"

// maxSpeakerWords bounds a speaker's name; longer runs are not names.
const maxSpeakerWords = 8

// subjectOf finds the speaker of the verb at toks[v]: the words before it
// ("Prosecutors said"), the name in an apposition ("His lawyer, Priya
// Raman, told"; "Martin Hale, 58, said"; "X, who …, said"), or the words
// after it when the verb follows a quotation or a comma ("…," said Jane Doe).
func subjectOf(toks []token, v int) []token {
	j := v - 1
	for j >= 0 {
		t := toks[j]
		if t.word && !t.quoted && (lex.aux[t.low] || lex.adverb[t.low]) {
			j--
			continue
		}
		// "on Monday", "last week", "earlier this month"
		if t.word && lex.time[t.low] && j > 0 && lex.timeLead[toks[j-1].low] {
			j -= 2
			continue
		}
		break
	}
	if j < 0 {
		return nil
	}
	t := toks[j]
	if t.qmark || t.quoted {
		return rightNP(toks, v+1)
	}
	if t.low == "and" || t.low == "but" {
		// "His lawyer, Elena Sorova, called the charges absurd and said …":
		// the verbs share the sentence's subject.
		return sentenceSubject(toks)
	}
	if t.text == "," || t.text == ":" {
		if j > 0 && (toks[j-1].qmark || toks[j-1].quoted) {
			return rightNP(toks, v+1)
		}
		k := j - 1
		for k >= 0 && toks[k].text != "," && !toks[k].qmark && !toks[k].quoted {
			k--
		}
		seg := toks[k+1 : j]
		if len(seg) > 0 && len(seg) <= 4 && allCapWords(seg) && k >= 0 && toks[k].text == "," {
			// "Title, Name, said": the name between the commas speaks.
			return seg
		}
		if k >= 0 && toks[k].text == "," && len(seg) > 0 && opensApposition(seg[0]) {
			if np := leftNP(toks, k-1); len(np) > 0 {
				return np
			}
		}
		return rightNP(toks, v+1)
	}
	np := leftNP(toks, j)
	if head := relativeHead(toks, np); len(head) > 0 {
		return head
	}
	return np
}

// relativeHead finds the real subject when the words before the verb end
// a relative clause: in "Parents who gave evidence to the inquiry
// accused", leftNP finds "the inquiry"; the subject is "Parents". It
// returns nil when no relative word ("who", "which") opens a clause before np.
func relativeHead(toks []token, np []token) []token {
	if len(np) == 0 {
		return nil
	}
	k := 0
	for k < len(toks) && toks[k].start != np[0].start {
		k++
	}
	for w := k - 1; w > 0; w-- {
		t := toks[w]
		if !t.word || t.quoted {
			return nil
		}
		if lex.relative[t.low] {
			if w == k-1 {
				return nil // "who police said": the police speak
			}
			return leftNP(toks, w-1)
		}
	}
	return nil
}

// sentenceSubject reads the subject a sentence opens with: a name or noun
// phrase, or the name in a "Title, Name," apposition.
func sentenceSubject(toks []token) []token {
	i := 0
	for i < len(toks) && toks[i].word && lex.connector[toks[i].low] {
		i++
	}
	np := rightNP(toks, i)
	k := i + len(np)
	if len(np) == 0 || k >= len(toks) || toks[k].text != "," {
		return np
	}
	m := k + 1
	for m < len(toks) && toks[m].word && toks[m].cap && !toks[m].quoted {
		m++
	}
	if m > k+1 && m < len(toks) && toks[m].text == "," {
		return toks[k+1 : m]
	}
	return np
}

// opensApposition reports whether t can open the words between a name and
// its verb: "who …", "a spokesman …", "58", "the company's chief".
func opensApposition(t token) bool {
	if !t.word {
		return false
	}
	if lex.relative[t.low] {
		return true
	}
	return t.num || lex.determiner[t.low] || !t.cap || lex.title[t.low]
}

func allCapWords(ts []token) bool {
	for _, t := range ts {
		if !t.word || !t.cap || t.quoted {
			return false
		}
	}
	return true
}

// leftNP reads a noun phrase leftward from toks[j] (inclusive).
func leftNP(toks []token, j int) []token {
	end := j
	i := j
	for i >= 0 && end-i < maxSpeakerWords {
		t := toks[i]
		if !t.word || t.quoted || lex.time[t.low] || lex.connector[t.low] {
			break
		}
		if lex.stopLeft[t.low] || (lex.adverb[t.low] && !t.cap) {
			if t.low == "and" && i > 0 && i < end && toks[i-1].cap && toks[i+1].cap {
				i--
				continue
			}
			if i > 0 && i < end && lex.npInner[toks[i-1].low+" "+t.low] {
				i -= 2 // "sources close to the talks"
				continue
			}
			break
		}
		if isVerbForm(t) {
			break
		}
		i--
	}
	np := toks[i+1 : end+1]
	// "a report published (on Thursday) found": a trailing participle is
	// not part of the name.
	for len(np) > 1 && !np[len(np)-1].cap && strings.HasSuffix(np[len(np)-1].low, "ed") {
		np = np[:len(np)-1]
	}
	if len(np) == 0 {
		return nil
	}
	return np
}

// rightNP reads a noun phrase rightward from toks[i].
func rightNP(toks []token, i int) []token {
	j := i
	for j < len(toks) && j-i < maxSpeakerWords {
		t := toks[j]
		if !t.word || t.quoted {
			break
		}
		if j > i && lex.nameLink[t.low] {
			j++
			continue
		}
		if j > i && lex.npInner[toks[j-1].low+" "+t.low] {
			j++
			continue
		}
		if j > i && (lex.stopLeft[t.low] || lex.time[t.low] || isVerbForm(t)) {
			break
		}
		if j == i && (lex.stopLeft[t.low] && !lex.pronoun[t.low]) {
			break
		}
		j++
	}
	// A name does not end in "of" or "from".
	for j > i && lex.nameLink[toks[j-1].low] {
		j--
	}
	if j == i {
		return nil
	}
	return toks[i:j]
}

// isVerbForm reports whether t is one of the attribution verbs, written in
// lower case as verbs are in running text.
func isVerbForm(t token) bool {
	if t.cap {
		return false
	}
	return lex.verbs[t.low] != KindNone || lex.passiveOnly[t.low]
}

// surface returns the words of ts as written in text, with a sentence-initial
// determiner lower-cased ("The company" → "the company").
func surface(text string, ts []token) string {
	if len(ts) == 0 {
		return ""
	}
	s := text[ts[0].start:ts[len(ts)-1].end]
	if lex.determiner[ts[0].low] && ts[0].cap && len(ts) > 1 {
		s = strings.ToLower(ts[0].text) + s[len(ts[0].text):]
	}
	return s
}

// stripTitle drops the title before a person's name: "Judge Eleanor Watts"
// → "Eleanor Watts", "Finance minister Laura Benn" → "Laura Benn". It
// reports whether a title was found, which marks the name as a person's.
func stripTitle(ts []token) ([]token, bool) {
	for i := len(ts) - 2; i >= 0; i-- {
		if lex.title[ts[i].low] && allCapWords(ts[i+1:]) && !hasOrgWord(ts[i+1:]) {
			return ts[i+1:], true
		}
	}
	return ts, false
}

func hasOrgWord(ts []token) bool {
	for _, t := range ts {
		if lex.org[t.low] {
			return true
		}
	}
	return false
}

// looksLikePerson reports whether ts reads as a person's full name: two to
// four capitalised words, none of them an organisation's word or a title.
func looksLikePerson(ts []token) bool {
	if len(ts) < 2 || len(ts) > 4 || !allCapWords(ts) || hasOrgWord(ts) {
		return false
	}
	for _, t := range ts {
		if lex.determiner[t.low] || lex.title[t.low] || lex.time[t.low] || lex.stopLeft[t.low] || isAcronym(t.text) {
			return false
		}
	}
	return true
}

func isAcronym(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
