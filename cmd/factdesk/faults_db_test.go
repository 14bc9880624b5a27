package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"factdesk/internal/testdb"
)

// outcome is one label write as its client saw it.
type outcome struct {
	id       int64
	status   int
	version  int // the version the server answered, on 200
	code     string
	took     time.Duration
	duringUp bool
}

// TestDatabaseOutage puts a TCP proxy between factdesk and PostgreSQL,
// labels through it, cuts it for three seconds and restores it: requests
// during the cut fail within the request timeout with a JSON 503, the
// server recovers without a restart, every write answered 200 is stored
// with its audit event, nothing is half applied and audit verify passes.
func TestDatabaseOutage(t *testing.T) {
	direct := testdb.PostgresDatabase(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	viaProxy := *u
	viaProxy.Host = px.addr()
	site := newFaultSite(t, viaProxy.String())
	const timeout = 2 * time.Second
	base, _ := server(t, nil, "serve", "--db", site.dsn, "--request-timeout", timeout.String(), "--statement-timeout", "2s")
	c := newAPIClient(base, site.tokens[0])
	_, sentences := c.importStory(t, 1, 60)

	const writers = 8
	var (
		mu       sync.Mutex
		outcomes []outcome
		cutting  = make(chan struct{})
	)
	stop := time.Now().Add(9 * time.Second)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := sentences[w*len(sentences)/writers : (w+1)*len(sentences)/writers]
			cl := newAPIClient(base, site.tokens[w%2])
			for i := 0; time.Now().Before(stop); i++ {
				s := &mine[i%len(mine)]
				start := time.Now()
				code, b := cl.label(s, []string{"fact", "allegation"}[i/len(mine)%2])
				o := outcome{id: s.ID, status: code, took: time.Since(start), code: errorCode(b)}
				select {
				case <-cutting:
				default:
					o.duringUp = true
				}
				switch code {
				case http.StatusOK:
					var got sentenceRef
					json.Unmarshal(b, &got)
					o.version, s.Version = got.Version, got.Version
				case http.StatusConflict:
					// The write was applied but its answer was lost in
					// the cut: carry on from the current version.
					var e struct {
						Error struct{ Data sentenceRef } `json:"error"`
					}
					json.Unmarshal(b, &e)
					if e.Error.Data.Version > 0 {
						s.Version = e.Error.Data.Version
					}
				default:
					time.Sleep(50 * time.Millisecond)
				}
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(2 * time.Second)
	close(cutting)
	px.cutOff()
	cutAt := time.Now()
	// Reads during the cut are 503s too, each saying when to try again:
	// the API, and the readiness probe a load balancer asks.
	for _, path := range []string{fmt.Sprintf("/api/v1/sentences/%d", sentences[0].ID), "/readyz"} {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+site.tokens[0])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s during the cut: %v", path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s during the cut: %d, Retry-After %q; want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if strings.Contains(string(b), px.addr()) || strings.Contains(string(b), "dial") {
			t.Errorf("GET %s during the cut says where the database is: %s", path, b)
		}
	}
	time.Sleep(time.Until(cutAt.Add(3 * time.Second)))
	px.restore()
	wg.Wait()

	ok, unavailable := 0, 0
	for _, o := range outcomes {
		switch {
		case o.status == http.StatusOK:
			ok++
		case o.status == http.StatusServiceUnavailable && o.code == "unavailable":
			unavailable++
		case o.status == http.StatusConflict && o.code == "conflict":
		default:
			t.Errorf("sentence %d: status %d code %q: want 200, 409 or a JSON 503", o.id, o.status, o.code)
		}
		if o.took > timeout+3*time.Second {
			t.Errorf("sentence %d: answered %d after %v, past the %v request timeout", o.id, o.status, o.took, timeout)
		}
	}
	if ok == 0 || unavailable == 0 {
		t.Fatalf("%d writes, %d ok, %d unavailable: the cut did not show", len(outcomes), ok, unavailable)
	}
	// Recovery without a restart: the last writes went through.
	recovered := false
	for _, o := range outcomes[len(outcomes)-writers:] {
		recovered = recovered || o.status == http.StatusOK
	}
	if !recovered {
		s := &sentences[0]
		if code, b := c.call("GET", fmt.Sprintf("/api/v1/sentences/%d", s.ID), ""); code != http.StatusOK {
			t.Fatalf("after the cut: %d %s", code, b)
		}
	}
	t.Logf("%d writes: %d ok, %d unavailable", len(outcomes), ok, unavailable)
	checkWritesStored(t, direct, outcomes)
	if code, out, errs := run(t, "", nil, "audit", "verify", "--db", direct); code != 0 {
		t.Errorf("audit verify: exit %d\n%s%s", code, out, errs)
	}
}

