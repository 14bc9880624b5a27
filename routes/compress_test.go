package routes_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
	"factdesk/live"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
)

// rawTransport never asks for nor decodes a coding by itself, so that the
// tests see the bytes on the wire.
var rawTransport = &http.Transport{DisableCompression: true}

// rawGet fetches path with the given Accept-Encoding ("" sends none), as
// the role's token holder, or with the jar's cookies when jar is set.
func (e *env) rawGet(t *testing.T, jar http.CookieJar, role models.Role, path, acceptEncoding string) apiResponse {
	t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	resp, err := (&http.Client{Jar: jar, Transport: rawTransport}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s (%s): %v", path, acceptEncoding, err)
	}
	return apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// sameBody reports whether two plain bodies are the same page but for
// the request id each shows in its footer.
func sameBody(a, b apiResponse, aBody, bBody []byte) bool {
	norm := func(r apiResponse, body []byte) []byte {
		if id := r.Header.Get("X-Request-Id"); id != "" {
			return bytes.ReplaceAll(body, []byte(id), []byte("REQUEST"))
		}
		return body
	}
	return bytes.Equal(norm(a, aBody), norm(b, bBody))
}

// decoder reads the coding's stream from r.
func decoder(t *testing.T, coding string, r io.Reader) io.Reader {
	t.Helper()
	switch coding {
	case "gzip":
		z, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip header: %v", err)
		}
		return z
	case "zstd":
		z, err := zstd.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(z.Close)
		return z
	}
	return r
}

