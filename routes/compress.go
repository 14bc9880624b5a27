package routes

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// compressMin is the body size up to which a response goes out plain:
// below it the coding's header and the CPU cost more than they save.
const compressMin = 1024

// compressor is what a pooled gzip or zstd writer can do.
type compressor interface {
	io.WriteCloser
	Flush() error
	Reset(io.Writer)
}

// coding is a content coding factdesk sends, with its pool of writers:
// making a zstd encoder allocates its tables and history, far more than
// encoding a page costs.
type coding struct {
	name string
	pool sync.Pool
}

func (k *coding) get(w io.Writer) compressor {
	z := k.pool.Get().(compressor)
	z.Reset(w)
	return z
}

// put returns z to the pool, pointing it at nothing, so that the pool does
// not hold the finished response's writer.
func (k *coding) put(z compressor) {
	z.Reset(io.Discard)
	k.pool.Put(z)
}

// The codings in order of preference when the client likes them equally.
// Both are fast levels, for a two-core server. zstd's SpeedDefault runs on
// the request's goroutine (concurrency 1) as fast as SpeedFastest on our
// pages, 5 % smaller; its 1 MiB window keeps a pooled encoder at 4 MB
// rather than 19 MB at the default 8 MiB, for the same size. gzip level 5
// makes 15 % less than level 1 for half again the time. Measured on the
// 5,000-sentence article: the bench's compression figure.
//
// No brotli: andybalholm/brotli at level 3-4 takes two to three times
// zstd's CPU and keeps 10-30 MB per encoder, and every client that
// accepts br but not zstd accepts gzip.
var (
	zstdCoding = &coding{name: "zstd", pool: sync.Pool{New: func() any {
		z, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20))
		if err != nil {
			panic(err) // the options are constants: a build-time bug
		}
		return z
	}}}
	gzipCoding = &coding{name: "gzip", pool: sync.Pool{New: func() any {
		z, err := gzip.NewWriterLevel(nil, 5)
		if err != nil {
			panic(err)
		}
		return z
	}}}
	codings = []*coding{zstdCoding, gzipCoding}
)

// negotiate picks the coding of a response from the request's
// Accept-Encoding values: the best q-value wins, ties go by preference,
// q=0 refuses. It returns nil for plain bytes: no header, "identity", every
// coding refused, or identity explicitly preferred.
func negotiate(values []string) *coding {
	if len(values) == 0 {
		return nil
	}
	q := map[string]float64{}
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			if name == "x-gzip" { // RFC 9110 §8.4.1.3
				name = "gzip"
			}
			q[name] = qValue(params)
		}
	}
	qOf := func(name string) float64 {
		if v, ok := q[name]; ok {
			return v
		}
		return q["*"] // absent: 0
	}
	var best *coding
	bestQ := 0.0
	for _, k := range codings {
		if v := qOf(k.name); v > bestQ {
			best, bestQ = k, v
		}
	}
	if v, ok := q["identity"]; ok && v > bestQ {
		return nil
	}
	return best
}

// qValue reads "q=0.5" among a coding's parameters; none means 1, a
// malformed one 0, so that a garbled header never picks a coding.
func qValue(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || f > 1 {
			return 0
		}
		return f
	}
	return 1
}

// compressible reports whether a Content-Type is text that compresses
// well. Archives, PDFs and images (SVG aside) are compressed already.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if strings.HasPrefix(mt, "text/") || mt == "image/svg+xml" {
		return true
	}
	sub, ok := strings.CutPrefix(mt, "application/")
	if !ok {
		return false
	}
	switch sub {
	case "json", "javascript", "xml", "jsonl", "x-ndjson":
		return true
	}
	return strings.HasSuffix(sub, "+json") || strings.HasSuffix(sub, "+xml")
}

// compress encodes text responses with the best coding the client
// accepts. It runs inside recoverPanic and logRequests: a panic's error
// page goes out plain through the writer underneath, and the log's status
// and bytes are those sent on the wire.
func (h *Handler) compress(c *gin.Context) {
	k := negotiate(c.Request.Header.Values("Accept-Encoding"))
	if c.Request.Method == http.MethodHead || c.Request.Header.Get("Range") != "" {
		k = nil // a HEAD has no body; a range is of the plain bytes
	}
	cw := compressWriters.Get().(*compressWriter)
	cw.ResponseWriter, cw.coding, cw.size = c.Writer, k, -1
	c.Writer = cw
	defer func() {
		// Also after a panic, whose stream is left without its end, so
		// that the client sees it broken rather than short.
		if cw.z != nil {
			cw.coding.put(cw.z)
		}
		c.Writer = cw.ResponseWriter
		*cw = compressWriter{buf: cw.buf[:0]}
		compressWriters.Put(cw)
	}()
	c.Next()
	if err := cw.finish(); err != nil {
		// Mostly a client that went away; the status is logged anyway.
		h.logger(c).Debug("compress: finish response", "error", err)
	}
}

var compressWriters = sync.Pool{New: func() any { return &compressWriter{buf: make([]byte, 0, compressMin)} }}

// Where a compressWriter is in its response.
const (
	cwPending     = iota // buffering the first compressMin bytes
	cwPlain              // passing bytes through
	cwCompressing        // encoding through z
	cwHijacked
)

