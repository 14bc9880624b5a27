package main

import (
	"context"
	"fmt"
	"io"

	"factdesk/ingest"
	"factdesk/models"
	"factdesk/reviewers"
)

// importRevision imports one file as a new version of an article and
// prints what the revision changed, one line per changed sentence.
func (p *Program) importRevision(ctx context.Context, svc *reviewers.Service, who models.Actor, articleID int64, name string, in ingest.ArticleInput) error {
	r, f, err := p.openInput(name, in.Format)
	if err != nil {
		return err
	}
	if f == ingest.FormatJSONL {
		return usageError{"--revision-of takes a text, Markdown or HTML file, not JSON lines"}
	}
	b, err := io.ReadAll(r)
	if c, ok := r.(io.Closer); ok && r != p.Stdin {
		c.Close()
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	in.Body, in.Format = string(b), string(f)
	res, err := svc.AddRevision(ctx, who, articleID, in)
	if e, ok := models.AsError(err); ok {
		return fmt.Errorf("%s: article %d: %s", name, articleID, e.Message)
	}
	if err != nil {
		return fmt.Errorf("%s: article %d: %w", name, articleID, err)
	}
	if !res.Created {
		fmt.Fprintf(p.Stdout, "%s: the same text as revision %d of article %d; nothing changed\n", name, res.Revision.Number, articleID)
		return nil
	}
	n := res.Revision.Counts
	fmt.Fprintf(p.Stdout, "%s: article %d revision %d: %d unchanged, %d moved, %d changed, %d new, %d removed; the article is %s\n",
		name, articleID, res.Revision.Number, n.Unchanged, n.Moved, n.Changed, n.New, n.Removed, res.Article.Status)
	for _, ch := range res.Changes {
		switch ch.Kind {
		case models.ChangeRemoved:
			fmt.Fprintf(p.Stdout, "  removed  %d: %s\n", ch.OldNumber, ch.OldText)
		case models.ChangeNew:
			fmt.Fprintf(p.Stdout, "  new      %d: %s\n", ch.Number, ch.Text)
		default:
			fmt.Fprintf(p.Stdout, "  %-8s %d (was %d): %s\n", ch.Kind, ch.Number, ch.OldNumber, ch.Text)
		}
	}
	return nil
}
