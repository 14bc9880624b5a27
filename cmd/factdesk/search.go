package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"factdesk/models"
	"factdesk/reviewers"
)

const searchUsage = `search [--json] [--limit N] [--db …] QUERY
       factdesk search --reindex [--db …]

Searches the archive as the search page does — article titles, sentence
text, notes, comments, attribution speakers and sources — and prints the
first page of each group. The syntax: words, "quoted phrases", -word to
leave out, word* for a prefix, OR between alternatives. --json prints the
API's answer.

With --reindex, builds the search index again from the stored articles,
comments and sources: for a database from before search (migration 00013;
serve does this by itself when it finds the index empty) or one loaded
around factdesk. New texts are indexed when they are stored.`

func runSearch(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("search", searchUsage)
	cfg := p.dbFlags(fs)
	asJSON := fs.Bool("json", false, "print the API's answer")
	limit := fs.Int("limit", 10, "results per group")
	reindex := fs.Bool("reindex", false, "build the search index again")
	if err := parse(fs, args); err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	switch {
	case *reindex && query != "":
		return usageError{"give either a query or --reindex, not both"}
	case !*reindex && query == "":
		fs.Usage()
		return usageError{"give a query or --reindex"}
	case *limit < 1 || *limit > 50:
		return usageError{"--limit takes a number from 1 to 50"}
	}
	log := slog.New(slog.DiscardHandler)
	db, err := cfg.open(ctx, log, false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	if *reindex {
		start := time.Now()
		n, err := store.ReindexSearch(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(p.Stdout, "indexed %d texts in %.1f s\n", n, time.Since(start).Seconds())
		return nil
	}
	svc := reviewers.New(store, reviewers.Config{}, nil, log)
	ans, err := svc.Search(ctx, models.System, reviewers.SearchRequest{Q: query, Limit: fmt.Sprint(*limit)})
	if e, ok := models.AsError(err); ok {
		return usageError{e.Message}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(p.Stdout).Encode(ans)
	}
	w := p.Stdout
	if ans.Notice != "" {
		fmt.Fprintln(w, ans.Notice)
		return nil
	}
	fmt.Fprintf(w, "searched for %s\n", ans.Query)
	for _, a := range ans.Articles {
		fmt.Fprintf(w, "article %d  %s\n", a.ID, a.Title)
	}
	for _, s := range ans.Sentences {
		fmt.Fprintf(w, "sentence %d  article %d #%d  %s\n", s.ID, s.ArticleID, s.Number, s.Text)
	}
	for _, s := range ans.Sources {
		fmt.Fprintf(w, "source %d  %s\n", s.ID, s.Title)
	}
	if len(ans.Articles)+len(ans.Sentences)+len(ans.Sources) == 0 {
		fmt.Fprintln(w, "nothing found")
	}
	return nil
}
