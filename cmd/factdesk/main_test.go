package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/segment"
)

// asProgram, set in a test binary's environment, makes it run as the
// factdesk command itself: tests that must watch the real program from
// outside (what it creates, its exit status) start it so.
const asProgram = "FACTDESK_TEST_RUN_AS_PROGRAM"

func TestMain(m *testing.M) {
	if os.Getenv(asProgram) == "1" {
		main()
	}
	testdb.Main(m)
}

// run runs the program in-process and returns its exit status and output.
func run(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	p := &Program{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := p.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

// server runs "factdesk ARGS…" as a server until the test ends and returns
// its base URL and its standard output so far.
func server(t *testing.T, env map[string]string, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	p := &Program{Stdin: strings.NewReader(""), Stdout: out, Stderr: io.Discard, Getenv: func(k string) string { return env[k] },
		Ready: func(addr string) { ready <- addr }}
	go func() { done <- p.Run(ctx, append(args, "--addr", "127.0.0.1:0")) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("server exited with %d", code)
			}
		case <-time.After(15 * time.Second):
			t.Error("server did not stop within 15 s of the signal")
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr, out
	case code := <-done:
		t.Fatalf("server exited with %d before listening", code)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	return "", nil
}

// bearer returns a function that calls the API of the server at base with
// a bearer token and a JSON body, and answers the status and the body.
func bearer(t *testing.T, base, token string) func(method, path, body string) (int, []byte) {
	return func(method, path, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
}

func TestHelpAndUsage(t *testing.T) {
	code, out, _ := run(t, "", nil, "help")
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, c := range []string{"demo", "serve", "migrate", "user", "import", "segment"} {
		if !strings.Contains(out, "  "+c) {
			t.Errorf("help does not list %s", c)
		}
	}
	if code, _, errs := run(t, "", nil, "serve", "-h"); code != 0 || !strings.Contains(errs, "--addr") && !strings.Contains(errs, "-addr") {
		t.Errorf("serve -h: exit %d, %s", code, errs)
	}
	if code, _, _ := run(t, "", nil, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", nil, "user", "add", "--nope"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
}

func TestSegmentCommand(t *testing.T) {
	seed := shared.Path(t, "data", "seed-article.txt")
	code, out, errs := run(t, "", nil, "segment", seed)
	if code != 0 {
		t.Fatalf("segment: exit %d: %s", code, errs)
	}
	var gold struct {
		Sentences []struct {
			N, Paragraph, Start, End int
			Text                     string
		}
	}
	b, err := os.ReadFile(shared.Path(t, "data", "seed-article.gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(gold.Sentences) {
		t.Fatalf("lines: got %d, want %d", len(lines), len(gold.Sentences))
	}
	for i, l := range lines {
		var s segment.Record
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		g := gold.Sentences[i]
		if s.Text != g.Text || s.Start != g.Start || s.End != g.End || s.Paragraph != g.Paragraph || s.Index != g.N-1 {
			t.Errorf("sentence %d: got %+v, want %+v", i, s, g)
		}
	}
	if s := lines[23]; !strings.Contains(s, `"quote":"inside"`) {
		t.Errorf("sentence 24 quote context: %s", s)
	}
	code, out, _ = run(t, "Hello there. General Kenobi!\n", nil, "segment", "--format", "text")
	if code != 0 || out != "Hello there.\nGeneral Kenobi!\n" {
		t.Errorf("text format from stdin: exit %d, %q", code, out)
	}
	code, out, errs = run(t, "", nil, "segment", filepath.Join(t.TempDir(), "missing.txt"))
	if code != 2 || out != "" || strings.Count(strings.TrimSpace(errs), "\n") != 0 || errs == "" {
		t.Errorf("unreadable file: exit %d, stdout %q, stderr %q; want 2 and one line", code, out, errs)
	}
}

// TestCLIUserTokenAndAPI makes a user and a token with the CLI, serves,
// and imports, lists and reads an article over the API, on both databases.
func TestCLIUserTokenAndAPI(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			dsn := testdb.DSN(t, kind)
			if code, _, errs := run(t, "", nil, "migrate", "up", "--db", dsn); code != 0 {
				t.Fatalf("migrate up: %s", errs)
			}
			code, _, errs := run(t, "a long enough password\n", nil, "user", "add", "--db", dsn, "--email", "desk@news.example", "--name", "Desk", "--role", "checker", "--password-stdin")
			if code != 0 {
				t.Fatalf("user add: %d %s", code, errs)
			}
			code, tok, errs := run(t, "", map[string]string{"DATABASE_URL": dsn}, "user", "token", "--email", "desk@news.example", "--name", "script")
			tok = strings.TrimSpace(tok)
			if code != 0 || !strings.HasPrefix(tok, "fdk_") || strings.Contains(tok, "\n") {
				t.Fatalf("user token: exit %d, stdout %q, stderr %s", code, tok, errs)
			}
			// Without the token memory, a change made by another process
			// counts at the next request (checked at the end).
			base, _ := server(t, map[string]string{"DATABASE_URL": dsn}, "serve", "--no-migrate", "--token-cache", "0")
			call := bearer(t, base, tok)
			status, body := call("POST", "/api/v1/articles", `{"title":"Budget","body":"The council approved the budget on Monday. It rises by 3.5%."}`)
			if status != 201 {
				t.Fatalf("import: %d %s", status, body)
			}
			var a struct {
				ID        int64
				Sentences []struct{ Text string }
			}
			json.Unmarshal(body, &a)
			if len(a.Sentences) != 2 {
				t.Errorf("sentences: %s", body)
			}
			if status, body := call("GET", "/api/v1/articles", ""); status != 200 || !strings.Contains(string(body), `"title":"Budget"`) {
				t.Errorf("list: %d %s", status, body)
			}
			if status, _ := call("GET", "/api/v1/articles/"+jsonNumber(a.ID), ""); status != 200 {
				t.Errorf("read: %d", status)
			}
			if status, _ := call("GET", "/readyz", ""); status != 200 {
				t.Errorf("readyz: %d", status)
			}
			if code, _, errs := run(t, "", map[string]string{"DATABASE_URL": dsn}, "user", "disable", "--email", "desk@news.example"); code != 0 {
				t.Fatalf("user disable: %d %s", code, errs)
			}
			if status, body := call("GET", "/api/v1/articles", ""); status != 401 {
				t.Errorf("token of a user disabled by another process, with --token-cache 0: got %d %s, want 401", status, body)
			}
		})
	}
}

func TestImportCommand(t *testing.T) {
	dsn := testdb.DSN(t, testdb.SQLite)
	run(t, "", nil, "migrate", "up", "--db", dsn)
	if code, _, errs := run(t, "", nil, "user", "add", "--db", dsn, "--email", "a@news.example", "--name", "A", "--role", "admin"); code != 0 {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "bulk.jsonl")
	os.WriteFile(jsonl, []byte(`{"title":"One","body":"First story here. It is short."}
{"title":"Two","body":"Second story here.","published_at":"someday"}
not json
{"title":"Three","body":"Third story here. Also short."}
`), 0o600)
	md := filepath.Join(dir, "story.md")
	os.WriteFile(md, []byte("# Markdown story\n\nThe *mayor* [said](https://example.org) it would rain.\n"), 0o600)
	code, out, _ := run(t, "", nil, "import", "--db", dsn, jsonl, md)
	if code != 1 {
		t.Errorf("bulk with bad lines: exit %d, want 1", code)
	}
	for _, want := range []string{"bulk.jsonl:1: article", "bulk.jsonl:2: error", "bulk.jsonl:3: error", "bulk.jsonl:4: article", "story.md: article", "total: 5 articles, 3 imported, 0 already there, 2 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "", nil, "import", "--db", dsn, md)
	if code != 0 || !strings.Contains(out, "already imported") {
		t.Errorf("re-import: exit %d %s", code, out)
	}
}

func TestDemoTwice(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"FACTDESK_DATA": data}
	var first string
	for round := 0; round < 2; round++ {
		func() {
			sub := &testing.T{}
			_ = sub
			base, out := server(t, env, "demo")
			text := out.String()
			if !strings.Contains(text, base) || !strings.Contains(text, "viewer@factdesk.example") {
				t.Fatalf("demo output: %s", text)
			}
			signIns := text[strings.Index(text, "Sign in as:"):]
			if round == 0 {
				first = signIns
			} else if signIns != first {
				t.Errorf("passwords changed across restarts:\n%s\n%s", first, signIns)
			}
			resp, err := http.Get(base + "/readyz")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("readyz: %v %v", err, resp)
			}
			resp.Body.Close()
		}()
	}
	code, out, _ := run(t, "", env, "user", "list")
	if code != 0 || strings.Count(out, "@factdesk.example") != 5 {
		t.Errorf("demo users: %s", out)
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }
