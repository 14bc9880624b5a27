package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"factdesk/attribution"
	"factdesk/fetch"
	"factdesk/internal/metrics"
	"factdesk/live"
	"factdesk/migrations"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
	"factdesk/web"
)

// serverConfig holds the flags of serve and demo.
type serverConfig struct {
	db                *dbConfig
	addr              string
	noMigrate         bool
	logLevel          string
	logFormat         string
	fetchAllow        string
	maxBodyBytes      int
	maxSentences      int
	sessionTTL        time.Duration
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	idleTimeout       time.Duration
	shutdownTimeout   time.Duration
	organisation      string
	organisationURL   string
	publicURL         string
	requestTimeout    time.Duration
	metricsAddr       string
	metricsPublic     bool
	pprof             bool
	exportEmails      bool
	requireChecked    bool
	selfAssign        bool
	smtpURL           string
	mailFrom          string
}

func (p *Program) serverFlags(fs *flag.FlagSet) *serverConfig {
	c := &serverConfig{db: p.dbFlags(fs)}
	fs.StringVar(&c.addr, "addr", p.env("FACTDESK_ADDR", "127.0.0.1:8080"), "address to listen on (env FACTDESK_ADDR)")
	fs.BoolVar(&c.noMigrate, "no-migrate", false, "refuse to start when migrations are pending, instead of applying them")
	fs.StringVar(&c.logLevel, "log-level", p.env("FACTDESK_LOG_LEVEL", "info"), "debug, info, warn or error (env FACTDESK_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", p.env("FACTDESK_LOG_FORMAT", "text"), "text or json (env FACTDESK_LOG_FORMAT)")
	fs.StringVar(&c.fetchAllow, "fetch-allow", p.env("FACTDESK_FETCH_ALLOW", ""), "hosts and CIDRs that URL imports may fetch although they are not public, comma-separated (env FACTDESK_FETCH_ALLOW)")
	fs.IntVar(&c.maxBodyBytes, "max-body", 2<<20, "largest article body in bytes")
	fs.IntVar(&c.maxSentences, "max-sentences", 20000, "most sentences in one article")
	fs.DurationVar(&c.sessionTTL, "session-ttl", 12*time.Hour, "how long a sign-in lasts")
	fs.DurationVar(&c.readHeaderTimeout, "read-header-timeout", 10*time.Second, "time allowed to send request headers")
	fs.DurationVar(&c.readTimeout, "read-timeout", 60*time.Second, "time allowed to send a whole request")
	fs.DurationVar(&c.idleTimeout, "idle-timeout", 120*time.Second, "how long an idle keep-alive connection stays open")
	fs.StringVar(&c.organisation, "organisation", p.env("FACTDESK_ORGANISATION", "factdesk"), "the newsroom that publishes the checks, author of ClaimReview markup (env FACTDESK_ORGANISATION)")
	fs.StringVar(&c.publicURL, "public-url", p.env("FACTDESK_PUBLIC_URL", ""), "the address people reach factdesk at, for links in exports (env FACTDESK_PUBLIC_URL; default: the request's host)")
	fs.StringVar(&c.organisationURL, "organisation-url", p.env("FACTDESK_ORGANISATION_URL", ""), "the newsroom's web address (env FACTDESK_ORGANISATION_URL)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "on SIGINT/SIGTERM, how long requests in flight may take to finish")
	fs.DurationVar(&c.requestTimeout, "request-timeout", 30*time.Second, "longest a request may take (event streams excepted); past it the database work is cancelled and the answer is 503")
	fs.DurationVar(&c.db.tokenCache, "token-cache", models.DefaultTokenCacheTTL, "how long a checked API token is trusted before the database is asked again; a revocation made on another server counts after at most this long (0: ask every time)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", p.env("FACTDESK_METRICS_ADDR", ""), "serve Prometheus /metrics (and /debug/pprof/ with --pprof) on this separate address, for operators only (env FACTDESK_METRICS_ADDR)")
	fs.BoolVar(&c.metricsPublic, "metrics-public", false, "also serve /metrics (and /debug/pprof/ with --pprof) on --addr, to admins only (bearer token or session)")
	fs.BoolVar(&c.pprof, "pprof", false, "add Go's runtime profiles under /debug/pprof/ where metrics are served")
	fs.BoolVar(&c.exportEmails, "export-emails", p.envBool("FACTDESK_EXPORT_EMAILS"), "let the exports meant for publication (annotations) carry staff e-mail addresses; by default they name people only (env FACTDESK_EXPORT_EMAILS)")
	fs.StringVar(&c.smtpURL, "smtp-url", "", "send notification mail through this relay: smtp://user:pass@host:587 (STARTTLS required), smtps://user:pass@host:465 (TLS) or smtp+insecure://host:25 (a relay on a trusted network without TLS; no credentials) (env FACTDESK_SMTP_URL)")
	fs.StringVar(&c.mailFrom, "mail-from", p.env("FACTDESK_MAIL_FROM", ""), "the sender of notification mail, e.g. \"Factdesk <desk@newsroom.example>\"; required with --smtp-url (env FACTDESK_MAIL_FROM)")
	fs.BoolVar(&c.requireChecked, "require-checked", p.envBool("FACTDESK_REQUIRE_CHECKED"), "refuse to submit an article while a fact or allegation is only labeled, not verified, disputed or unverifiable; by default the checker is warned (env FACTDESK_REQUIRE_CHECKED)")
	fs.BoolVar(&c.selfAssign, "self-assign", !p.envFalse("FACTDESK_SELF_ASSIGN"), "let checkers take an unassigned article for themselves; --self-assign=false leaves assigning to editors (env FACTDESK_SELF_ASSIGN=false)")
	return c
}

const serveUsage = `serve [flags]

Runs the web UI and the HTTP API. Applies pending migrations first, unless
--no-migrate.

Timeouts: request headers must arrive within --read-header-timeout and the
whole request within --read-timeout; a request may take --request-timeout
(event streams excepted) and each database statement --statement-timeout,
after which it is cancelled and answered 503 with a JSON error; idle
keep-alive connections close after --idle-timeout; on SIGTERM or SIGINT the
server stops accepting, lets requests in flight finish for up to
--shutdown-timeout and exits 0.

Limits: request headers 64 KiB (431 beyond); request bodies twice
--max-body plus 64 KiB (413 beyond); an article --max-body bytes and
--max-sentences sentences; live event streams 16 per user in one process
(429 beyond); API bodies are JSON.

Operations: --metrics-addr serves Prometheus metrics on an address of its
own, --metrics-public on --addr to admins; --pprof adds Go's profiles there.
Every response carries an X-Request-Id, and every log line about a
request names it.

Mail: with --smtp-url and --mail-from, notifications also go out by mail
(links point at --public-url). Mail and webhook calls leave through the
outbox table, written with the event; each server process sends from it,
retrying with backoff, and several processes on one PostgreSQL send each
message once.`

func runServe(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("serve", serveUsage)
	cfg := p.serverFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"serve takes no arguments"}
	}
	if _, err := p.newMailer(cfg); err != nil {
		return err
	}
	log, err := p.newLogger(cfg.logLevel, cfg.logFormat)
	if err != nil {
		return err
	}
	db, err := cfg.db.open(ctx, log, !cfg.noMigrate)
	if err != nil {
		return err
	}
	defer db.Close()
	return p.serve(ctx, cfg, db, log, nil)
}

// serve runs the HTTP server on db until ctx ends, then shuts down
// gracefully: it stops accepting, lets requests in flight finish (up to the
// shutdown timeout) and returns. started, when set, runs once the server
// listens.
func (p *Program) serve(ctx context.Context, cfg *serverConfig, db *models.DB, log *slog.Logger, started func(addr string)) error {
	engine, err := web.New()
	if err != nil {
		return err
	}
	fetcher, err := newFetcher(cfg)
	if err != nil {
		return err
	}
	mailer, err := p.newMailer(cfg)
	if err != nil {
		return err
	}
	store := models.NewStore(db)
	go reindexSearchIfEmpty(ctx, store, log)
	go loadReader(log)
	if mailer != nil {
		store.SetMail(models.MailSettings{Enabled: true, BaseURL: cfg.publicURL})
		if cfg.publicURL == "" {
			log.Warn("mail links will be relative, which mail readers cannot follow: set --public-url to the address people reach factdesk at")
		}
		log.Info("mail relay", "relay", mailer.Relay().Addr, "from", cfg.mailFrom)
	}
	svc := reviewers.New(store, reviewers.Config{MaxBodyBytes: cfg.maxBodyBytes, MaxSentences: cfg.maxSentences, Version: version, Organisation: cfg.organisation, OrganisationURL: cfg.organisationURL,
		ExportEmails: cfg.exportEmails, RequireChecked: cfg.requireChecked, NoSelfAssign: !cfg.selfAssign}, fetcher, log)
	broker, err := newBroker(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	defer broker.Close()
	svc.SetBroker(broker)
	sender, stopOutbox, err := startOutbox(ctx, store, deliverers(store, fetcher, mailer, log), log)
	if err != nil {
		return err
	}
	// Deferred after the broker, so run before it: the outbox stops
	// once the last requests are done, and before the database closes.
	defer stopOutbox()
	svc.SetOutboxKick(sender.Kick)
	defer startReminders(ctx, svc, log)()
	mets := metrics.New(metrics.Options{DB: db.SQL(), Streams: broker.Open, LabelBatches: db.LabelBatches, Pprof: cfg.pprof,
		Outbox: func() metrics.OutboxStats {
			st := sender.Stats()
			return metrics.OutboxStats{Sent: st.Sent, Retried: st.Retried, Failed: st.Failed}
		}})
	rcfg := routes.Config{Service: svc, Web: engine, Logger: log, Version: version,
		Fetcher: fetcher, SessionTTL: cfg.sessionTTL, PublicURL: cfg.publicURL, RequestTimeout: cfg.requestTimeout, Observe: mets.ObserveRequest}
	if cfg.metricsPublic {
		rcfg.Operations = mets.Handler()
	}
	handler := routes.New(rcfg)
	if cfg.metricsAddr != "" {
		stop, err := serveOperations(cfg, mets, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       cfg.readTimeout,
		IdleTimeout:       cfg.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	srv.RegisterOnShutdown(handler.CloseStreams)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	addr := ln.Addr().String()
	log.Info("factdesk serving", "version", version, "database", db.Redacted, "dialect", db.Dialect(), "addr", addr, "url", "http://"+addr+"/")
	if started != nil {
		started(addr)
	}
	if p.Ready != nil {
		p.Ready(addr)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("requests still running at the shutdown timeout were cut", "error", err)
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func newFetcher(cfg *serverConfig) (*fetch.Fetcher, error) {
	hosts, cidrs, err := fetch.ParseAllowList(cfg.fetchAllow)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--fetch-allow: %v", err)}
	}
	return fetch.New(fetch.Config{AllowHosts: hosts, AllowCIDRs: cidrs, MaxBytes: int64(cfg.maxBodyBytes) * 5}), nil
}

// newBroker picks how live updates travel: through PostgreSQL's
// LISTEN/NOTIFY, so that several instances serve each other's changes, or
// within this process on SQLite.
func newBroker(ctx context.Context, cfg *serverConfig, db *models.DB, log *slog.Logger) (live.Broker, error) {
	if db.Dialect() == migrations.Postgres {
		b, err := live.NewPostgres(ctx, cfg.db.DSN(), log)
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	return live.NewLocal(), nil
}

// serveOperations serves the metrics (and profiles) on their own listener
// until the returned function is called.
func serveOperations(cfg *serverConfig, m *metrics.Metrics, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", cfg.metricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.metricsAddr, err)
	}
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: cfg.readHeaderTimeout, IdleTimeout: cfg.idleTimeout,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("metrics serving", "addr", ln.Addr().String(), "pprof", cfg.pprof)
	go srv.Serve(ln)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// loadReader decodes the machine reader's embedded weights (about 40 MB
// in memory, a second of one core) while the server starts, so that the
// first import does not wait for them.
func loadReader(log *slog.Logger) {
	start := time.Now()
	attribution.Default()
	log.Debug("machine reader loaded", "seconds", time.Since(start).Seconds())
}

// reindexSearchIfEmpty builds the search index of a database from before
// search (migration 00013), in the background: the archive is served
// meanwhile, and search finds more as the index fills.
func reindexSearchIfEmpty(ctx context.Context, store *models.Store, log *slog.Logger) {
	empty, err := store.SearchIndexEmpty(ctx)
	if err != nil || !empty {
		if err != nil && ctx.Err() == nil {
			log.Warn("look at the search index", "error", err)
		}
		return
	}
	log.Info("building the search index of the stored articles")
	start := time.Now()
	n, err := store.ReindexSearch(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("build the search index", "error", err)
		}
		return
	}
	log.Info("search index built", "texts", n, "seconds", time.Since(start).Seconds())
}
