package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"factdesk/ingest"
	"factdesk/models"
	"factdesk/reviewers"
)

const importUsage = `import [flags] FILE...

Imports each FILE ("-" for standard input) as an article. The format comes
from the extension (.txt, .md, .html, .jsonl) unless --format says it; a
.jsonl file holds one article object per line, each imported on its own.
Prints one line per article and a total.

With --revision-of ID, imports one FILE as a corrected version of article
ID instead: its sentences are matched with the current revision's and the
check carries over (see "revisions" in the README); prints what changed.`

func runImport(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("import", importUsage)
	cfg := p.dbFlags(fs)
	format := fs.String("format", "", "text, markdown, html or jsonl (default: by extension, text for stdin)")
	title := fs.String("title", "", "the article's title (default: found in the text)")
	outlet := fs.String("outlet", "", "the publication")
	byline := fs.String("byline", "", "the authors as credited")
	url := fs.String("url", "", "where the article was published")
	published := fs.String("published-at", "", "publication time: YYYY-MM-DD or RFC 3339")
	as := fs.String("as", "", "the e-mail of the user the import is recorded for (default: the first admin)")
	maxBody := fs.Int("max-body", 2<<20, "largest article body in bytes")
	revisionOf := fs.Int64("revision-of", 0, "import the one FILE as a new version of this article, carrying its check over")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"name at least one file, or - for standard input"}
	}
	if *revisionOf < 0 || *revisionOf > 0 && fs.NArg() != 1 {
		return usageError{"--revision-of takes an article's id and exactly one file"}
	}
	log := slog.New(slog.DiscardHandler)
	db, err := cfg.open(ctx, log, false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	svc := reviewers.New(store, reviewers.Config{MaxBodyBytes: *maxBody}, nil, log)
	who, err := importer(ctx, store, *as)
	if err != nil {
		return err
	}
	if *revisionOf > 0 {
		return p.importRevision(ctx, svc, who, *revisionOf, fs.Arg(0),
			ingest.ArticleInput{Format: *format, Title: *title, URL: *url})
	}
	var total, created, failed int
	report := func(name string, in ingest.ArticleInput) {
		total++
		res, err := svc.Import(ctx, who, in)
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(p.Stdout, "%s: error: %s\n", name, models.ErrorMessage(err))
		case res.Created:
			created++
			fmt.Fprintf(p.Stdout, "%s: article %d \"%s\": %d sentences, %d excluded\n", name, res.Article.ID, res.Article.Title, res.Sentences, res.Excluded)
		default:
			fmt.Fprintf(p.Stdout, "%s: already imported as article %d\n", name, res.Article.ID)
		}
	}
	for _, name := range fs.Args() {
		r, f, err := p.openInput(name, *format)
		if err != nil {
			return err
		}
		if f == ingest.FormatJSONL {
			err = ingest.ReadJSONL(r, ingest.Limits{MaxBytes: *maxBody}, func(line int, a ingest.ArticleInput, err error) error {
				label := fmt.Sprintf("%s:%d", name, line)
				if err != nil {
					total++
					failed++
					fmt.Fprintf(p.Stdout, "%s: error: %v\n", label, err)
					return nil
				}
				report(label, a)
				return nil
			})
		} else {
			var b []byte
			b, err = io.ReadAll(r)
			if err == nil {
				report(name, ingest.ArticleInput{Body: string(b), Format: string(f), Title: *title, Outlet: *outlet,
					Byline: *byline, URL: *url, PublishedAt: *published})
			}
		}
		if c, ok := r.(io.Closer); ok && r != p.Stdin {
			c.Close()
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
	}
	fmt.Fprintf(p.Stdout, "total: %d articles, %d imported, %d already there, %d failed\n", total, created, total-created-failed, failed)
	if failed > 0 {
		return errors.New("some articles were not imported")
	}
	return nil
}

// openInput opens a file (or stdin for "-") and decides its format.
func (p *Program) openInput(name, format string) (io.Reader, ingest.Format, error) {
	f := ingest.Format(format)
	if format != "" {
		pf, ok := ingest.ParseFormat(format)
		if !ok {
			return nil, "", usageError{fmt.Sprintf("--format %q: want text, markdown, html or jsonl", format)}
		}
		f = pf
	}
	if name == "-" {
		if f == "" {
			f = ingest.FormatText
		}
		return p.Stdin, f, nil
	}
	if f == "" {
		var ok bool
		if f, ok = ingest.FormatFromFilename(name); !ok {
			f = ingest.FormatText
		}
	}
	file, err := os.Open(name)
	if err != nil {
		return nil, "", err
	}
	return file, f, nil
}

// importer returns the actor an import is recorded for.
func importer(ctx context.Context, store *models.Store, email string) (models.Actor, error) {
	if email != "" {
		u, err := store.UserByEmail(ctx, email)
		if err != nil {
			return models.Actor{}, err
		}
		return u.Actor(), nil
	}
	us, err := store.Users(ctx)
	if err != nil {
		return models.Actor{}, err
	}
	var first *models.User
	for i := range us {
		if us[i].Role == models.RoleAdmin && !us[i].Disabled() && (first == nil || us[i].ID < first.ID) {
			first = &us[i]
		}
	}
	if first == nil {
		return models.Actor{}, errors.New("no admin to record the import for: create one with \"factdesk user add\" or name one with --as")
	}
	return first.Actor(), nil
}
