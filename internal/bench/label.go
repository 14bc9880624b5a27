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
	"factdesk/models"
)

// LabelFigure is label updates per second over HTTP through the real
// router on loopback ports, each with its audit event and chain step,
// next to the bare single-row UPDATE by as many clients (pgx on
// PostgreSQL, database/sql on SQLite) on the same sentences in the same
// run. Every figure takes the cold path: no client opens the article
// first, and the sentence ids come from the database, not from a server,
// so no server has read what it is asked to label.
type LabelFigure struct {
	Clients int `json:"clients"`
	// Servers is how many factdesk servers, each with its own pool, the
	// clients are spread over; the clients of one article talk to
	// different servers.
	Servers int `json:"servers"`
	// Articles is how many articles the clients share.
	Articles   int     `json:"articles"`
	Updates    int     `json:"updates"`
	Failed     int     `json:"failed"`
	RPS        float64 `json:"rps"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	FloorRPS   float64 `json:"floor_rps"`
	FloorP50ms float64 `json:"floor_p50_ms"`
	FloorP99ms float64 `json:"floor_p99_ms"`
	Ratio      float64 `json:"ratio"`
	// Conflicts counts the 409 answers: two clients labeling one sentence
	// at once, the later with a stale version (they are answered with the
	// current sentence and the client goes on from it).
	Conflicts int `json:"conflicts"`
	// MeanBatch is how many labels a transaction committed on average
	// (group commit; see models.DB.LabelBatches), over the whole run.
	MeanBatch float64 `json:"mean_batch"`
	// AuditOK says that every labeled article's hash chain verified
	// afterwards.
	AuditOK bool   `json:"audit_ok"`
	Error   string `json:"error,omitempty"`
}

// labelScenario is who labels what in a label figure.
type labelScenario struct {
	// articles is how many articles the clients label, of sentences each;
	// client c labels article c mod articles.
	articles, sentences int
	// servers is how many factdesk servers take the clients' requests:
	// the clients of one article are spread over them (client c talks to
	// server (c / articles) mod servers).
	servers int
	// crossing gives the clients of one article every tenth sentence in
	// common, so that they meet on one now and then (conflicts);
	// otherwise each client has sentences of its own.
	crossing bool
	// seed makes the scenario's stories its own: an article imported
	// twice is the same article.
	seed uint64
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

// labelTarget is one client's sentences, in the order it labels them.
type labelTarget struct {
	articleID int64
	ids       []int64
	versions  []int
}

func measureLabel(ctx context.Context, e *env, sz sizes, sc labelScenario) LabelFigure {
	f := LabelFigure{Clients: Clients, Servers: sc.servers, Articles: sc.articles}
	tr := &http.Transport{MaxIdleConns: Clients * 2, MaxIdleConnsPerHost: Clients * 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	bases := []string{e.base}
	dbs := []*models.DB{e.db}
	for range sc.servers - 1 {
		other, err := e.anotherServer(ctx)
		if err != nil {
			f.Error = fmt.Sprintf("second server: %v", err)
			return f
		}
		defer other.close()
		bases, dbs = append(bases, other.base), append(dbs, other.db)
	}
	articles, targets, err := labelTargets(ctx, e, sc)
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
	var conflicts atomic.Int64
	labels := [2]string{"fact", "allegation"}
	labelOp := func(c int) error {
		t := &targets[c]
		k := next[c] % len(t.ids)
		next[c]++
		body := fmt.Sprintf(`{"label":%q,"version":%d}`, labels[(next[c]/len(t.ids))%2], t.versions[k])
		v, conflict, err := patchSentence(client, bases[(c/sc.articles)%len(bases)], e.tokens[c%len(e.tokens)], t.ids[k], body)
		if err != nil {
			return err
		}
		if conflict {
			conflicts.Add(1)
		}
		t.versions[k] = v
		return nil
	}
	// The floor and factdesk take turns, so that a neighbour's load on a
	// shared machine weighs on both alike.
	var floor, st loadStats
	batches0, writes0 := labelBatches(dbs)
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
	if batches, writes := labelBatches(dbs); batches > batches0 {
		f.MeanBatch = float64(writes-writes0) / float64(batches-batches0)
	}
	f.Updates, f.Failed, f.Conflicts = st.ops, st.failed, int(conflicts.Load())
	f.RPS, f.P50ms, f.P99ms = st.rps, ms(st.p50), ms(st.p99)
	f.Ratio = ratio(f.RPS, f.FloorRPS)
	if st.firstErr != nil {
		f.Error = fmt.Sprintf("%d updates failed, the first: %v", st.failed, st.firstErr)
	}
	f.AuditOK = true
	for _, id := range articles {
		v, err := e.store.VerifyArticle(ctx, id)
		if err != nil || !v.OK {
			f.AuditOK = false
			if f.Error == "" {
				f.Error = fmt.Sprintf("audit of article %d does not verify: %v %+v", id, err, v)
			}
			break
		}
	}
	return f
}

// labelBatches sums the batches and labels the servers' databases wrote.
func labelBatches(dbs []*models.DB) (batches, writes int) {
	for _, db := range dbs {
		b, w := db.LabelBatches()
		batches, writes = batches+b, writes+w
	}
	return batches, writes
}

// patchSentence sends one label change and returns the sentence's new
// version; a conflict (409) is no failure: it returns the current version
// the answer carries, and conflict true.
func patchSentence(client *http.Client, base, token string, id int64, body string) (version int, conflict bool, err error) {
	req, err := http.NewRequest(http.MethodPatch, fmt.Sprintf("%s/api/v1/sentences/%d", base, id), bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, false, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		var s struct {
			Version int `json:"version"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, false, fmt.Errorf("PATCH sentence %d: %w", id, err)
		}
		return s.Version, false, nil
	case http.StatusConflict:
		var c struct {
			Error struct {
				Data struct {
					Version int `json:"version"`
				} `json:"data"`
			} `json:"error"`
		}
		if err := json.Unmarshal(b, &c); err != nil || c.Error.Data.Version == 0 {
			return 0, false, fmt.Errorf("PATCH sentence %d: a conflict without the current sentence: %s", id, b)
		}
		return c.Error.Data.Version, true, nil
	}
	return 0, false, fmt.Errorf("PATCH sentence %d: %s: %s", id, resp.Status, b)
}

