package fetch

import "context"

// Trace is told what the fetches made under a context came to, as
// net/http/httptrace is told about one request. It lets a caller that
// reaches Fetch through another layer (an import goes through the
// business layer) see the page or the typed error itself: to log the whole
// error and to explain it in words (Explain), where the layer between
// keeps only a message.
type Trace struct {
	// Done is called when a fetch ends, with the URL it was asked for and
	// either the page or the error. It may be called from several
	// goroutines when fetches run in parallel under one context.
	Done func(rawURL string, page *Page, err error)
}

type traceKey struct{}

// WithTrace returns a context under which every Fetch reports to t.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

func traceOf(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}
