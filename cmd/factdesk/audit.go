package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"factdesk/models"
)

const auditUsage = `audit verify|keygen|checkpoint [flags]

  verify     [--article ID] [--checkpoint FILE|DIR]... [--audit-pubkey FILE]
             verify the audit trail: the hash chains, a replay of the events
             against the stored rows and, with --checkpoint, that every chain
             still extends the heads a signed checkpoint recorded
  keygen     FILE
             write a new Ed25519 key for signing checkpoints; prints its public key
  checkpoint --audit-key FILE [-o FILE] [--every DURATION --dir DIR]
             sign the heads of every chain, once or on a schedule

Run "factdesk audit VERB -h" for a verb's flags.`

const auditVerifyUsage = `audit verify [--article ID] [--checkpoint FILE|DIR]... [--audit-pubkey FILE] [flags]

Verifies the audit trail: every article's hash chain, and a replay of its
events against the stored sentences and bodies (a row changed behind
factdesk's back is reported with its article and sentence), and the chain
of user and token events. With --checkpoint it also checks each signed
checkpoint's signature and that every chain still extends the head the
checkpoint recorded (a tail cut off and the head set back is reported with
the article). Exit status 1 when anything fails.`

func runAudit(ctx context.Context, p *Program, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := p.flags("audit", auditUsage)
		fs.Usage()
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return nil
		}
		return usageError{"say verify, keygen or checkpoint"}
	}
	switch verb := args[0]; verb {
	case "verify":
		return runAuditVerify(ctx, p, args[1:])
	case "keygen":
		return runAuditKeygen(p, args[1:])
	case "checkpoint":
		return runAuditCheckpoint(ctx, p, args[1:])
	default:
		// Refused before the database is opened, which would create it.
		return usageError{fmt.Sprintf("unknown audit verb %q: say verify, keygen or checkpoint", verb)}
	}
}

func runAuditVerify(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("audit verify", auditVerifyUsage)
	cfg := p.dbFlags(fs)
	article := fs.Int64("article", 0, "verify this article only")
	var checkpoints []string
	fs.Func("checkpoint", "a signed checkpoint, or a directory of them (*.json); repeatable", func(s string) error {
		checkpoints = append(checkpoints, s)
		return nil
	})
	pubkey := fs.String("audit-pubkey", p.env("FACTDESK_AUDIT_PUBKEY", ""), "the public key checkpoints must be signed with (env FACTDESK_AUDIT_PUBKEY)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("audit verify takes no arguments, not %q", fs.Arg(0))}
	}
	if *pubkey != "" && len(checkpoints) == 0 {
		return usageError{"--audit-pubkey pins the key of checkpoints: give --checkpoint too"}
	}
	// The checkpoints are read, and their signatures checked, before the
	// database is opened.
	kept, err := readCheckpoints(checkpoints, *pubkey)
	if err != nil {
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
	var only map[int64]bool
	if *article != 0 {
		only = map[int64]bool{*article: true}
	}
	bad, err := verifyCheckpoints(ctx, p, store, kept, only)
	if err != nil {
		return err
	}
	if failed+bad > 0 {
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
		if pr.Table != "" {
			where = " " + pr.Table
			if pr.RowID != 0 {
				where += fmt.Sprintf(" row %d", pr.RowID)
			}
			where += ":"
		} else if pr.Sentence > 0 {
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
		if pr.Seq == 0 {
			// A stored user or token that differs from its events: the
			// problem names the table and the row.
			fmt.Fprintf(p.Stdout, "  - %s\n", pr.Problem)
			continue
		}
		fmt.Fprintf(p.Stdout, "  - event %d: %s\n", pr.Seq, pr.Problem)
	}
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