// labelTargets imports the scenario's articles and reads their sentence
// ids and versions from the database, as an integration that keeps its
// own copy would hold them; no server has read them. It returns the
// articles and each client's sentences.
func labelTargets(ctx context.Context, e *env, sc labelScenario) ([]int64, []labelTarget, error) {
	articles := make([]int64, sc.articles)
	sentences := make([][]labelTarget, sc.articles)
	for a := range sc.articles {
		story := newsgen.NewStory(newRand(sc.seed+uint64(a)), sc.sentences)
		res, err := e.svc.Import(ctx, e.checker, ingest.ArticleInput{Title: story.Title, Body: story.Body(), Format: "text"})
		if err != nil {
			return nil, nil, fmt.Errorf("import label article: %w", err)
		}
		articles[a] = res.Article.ID
		var all labelTarget
		q := fmt.Sprintf(`SELECT s.id, s.version FROM sentences s JOIN articles a ON a.current_revision_id = s.revision_id
			WHERE a.id = %d AND s.status = 'unreviewed' ORDER BY s.idx`, res.Article.ID)
		rows, err := e.db.SQL().QueryContext(ctx, q)
		if err != nil {
			return nil, nil, fmt.Errorf("read label article: %w", err)
		}
		for rows.Next() {
			var id int64
			var v int
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, nil, err
			}
			all.ids, all.versions = append(all.ids, id), append(all.versions, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		if len(all.ids) == 0 {
			return nil, nil, fmt.Errorf("label article %d has no unreviewed sentence", res.Article.ID)
		}
		sentences[a] = []labelTarget{all}
	}
	targets := make([]labelTarget, Clients)
	perArticle := (Clients + sc.articles - 1) / sc.articles
	for c := range Clients {
		a, k := c%sc.articles, c/sc.articles
		all := sentences[a][0]
		t := labelTarget{articleID: articles[a]}
		switch {
		case sc.crossing:
			// Each client of the article has every perArticle-th
			// sentence, and every tenth sentence is everyone's: two
			// clients meet on one now and then, as two people labeling
			// one article do.
			for i := range all.ids {
				if i%perArticle == k || i%10 == 0 {
					t.ids, t.versions = append(t.ids, all.ids[i]), append(t.versions, all.versions[i])
				}
			}
		default:
			// Each client of the article has every perArticle-th sentence.
			for i := k; i < len(all.ids); i += perArticle {
				t.ids, t.versions = append(t.ids, all.ids[i]), append(t.versions, all.versions[i])
			}
		}
		if len(t.ids) == 0 {
			return nil, nil, fmt.Errorf("client %d has no sentence to label", c)
		}
		targets[c] = t
	}
	return articles, targets, nil
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
