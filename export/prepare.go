package export

import "math"

// prepare returns the report every renderer works from: a copy of r in
// which empty lists are empty rather than nil (so that the JSON always has
// arrays where its schema says so), missing sentence numbers are filled in
// and withheld sources are redacted. r itself is never changed.
func prepare(r *Report) *Report {
	p := *r
	if p.Format == "" {
		p.Format = ReportFormat
	}
	p.Summary.ByLabel = orEmptyMap(p.Summary.ByLabel)
	p.Summary.ByStatus = orEmptyMap(p.Summary.ByStatus)
	p.Summary.Verdicts = orEmptyMap(p.Summary.Verdicts)
	if a := p.Summary.Agreement; a != nil {
		c := *a
		c.Raters = orEmpty(c.Raters)
		c.Pairs = make([]PairAgreement, len(a.Pairs))
		for i, pa := range a.Pairs {
			pa.Observed, pa.CohenKappa, pa.GwetAC1 = finite(pa.Observed), finite(pa.CohenKappa), finite(pa.GwetAC1)
			c.Pairs[i] = pa
		}
		if m := a.Multi; m != nil {
			c.Multi = &MultiRaterResult{FleissKappa: finite(m.FleissKappa), KrippendorffAlpha: finite(m.KrippendorffAlpha)}
		}
		p.Summary.Agreement = &c
	}
	hidden := hiddenEntities{source: map[int64]bool{}, citation: map[int64]bool{}}
	p.Sentences = make([]Sentence, len(r.Sentences))
	for i, s := range r.Sentences {
		if s.Number == 0 {
			s.Number = s.Index + 1
		}
		s.Citations = prepareCitations(s.Citations, hidden)
		if g := s.Suggestion; g != nil {
			c := *g
			c.Reasons = orEmpty(c.Reasons)
			s.Suggestion = &c
		}
		p.Sentences[i] = s
	}
	p.Rounds = make([]Round, len(r.Rounds))
	for i, rd := range r.Rounds {
		rd.Comments = orEmpty(rd.Comments)
		p.Rounds[i] = rd
	}
	p.Method.Labels = orEmpty(p.Method.Labels)
	p.Method.Statuses = orEmpty(p.Method.Statuses)
	p.Method.Scale.Ratings = orEmpty(p.Method.Scale.Ratings)
	p.Method.Corrections = make([]Correction, len(r.Method.Corrections))
	for i, c := range r.Method.Corrections {
		c.Changes = orEmpty(c.Changes)
		p.Method.Corrections[i] = c
	}
	p.Revisions = orEmpty(p.Revisions)
	p.Audit.Events = redactEvents(r.Audit.Events, hidden)
	p.Audit.Verification.Problems = orEmpty(p.Audit.Verification.Problems)
	return &p
}

// hiddenEntities are the audit entities whose before/after must not be
// shown because they name a withheld source.
type hiddenEntities struct {
	source, citation map[int64]bool
}

func (h hiddenEntities) empty() bool { return len(h.source) == 0 && len(h.citation) == 0 }

// prepareCitations returns cs with withheld sources reduced to what may be
// shown, recording them in hidden. It copies only when it must.
func prepareCitations(cs []Citation, hidden hiddenEntities) []Citation {
	if cs == nil {
		return []Citation{}
	}
	copied := false
	for i, c := range cs {
		if !c.Source.Withheld {
			continue
		}
		if !copied {
			cs = append([]Citation(nil), cs...)
			copied = true
		}
		hidden.source[c.Source.ID] = true
		hidden.citation[c.ID] = true
		cs[i] = withholdCitation(c)
	}
	return cs
}

// withholdCitation keeps of a citation of a withheld source only what shows
// that the source exists, how it is graded and why it is not named.
func withholdCitation(c Citation) Citation {
	s := c.Source
	return Citation{
		ID:            c.ID,
		Relation:      c.Relation,
		AddedBy:       c.AddedBy,
		AddedAt:       c.AddedAt,
		SourceVersion: c.SourceVersion,
		Source: Source{
			ID:                   s.ID,
			Kind:                 s.Kind,
			Reliability:          s.Reliability,
			Credibility:          s.Credibility,
			Withheld:             true,
			WithheldReason:       s.WithheldReason,
			Version:              s.Version,
			ChangedSinceApproval: s.ChangedSinceApproval,
			Changes:              unnamedChanges(s.Changes),
		},
	}
}

// unnamedChanges keeps of a withheld source's changes those that do not
// name it.
func unnamedChanges(cs []SourceChange) []SourceChange {
	var out []SourceChange
	for _, c := range cs {
		switch c.Field {
		case "kind", "reliability", "credibility", "withheld", "withheld_reason":
			out = append(out, c)
		}
	}
	return out
}

// redactEvents drops the before and after of events about withheld
// sources and their citations, keeping the hashes so that the chain stays
// visibly whole.
func redactEvents(events []Event, hidden hiddenEntities) []Event {
	if events == nil {
		return []Event{}
	}
	if hidden.empty() {
		return events
	}
	out := make([]Event, len(events))
	for i, e := range events {
		if (e.Entity == EntitySource && hidden.source[e.EntityID]) ||
			(e.Entity == EntityCitation && hidden.citation[e.EntityID]) {
			e.Before, e.After, e.Redacted = nil, nil, true
		}
		out[i] = e
	}
	return out
}

// finite returns f, or nil when f is NaN or infinite: JSON has no such
// numbers, and an undefined coefficient is shown as undefined.
func finite(f *float64) *float64 {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	return f
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func orEmptyMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
