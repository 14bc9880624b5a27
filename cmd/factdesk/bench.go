package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"

	"factdesk/internal/bench"
)

const benchUsage = `bench [--db URL] [--quick] [--json] [--scale]

Measures factdesk on a fresh database, each figure next to its floor
measured in the same run and the ratio of the two: segment (MB/s against
one bytes.IndexByte pass), import (sentences/s end to end against the
segmenter alone, and on PostgreSQL against a raw COPY), label (updates/s
over HTTP with 64 clients, p50 and p99, against the bare single-row
UPDATE), the review page of a 5,000-sentence article, the article list
(first page and 90% deep) and the article's JSON report.

Without --db the database is a temporary SQLite file; with a postgres://
URL the bench creates a database of its own on that server and drops it
afterwards. --quick takes under a minute; the full run under 15 minutes.
--scale on PostgreSQL also loads 100,000 articles and 3,000,000 sentences
with COPY (indexed for search as imports index theirs) and measures the
list, the page, the similar-claim search and the full-text search through
the API at that size, with the plans; on SQLite it imports 300,000
sentences and measures the full-text search.`

func runBench(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("bench", benchUsage)
	dsn := fs.String("db", p.env("FACTDESK_BENCH_DB", ""), "database server: postgres://… (a database is created and dropped) or sqlite:PATH (a new file); default a temporary SQLite file (env FACTDESK_BENCH_DB)")
	quick := fs.Bool("quick", false, "smaller sizes and shorter runs")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the table")
	scale := fs.Bool("scale", false, "also load a newsroom archive into PostgreSQL and measure at that size")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof reads it)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"bench takes no arguments"}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res, err := bench.Run(ctx, bench.Config{DSN: *dsn, Quick: *quick, Scale: *scale, Log: p.Stderr})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(p.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else if err := bench.WriteTable(p.Stdout, res); err != nil {
		return err
	}
	if errs := res.Errors(); len(errs) > 0 {
		return fmt.Errorf("some figures could not be measured: %w", errors.New(strings.Join(errs, "; ")))
	}
	return nil
}
