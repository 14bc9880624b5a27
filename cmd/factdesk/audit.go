package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"factdesk/models"
)

const auditUsage = `audit verify [--article ID] [flags]

Verifies the audit trail: every article's hash chain, and a replay of its
events against the stored sentences and bodies (a row changed behind
factdesk's back is reported with its article and sentence), and the chain
of user and token events. Exit status 1 when anything fails.`

func runAudit(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("audit", auditUsage)
	cfg := p.dbFlags(fs)
	article := fs.Int64("article", 0, "verify this article only")
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fs.Usage()
			return nil
		}
		fs.Usage()
		return usageError{"say verify"}
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := cfg.open(ctx, slog.New(slog.DiscardHandler), false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	ids := []int64{*article}
	if *article == 0 {
		if ids, err = store.ArticleIDs(ctx); err != nil {
			return err
		}
	}
	failed, err := verifyTrail(ctx, store, ids, *article == 0, func(id int64, v *models.Verification) {
		if v.OK {
			fmt.Fprintf(p.Stdout, "article %d: ok (%d events, head %s)\n", id, v.Events, short(v.HeadHash))
			return
		}
		printFailure(p, id, v)
	}, func(problems []models.ChainProblem, n int) {
		if len(problems) == 0 {
			fmt.Fprintf(p.Stdout, "users and tokens: ok (%d events)\n", n)
			return
		}
		printGlobalFailure(p, problems)
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return errors.New("the audit trail does not verify")
	}
	return nil
}

// verifyTrail verifies the articles ids and, with global, the chain of
// user and token events, handing each result to article and users; it
// returns how many failed.
func verifyTrail(ctx context.Context, store *models.Store, ids []int64, global bool,
	article func(id int64, v *models.Verification), users func(problems []models.ChainProblem, events int)) (failed int, err error) {
	for _, id := range ids {
		v, err := store.VerifyArticle(ctx, id)
		if err != nil {
			return failed, err
		}
		if !v.OK {
			failed++
		}
		article(id, v)
	}
	if global {
		problems, n, err := store.VerifyGlobal(ctx)
		if err != nil {
			return failed, err
		}
		if len(problems) > 0 {
			failed++
		}
		users(problems, n)
	}
	return failed, nil
}

// printFailure writes what is wrong with an article's trail.
func printFailure(p *Program, id int64, v *models.Verification) {
	fmt.Fprintf(p.Stdout, "article %d: FAILED\n", id)
	for _, pr := range v.Problems {
		where := ""
		if pr.Sentence > 0 {
			where = fmt.Sprintf(" sentence %d (id %d):", pr.Sentence, pr.SentenceID)
		} else if pr.Seq > 0 {
			where = fmt.Sprintf(" event %d:", pr.Seq)
		}
		fmt.Fprintf(p.Stdout, "  -%s %s\n", where, pr.Message)
	}
}

// printGlobalFailure writes what is wrong with the users' and tokens' chain.
func printGlobalFailure(p *Program, problems []models.ChainProblem) {
	fmt.Fprintln(p.Stdout, "users and tokens: FAILED")
	for _, pr := range problems {
		fmt.Fprintf(p.Stdout, "  - event %d: %s\n", pr.Seq, pr.Problem)
	}
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