// checkWritesStored checks that every write answered 200 left its event,
// and that each sentence's version is its count of events plus one: no
// write is half applied.
func checkWritesStored(t *testing.T, dsn string, outcomes []outcome) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events := map[int64]map[int]bool{}
	rows, err := db.Query(`SELECT entity_id, after FROM audit_events WHERE entity = 'sentence'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var after string
		if err := rows.Scan(&id, &after); err != nil {
			t.Fatal(err)
		}
		var st struct{ Version int }
		json.Unmarshal([]byte(after), &st)
		if events[id] == nil {
			events[id] = map[int]bool{}
		}
		events[id][st.Version] = true
	}
	rows.Close()
	for _, o := range outcomes {
		if o.status == http.StatusOK && !events[o.id][o.version] {
			t.Errorf("sentence %d: version %d was answered 200 but has no audit event", o.id, o.version)
		}
	}
	vrows, err := db.Query(`SELECT id, version FROM sentences`)
	if err != nil {
		t.Fatal(err)
	}
	defer vrows.Close()
	for vrows.Next() {
		var id int64
		var v int
		if err := vrows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		if got := len(events[id]) + 1; got != v {
			t.Errorf("sentence %d: version %d with %d events: half applied", id, v, len(events[id]))
		}
	}
}

// TestSlowDatabase holds a lock on an article from another connection:
// label writes on it wait past the statement timeout, are cancelled and
// answered 503, and the pool has no connection left in use afterwards.
func TestSlowDatabase(t *testing.T) {
	dsn := testdb.PostgresDatabase(t)
	site := newFaultSite(t, dsn)
	base, _ := server(t, nil, "serve", "--db", dsn, "--statement-timeout", "1s", "--request-timeout", "10s", "--metrics-public")
	c := newAPIClient(base, site.tokens[0])
	articleID, sentences := c.importStory(t, 2, 30)

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM articles WHERE id = $1 FOR UPDATE`, articleID); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := sentences[i%len(sentences)]
			start := time.Now()
			code, b := c.label(&s, "fact")
			if code != http.StatusServiceUnavailable || errorCode(b) != "unavailable" {
				t.Errorf("a write behind the lock: %d %s, want a JSON 503", code, b)
			}
			if d := time.Since(start); d > 6*time.Second {
				t.Errorf("a write behind the lock took %v with a 1 s statement timeout", d)
			}
		}()
	}
	wg.Wait()
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if code, b := c.label(&sentences[0], "fact"); code != http.StatusOK {
		t.Fatalf("after the lock: %d %s", code, b)
	}
	admin := newAPIClient(base, site.tokens[2])
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, b := admin.call("GET", "/metrics", "")
		if code != http.StatusOK {
			t.Fatalf("GET /metrics: %d %s", code, b)
		}
		inUse, ok := metric(b, `go_sql_in_use_connections{db_name="factdesk"}`)
		open, _ := metric(b, `go_sql_open_connections{db_name="factdesk"}`)
		if !ok {
			t.Fatalf("no pool statistics in /metrics:\n%s", b)
		}
		if inUse == 0 && open <= 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("connections in use %v, open %v after the slow statements: the pool leaks", inUse, open)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSQLiteSixteenWriters labels from 16 clients at once on SQLite, most
// of them on one article: writes queue, none answers "database is locked",
// all land.
func TestSQLiteSixteenWriters(t *testing.T) {
	dsn := testdb.DSN(t, testdb.SQLite)
	site := newFaultSite(t, dsn)
	base, _ := server(t, nil, "serve", "--db", dsn)
	c := newAPIClient(base, site.tokens[0])
	_, shared := c.importStory(t, 3, 80)
	_, other := c.importStory(t, 4, 40)
	const writers, each = 16, 15
	var wg sync.WaitGroup
	var mu sync.Mutex
	landed := 0
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool := shared
			if w%4 == 3 {
				pool = other
			}
			cl := newAPIClient(base, site.tokens[w%2])
			for i := range each {
				s := pool[(w*each+i)%len(pool)]
				code, b := cl.label(&s, "fact")
				if code == http.StatusConflict {
					continue // another writer labeled it first
				}
				if code != http.StatusOK || strings.Contains(string(b), "locked") {
					t.Errorf("writer %d: %d %s", w, code, b)
					continue
				}
				mu.Lock()
				landed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if landed == 0 {
		t.Fatal("no write landed")
	}
	if code, out, errs := run(t, "", nil, "audit", "verify", "--db", dsn); code != 0 {
		t.Errorf("audit verify: exit %d\n%s%s", code, out, errs)
	}
}
