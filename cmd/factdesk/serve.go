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

	"factdesk/fetch"
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
	fs.StringVar(&c.organisationURL, "organisation-url", p.env("FACTDESK_ORGANISATION_URL", ""), "the newsroom's web address (env FACTDESK_ORGANISATION_URL)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "on SIGINT/SIGTERM, how long requests in flight may take to finish")
	return c
}

const serveUsage = `serve [flags]

Runs the web UI and the HTTP API. Applies pending migrations first, unless
--no-migrate. Limits: request headers 64 KiB and --read-header-timeout;
request bodies twice --max-body; API bodies are JSON.`

func runServe(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("serve", serveUsage)
	cfg := p.serverFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"serve takes no arguments"}
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
	svc := reviewers.New(models.NewStore(db), reviewers.Config{MaxBodyBytes: cfg.maxBodyBytes, MaxSentences: cfg.maxSentences, Version: version, Organisation: cfg.organisation, OrganisationURL: cfg.organisationURL}, fetcher, log)
	broker, err := newBroker(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	defer broker.Close()
	svc.SetBroker(broker)
	handler := routes.New(routes.Config{Service: svc, Web: engine, Logger: log, Version: version,
		Fetcher: fetcher, SessionTTL: cfg.sessionTTL})
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
