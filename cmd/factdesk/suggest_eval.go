package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"

	"factdesk/attribution"
	"factdesk/internal/brat"
	"factdesk/reviewers/machine"
)

// evaluate scores the machine reader against what path holds: a
// directory of brat attribution files, a NewsSD JSON-lines file or a gold
// file of the example article's shape.
func (p *Program) evaluate(ctx context.Context, path string, asJSON bool) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return usageError{strings.Join(strings.Fields(err.Error()), " ")}
	case st.IsDir():
		return p.evaluateCorpus(ctx, path, asJSON)
	case strings.HasSuffix(path, ".jsonl"):
		return p.evaluateSubjectivity(ctx, path, asJSON)
	}
	return p.evaluateGold(ctx, path, asJSON)
}

// readers are the two readings compared: the learned reader with the
// learned reviewer, and the rules with the rule-based reviewer.
func readers() []struct {
	name     string
	read     machine.Reading
	reviewer machine.Reviewer
} {
	return []struct {
		name     string
		read     machine.Reading
		reviewer machine.Reviewer
	}{
		{"reader", attribution.Read, machine.NewLearned()},
		{"rules", attribution.Extract, machine.NewRules()},
	}
}

func (p *Program) evaluateCorpus(ctx context.Context, dir string, asJSON bool) error {
	docs, err := brat.ReadDir(dir)
	if err != nil {
		return usageError{strings.Join(strings.Fields(err.Error()), " ")}
	}
	who := func(d brat.Document) attribution.Antecedents {
		f, err := brat.Antecedents(dir, d)
		if err != nil || f == nil {
			return nil
		}
		return f
	}
	var evs []machine.CorpusEvaluation
	for _, r := range readers() {
		ev, err := machine.EvaluateCorpus(ctx, r.name, r.read, r.reviewer, docs, who)
		if err != nil {
			return err
		}
		evs = append(evs, ev)
	}
	if asJSON {
		return json.NewEncoder(p.Stdout).Encode(evs)
	}
	return machine.WriteCorpusText(p.Stdout, evs...)
}

func (p *Program) evaluateSubjectivity(ctx context.Context, path string, asJSON bool) error {
	examples, err := machine.ReadSubjectivityExamples(path)
	if err != nil {
		return usageError{strings.Join(strings.Fields(err.Error()), " ")}
	}
	var evs []machine.SubjectivityEvaluation
	for _, r := range readers() {
		ev, err := machine.EvaluateSubjectivity(ctx, r.name, r.read, r.reviewer, examples)
		if err != nil {
			return err
		}
		evs = append(evs, ev)
	}
	if asJSON {
		return json.NewEncoder(p.Stdout).Encode(evs)
	}
	return machine.WriteSubjectivityText(p.Stdout, evs...)
}
