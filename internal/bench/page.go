package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"factdesk/codebook"
	"factdesk/export"
	"factdesk/models"
)

// Targets of the issue, for the table.
const (
	PageTargetMs   = 50
	ListTargetMs   = 20
	ExportTargetMs = 200
	// APITargetRatio bounds the article's JSON (GET /api/v1/articles/{id})
	// against its review page: the same sentences, with every one's
	// attribution and suggestion besides.
	APITargetRatio = 1.5
)

// PageFigure is the server time to render the review page of the
// 5,000-sentence article through the real router (median of repeats), and
// the bytes it sends; its floor is reading the article's sentence rows
// with a bare SELECT. APIMs is the server time of the same article's
// JSON from the API as a checker's token fetches it, measured in the same
// run, the two requests alternating so that a busy machine slows both
// alike; APIRatio is APIMs over Ms.
type PageFigure struct {
	Sentences int     `json:"sentences"`
	Ms        float64 `json:"ms"`
	Bytes     int     `json:"bytes"`
	FloorMs   float64 `json:"floor_ms"`
	Ratio     float64 `json:"ratio"`
	TargetMs  float64 `json:"target_ms"`
	APIMs     float64 `json:"api_ms"`
	APIBytes  int     `json:"api_bytes"`
	APIRatio  float64 `json:"api_ratio"`
	APITarget float64 `json:"api_target_ratio"`
	Error     string  `json:"error,omitempty"`
}

// ExportFigure is the time to build and write the 5,000-sentence article's
// JSON report; its floor is the same bare SELECT of the sentence rows.
type ExportFigure struct {
	Sentences int     `json:"sentences"`
	Ms        float64 `json:"ms"`
	Bytes     int     `json:"bytes"`
	FloorMs   float64 `json:"floor_ms"`
	Ratio     float64 `json:"ratio"`
	TargetMs  float64 `json:"target_ms"`
	// Via says how the report was made: the API's report route, or
	// "bench" — the bench's own assembly from the stored article, where
	// the route is missing.
	Via   string `json:"via"`
	Error string `json:"error,omitempty"`
}

// get serves one GET through the router in-process, as the signed-in
// checker's browser, and returns the status and body length.
func (e *env) get(path string) (int, int) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(e.cookie)
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	return w.Code, w.Body.Len()
}

// getAPI serves one GET of the API in-process with a checker's token.
func (e *env) getAPI(path string) (int, []byte) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[0])
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes()
}

func measurePage(ctx context.Context, e *env, articleID int64, repeats int) PageFigure {
	f := PageFigure{TargetMs: PageTargetMs, APITarget: APITargetRatio}
	if articleID == 0 {
		f.Error = errNoBigArticle.Error()
		return f
	}
	a, err := e.store.Article(ctx, articleID)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	rev := *a.CurrentRevisionID
	floor, n, err := sentenceFloor(ctx, e.db.SQL(), e.db, rev, repeats)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	f.Sentences, f.FloorMs = n, ms(floor)
	path := fmt.Sprintf("/articles/%d", articleID)
	api := "/api/v1" + path
	page := func() error {
		code, size := e.get(path)
		if code != http.StatusOK {
			return fmt.Errorf("GET %s: status %d", path, code)
		}
		f.Bytes = size
		return nil
	}
	article := func() error {
		code, body := e.getAPI(api)
		if code != http.StatusOK {
			return fmt.Errorf("GET %s: status %d: %.200s", api, code, body)
		}
		f.APIBytes = len(body)
		return nil
	}
	d, apiD, err := medianPair(repeats, page, article)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	f.Ms, f.APIMs = ms(d), ms(apiD)
	f.Ratio = ratio(f.FloorMs, f.Ms)
	f.APIRatio = ratio(f.APIMs, f.Ms)
	return f
}

// medianPair times a and b n times each, alternating (after one untimed
// call of each), and returns their medians.
func medianPair(n int, a, b func() error) (time.Duration, time.Duration, error) {
	n = max(n, 1)
	if err := a(); err != nil {
		return 0, 0, err
	}
	if err := b(); err != nil {
		return 0, 0, err
	}
	as, bs := make([]time.Duration, 0, n), make([]time.Duration, 0, n)
	for range n {
		for _, x := range []struct {
			f  func() error
			ds *[]time.Duration
		}{{a, &as}, {b, &bs}} {
			t := time.Now()
			if err := x.f(); err != nil {
				return 0, 0, err
			}
			*x.ds = append(*x.ds, time.Since(t))
		}
	}
	slices.Sort(as)
	slices.Sort(bs)
	return as[len(as)/2], bs[len(bs)/2], nil
}

// sentenceFloor times a bare SELECT of every column of a revision's
// sentences, scanned into raw bytes.
func sentenceFloor(ctx context.Context, db *sql.DB, mdb *models.DB, revisionID int64, repeats int) (time.Duration, int, error) {
	q := `SELECT * FROM sentences WHERE revision_id = ? ORDER BY idx`
	if isPostgres(mdb) {
		q = `SELECT * FROM sentences WHERE revision_id = $1 ORDER BY idx`
	}
	n := 0
	d, err := median(repeats, func() error {
		var err error
		n, err = scanAll(ctx, db, q, revisionID)
		return err
	})
	return d, n, err
}

