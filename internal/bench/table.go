package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints the result as a table: each figure, its floor measured
// in the same run, the ratio of the two and the target where there is one.
func WriteTable(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "factdesk bench on %s%s, %.0f s\n\n", r.Database, map[bool]string{true: " (quick)"}[r.Quick], r.Seconds)
	fmt.Fprintln(tw, "figure\tfactdesk\tfloor\tratio\ttarget\tnotes")
	s := r.Segment
	row(tw, "segment", s.Error, fmt.Sprintf("%.1f MB/s", s.MBs), fmt.Sprintf("%.0f MB/s IndexByte", s.FloorMBs), s.Ratio, "",
		fmt.Sprintf("%d sentences in %.1f MB", s.Sentences, float64(s.Bytes)/1e6))
	im := r.Import
	row(tw, "import", im.Error, fmt.Sprintf("%.0f sentences/s, %.1f articles/s", im.SentencesPerSec, im.ArticlesPerSec),
		fmt.Sprintf("%.0f sentences/s segmenter", im.FloorSentencesPerSec), im.Ratio, "0.8",
		fmt.Sprintf("%d articles, %d sentences", im.Articles, im.Sentences))
	if im.CopySentencesPerSec > 0 {
		row(tw, "  vs COPY", "", "", fmt.Sprintf("%.0f sentences/s pgx CopyFrom", im.CopySentencesPerSec), im.CopyRatio, "", "")
	}
	l := r.Label
	row(tw, "label", l.Error, fmt.Sprintf("%.0f/s p50 %.1f ms p99 %.1f ms", l.RPS, l.P50ms, l.P99ms),
		fmt.Sprintf("%.0f/s p50 %.1f ms p99 %.1f ms", l.FloorRPS, l.FloorP50ms, l.FloorP99ms), l.Ratio, "0.33, p99 < 50 ms",
		fmt.Sprintf("%d clients, %d articles, %d updates, %.1f a commit, audit ok %v", l.Clients, l.Articles, l.Updates, l.MeanBatch, l.AuditOK))
	for _, x := range []struct {
		name, target string
		f            LabelFigure
	}{{"  16 an article", "0.33, p99 < 50 ms", r.LabelShared}, {"  two servers", "0.25", r.LabelServers}} {
		l := x.f
		row(tw, x.name, l.Error, fmt.Sprintf("%.0f/s p50 %.1f ms p99 %.1f ms", l.RPS, l.P50ms, l.P99ms),
			fmt.Sprintf("%.0f/s p50 %.1f ms p99 %.1f ms", l.FloorRPS, l.FloorP50ms, l.FloorP99ms), l.Ratio, x.target,
			fmt.Sprintf("%d servers, %d articles, %d updates, %d conflicts, %.1f a commit, audit ok %v", l.Servers, l.Articles, l.Updates, l.Conflicts, l.MeanBatch, l.AuditOK))
	}
	b := r.Bulk
	row(tw, "bulk change", b.Error, fmt.Sprintf("%.0f ms", b.Ms), fmt.Sprintf("%.0f ms UPDATE", b.FloorMs), b.Ratio,
		fmt.Sprintf("< %d ms", BulkTargetMs), fmt.Sprintf("%d sentences in one PATCH, all or nothing", b.Sentences))
	p := r.Page
	row(tw, "review page", p.Error, fmt.Sprintf("%.1f ms, %d KB", p.Ms, p.Bytes>>10), fmt.Sprintf("%.1f ms SELECT", p.FloorMs), p.Ratio,
		fmt.Sprintf("< %d ms", PageTargetMs), fmt.Sprintf("%d sentences", p.Sentences))
	apiRow(tw, p)
	li := r.List
	row(tw, "list", li.Error, fmt.Sprintf("first %.1f ms, 90%% deep %.1f ms", li.FirstMs, li.DeepMs), fmt.Sprintf("%.2f ms SELECT", li.FloorMs),
		li.Ratio, fmt.Sprintf("< %d ms", ListTargetMs), fmt.Sprintf("%d articles", li.Articles))
	ex := r.Export
	row(tw, "export", ex.Error, fmt.Sprintf("%.1f ms, %d KB", ex.Ms, ex.Bytes>>10), fmt.Sprintf("%.1f ms SELECT", ex.FloorMs), ex.Ratio,
		fmt.Sprintf("< %d ms", ExportTargetMs), fmt.Sprintf("%d sentences, JSON report via %s", ex.Sentences, ex.Via))
	if c := r.Compress; c.Error != "" {
		fmt.Fprintf(tw, "compression\terror: %s\t\t\t\t\n", c.Error)
	}
	for _, c := range r.Compress.Rows {
		fmt.Fprintf(tw, "compressed\t%d KB %s, %.1f ms\t\t%.1f:1\t5:1\t%s\n", c.Bytes>>10, c.Coding, c.Ms, c.Ratio, c.Route)
	}
	if sc := r.Scale; sc != nil {
		fmt.Fprintf(tw, "\nscale: %d articles, %d sentences loaded in %.1f s (%.0f rows/s)\n", sc.Articles, sc.Sentences, sc.LoadSec, sc.LoadRowsPerSec)
		if sc.Error != "" {
			fmt.Fprintf(tw, "  error: %s\n", sc.Error)
		}
		li := sc.List
		row(tw, "list", li.Error, fmt.Sprintf("first %.1f ms, 90%% deep %.1f ms", li.FirstMs, li.DeepMs), fmt.Sprintf("%.2f ms SELECT", li.FloorMs),
			li.Ratio, fmt.Sprintf("< %d ms", ListTargetMs), fmt.Sprintf("%d articles", li.Articles))
		p := sc.Page
		row(tw, "review page", p.Error, fmt.Sprintf("%.1f ms, %d KB", p.Ms, p.Bytes>>10), fmt.Sprintf("%.1f ms SELECT", p.FloorMs), p.Ratio,
			fmt.Sprintf("< %d ms", PageTargetMs), fmt.Sprintf("%d sentences", p.Sentences))
		apiRow(tw, p)
		if sc.Similar != nil {
			fmt.Fprintf(tw, "similar claims\t%.1f ms, %d found\t\t\t\tamong %d sentences\n", sc.Similar.Ms, sc.Similar.Found, sc.Sentences)
		}
		for _, pc := range sc.Plans {
			state := "index"
			switch {
			case pc.Skipped != "":
				state = "skipped: " + pc.Skipped
			case !pc.OK:
				state = "NOT INDEXED"
			}
			fmt.Fprintf(tw, "plan: %s\t%s\t%v\t\t\t\n", pc.Query, state, pc.Indexes)
		}
		if s := sc.Search; s != nil {
			fmt.Fprintf(tw, "search index: %d texts, table %.0f MB, full-text index %.0f MB %v\n", s.Docs, s.TableMB, s.IndexMB, s.Indexes)
			if s.Error != "" {
				fmt.Fprintf(tw, "search\tERROR: %s\t\t\t\t\n", s.Error)
			}
			for _, q := range s.Queries {
				target := ""
				if s.TargetMs > 0 {
					target = fmt.Sprintf("p50 < %.0f ms", s.TargetMs)
				}
				fmt.Fprintf(tw, "search %s %s %s\tp50 %.1f ms, p99 %.1f ms\t%d matches\t\t%s\t%s\n", q.Kind, q.Query, q.Params, q.P50Ms, q.P99Ms, q.Matches, target, q.Plan)
			}
		}
	}
	return tw.Flush()
}

// apiRow prints the article's JSON against its review page, measured in
// the same run; the page's error stands for both.
func apiRow(w io.Writer, p PageFigure) {
	if p.Error != "" {
		return
	}
	row(w, "  article JSON", "", fmt.Sprintf("%.1f ms, %d KB", p.APIMs, p.APIBytes>>10), fmt.Sprintf("%.1f ms review page", p.Ms), p.APIRatio,
		fmt.Sprintf("< %.1f", p.APITarget), "GET /api/v1/articles/{id}, the same sentences with their checks")
}

func row(w io.Writer, name, err, got, floor string, ratio float64, target, notes string) {
	if err != "" {
		fmt.Fprintf(w, "%s\tERROR: %s\t\t\t\t\n", name, err)
		return
	}
	r := ""
	if ratio > 0 {
		r = fmt.Sprintf("%.3f", ratio)
	}
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", name, got, floor, r, target, notes)
}