// compressWriter is the gin.ResponseWriter handlers see under compress.
// It holds back the first compressMin bytes to decide, then either passes
// the body through or streams it through the coding; it never holds the
// whole body. Status is the writer's underneath; Size and Written are the
// handler's (bytes before encoding).
type compressWriter struct {
	gin.ResponseWriter
	coding *coding // negotiated; nil: plain bytes only
	z      compressor
	buf    []byte
	size   int // bytes the handler wrote; -1 before anything, as gin's
	state  int
}

var _ gin.ResponseWriter = (*compressWriter)(nil)

// Unwrap lets http.ResponseController reach the connection (write
// deadlines of event streams).
func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *compressWriter) Size() int     { return w.size }
func (w *compressWriter) Written() bool { return w.size != -1 }

func (w *compressWriter) WriteHeaderNow() {
	if w.size == -1 {
		w.size = 0
	}
}

func (w *compressWriter) WriteString(s string) (int, error) {
	if w.state == cwPlain {
		n, err := w.ResponseWriter.WriteString(s) // no copy once the decision is made
		w.size += n
		return n, err
	}
	return w.Write([]byte(s))
}

func (w *compressWriter) Write(p []byte) (int, error) {
	w.WriteHeaderNow()
	if w.state == cwPending {
		if len(w.buf)+len(p) <= compressMin {
			w.buf = append(w.buf, p...)
			w.size += len(p)
			return len(p), nil
		}
		if err := w.decide(false, p); err != nil {
			return 0, err
		}
	}
	var n int
	var err error
	if w.state == cwCompressing {
		n, err = w.z.Write(p)
	} else {
		n, err = w.ResponseWriter.Write(p)
	}
	w.size += n
	return n, err
}

// FlushError sends what the handler wrote to the client now: an event
// stream's event must not wait in the encoder.
func (w *compressWriter) FlushError() error {
	if w.state == cwPending {
		if err := w.decide(false, nil); err != nil {
			return err
		}
	}
	if w.state == cwCompressing {
		if err := w.z.Flush(); err != nil {
			return err
		}
	}
	w.ResponseWriter.Flush()
	return nil
}

func (w *compressWriter) Flush() { _ = w.FlushError() }

// Hijack hands the connection over while nothing of the body is held.
func (w *compressWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.state != cwPending || len(w.buf) > 0 {
		return nil, nil, errors.New("compress: response body already written")
	}
	w.state = cwHijacked
	return w.ResponseWriter.Hijack()
}

// decide commits the headers: plain or encoded. complete says the whole
// body is in buf (the handler returned); otherwise more is coming (next,
// the bytes being written) or a flush wants it out now, so the size
// cannot rule.
func (w *compressWriter) decide(complete bool, next []byte) error {
	hd := w.Header()
	w.state = cwPlain
	if w.encode(hd, complete, next) {
		w.state = cwCompressing
		hd.Del("Content-Length")
		hd.Del("Accept-Ranges") // ranges would be of the plain bytes
		hd.Set("Content-Encoding", w.coding.name)
		if et := hd.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
			hd.Set("ETag", "W/"+et) // the encoded bytes differ from the plain ones
		}
		w.z = w.coding.get(w.ResponseWriter)
	} else if complete && w.size >= 0 && bodyAllowed(w.Status()) && hd.Get("Content-Length") == "" {
		hd.Set("Content-Length", strconv.Itoa(len(w.buf)))
	}
	if len(w.buf) == 0 {
		w.ResponseWriter.WriteHeaderNow()
		return nil
	}
	var err error
	if w.state == cwCompressing {
		_, err = w.z.Write(w.buf)
	} else {
		_, err = w.ResponseWriter.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return err
}

// encode says whether to encode the response, adding Vary to every
// response whose encoding depends on the request's Accept-Encoding.
func (w *compressWriter) encode(hd http.Header, complete bool, next []byte) bool {
	if st := w.Status(); !bodyAllowed(st) || st == http.StatusPartialContent || hd.Get("Content-Encoding") != "" {
		return false
	}
	ct, ok := hd["Content-Type"]
	if !ok && len(w.buf)+len(next) > 0 {
		// What net/http would sniff from the first 512 plain bytes; it
		// must be said before they are encoded.
		head := append(w.buf[:len(w.buf):len(w.buf)], next[:min(len(next), max(0, 512-len(w.buf)))]...)
		ct = []string{http.DetectContentType(head)}
	}
	if len(ct) == 0 || !compressible(ct[0]) {
		return false
	}
	addVary(hd, "Accept-Encoding")
	if w.coding == nil || (complete && len(w.buf) <= compressMin) {
		return false
	}
	if n, err := strconv.Atoi(hd.Get("Content-Length")); err == nil && n <= compressMin {
		return false
	}
	hd["Content-Type"] = ct
	return true
}

// finish sends what is held and ends the encoded stream.
func (w *compressWriter) finish() error {
	if w.state == cwPending {
		if w.size == -1 {
			return nil // nothing written: gin sends the status
		}
		if err := w.decide(true, nil); err != nil {
			return err
		}
	}
	if w.state == cwCompressing {
		return w.z.Close()
	}
	return nil
}

// bodyAllowed mirrors net/http: 1xx, 204 and 304 carry no body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// addVary adds a field name to Vary unless it is listed already.
func addVary(hd http.Header, name string) {
	for _, v := range hd.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, name) {
				return
			}
		}
	}
	hd.Add("Vary", name)
}
