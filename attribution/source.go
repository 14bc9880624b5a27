package attribution

import "strings"

// documentSource reads the source an "according to" (or "citing") names at
// toks[i:]. Most often that is the noun phrase itself ("the health
// ministry", "customs data", "people familiar with the matter"). When it
// is a document or a body of data whose author or issuer the phrase names,
// the author is the speaker and the document the medium:
//
//	figures published by the city's finance department → the city's finance department, figures
//	a report by the Audit Office                        → the Audit Office, a report
//	data from the central bank                          → the central bank, data
//	the ministry's latest figures                       → the ministry, latest figures
//	figures the ministry released on Monday             → the ministry, figures
//
// A phrase that names where the document appeared, or who passed it on,
// names the medium and leaves the document the speaker ("a report in the
// Financial Times", "documents obtained by the BBC"). A participle with no
// author is not part of the source ("figures released on Monday" →
// figures). med is nil when the phrase names no medium.
func documentSource(toks []token, i int) (spk, med []token) {
	h, poss := documentHead(toks, i)
	if h < 0 {
		return rightNP(toks, i), nil
	}
	d := documentPhrase(toks, h)
	docStart := i
	if poss >= 0 {
		docStart = poss + 1
		if len(d.author) == 0 {
			d.author = append([]token(nil), toks[i:poss+1]...)
			d.author[len(d.author)-1] = dropPossessive(toks[poss])
		}
	}
	switch {
	case len(d.author) > 0 && len(d.outlet) > 0:
		return d.author, d.outlet
	case len(d.author) > 0:
		return d.author, toks[docStart:d.end]
	case len(d.outlet) > 0:
		return toks[i:d.end], d.outlet
	case d.trimmed:
		return toks[i:d.end], nil
	}
	return rightNP(toks, i), nil
}

// docPhrase is what the words after a document noun say about it.
type docPhrase struct {
	author  []token // who wrote or issued it
	outlet  []token // where it appeared, or who passed it on
	end     int     // the document's own words end before end
	trimmed bool    // a participle follows them ("figures released …")
}

// documentPhrase reads the words after the document noun at toks[h]: a
// participle and its agent, "by" or "from" and the author, "of" and the
// owner or what the document is about, "in" and where it appeared.
func documentPhrase(toks []token, h int) docPhrase {
	d := docPhrase{end: h + 1}
	k := h + 1
	for range 4 {
		k = skipTime(toks, k)
		if k >= len(toks) || !toks[k].word || toks[k].quoted {
			return d
		}
		switch w := toks[k].low; {
		case lex.documentBy[w] || lex.documentVia[w]:
			// "figures published (on Monday) by", "documents obtained by"
			d.trimmed = true
			k = skipTime(toks, skipParticle(toks, k+1))
			if k+1 >= len(toks) {
				return d
			}
			switch toks[k].low {
			case "by":
				if a := agentNP(toks, k+1); lex.documentVia[w] {
					d.outlet = a
				} else {
					d.author = a
				}
			case "in", "on":
				// "a study published in the Lancet", "a poll broadcast on MSNBC"
				d.outlet = outletName(toks, k+1)
			}
			return d
		case w == "by" || w == "from":
			// A report "from" a place is a dispatch, not its author: only a
			// name or a body writes one ("a report from the Red Cross").
			if a := agentNP(toks, k+1); len(a) > 0 && (w == "by" || !lex.publication[toks[h].low] || isOwner(a)) {
				d.author = a
			}
			return d
		case w == "of":
			x := phraseAt(toks, k+1)
			if len(x) == 0 {
				return d
			}
			if lex.documentOf[toks[h].low] && isOwner(x) {
				d.author = x // "figures of the central bank"
				return d
			}
			// What the document is about or counts ("a poll of 400
			// voters"): part of the document; an author may follow.
			k += 1 + len(x)
			d.end = k
		case w == "in" && lex.publication[toks[h].low]:
			o := outletName(toks, k+1)
			if len(o) == 0 {
				return d
			}
			d.outlet = o // "a report in the Financial Times"
			k += 1 + len(o)
		default:
			// "figures the ministry released", "figures her campaign released"
			if p := reducedRelative(toks, k); p > k {
				d.trimmed = true
				if lex.documentVia[toks[p].low] {
					d.outlet = toks[k:p]
				} else {
					d.author = toks[k:p]
				}
			}
			return d
		}
	}
	return d
}

// documentHead finds the document noun a noun phrase at toks[i:] ends in
// ("the latest figures", "FEC records", "figures | the ministry released")
// and the last possessive before it ("the ministry's figures"), or -1 for
// either.
func documentHead(toks []token, i int) (head, poss int) {
	poss, lastDoc := -1, -1
	j := i
	for j < len(toks) && j-i < maxSpeakerWords {
		t := toks[j]
		if !t.word || t.quoted {
			break
		}
		if j > i && (lex.stopLeft[t.low] || lex.nameLink[t.low] || lex.time[t.low] || isVerbForm(t) ||
			lex.documentBy[t.low] || lex.documentVia[t.low] ||
			lex.timeLead[t.low] && j+1 < len(toks) && lex.time[toks[j+1].low]) {
			break
		}
		if lex.document[t.low] {
			lastDoc = j
		}
		if isPossessive(t) && lastDoc < 0 {
			poss = j
		}
		j++
	}
	switch {
	case j > i && lex.document[toks[j-1].low]:
		return j - 1, poss
	case lastDoc >= 0 && reducedRelative(toks, lastDoc+1) > 0:
		return lastDoc, poss
	}
	return -1, -1
}

