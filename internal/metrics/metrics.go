// Package metrics gives an operator factdesk's vital signs in Prometheus's
// text format: requests by route and status with their latency, the
// database pool, open event streams, and the work that matters to a
// newsroom — imports, label updates, audit verifications. It knows routes
// only as gin's path patterns, handed to ObserveRequest by the router.
package metrics

import (
	"database/sql"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one server's registry and instruments. The zero value is not
// usable; make one with New.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	imports    *prometheus.CounterVec
	labels     *prometheus.CounterVec
	audits     *prometheus.CounterVec
	pprofOn    bool
	handlerOpt promhttp.HandlerOpts
}

// Options say what the registry watches besides requests.
type Options struct {
	// DB is the database pool whose statistics are exported.
	DB *sql.DB
	// Streams returns the number of open event streams.
	Streams func() int
	// LabelBatches returns the transactions that have written labels in
	// batches (group commit) and the labels they held.
	LabelBatches func() (batches, labels int)
	// Pprof adds the runtime profiles under /debug/pprof/ to Handler.
	Pprof bool
	// Outbox returns what this process's outbox sender has done so far.
	Outbox func() OutboxStats
}

// OutboxStats counts the outbox sender's deliveries (mail and webhook
// calls) since the process started.
type OutboxStats struct {
	Sent, Retried, Failed int64
}

// New returns the metrics of one server.
func New(o Options) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "factdesk_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status."}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "factdesk_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method, route pattern and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"method", "route", "status"}),
		imports: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "factdesk_imports_total",
			Help: "Article imports, by outcome (ok, rejected, failed)."}, []string{"outcome"}),
		labels: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "factdesk_label_updates_total",
			Help: "Changes to sentences (labels, statuses, verdicts, undo), by outcome."}, []string{"outcome"}),
		audits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "factdesk_audit_verifications_total",
			Help: "Audit trail verifications asked for over HTTP, by outcome."}, []string{"outcome"}),
		pprofOn: o.Pprof,
	}
	reg.MustRegister(m.requests, m.latency, m.imports, m.labels, m.audits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if o.DB != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(o.DB, "factdesk"))
	}
	if o.Streams != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "factdesk_event_streams_open",
			Help: "Live event streams open in this process."}, func() float64 { return float64(o.Streams()) }))
	}
	if o.LabelBatches != nil {
		reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "factdesk_label_batches_total",
				Help: "Transactions that committed labels (group commit: those arriving together share one)."},
				func() float64 { b, _ := o.LabelBatches(); return float64(b) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "factdesk_label_batched_total",
				Help: "Labels committed in those transactions; divided by factdesk_label_batches_total, the mean batch."},
				func() float64 { _, n := o.LabelBatches(); return float64(n) }))
	}
	if o.Outbox != nil {
		for _, c := range []struct {
			name, help string
			get        func(OutboxStats) int64
		}{
			{"factdesk_outbox_sent_total", "Mails and webhook calls delivered by this process's outbox sender.", func(s OutboxStats) int64 { return s.Sent }},
			{"factdesk_outbox_retried_total", "Deliveries that failed and will be tried again.", func(s OutboxStats) int64 { return s.Retried }},
			{"factdesk_outbox_failed_total", "Deliveries given up (a permanent refusal, or too many tries).", func(s OutboxStats) int64 { return s.Failed }},
		} {
			reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help},
				func() float64 { return float64(c.get(o.Outbox())) }))
		}
	}
	m.handlerOpt = promhttp.HandlerOpts{Registry: reg}
	return m
}

// work maps the routes that do a newsroom's work to their counter.
var work = map[string]string{
	"POST /api/v1/articles":          "import",
	"POST /import":                   "import",
	"PATCH /api/v1/sentences/:id":    "label",
	"POST /sentences/:id":            "label",
	"POST /api/v1/articles/:id/undo": "label",
	"POST /articles/:id/undo":        "label",
	"POST /api/v1/articles/:id/redo": "label",
	"POST /articles/:id/redo":        "label",
	// A bulk accept labels many sentences; it counts as one update here.
	"POST /api/v1/articles/:id/suggestions/accept": "label",
	"POST /articles/:id/suggestions/accept":        "label",
	"GET /api/v1/articles/:id/audit":               "audit",
	"GET /api/v1/articles/:id/audit.pdf":           "audit",
}

// ObserveRequest records one answered request: its method, gin route
// pattern ("" for no route), status and time.
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, code).Inc()
	m.latency.WithLabelValues(method, route, code[:1]+"xx").Observe(d.Seconds())
	outcome := "ok"
	switch {
	case status >= 500:
		outcome = "failed"
	case status >= 400:
		outcome = "rejected"
	}
	switch work[method+" "+route] {
	case "import":
		m.imports.WithLabelValues(outcome).Inc()
	case "label":
		m.labels.WithLabelValues(outcome).Inc()
	case "audit":
		m.audits.WithLabelValues(outcome).Inc()
	}
}

// Handler serves /metrics, and the profiles under /debug/pprof/ when
// Options.Pprof was set. Mount it where only operators reach it.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, m.handlerOpt))
	if m.pprofOn {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// Registry returns the registry, for tests and further collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }
