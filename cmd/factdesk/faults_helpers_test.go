package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/internal/newsgen"
)

// faultSite is a factdesk database with two checkers and an admin
// holding API tokens (in that order), ready for a server to be started on
// it.
type faultSite struct {
	dsn    string
	tokens []string
}

// newFaultSite migrates dsn and makes two checkers with tokens.
func newFaultSite(t *testing.T, dsn string) *faultSite {
	t.Helper()
	if code, _, errs := run(t, "", nil, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatalf("migrate up: %s", errs)
	}
	s := &faultSite{dsn: dsn}
	for i, role := range []string{"checker", "checker", "admin"} {
		email := fmt.Sprintf("%s%d@faults.example", role, i)
		if code, _, errs := run(t, "a long enough password\n", nil, "user", "add", "--db", dsn, "--email", email,
			"--name", fmt.Sprintf("Person %d", i), "--role", role, "--password-stdin"); code != 0 {
			t.Fatalf("user add: %s", errs)
		}
		code, tok, errs := run(t, "", nil, "user", "token", "--db", dsn, "--email", email, "--name", "faults")
		if code != 0 {
			t.Fatalf("user token: %s", errs)
		}
		s.tokens = append(s.tokens, strings.TrimSpace(tok))
	}
	return s
}

// apiClient calls a factdesk server's API with a token.
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

func newAPIClient(base, token string) *apiClient {
	return &apiClient{base: base, token: token, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// call sends a request and returns the status and body; a transport
// failure is status 0 with the error's text as body.
func (c *apiClient) call(method, path, body string) (int, []byte) {
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		return 0, []byte(err.Error())
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// sentenceRef is a sentence as the client knows it.
type sentenceRef struct {
	ID      int64 `json:"id"`
	Version int   `json:"version"`
	Status  string
}

// importStory imports a generated article of about n sentences and
// returns its id and its unreviewed sentences.
func (c *apiClient) importStory(t *testing.T, seed uint64, n int) (int64, []sentenceRef) {
	t.Helper()
	st := newsgen.NewStory(rand.New(rand.NewPCG(seed, 7)), n)
	body, _ := json.Marshal(map[string]string{"title": st.Title, "body": st.Body()})
	code, b := c.call("POST", "/api/v1/articles", string(body))
	if code != http.StatusCreated {
		t.Fatalf("import: %d %s", code, b)
	}
	var a struct {
		ID        int64 `json:"id"`
		Sentences []struct {
			ID      int64  `json:"id"`
			Version int    `json:"version"`
			Status  string `json:"status"`
		} `json:"sentences"`
	}
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("import answer %s: %v", b, err)
	}
	var out []sentenceRef
	for _, s := range a.Sentences {
		if s.Status == "unreviewed" {
			out = append(out, sentenceRef{ID: s.ID, Version: s.Version, Status: s.Status})
		}
	}
	if len(out) == 0 {
		t.Fatalf("import: no unreviewed sentence in %s", b)
	}
	return a.ID, out
}

// label sets a sentence's label at the version the client knows.
func (c *apiClient) label(s *sentenceRef, label string) (int, []byte) {
	return c.call("PATCH", fmt.Sprintf("/api/v1/sentences/%d", s.ID), fmt.Sprintf(`{"label":%q,"version":%d}`, label, s.Version))
}

// errorCode returns the code of a JSON error body, or "".
func errorCode(b []byte) string {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) != nil || e.Error.Message == "" {
		return ""
	}
	return e.Error.Code
}

// proxy is a TCP proxy between factdesk and its database that a test can
// cut: cut closes every connection through it and holds new ones silent
// (a dead network, not a refusing one) until restore.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  map[net.Conn]struct{}
	held   []net.Conn
	closed bool
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.held = append(p.held, c)
			p.mu.Unlock()
			continue
		}
		p.mu.Unlock()
		go p.pipe(c)
	}
}

func (p *proxy) pipe(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.cut || p.closed {
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = struct{}{}, struct{}{}
	p.mu.Unlock()
	done := func() {
		c.Close()
		up.Close()
		p.mu.Lock()
		delete(p.conns, c)
		delete(p.conns, up)
		p.mu.Unlock()
	}
	go func() { io.Copy(up, c); done() }()
	io.Copy(c, up)
	done()
}

// cutOff severs every connection and holds new ones.
func (p *proxy) cutOff() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for c := range p.conns {
		c.Close()
	}
}

// restore lets connections through again; the held ones are closed.
func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
	for _, c := range p.held {
		c.Close()
	}
	p.held = nil
}

func (p *proxy) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.cutOff()
	p.restore()
}

// metric returns the value of the first sample of a Prometheus text
// exposition whose line starts with prefix, and whether there was one.
func metric(body []byte, prefix string) (float64, bool) {
	for _, line := range bytes.Split(body, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(prefix)) {
			var v float64
			fields := strings.Fields(string(line))
			if _, err := fmt.Sscan(fields[len(fields)-1], &v); err == nil {
				return v, true
			}
		}
	}
	return 0, false
}