// isPossessive reports whether t is a name with "'s" ("ministry's").
func isPossessive(t token) bool {
	return len(t.low) > 2 && strings.HasSuffix(t.low, "'s") && t.low != "it's" && t.low != "let's"
}

// dropPossessive returns t without its "'s".
func dropPossessive(t token) token {
	n := len("'s")
	if strings.HasSuffix(t.text, "’s") {
		n = len("’s")
	}
	t.text = t.text[:len(t.text)-n]
	t.low = t.low[:len(t.low)-len("'s")]
	t.end -= n
	return t
}

// phraseAt reads a noun phrase in a document's phrase, stopping before a
// participle ("400 registered voters | released on Friday").
func phraseAt(toks []token, k int) []token {
	np := rightNP(toks, k)
	for n, t := range np {
		if n > 0 && (lex.documentBy[t.low] || lex.documentVia[t.low]) {
			np = np[:n]
			break
		}
	}
	for len(np) > 0 && lex.nameLink[np[len(np)-1].low] {
		np = np[:len(np)-1]
	}
	return np
}

// agentNP reads the name after "by" or "from" in a document's phrase: a
// noun phrase that is not a date or a number ("data from 2019"). A name
// goes on past the full stop of an abbreviation or an initial ("the U.S.
// Department of Education", "Diane D. Blair").
func agentNP(toks []token, k int) []token {
	np := phraseAt(toks, k)
	if len(np) == 0 || np[0].num || lex.time[np[0].low] || lex.timeLead[np[0].low] ||
		len(np) == 1 && lex.determiner[np[0].low] {
		return nil
	}
	for range 3 {
		e := k + len(np) // the token after np
		if e+1 >= len(toks) || !abbreviated(np[len(np)-1], toks[e]) || !toks[e+1].word || !toks[e+1].cap {
			break
		}
		more := phraseAt(toks, e+1)
		if len(more) == 0 {
			break
		}
		np = toks[k : e+1+len(more)]
	}
	return np
}

// abbreviated reports whether the full stop dot directly ends w as the
// stop of an abbreviation ("U.S.") or an initial ("D."), not a sentence.
func abbreviated(w, dot token) bool {
	if dot.text != "." || dot.start != w.end || !w.cap {
		return false
	}
	return strings.Contains(w.text, ".") || len(w.text) == 1
}

// isOwner reports whether x, after a document's "of", names a body or a
// person that keeps the document ("the central bank", "the Senate")
// rather than what it is about ("the damage").
func isOwner(x []token) bool {
	last := x[len(x)-1]
	if x[0].num || lex.document[last.low] {
		return false
	}
	return last.cap || lex.org[last.low] || lex.title[last.low]
}

// outletName reads the name of where a document appeared: "the Financial
// Times", "Politico"; not a date ("in March") or a number.
func outletName(toks []token, k int) []token {
	o := objectName(toks, k)
	for _, t := range o {
		if lex.determiner[t.low] {
			continue
		}
		if !t.cap || lex.time[t.low] {
			return nil
		}
		break
	}
	return o
}

// reducedRelative finds the participle of a clause that names a
// document's author without a relative word ("figures the ministry
// released"): it returns the participle's position when toks[k:] is a
// short noun phrase opening with a determiner or a name and then one of
// the document participles, else -1.
func reducedRelative(toks []token, k int) int {
	if !toks[k].cap && !lex.determiner[toks[k].low] {
		return -1
	}
	for p := k + 1; p < len(toks) && p-k <= 4; p++ {
		t := toks[p]
		if !t.word || t.quoted {
			return -1
		}
		if lex.documentBy[t.low] || lex.documentVia[t.low] {
			return p
		}
		if lex.stopLeft[t.low] || isVerbForm(t) || lex.time[t.low] {
			return -1
		}
	}
	return -1
}

// skipTime passes over words of time and adverbs between a document and
// its participle or author ("released on Monday by", "a study last year
// by", "reported previously by").
func skipTime(toks []token, k int) int {
	for k < len(toks) && toks[k].word {
		t := toks[k]
		switch {
		case lex.time[t.low]:
			k++
		case lex.timeLead[t.low] && k+1 < len(toks) && (lex.time[toks[k+1].low] || isYear(toks[k+1])):
			k += 2
		case lex.adverb[t.low] && !lex.aux[t.low] && !lex.stopLeft[t.low]:
			k++
		case t.num && k > 0 && lex.time[toks[k-1].low]:
			k++ // "on May 18"
		default:
			return k
		}
	}
	return k
}

func isYear(t token) bool {
	return t.num && len(t.low) == 4
}

// documentParticles are the words that may follow a document participle
// before its "by": "carried out by", "made public by".
var documentParticles = map[string]bool{"out": true, "up": true, "public": true, "available": true, "online": true, "together": true, "jointly": true}

func skipParticle(toks []token, k int) int {
	if k < len(toks) && toks[k].word && documentParticles[toks[k].low] {
		return k + 1
	}
	return k
}
