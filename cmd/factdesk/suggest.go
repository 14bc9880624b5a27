package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/reviewers/machine"
	"factdesk/segment"
)

const suggestUsage = `suggest --article ID [--db …] [--as EMAIL]
       factdesk suggest --eval FILE.json|DIR|FILE.jsonl [--json]

With --article, runs the machine reviewer again on the article's current
revision, reading its attributions as they stand, replaces its stored
suggestions (human labels stay) and prints a summary.

With --eval, scores the machine reviewer against a gold file in the shape
of seed-article.gold.json (the text named by "article", relative to the
file, or embedded as "text") and prints per-label precision, recall and
F1, macro-F1, strict and lenient accuracy, the confusion matrix and the
worst misses; --json prints the same as one JSON object. --eval touches
no database.

--eval DIR scores the reader against an attribution corpus in brat
format (NAME.txt with NAME.ann or NAME_ANNOTATOR.ann, side by side or in
text/ and attributions/, as PolNeAR ships them; CoreNLP coreference in
corenlp/ is used where present): attribution detection, speaker by head
word and exactly, pronoun speakers, cue, content overlap and coarse label
accuracy, the learned reader beside the rules it replaces.

--eval FILE.jsonl scores "assessment" against sentences labeled SUBJ or
OBJ ({"sentence","label"} lines, the NewsSD format).`

func runSuggest(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("suggest", suggestUsage)
	cfg := p.dbFlags(fs)
	article := fs.Int64("article", 0, "the article whose suggestions to compute again")
	as := fs.String("as", "", "the e-mail of the editor or admin the re-run is recorded for (default: factdesk itself)")
	eval := fs.String("eval", "", "a gold file to score the machine reviewer against")
	asJSON := fs.Bool("json", false, "with --eval: print the evaluation as one JSON object")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case *eval != "" && *article != 0:
		return usageError{"give either --article or --eval, not both"}
	case *eval != "":
		return p.evaluate(ctx, *eval, *asJSON)
	case *article > 0:
		return p.rerunSuggestions(ctx, cfg, *article, *as)
	case *article < 0:
		return usageError{"--article must be an article's id"}
	}
	fs.Usage()
	return usageError{"give --article ID or --eval FILE.json"}
}

// evaluateGold scores the rule-based reviewer against a gold file. A file
// that cannot be read or is not a gold file is a usage error: one line,
// exit status 2.
func (p *Program) evaluateGold(ctx context.Context, path string, asJSON bool) error {
	g, err := machine.LoadGold(path)
	if err != nil {
		return usageError{strings.Join(strings.Fields(err.Error()), " ")}
	}
	ev, err := machine.EvaluateRead(ctx, machine.NewLearned(), attribution.Read, g, segment.Split(g.Text))
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(p.Stdout).Encode(ev)
	}
	return ev.WriteText(p.Stdout)
}

// rerunSuggestions computes an article's suggestions again and prints
// what the machine reviewer suggested.
func (p *Program) rerunSuggestions(ctx context.Context, cfg *dbConfig, articleID int64, as string) error {
	log := slog.New(slog.DiscardHandler)
	db, err := cfg.open(ctx, log, false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	who := models.System
	if as != "" {
		u, err := store.UserByEmail(ctx, as)
		if err != nil {
			return err
		}
		who = u.Actor()
	}
	svc := reviewers.New(store, reviewers.Config{}, nil, log)
	sum, err := svc.RerunSuggestions(ctx, who, articleID)
	if e, ok := models.AsError(err); ok {
		return fmt.Errorf("article %d: %s", articleID, e.Message)
	}
	if err != nil {
		return fmt.Errorf("article %d: %w", articleID, err)
	}
	var counts []string
	for _, l := range codebook.Labels {
		counts = append(counts, fmt.Sprintf("%d %s", sum.Labels[l], l))
	}
	fmt.Fprintf(p.Stdout, "article %d: %d suggestions by %s %s (replacing %d): %s; mean confidence %.2f\n",
		articleID, sum.Sentences, sum.Reviewer, sum.Version, sum.Replaced, strings.Join(counts, ", "), sum.MeanConfidence)
	return nil
}