func decoded(t *testing.T, coding string, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(decoder(t, coding, bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

func varies(h http.Header) bool {
	return strings.Contains(strings.ToLower(strings.Join(h.Values("Vary"), ",")), "accept-encoding")
}

// TestCompressedResponses: a long article's review page and JSON come out
// gzip- and zstd-encoded as the client asks, decode to the plain bytes and
// are at least five times smaller; plain bytes without the header or with
// identity; small responses and PDFs plain; the live event stream encoded
// and still delivering each event at once.
func TestCompressedResponses(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		var logged syncBuffer
		e := newEnvWith(t, db, reviewers.Config{}, nil, func(rc *routes.Config) {
			rc.Logger = slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		broker := live.NewLocal()
		e.svc.SetBroker(broker)
		t.Cleanup(func() { broker.Close() })
		body := newsgen.NewStory(rand.New(rand.NewPCG(1, 2)), 2500).Body()
		r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"title": "Long read", "body": body})
		if r.Status != http.StatusCreated {
			t.Fatalf("import: %d %.300s", r.Status, r.Body)
		}
		var a articleJSON
		r.decode(t, &a)
		b := e.browser()
		b.signIn(models.RoleChecker)
		jar := b.client.Jar

		big := []struct {
			name string
			jar  http.CookieJar
			role models.Role
			path string
		}{
			{"review page", jar, "", "/articles/" + itoa(a.ID)},
			{"article JSON", nil, models.RoleChecker, "/api/v1/articles/" + itoa(a.ID)},
		}
		for _, c := range big {
			t.Run(c.name, func(t *testing.T) {
				plain := e.rawGet(t, c.jar, c.role, c.path, "")
				if plain.Status != 200 || plain.Header.Get("Content-Encoding") != "" || !varies(plain.Header) {
					t.Fatalf("no Accept-Encoding: status %d, Content-Encoding %q, Vary %q", plain.Status,
						plain.Header.Get("Content-Encoding"), plain.Header.Values("Vary"))
				}
				for _, ae := range []string{"identity", "gzip;q=0, zstd;q=0", "*;q=0, identity", "br"} {
					r := e.rawGet(t, c.jar, c.role, c.path, ae)
					if r.Header.Get("Content-Encoding") != "" || !sameBody(r, plain, r.Body, plain.Body) {
						t.Errorf("Accept-Encoding %q: Content-Encoding %q, %d bytes; want the %d plain bytes", ae,
							r.Header.Get("Content-Encoding"), len(r.Body), len(plain.Body))
					}
				}
				for _, n := range []struct{ ae, want string }{
					{"gzip", "gzip"}, {"zstd", "zstd"}, {"gzip, deflate, br, zstd", "zstd"},
					{"zstd;q=0.5, gzip", "gzip"}, {"x-gzip", "gzip"}, {"*", "zstd"}, {"*, zstd;q=0", "gzip"},
					{"identity;q=0.4, gzip;q=0.5", "gzip"},
				} {
					r := e.rawGet(t, c.jar, c.role, c.path, n.ae)
					if got := r.Header.Get("Content-Encoding"); got != n.want {
						t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", n.ae, got, n.want)
						continue
					}
					if r.Header.Get("Content-Length") != "" || !varies(r.Header) {
						t.Errorf("%s: Content-Length %q, Vary %q; want none, and Accept-Encoding", n.ae,
							r.Header.Get("Content-Length"), r.Header.Values("Vary"))
					}
					if got := decoded(t, n.want, r.Body); !sameBody(r, plain, got, plain.Body) {
						t.Errorf("%s: decodes to %d bytes that differ from the %d plain ones", n.ae, len(got), len(plain.Body))
					}
					if ratio := float64(len(plain.Body)) / float64(len(r.Body)); ratio < 5 {
						t.Errorf("%s: %d → %d bytes, ratio %.1f, want ≥ 5", n.ae, len(plain.Body), len(r.Body), ratio)
					}
				}
			})
		}

		t.Run("JSON report", func(t *testing.T) {
			r := e.rawGet(t, nil, models.RoleChecker, "/api/v1/articles/"+itoa(a.ID)+"/report?format=json", "zstd, gzip")
			var rep struct {
				Sentences []json.RawMessage `json:"sentences"`
			}
			if r.Header.Get("Content-Encoding") != "zstd" {
				t.Fatalf("report: Content-Encoding %q, want zstd", r.Header.Get("Content-Encoding"))
			}
			if err := json.Unmarshal(decoded(t, "zstd", r.Body), &rep); err != nil || len(rep.Sentences) != len(a.Sentences) {
				t.Errorf("report: %v, %d sentences, want %d", err, len(rep.Sentences), len(a.Sentences))
			}
		})

		t.Run("the log has the status and the bytes sent", func(t *testing.T) {
			r := e.rawGet(t, nil, models.RoleChecker, "/api/v1/articles/"+itoa(a.ID), "zstd")
			id := r.Header.Get("X-Request-Id")
			var line struct {
				Status int `json:"status"`
				Bytes  int `json:"bytes"`
			}
			for deadline := time.Now().Add(2 * time.Second); line.Status == 0 && time.Now().Before(deadline); {
				for l := range strings.Lines(logged.String()) {
					if strings.Contains(l, `"msg":"request"`) && strings.Contains(l, id) {
						if err := json.Unmarshal([]byte(l), &line); err != nil {
							t.Fatal(err)
						}
					}
				}
				time.Sleep(10 * time.Millisecond)
			}
			if line.Status != 200 || line.Bytes != len(r.Body) {
				t.Errorf("logged status %d, bytes %d; want 200, %d", line.Status, line.Bytes, len(r.Body))
			}
		})

		t.Run("small responses go out plain", func(t *testing.T) {
			r := e.rawGet(t, nil, "", "/healthz", "gzip, zstd")
			if r.Status != 200 || r.Header.Get("Content-Encoding") != "" || r.Header.Get("Content-Length") != itoa(int64(len(r.Body))) || len(r.Body) > 1024 {
				t.Errorf("/healthz: status %d, Content-Encoding %q, Content-Length %q for %d bytes; want plain with its length",
					r.Status, r.Header.Get("Content-Encoding"), r.Header.Get("Content-Length"), len(r.Body))
			}
		})

		t.Run("a PDF goes out plain", func(t *testing.T) {
			small := e.importSmall(t, "Council", strings.Repeat("The council met on Monday. It approved the budget. ", 20))
			r := e.rawGet(t, nil, models.RoleChecker, "/api/v1/articles/"+itoa(small.ID)+"/report?format=pdf", "gzip, zstd")
			if r.Status != 200 || r.Header.Get("Content-Encoding") != "" || !bytes.HasPrefix(r.Body, []byte("%PDF")) || len(r.Body) < 1024 {
				t.Errorf("PDF: status %d, Content-Encoding %q, %d bytes starting %q; want a plain PDF",
					r.Status, r.Header.Get("Content-Encoding"), len(r.Body), r.Body[:min(8, len(r.Body))])
			}
		})

		for i, coding := range []string{"gzip", "zstd"} {
			t.Run("event stream "+coding, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/articles/%d/events", e.srv.URL, a.ID), nil)
				req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleEditor])
				req.Header.Set("Accept-Encoding", coding)
				resp, err := (&http.Client{Transport: rawTransport}).Do(req)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("open the stream: %v %v", err, resp)
				}
				defer resp.Body.Close()
				if got := resp.Header.Get("Content-Encoding"); got != coding {
					t.Fatalf("stream Content-Encoding %q, want %q", got, coding)
				}
				// gzip reads its header here: the stream's first flush.
				r := bufio.NewReader(decoder(t, coding, resp.Body))
				lines := make(chan string)
				go func() {
					defer close(lines)
					for {
						l, err := r.ReadString('\n')
						if err != nil {
							return
						}
						select {
						case lines <- strings.TrimSpace(l):
						case <-ctx.Done():
							return
						}
					}
				}()
				await := func(prefix string) {
					t.Helper()
					timeout := time.After(2 * time.Second)
					for {
						select {
						case l, ok := <-lines:
							if !ok {
								t.Fatalf("the stream ended before %q", prefix)
							}
							if strings.HasPrefix(l, prefix) {
								return
							}
						case <-timeout:
							t.Fatalf("no %q within 2s of the stream staying open", prefix)
						}
					}
				}
				await("event: ready")
				s := a.Sentences[i]
				if r := patch(e, models.RoleChecker, s.ID, map[string]any{"note": "seen over " + coding, "version": s.Version}); r.Status != 200 {
					t.Fatalf("note: %d %s", r.Status, r.Body)
				}
				await("event: sentence")
			})
		}
	})
}

