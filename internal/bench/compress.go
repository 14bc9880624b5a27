package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
)

// CompressFigure is what the router's compression costs and saves on the
// 5,000-sentence article: for its review page, its JSON and its JSON
// report, the bytes sent and the median server time (through the real
// router, in-process) without a coding and with gzip and zstd.
type CompressFigure struct {
	Rows  []CompressRow `json:"rows"`
	Error string        `json:"error,omitempty"`
}

// CompressRow is one response in one coding. Ratio is the plain bytes over
// these bytes (1 for identity); ExtraMs the time over the plain response's.
type CompressRow struct {
	Route   string  `json:"route"`
	Coding  string  `json:"coding"`
	Bytes   int     `json:"bytes"`
	Ms      float64 `json:"ms"`
	Ratio   float64 `json:"ratio"`
	ExtraMs float64 `json:"extra_ms"`
}

// compressCodings are the Accept-Encoding values measured; "identity"
// asks for the plain bytes.
var compressCodings = []string{"identity", "gzip", "zstd"}

func measureCompression(ctx context.Context, e *env, big int64, repeats int) CompressFigure {
	var f CompressFigure
	if big == 0 {
		f.Error = errNoBigArticle.Error()
		return f
	}
	routes := []struct {
		name, path string
		browser    bool // with the session cookie, as a page is fetched
	}{
		{"GET /articles/{id}", fmt.Sprintf("/articles/%d", big), true},
		{"GET /api/v1/articles/{id}", fmt.Sprintf("/api/v1/articles/%d", big), false},
		{"GET /api/v1/articles/{id}/report?format=json", fmt.Sprintf("/api/v1/articles/%d/report?format=json", big), false},
	}
	for _, r := range routes {
		var plain CompressRow
		for _, coding := range compressCodings {
			if err := ctx.Err(); err != nil {
				f.Error = err.Error()
				return f
			}
			row := CompressRow{Route: r.name, Coding: coding}
			d, err := median(repeats, func() error {
				n, err := e.getEncoded(r.path, coding, r.browser)
				row.Bytes = n
				return err
			})
			if err != nil {
				f.Error = err.Error()
				return f
			}
			row.Ms = ms(d)
			if coding == "identity" {
				plain = row
			}
			row.Ratio = ratio(float64(plain.Bytes), float64(row.Bytes))
			row.ExtraMs = row.Ms - plain.Ms
			f.Rows = append(f.Rows, row)
		}
	}
	return f
}

// getEncoded serves one GET through the router in-process with the given
// Accept-Encoding, as the signed-in checker's browser or with a checker's
// token, and returns the bytes of the body as sent (encoded).
func (e *env) getEncoded(path, coding string, browser bool) (int, error) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", coding)
	if browser {
		req.AddCookie(e.cookie)
	} else {
		req.Header.Set("Authorization", "Bearer "+e.tokens[0])
	}
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		return 0, fmt.Errorf("GET %s (%s): status %d: %.200s", path, coding, w.Code, w.Body.Bytes())
	}
	want := coding
	if coding == "identity" {
		want = ""
	}
	if got := w.Header().Get("Content-Encoding"); got != want {
		return 0, fmt.Errorf("GET %s (%s): Content-Encoding %q", path, coding, got)
	}
	return w.Body.Len(), nil
}
