package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"factdesk/internal/testdb"
	"factdesk/live"
)

// buildBinary builds factdesk once per test binary.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "factdesk-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "factdesk")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestSIGTERMUnderLoad runs the real binary, holds the database's write
// lock so that label requests are in flight, sends SIGTERM: new
// connections are refused, the requests in flight finish with 200 once the
// lock goes, and the process exits 0 within 10 seconds.
func TestSIGTERMUnderLoad(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			dsn := testdb.DSN(t, kind)
			if kind == testdb.Postgres {
				dsn = testdb.PostgresDatabase(t)
			}
			site := newFaultSite(t, dsn)
			addr := freePort(t)
			cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--shutdown-timeout", "10s")
			cmd.Env = append(os.Environ(), "DATABASE_URL=")
			var logs syncBuffer
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() {
				if cmd.ProcessState == nil {
					cmd.Process.Kill()
				}
			})
			base := "http://" + addr
			waitHealthy(t, base, exited)
			c := newAPIClient(base, site.tokens[0])
			articleID, sentences := c.importStory(t, 5, 20)

			release := holdWriteLock(t, kind, dsn, articleID)
			const inFlight = 6
			results := make(chan int, inFlight)
			for i := range inFlight {
				go func() {
					s := sentences[i%len(sentences)]
					code, b := newAPIClient(base, site.tokens[i%2]).label(&s, "fact")
					if code != http.StatusOK {
						t.Logf("in flight: %d %s", code, b)
					}
					results <- code
				}()
			}
			time.Sleep(500 * time.Millisecond)
			signalled := time.Now()
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			// New connections are refused once the server stops listening.
			refused := false
			for range 40 {
				conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
				if err != nil {
					refused = true
					break
				}
				conn.Close()
				time.Sleep(50 * time.Millisecond)
			}
			if !refused {
				t.Error("the server still accepts connections after SIGTERM")
			}
			time.Sleep(time.Second)
			release()
			for range inFlight {
				if code := <-results; code != http.StatusOK {
					t.Errorf("a request in flight at SIGTERM answered %d, want 200", code)
				}
			}
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("exit: %v\n%s", err, logs.String())
				}
				if d := time.Since(signalled); d > 10*time.Second {
					t.Errorf("exited %v after SIGTERM", d)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("still running 15 s after SIGTERM\n%s", logs.String())
			}
			if code, out, errs := run(t, "", nil, "audit", "verify", "--db", dsn); code != 0 {
				t.Errorf("audit verify: exit %d\n%s%s", code, out, errs)
			}
		})
	}
}

func waitHealthy(t *testing.T, base string, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the server exited before answering: %v", err)
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the server did not become healthy")
}

// holdWriteLock keeps writers to the article waiting until release: the
// article's row lock on PostgreSQL, the database's write lock on SQLite.
func holdWriteLock(t *testing.T, kind testdb.Kind, dsn string, articleID int64) (release func()) {
	t.Helper()
	ctx := context.Background()
	if kind == testdb.Postgres {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM articles WHERE id = $1 FOR UPDATE`, articleID); err != nil {
			t.Fatal(err)
		}
		return func() { tx.Rollback(ctx); conn.Close(ctx) }
	}
	db, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() { conn.ExecContext(ctx, "ROLLBACK"); conn.Close(); db.Close() }
}

// TestHostileClients: slow headers, oversized headers and bodies,
// thousands of idle connections and one user's hundred event streams do
// not stop the server from answering everyone else.
func TestHostileClients(t *testing.T) {
	dsn := testdb.DSN(t, testdb.SQLite)
	site := newFaultSite(t, dsn)
	base, _ := server(t, nil, "serve", "--db", dsn, "--read-header-timeout", "1s", "--max-body", "10000")
	addr := strings.TrimPrefix(base, "http://")
	other := newAPIClient(base, site.tokens[1])
	responsive := func(t *testing.T, when string) {
		t.Helper()
		start := time.Now()
		if code, b := other.call("GET", "/api/v1/me", ""); code != http.StatusOK {
			t.Fatalf("%s: another user's request answered %d %s", when, code, b)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: another user waited %v", when, d)
		}
	}
	c := newAPIClient(base, site.tokens[0])
	articleID, _ := c.importStory(t, 6, 10)

	t.Run("slow headers", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
		start := time.Now()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		io.Copy(io.Discard, conn) // returns when the server hangs up
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the server waited %v for the rest of the headers; --read-header-timeout is 1s", d)
		}
		responsive(t, "after slow headers")
	})
	t.Run("oversized headers", func(t *testing.T) {
		req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
		req.Header.Set("X-Padding", strings.Repeat("a", 200<<10))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("200 KiB of headers: %d, want 431", resp.StatusCode)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		body := fmt.Sprintf(`{"title":"Big","body":%q}`, strings.Repeat("Words go on. ", 20000))
		code, b := c.call("POST", "/api/v1/articles", body)
		if code != http.StatusRequestEntityTooLarge || errorCode(b) != "too_large" {
			t.Errorf("a 240 KB import with --max-body 10000: %d %s, want a JSON 413", code, b)
		}
		responsive(t, "after an oversized body")
	})
	t.Run("idle connections", func(t *testing.T) {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for range 2000 {
			conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
			if err != nil {
				t.Fatalf("after %d idle connections: %v", len(conns), err)
			}
			conns = append(conns, conn)
		}
		responsive(t, "with 2,000 idle connections")
	})
	t.Run("event streams", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		path := fmt.Sprintf("%s/api/v1/articles/%d/events", base, articleID)
		open := func(token string) int {
			req, _ := http.NewRequestWithContext(ctx, "GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := (&http.Client{Transport: &http.Transport{}}).Do(req)
			if err != nil {
				return 0
			}
			if resp.StatusCode == http.StatusOK {
				// Read the first event, then keep the stream open.
				bufio.NewReader(resp.Body).ReadString('\n')
				go func() { <-ctx.Done(); resp.Body.Close() }()
			} else {
				resp.Body.Close()
			}
			return resp.StatusCode
		}
		counts := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code := open(site.tokens[0])
				mu.Lock()
				counts[code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if counts[http.StatusOK] != live.MaxPerUser || counts[http.StatusTooManyRequests] != 200-live.MaxPerUser {
			t.Errorf("200 streams of one user: %v, want %d open and the rest refused with 429", counts, live.MaxPerUser)
		}
		if code := open(site.tokens[1]); code != http.StatusOK {
			t.Errorf("another user's stream: %d", code)
		}
		responsive(t, "with 200 streams asked by one user")
	})
}
