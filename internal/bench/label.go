package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
)

// LabelFigure is label updates per second over HTTP through the real
// router on a loopback port, each with its audit event and chain step,
// next to the bare single-row UPDATE by as many clients (pgx on
// PostgreSQL, database/sql on SQLite) in the same run.
type LabelFigure struct {
	Clients    int     `json:"clients"`
	Updates    int     `json:"updates"`
	Failed     int     `json:"failed"`
	RPS        float64 `json:"rps"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	FloorRPS   float64 `json:"floor_rps"`
	FloorP50ms float64 `json:"floor_p50_ms"`
	FloorP99ms float64 `json:"floor_p99_ms"`
	Ratio      float64 `json:"ratio"`
	// MeanBatch is how many labels a transaction committed on average
	// (group commit; see models.DB.LabelBatches), over the whole run.
	MeanBatch float64 `json:"mean_batch"`
	// AuditOK says that every labeled article's hash chain verified
	// afterwards.
	AuditOK bool   `json:"audit_ok"`
	Error   string `json:"error,omitempty"`
}

// loadStats is what a closed-loop load run measured.
type loadStats struct {
	ops, failed int
	rps         float64
	p50, p99    time.Duration
	firstErr    error
	lat         []time.Duration
	dur         time.Duration
}

// labelRounds is how many turns the floor and factdesk take.
const labelRounds = 3

// add merges two runs' measurements.
func (s loadStats) add(o loadStats) loadStats {
	s.lat = append(s.lat, o.lat...)
	slices.Sort(s.lat)
	s.dur += o.dur
	s.ops += o.ops
	s.failed += o.failed
	if s.firstErr == nil {
		s.firstErr = o.firstErr
	}
	s.rps = float64(s.ops) / s.dur.Seconds()
	if len(s.lat) > 0 {
		s.p50 = s.lat[len(s.lat)/2]
		s.p99 = s.lat[min(len(s.lat)-1, len(s.lat)*99/100)]
	}
	return s
}

// runLoad runs op in a loop on each of n clients: first for warmup
// (unmeasured), then for dur, and counts the operations that started and
// ended within the measured window.
func runLoad(ctx context.Context, n int, warmup, dur time.Duration, op func(client int) error) loadStats {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		lat      []time.Duration
		failed   atomic.Int64
		firstErr atomic.Value
	)
	begin := time.Now().Add(warmup)
	end := begin.Add(dur)
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				t := time.Now()
				if !t.Before(end) {
					break
				}
				err := op(c)
				d := time.Since(t)
				if t.Before(begin) || t.Add(d).After(end) {
					continue
				}
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				mine = append(mine, d)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	s := loadStats{ops: len(lat), failed: int(failed.Load()), rps: float64(len(lat)) / dur.Seconds(), lat: lat, dur: dur}
	if len(lat) > 0 {
		s.p50 = lat[len(lat)/2]
		s.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	if v := firstErr.Load(); v != nil {
		s.firstErr = v.(error)
	}
	return s
}

// labelTarget is one client's article and sentences.
type labelTarget struct {
	articleID int64
	ids       []int64
	versions  []int
}

func measureLabel(ctx context.Context, e *env, sz sizes) LabelFigure {
	f := LabelFigure{Clients: Clients}
	tr := &http.Transport{MaxIdleConns: Clients * 2, MaxIdleConnsPerHost: Clients * 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	targets, err := labelTargets(ctx, e, client, sz.labelSentences)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	floorOp, closeFloor, err := labelFloor(ctx, e, targets)
	if err != nil {
		f.Error = fmt.Sprintf("floor: %v", err)
		return f
	}
	defer closeFloor()
	next := make([]int, Clients)
	labels := [2]string{"fact", "allegation"}
	labelOp := func(c int) error {
		t := &targets[c]
		k := next[c] % len(t.ids)
		next[c]++
		body := fmt.Sprintf(`{"label":%q,"version":%d}`, labels[(next[c]/len(t.ids))%2], t.versions[k])
		v, err := patchSentence(client, e.base, e.tokens[c%len(e.tokens)], t.ids[k], body)
		if err != nil {
			return err
		}
		t.versions[k] = v
		return nil
	}
	// The floor and factdesk take turns, so that a neighbour's load on a
	// shared machine weighs on both alike.
	var floor, st loadStats
	batches0, writes0 := e.db.LabelBatches()
	for round := range labelRounds {
		warm := time.Duration(0)
		if round == 0 {
			warm = sz.labelWarmup
		}
		floor = floor.add(runLoad(ctx, Clients, warm, sz.labelDuration/labelRounds, floorOp))
		st = st.add(runLoad(ctx, Clients, warm, sz.labelDuration/labelRounds, labelOp))
	}
	if floor.firstErr != nil {
		f.Error = fmt.Sprintf("floor: %v", floor.firstErr)
		return f
	}
	f.FloorRPS, f.FloorP50ms, f.FloorP99ms = floor.rps, ms(floor.p50), ms(floor.p99)
	if batches, writes := e.db.LabelBatches(); batches > batches0 {
		f.MeanBatch = float64(writes-writes0) / float64(batches-batches0)
	}
	f.Updates, f.Failed = st.ops, st.failed
	f.RPS, f.P50ms, f.P99ms = st.rps, ms(st.p50), ms(st.p99)
	f.Ratio = ratio(f.RPS, f.FloorRPS)
	if st.firstErr != nil {
		f.Error = fmt.Sprintf("%d updates failed, the first: %v", st.failed, st.firstErr)
	}
	f.AuditOK = true
	for _, t := range targets {
		v, err := e.store.VerifyArticle(ctx, t.articleID)
		if err != nil || !v.OK {
			f.AuditOK = false
			if f.Error == "" {
				f.Error = fmt.Sprintf("audit of article %d does not verify: %v %+v", t.articleID, err, v)
			}
			break
		}
	}
	return f
}

// patchSentence sends one label change and returns the sentence's new
// version.
func patchSentence(client *http.Client, base, token string, id int64, body string) (int, error) {
	req, err := http.NewRequest(http.MethodPatch, fmt.Sprintf("%s/api/v1/sentences/%d", base, id), bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("PATCH sentence %d: %s: %s", id, resp.Status, b)
	}
	var s struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return 0, fmt.Errorf("PATCH sentence %d: %w", id, err)
	}
	return s.Version, nil
}

// labelTargets imports one article per client and opens it through the
// API with the client's token, as the review page and API clients do
// before they label; it returns the article's unreviewed sentences.
func labelTargets(ctx context.Context, e *env, client *http.Client, sentences int) ([]labelTarget, error) {
	targets := make([]labelTarget, Clients)
	for c := range Clients {
		story := newsgen.NewStory(newRand(uint64(1000+c)), sentences)
		res, err := e.svc.Import(ctx, e.checker, ingest.ArticleInput{Title: story.Title, Body: story.Body(), Format: "text"})
		if err != nil {
			return nil, fmt.Errorf("import label article: %w", err)
		}
		var detail struct {
			Sentences []struct {
				ID      int64  `json:"id"`
				Status  string `json:"status"`
				Version int    `json:"version"`
			} `json:"sentences"`
		}
		if err := getJSON(ctx, client, fmt.Sprintf("%s/api/v1/articles/%d", e.base, res.Article.ID), e.tokens[c%len(e.tokens)], &detail); err != nil {
			return nil, err
		}
		t := labelTarget{articleID: res.Article.ID}
		for _, s := range detail.Sentences {
			if s.Status == "unreviewed" {
				t.ids = append(t.ids, s.ID)
				t.versions = append(t.versions, s.Version)
			}
		}
		if len(t.ids) == 0 {
			return nil, fmt.Errorf("label article %d has no unreviewed sentence", res.Article.ID)
		}
		targets[c] = t
	}
	return targets, nil
}

// getJSON GETs url with a bearer token and decodes the answer into v.
func getJSON(ctx context.Context, client *http.Client, url, token string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, b)
	}
	return json.Unmarshal(b, v)
}

// labelFloor returns the bare single-row UPDATE on the clients'
// sentences: through a pgx pool as large as factdesk's on PostgreSQL
// (a connection per client would crowd the server's 100), through the
// store's database/sql pool on SQLite. It touches
// only updated_at, which the audit replay does not read.
func labelFloor(ctx context.Context, e *env, targets []labelTarget) (func(c int) error, func(), error) {
	next := make([]int, Clients)
	if isPostgres(e.db) {
		cfg, err := pgxpool.ParseConfig(e.dsn)
		if err != nil {
			return nil, nil, err
		}
		cfg.MaxConns = int32(e.db.SQL().Stats().MaxOpenConnections)
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		return func(c int) error {
			t := &targets[c]
			id := t.ids[next[c]%len(t.ids)]
			next[c]++
			_, err := pool.Exec(ctx, `UPDATE sentences SET updated_at = $1 WHERE id = $2`, time.Now().UTC(), id)
			return err
		}, pool.Close, nil
	}
	var db *sql.DB = e.db.SQL()
	return func(c int) error {
		t := &targets[c]
		id := t.ids[next[c]%len(t.ids)]
		next[c]++
		_, err := db.ExecContext(ctx, `UPDATE sentences SET updated_at = ? WHERE id = ?`, time.Now().UTC(), id)
		return err
	}, func() {}, nil
}
