package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"factdesk/export"
	"factdesk/ingest"
	"factdesk/models"
	"factdesk/reviewers"
)

const exportUsage = `export --article ID --format F [-o FILE] [flags]
       export [--status S] [--since DATE] [--until DATE] --format jsonl|zip [--formats json,csv,…] -o FILE

Writes an article's audit report in a format (` + "json, csv, md, html, pdf, claimreview, annotations" + `),
or many articles' reports in bulk: jsonl (one JSON report a line) or zip
(one file per article and format, plus manifest.json with each file's
SHA-256). Bulk exports stream: memory stays flat whatever their size.

Every export is recorded in the article's audit trail, as made by factdesk
itself, or by the user --as names. An export only reads: it needs no
admin, nor any user at all.

claimreview needs the URL where the newsroom published its fact-check of
the article (set on the article's report page, or with PATCH
/api/v1/articles/ID); without it the export is refused. The annotations
name staff by display name; --export-emails adds their e-mail addresses.`

func runExport(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("export", exportUsage)
	cfg := p.dbFlags(fs)
	article := fs.Int64("article", 0, "the article to export")
	format := fs.String("format", "json", "the format")
	formats := fs.String("formats", "json", "with --format zip: the formats to put in the zip, comma-separated")
	out := fs.String("o", "", "the file to write (default: standard output; required for zip)")
	status := fs.String("status", "", "bulk: only articles with this status (approved, submitted …)")
	since := fs.String("since", "", "bulk: only articles changed on or after this date (YYYY-MM-DD or RFC 3339)")
	until := fs.String("until", "", "bulk: only articles changed before this date")
	as := fs.String("as", "", "the e-mail of the user the export is recorded for (default: factdesk itself)")
	paper := fs.String("paper", "A4", "PDF paper size: A4 or Letter")
	org := fs.String("organisation", p.env("FACTDESK_ORGANISATION", "factdesk"), "the newsroom named as the author of ClaimReview markup (env FACTDESK_ORGANISATION)")
	emails := fs.Bool("export-emails", p.envBool("FACTDESK_EXPORT_EMAILS"), "let the exports meant for publication (annotations) carry staff e-mail addresses (env FACTDESK_EXPORT_EMAILS)")
	if err := parse(fs, args); err != nil {
		return err
	}
	bulk := *format == export.FormatJSONL || *format == export.FormatZip
	if !bulk && *article == 0 {
		return usageError{"say --article ID, or --format jsonl|zip for a bulk export"}
	}
	if bulk && *out == "" && *format == export.FormatZip {
		return usageError{"a zip export needs -o FILE"}
	}
	var sinceT, untilT *time.Time
	for _, d := range []struct {
		flag string
		v    string
		to   **time.Time
	}{{"since", *since, &sinceT}, {"until", *until, &untilT}} {
		if d.v == "" {
			continue
		}
		t, err := ingest.ParseDate(d.v)
		if err != nil {
			return usageError{fmt.Sprintf("--%s %q: want YYYY-MM-DD or RFC 3339", d.flag, d.v)}
		}
		*d.to = &t
	}
	if *status != "" && !models.ArticleStatus(*status).Valid() {
		return usageError{fmt.Sprintf("--status %q: want draft, in_review, submitted, approved or changes_requested", *status)}
	}
	log := slog.New(slog.DiscardHandler)
	db, err := cfg.open(ctx, log, false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	svc := reviewers.New(store, reviewers.Config{Version: version, Organisation: *org, ExportEmails: *emails}, nil, log)
	who, err := exporter(ctx, store, *as)
	if err != nil {
		return err
	}
	opts := svc.ExportOptions(*paper)
	w, finish, err := p.output(*out)
	if err != nil {
		return err
	}
	if !bulk {
		rep, err := svc.Report(ctx, who, *article, reviewers.ReportOptions{Format: *format})
		if err != nil {
			finish(false)
			return explainExport(err, *article)
		}
		if err := export.Write(w, *format, rep, opts...); err != nil {
			finish(false)
			return err
		}
		return finish(true)
	}
	ids, err := store.ArticleIDsForExport(ctx, models.ArticleStatus(*status), sinceT, untilT)
	if err != nil {
		finish(false)
		return err
	}
	var bw *export.BulkWriter
	if *format == export.FormatJSONL {
		bw = export.NewJSONL(w)
	} else if bw, err = export.NewZip(w, strings.Split(*formats, ","), opts...); err != nil {
		finish(false)
		return usageError{fmt.Sprintf("--formats: %v", err)}
	}
	for _, id := range ids {
		rep, err := svc.Report(ctx, who, id, reviewers.ReportOptions{Format: *format})
		if err != nil {
			finish(false)
			return fmt.Errorf("article %d: %w", id, err)
		}
		if err := bw.Add(rep); err != nil {
			finish(false)
			if explained := explainExport(err, id); explained != err {
				return explained
			}
			return fmt.Errorf("article %d: %w", id, err)
		}
	}
	if err := bw.Close(); err != nil {
		finish(false)
		return err
	}
	fmt.Fprintf(p.Stderr, "exported %d articles\n", len(ids))
	return finish(true)
}

// exporter is who an export is recorded for: the user --as names, or
// factdesk itself. An export reads; unlike an import it changes nothing
// that needs a person to answer for it, so it needs no admin.
func exporter(ctx context.Context, store *models.Store, email string) (models.Actor, error) {
	if email == "" {
		return models.System, nil
	}
	u, err := store.UserByEmail(ctx, email)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return models.Actor{}, usageError{fmt.Sprintf("--as %s: there is no such user (\"factdesk user list\" lists them)", email)}
	}
	if err != nil {
		return models.Actor{}, err
	}
	if u.Disabled() {
		return models.Actor{}, usageError{fmt.Sprintf("--as %s: the user is disabled", email)}
	}
	return u.Actor(), nil
}

// explainExport says how to fix a refused ClaimReview export; other errors
// pass through.
func explainExport(err error, articleID int64) error {
	if e, ok := models.AsError(err); ok && e.Field == "factcheck_url" || errors.Is(err, export.ErrNoFactCheckURL) {
		return fmt.Errorf("article %d has no fact-check URL, and ClaimReview must point to the page where the newsroom published its fact-check: "+
			"set that URL on the article's report page, or with PATCH /api/v1/articles/%d {\"factcheck_url\": \"https://…\"}, then export again", articleID, articleID)
	}
	return err
}

// output opens the destination of an export: a file written under a
// temporary name and renamed when complete (so that a failed export
// leaves no half file), or standard output.
func (p *Program) output(path string) (io.Writer, func(ok bool) error, error) {
	if path == "" || path == "-" {
		bw := bufio.NewWriter(p.Stdout)
		return bw, func(ok bool) error { return bw.Flush() }, nil
	}
	f, err := os.CreateTemp(dirOf(path), ".factdesk-export-*")
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	return bw, func(ok bool) error {
		if !ok {
			f.Close()
			os.Remove(f.Name())
			return nil
		}
		err := errors.Join(bw.Flush(), f.Close())
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			os.Remove(f.Name())
		}
		return err
	}, nil
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}
