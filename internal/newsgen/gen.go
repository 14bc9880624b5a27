package newsgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// gen writes the parts of an article with one random source.
type gen struct {
	r *rand.Rand
}

func (g gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// person returns a full reference to a person ("Sen. Maria Alvarez",
// "Dr. John F. Okafor") and the short one used after it ("Alvarez").
func (g gen) person() (full, short string) {
	first, last := g.pick(firstNames), g.pick(lastNames)
	if g.r.IntN(5) == 0 {
		first += " " + string(rune('A'+g.r.IntN(26))) + "."
	}
	switch g.r.IntN(4) {
	case 0:
		return g.pick(titles) + " " + first + " " + last, last
	case 1:
		return g.pick(roles) + " " + first + " " + last, last
	case 2:
		return first + " " + last + ", " + g.pick(appositions) + ",", last
	}
	return first + " " + last, last
}

func (g gen) company() string { return g.pick(companyNames) + " " + g.pick(companySuffixes) }

func (g gen) money() string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("$%d.%dbn", 1+g.r.IntN(90), g.r.IntN(10))
	case 1:
		return fmt.Sprintf("$%d million", 2+g.r.IntN(900))
	case 2:
		return fmt.Sprintf("€%d.%d billion", 1+g.r.IntN(40), g.r.IntN(10))
	}
	return fmt.Sprintf("$%d,%03d", 1+g.r.IntN(99), g.r.IntN(1000))
}

func (g gen) percent() string {
	return fmt.Sprintf("%d.%d%%", g.r.IntN(30), g.r.IntN(10))
}

func (g gen) count() string {
	if g.r.IntN(2) == 0 {
		return fmt.Sprintf("%d,%03d", 1+g.r.IntN(20), g.r.IntN(1000))
	}
	return fmt.Sprintf("%d", 2+g.r.IntN(500))
}

func (g gen) when() string {
	switch g.r.IntN(4) {
	case 0:
		return "on " + g.pick(weekdays)
	case 1:
		return fmt.Sprintf("on %s %d", g.pick(months), 1+g.r.IntN(28))
	case 2:
		return fmt.Sprintf("at %d %s %s", 1+g.r.IntN(12), g.pick([]string{"a.m.", "p.m."}), g.pick(weekdays))
	}
	return "last week"
}

func (g gen) headline() string {
	return strings.TrimSpace(g.pick(headSubjects) + " " + g.pick(headVerbs) + " " + g.pick(topics) + " " + g.pick(headTails))
}

func (g gen) dateline() string {
	return g.pick(datelines) + " (" + g.pick(agencies) + ") " + g.pick([]string{"-", "—"}) + " "
}

// quoteSentence returns a sentence someone could say, without its final
// mark.
func (g gen) quoteSentence() string {
	return g.pick(quoteOpeners) + " " + g.pick(topics) + " " + g.pick(quoteTails)
}

// sentences returns one sentence, or the several sentences of one
// quotation.
func (g gen) sentences() []string {
	full, short := g.person()
	switch g.r.IntN(16) {
	case 0:
		return []string{fmt.Sprintf("%s said %s that %s %s %s.", full, g.when(), g.pick(countries), g.pick(verbs), g.pick(topics))}
	case 1:
		return []string{fmt.Sprintf("According to %s, %s %s %s %s.", g.pick(sources), g.pick(countries), g.pick(verbs), g.pick(topics), g.when())}
	case 2:
		return []string{fmt.Sprintf("“%s,” %s said.", g.quoteSentence(), short)}
	case 3:
		n := 2 + g.r.IntN(3)
		out := make([]string, 0, n)
		for i := range n {
			switch {
			case i == 0:
				out = append(out, "“"+g.quoteSentence()+".")
			case i == n-1:
				out = append(out, fmt.Sprintf("%s,” %s %s.", g.quoteSentence(), short, g.pick(speechTags)))
			default:
				out = append(out, g.quoteSentence()+g.pick([]string{".", ".", "?"}))
			}
		}
		return out
	case 4:
		return []string{fmt.Sprintf("%s said: “%s.", full, g.quoteSentence()), g.quoteSentence() + ".”"}
	case 5:
		return []string{fmt.Sprintf("Shares of %s fell %s to %s in early trading, after the company reported a %s drop in quarterly profit to %s.",
			g.company(), g.percent(), g.money(), g.percent(), g.money())}
	case 6:
		return []string{fmt.Sprintf("The %s %s %s %s, with %s votes in favor and %s against.",
			g.pick(institutions), g.pick(verbs), g.pick(topics), g.when(), g.count(), g.count())}
	case 7:
		return []string{fmt.Sprintf("The plan — which would cost about %s over %d years — faces opposition in the %s.",
			g.money(), 2+g.r.IntN(9), g.pick(institutions))}
	case 8:
		return []string{g.pick(questions)}
	case 9:
		return []string{fmt.Sprintf("%s, who leads %s, did not respond to a request for comment.", full, g.company())}
	case 10:
		return []string{fmt.Sprintf("Officials said at least %s people were %s in %s %s.", g.count(), g.pick(casualties), g.pick(places), g.when())}
	case 11:
		return []string{fmt.Sprintf("%s called the decision “%s”.", full, g.pick(scareWords))}
	case 12:
		return []string{fmt.Sprintf("“%s?” %s asked.", g.pick(shortQuestions), short)}
	case 13:
		return []string{fmt.Sprintf("The measures, e.g. %s and %s, take effect on %s %d at %d a.m. local time.",
			g.pick(topics), g.pick(topics), g.pick(months), 1+g.r.IntN(28), 1+g.r.IntN(11))}
	case 14:
		return []string{fmt.Sprintf("Inflation rose to %s in %s, the highest since %d, while unemployment held at %s.",
			g.percent(), g.pick(fullMonths), 1980+g.r.IntN(40), g.percent())}
	}
	k := g.r.IntN(len(agenciesLong))
	return []string{fmt.Sprintf("The %s (%s) is investigating %s and has interviewed about %s witnesses, %s said.",
		agenciesLong[k], agenciesShort[k], g.pick(topics), g.count(), strings.TrimSuffix(full, ","))}
}
