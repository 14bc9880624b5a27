package reviewers

import (
	"context"
	"fmt"

	"factdesk/codebook"
	"factdesk/export"
	"factdesk/reviewers/agreement"
)

// labelScale is the label codebook as agreement categories.
func labelScale() agreement.Options {
	cats := make([]string, len(codebook.Labels))
	for i, l := range codebook.Labels {
		cats[i] = string(l)
	}
	return agreement.Options{Categories: cats}
}

// raterLabels are one rater's labels of an article's sentences, "" where
// the rater gave none.
type raterLabels struct {
	name   string
	labels []string
}

// articleRaters collects the raters of an article's current sentences:
// the people (the current labels) and the machine reviewer.
func (s *Service) articleRaters(ctx context.Context, articleID int64, sentences []export.Sentence) ([]raterLabels, error) {
	people := raterLabels{name: "checkers", labels: make([]string, len(sentences))}
	machineByID := map[int64]string{}
	sugs, err := s.store.Suggestions(ctx, articleID, s.cfg.Reviewer.Name())
	if err != nil {
		return nil, err
	}
	for _, g := range sugs {
		machineByID[g.SentenceID] = string(g.Label)
	}
	machine := raterLabels{name: export.Machine, labels: make([]string, len(sentences))}
	for i, st := range sentences {
		if st.Status == codebook.Excluded {
			continue
		}
		people.labels[i] = string(st.Label)
		machine.labels[i] = machineByID[st.ID]
	}
	return []raterLabels{people, machine}, nil
}

// reportAgreement computes the agreement figures of an article for its
// report: every pair of raters, and the multi-rater coefficients when
// there are more than two.
func (s *Service) reportAgreement(ctx context.Context, articleID int64, sentences []export.Sentence) (*export.Agreement, error) {
	raters, err := s.articleRaters(ctx, articleID, sentences)
	if err != nil {
		return nil, err
	}
	return agreementOf(raters)
}

func agreementOf(raters []raterLabels) (*export.Agreement, error) {
	opts := labelScale()
	ag := &export.Agreement{}
	rows := make([][]string, 0, len(raters))
	for _, r := range raters {
		ag.Raters = append(ag.Raters, r.name)
		rows = append(rows, r.labels)
	}
	for i := 0; i < len(raters); i++ {
		for j := i + 1; j < len(raters); j++ {
			p, err := opts.Pairwise(raters[i].labels, raters[j].labels)
			if err != nil {
				return nil, fmt.Errorf("agreement of %s and %s: %w", raters[i].name, raters[j].name, err)
			}
			if p.N == 0 {
				continue
			}
			ag.Pairs = append(ag.Pairs, export.PairAgreement{Raters: [2]string{raters[i].name, raters[j].name}, N: p.N,
				Observed: p.Observed, CohenKappa: p.CohenKappa, GwetAC1: p.GwetAC1})
			if p.N > ag.Items {
				ag.Items = p.N
			}
		}
	}
	if len(ag.Pairs) == 0 {
		return nil, nil
	}
	if len(raters) > 2 {
		m, err := opts.Multi(rows)
		if err != nil {
			return nil, fmt.Errorf("agreement of %d raters: %w", len(raters), err)
		}
		ag.Multi = &export.MultiRaterResult{FleissKappa: m.FleissKappa, KrippendorffAlpha: m.KrippendorffAlpha}
	}
	return ag, nil
}
