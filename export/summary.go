package export

import (
	"sort"

	"factdesk/codebook"
)

// Unlabeled is the Summary.ByLabel key under which unlabeled sentences are
// counted.
const Unlabeled = codebook.Unlabeled

// Summarize computes a report's summary from its sentences and review
// rounds: counts per label, status and verdict, coverage and open
// comments. It leaves Agreement nil; the caller adds it when it has one.
func Summarize(sentences []Sentence, rounds []Round) Summary {
	s := Summary{
		Sentences: len(sentences),
		ByLabel:   map[string]int{Unlabeled: 0},
		ByStatus:  map[string]int{},
		Verdicts:  map[string]int{},
	}
	for _, l := range codebook.Labels {
		s.ByLabel[string(l)] = 0
	}
	for _, st := range codebook.Statuses {
		s.ByStatus[string(st)] = 0
	}
	for i := range sentences {
		sen := &sentences[i]
		if sen.Label == "" {
			s.ByLabel[Unlabeled]++
		} else {
			s.ByLabel[string(sen.Label)]++
		}
		s.ByStatus[string(sen.Status)]++
		if sen.Verdict != "" {
			s.Verdicts[sen.Verdict]++
		}
		if sen.Status == codebook.Excluded {
			continue
		}
		countCoverage(&s.Coverage, sen)
	}
	for _, r := range rounds {
		for _, c := range r.Comments {
			if c.Open {
				s.OpenComments++
			}
		}
	}
	return s
}

func countCoverage(c *Coverage, s *Sentence) {
	c.InScope++
	if s.Label != "" {
		c.Labeled++
	}
	switch s.Label {
	case codebook.Fact, codebook.Allegation:
		c.FactsAndAllegations++
		if hasRelation(s, codebook.Supports, codebook.Contradicts) {
			c.Sourced++
		}
	case codebook.Quote:
		c.Quotes++
		if hasRelation(s, codebook.Origin) {
			c.QuotesWithOrigin++
		}
	}
}

func hasRelation(s *Sentence, rels ...codebook.Relation) bool {
	for _, c := range s.Citations {
		for _, r := range rels {
			if c.Relation == r {
				return true
			}
		}
	}
	return false
}

// sortedKeys returns m's keys in order, so that output does not depend on
// map iteration.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