// TestCompressEdgeCases runs odd responses through the real middleware
// chain, served by a stand-in for the operations handler: archives and
// images stay plain, a coding already there is left alone, a strong ETag
// is weakened, ranges and 204 stay plain, a response without a
// Content-Type is sniffed before encoding, many small writes are encoded
// as one, and a panic mid-body leaves a stream that does not decode.
func TestCompressEdgeCases(t *testing.T) {
	text := strings.Repeat("factdesk sends text compressed. ", 200)
	var preEncoded bytes.Buffer
	gz := gzip.NewWriter(&preEncoded)
	gz.Write([]byte(text))
	gz.Close()
	ops := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		switch strings.TrimPrefix(r.URL.Path, "/debug/pprof/") {
		case "zip":
			hd.Set("Content-Type", "application/zip")
			io.WriteString(w, "PK\x03\x04"+text)
		case "png":
			hd.Set("Content-Type", "image/png")
			io.WriteString(w, "\x89PNG"+text)
		case "encoded":
			hd.Set("Content-Type", "text/plain; charset=utf-8")
			hd.Set("Content-Encoding", "gzip")
			w.Write(preEncoded.Bytes())
		case "etag":
			hd.Set("Content-Type", "text/plain; charset=utf-8")
			hd.Set("ETag", `"v1"`)
			io.WriteString(w, text)
		case "file":
			hd.Set("Content-Type", "text/plain; charset=utf-8")
			http.ServeContent(w, r, "a.txt", time.Time{}, strings.NewReader(text))
		case "nocontent":
			w.WriteHeader(http.StatusNoContent)
		case "sniff":
			io.WriteString(w, "<!DOCTYPE html><p>"+text)
		case "pieces":
			hd.Set("Content-Type", "text/csv")
			for range 200 {
				io.WriteString(w, "a,b,c,compressed in pieces\n")
			}
		case "panic-late":
			hd.Set("Content-Type", "text/plain")
			io.WriteString(w, text)
			panic("the handler failed after 6 KB")
		case "panic-early":
			hd.Set("Content-Type", "text/plain")
			io.WriteString(w, "a start")
			panic("the handler failed after 7 bytes")
		}
	})
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{}, nil, func(rc *routes.Config) { rc.Operations = ops })
		get := func(path, ae string) apiResponse {
			return e.rawGet(t, nil, models.RoleAdmin, "/debug/pprof/"+path, ae)
		}
		for _, path := range []string{"zip", "png"} {
			if r := get(path, "gzip, zstd"); r.Header.Get("Content-Encoding") != "" || len(r.Body) != len(text)+4 || varies(r.Header) {
				t.Errorf("%s: Content-Encoding %q, Vary %q, %d bytes; want plain, without Vary", path,
					r.Header.Get("Content-Encoding"), r.Header.Values("Vary"), len(r.Body))
			}
		}
		if r := get("encoded", "zstd"); r.Header.Get("Content-Encoding") != "gzip" || string(decoded(t, "gzip", r.Body)) != text {
			t.Errorf("pre-encoded: Content-Encoding %q; want the handler's gzip, untouched", r.Header.Get("Content-Encoding"))
		}
		if r := get("etag", "gzip"); r.Header.Get("ETag") != `W/"v1"` || string(decoded(t, "gzip", r.Body)) != text {
			t.Errorf("ETag of the gzip variant %q, want W/\"v1\"", r.Header.Get("ETag"))
		}
		if r := get("etag", ""); r.Header.Get("ETag") != `"v1"` {
			t.Errorf("ETag of the plain bytes %q, want \"v1\"", r.Header.Get("ETag"))
		}
		r := get("file", "zstd")
		// net/http may count the encoded bytes of a short answer itself.
		if cl := r.Header.Get("Content-Length"); r.Header.Get("Content-Encoding") != "zstd" || r.Header.Get("Accept-Ranges") != "" || (cl != "" && cl != itoa(int64(len(r.Body)))) {
			t.Errorf("file: Content-Encoding %q, Accept-Ranges %q, Content-Length %q for %d bytes; want zstd, no ranges, the plain length gone",
				r.Header.Get("Content-Encoding"), r.Header.Get("Accept-Ranges"), cl, len(r.Body))
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/debug/pprof/file", nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleAdmin])
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("Range", "bytes=0-99")
		resp, err := (&http.Client{Transport: rawTransport}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Encoding") != "" || string(part) != text[:100] {
			t.Errorf("range: %d, Content-Encoding %q, %q; want 206 with the first 100 plain bytes", resp.StatusCode, resp.Header.Get("Content-Encoding"), part)
		}
		if r := get("nocontent", "gzip"); r.Status != http.StatusNoContent || r.Header.Get("Content-Encoding") != "" {
			t.Errorf("204: %d, Content-Encoding %q", r.Status, r.Header.Get("Content-Encoding"))
		}
		if r := get("sniff", "gzip"); r.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("no Content-Type: Content-Encoding %q, Content-Type %q; want gzip, text/html", r.Header.Get("Content-Encoding"), r.Header.Get("Content-Type"))
		}
		if r := get("pieces", "gzip"); r.Header.Get("Content-Encoding") != "gzip" || string(decoded(t, "gzip", r.Body)) != strings.Repeat("a,b,c,compressed in pieces\n", 200) {
			t.Errorf("CSV in pieces: Content-Encoding %q", r.Header.Get("Content-Encoding"))
		}
		r = get("panic-late", "gzip")
		if _, err := io.ReadAll(decoder(t, "gzip", bytes.NewReader(r.Body))); err == nil {
			t.Error("a panic after the body began: the gzip stream decodes as if complete")
		}
		if r := get("panic-early", "gzip"); r.Status != http.StatusInternalServerError || r.Header.Get("Content-Encoding") != "" || strings.Contains(string(r.Body), "a start") {
			t.Errorf("a panic before 1 KB: %d, Content-Encoding %q, %q; want the plain 500 alone", r.Status, r.Header.Get("Content-Encoding"), r.Body)
		}
		for range 3 { // the pools still hand out working writers
			for _, c := range []string{"gzip", "zstd"} {
				if r := get("etag", c); string(decoded(t, c, r.Body)) != text {
					t.Errorf("%s after the panics: does not decode to the text", c)
				}
			}
		}
	})
}