// scanAll runs q and reads every column of every row as raw bytes.
func scanAll(ctx context.Context, db *sql.DB, q string, args ...any) (int, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

func measureExport(ctx context.Context, e *env, articleID int64, repeats int) ExportFigure {
	f := ExportFigure{TargetMs: ExportTargetMs, Via: "bench"}
	if articleID == 0 {
		f.Error = errNoBigArticle.Error()
		return f
	}
	a, err := e.store.Article(ctx, articleID)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	floor, _, err := sentenceFloor(ctx, e.db.SQL(), e.db, *a.CurrentRevisionID, repeats)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	f.FloorMs = ms(floor)
	// The export as a client asks for it: the API's JSON report, which
	// also records the export in the audit trail.
	path := fmt.Sprintf("/api/v1/articles/%d/report?format=json", articleID)
	if code, _ := e.getAPI(path); code != http.StatusNotFound {
		f.Via = "GET " + path
		d, err := median(repeats, func() error {
			code, body := e.getAPI(path)
			if code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d: %.200s", path, code, body)
			}
			f.Bytes = len(body)
			var r struct {
				Sentences []json.RawMessage `json:"sentences"`
			}
			if err := json.Unmarshal(body, &r); err != nil {
				return fmt.Errorf("GET %s: %w", path, err)
			}
			f.Sentences = len(r.Sentences)
			return nil
		})
		if err != nil {
			f.Error = err.Error()
			return f
		}
		f.Ms = ms(d)
		f.Ratio = ratio(f.FloorMs, f.Ms)
		return f
	}
	var cw countWriter
	d, err := median(repeats, func() error {
		r, err := e.report(ctx, articleID)
		if err != nil {
			return err
		}
		cw = 0
		f.Sentences = len(r.Sentences)
		return export.WriteJSON(&cw, r)
	})
	if err != nil {
		f.Error = err.Error()
		return f
	}
	f.Ms, f.Bytes = ms(d), int(cw)
	f.Ratio = ratio(f.FloorMs, f.Ms)
	return f
}

// report assembles an article's report from the store: the article, its
// current revision and its sentences with their labels, statuses and
// verdicts. It stands in for the API's report on a factdesk without one,
// and loads what the real one loads at the least.
func (e *env) report(ctx context.Context, articleID int64) (*export.Report, error) {
	a, err := e.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	rev, err := e.store.Revision(ctx, *a.CurrentRevisionID)
	if err != nil {
		return nil, err
	}
	ss, err := e.store.Sentences(ctx, rev.ID)
	if err != nil {
		return nil, err
	}
	events, err := e.store.ArticleEvents(ctx, articleID)
	if err != nil {
		return nil, err
	}
	r := &export.Report{
		Generated:    export.Generated{At: models.Now(), By: e.checker.Name, Version: "bench"},
		Organisation: export.Organisation{Name: "Bench newsroom"},
		Article: export.Article{ID: a.ID, Title: a.Title, Outlet: a.Outlet, Byline: a.Byline, URL: a.URL,
			PublishedAt: a.PublishedAt, ImportedAt: rev.ImportedAt, State: string(a.Status), BodySHA256: rev.BodySHA256,
			Revision: rev.Number, RevisionCount: 1, Body: rev.Body},
		Method: export.DefaultMethod(codebook.DefaultScale()),
	}
	r.Sentences = make([]export.Sentence, len(ss))
	for i, s := range ss {
		r.Sentences[i] = export.Sentence{ID: s.ID, Index: s.Index, Number: s.Number(), Paragraph: s.Paragraph,
			Start: s.Start, End: s.End, Text: s.Text, Quote: string(s.Quote), Label: codebook.Label(s.LabelString()),
			AcceptedSuggestion: s.LabelSuggested, Status: s.Status, ExcludeReason: s.ExcludeReason, Verdict: s.Verdict,
			Note: s.Note, LabeledAt: s.LabelAt}
	}
	r.Summary = export.Summarize(r.Sentences, nil)
	r.Audit.Events = make([]export.Event, len(events))
	for i, ev := range events {
		r.Audit.Events[i] = export.Event{Seq: ev.Seq, At: ev.At, Actor: ev.Actor, Action: ev.Action, Entity: ev.Entity,
			EntityID: ev.EntityID, Before: ev.BeforeRaw, After: ev.AfterRaw, Hash: ev.Hash, PrevHash: ev.PrevHash}
	}
	v := models.VerifyChain(events, a.AuditSeq, a.AuditHead)
	r.Audit.Verification = export.Verification{OK: len(v) == 0, ChainOK: len(v) == 0, ReplayOK: true,
		CheckedAt: models.Now(), Events: len(events), HeadHash: a.AuditHead}
	return r, nil
}

// countWriter counts the bytes written to it.
type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
