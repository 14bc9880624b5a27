package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/similar"
)

const similarUsage = `similar --sentence ID [--json] [--db …]
       factdesk similar --reindex [--batch N] [--db …]

With --sentence, lists the sentences of other articles that make the same
or nearly the same claim as sentence ID: their similarity (pg_trgm's
trigram similarity of the normalised texts, from the threshold up), the
article, the label, status and verdict, and the citations. --json prints
the API's answer.

With --reindex, indexes the sentences stored before the similarity index
existed (migration 00005) or loaded around factdesk (COPY): their
normalised text and, on SQLite, their band keys. New sentences are
indexed when they are stored.`

func runSimilar(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("similar", similarUsage)
	cfg := p.dbFlags(fs)
	sentence := fs.Int64("sentence", 0, "the sentence whose claim to look for in other articles")
	asJSON := fs.Bool("json", false, "with --sentence: print the answer as JSON")
	reindex := fs.Bool("reindex", false, "index the sentences that have no similarity index yet")
	batch := fs.Int("batch", 5000, "with --reindex: sentences per transaction")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case *reindex && *sentence != 0:
		return usageError{"give either --sentence or --reindex, not both"}
	case *sentence < 0 || *batch <= 0:
		return usageError{"--sentence and --batch take positive numbers"}
	case !*reindex && *sentence == 0:
		fs.Usage()
		return usageError{"give --sentence ID or --reindex"}
	}
	log := slog.New(slog.DiscardHandler)
	db, err := cfg.open(ctx, log, false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	if *reindex {
		n, err := store.ReindexSimilar(ctx, *batch, func(done int) {
			fmt.Fprintf(p.Stderr, "indexed %d sentences\n", done)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(p.Stdout, "indexed %d sentences\n", n)
		return nil
	}
	svc := reviewers.New(store, reviewers.Config{}, nil, log)
	res, err := svc.SimilarSentences(ctx, models.System, *sentence)
	if e, ok := models.AsError(err); ok {
		return fmt.Errorf("sentence %d: %s", *sentence, e.Message)
	}
	if err != nil {
		return fmt.Errorf("sentence %d: %w", *sentence, err)
	}
	if *asJSON {
		return json.NewEncoder(p.Stdout).Encode(res)
	}
	return p.printSimilar(res)
}

// printSimilar writes the matches one per line, with their check.
func (p *Program) printSimilar(res *models.SimilarResult) error {
	if !res.Eligible {
		_, err := fmt.Fprintf(p.Stdout, "sentence %d has fewer than %d words: not matched\n", res.SentenceID, similar.MinWords)
		return err
	}
	if len(res.Matches) == 0 {
		_, err := fmt.Fprintf(p.Stdout, "sentence %d: no other article makes this claim (similarity %.2f or more)\n", res.SentenceID, res.Threshold)
		return err
	}
	for _, m := range res.Matches {
		check := []string{string(m.Sentence.Status)}
		if l := m.Sentence.LabelString(); l != "" {
			check = append([]string{l}, check...)
		}
		if m.Sentence.Verdict != "" {
			check = append(check, m.Sentence.Verdict)
		}
		var cites []string
		for _, c := range m.Citations {
			title := ""
			if c.Source != nil {
				title = c.Source.Title
			}
			cites = append(cites, fmt.Sprintf("%s %q", c.Relation, title))
		}
		fmt.Fprintf(p.Stdout, "%.3f  article %d %q sentence %d [%s]: %s\n", m.Score, m.Article.ID, m.Article.Title,
			m.Sentence.Number(), strings.Join(check, ", "), m.Sentence.Text)
		if m.Attribution != nil {
			fmt.Fprintf(p.Stdout, "       attributed to %s\n", m.Attribution.Speaker)
		}
		if len(cites) > 0 {
			fmt.Fprintf(p.Stdout, "       cites %s\n", strings.Join(cites, "; "))
		}
	}
	return nil
}
