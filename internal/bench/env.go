package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"factdesk/auth"
	"factdesk/live"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
	"factdesk/web"
)

// env is factdesk wired as "factdesk serve" wires it — service, live
// broker, router — listening on a loopback port, with people to act.
type env struct {
	db      *models.DB
	dsn     string
	store   *models.Store
	svc     *reviewers.Service
	router  *routes.Router
	srv     *http.Server
	base    string // http://127.0.0.1:PORT
	broker  live.Broker
	checker models.Actor
	// tokens are API tokens of checkers, one per label client at most.
	tokens []string
	// cookie is a signed-in browser session of the first checker.
	cookie *http.Cookie
	// main is the server the fields above belong to.
	main *server
}

// checkers is how many checker accounts share the label clients.
const checkers = 8

func newEnv(ctx context.Context, db *models.DB, dsn string) (*env, error) {
	srv, err := startServer(ctx, db, dsn)
	if err != nil {
		return nil, err
	}
	e := &env{db: db, dsn: dsn, store: srv.store, svc: srv.svc, router: srv.router, srv: srv.http, base: srv.base, broker: srv.broker, main: srv}
	if err := e.people(ctx); err != nil {
		srv.close()
		return nil, err
	}
	return e, nil
}

// server is one factdesk server as "factdesk serve" wires it: service,
// live broker, router, listening on a loopback port.
type server struct {
	db     *models.DB
	store  *models.Store
	svc    *reviewers.Service
	router *routes.Router
	http   *http.Server
	broker live.Broker
	base   string
	// closeDB closes db, when the server opened it.
	closeDB func()
}

func startServer(ctx context.Context, db *models.DB, dsn string) (*server, error) {
	store := models.NewStore(db)
	svc := reviewers.New(store, reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
	var broker live.Broker = live.NewLocal()
	if isPostgres(db) {
		b, err := live.NewPostgres(ctx, dsn, slog.New(slog.DiscardHandler))
		if err != nil {
			return nil, err
		}
		broker = b
	}
	svc.SetBroker(broker)
	engine, err := web.New()
	if err != nil {
		broker.Close()
		return nil, err
	}
	router := routes.New(routes.Config{Service: svc, Web: engine, Version: "bench"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		broker.Close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &server{db: db, store: store, svc: svc, router: router, broker: broker, base: "http://" + ln.Addr().String(),
		http: &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10}}
	go s.http.Serve(ln)
	return s, nil
}

// anotherServer starts a second server on the bench's database, with a
// pool, a label batcher and caches of its own, as a second "factdesk
// serve" behind a load balancer has: what one server writes, the other
// learns only from the database.
func (e *env) anotherServer(ctx context.Context) (*server, error) {
	db, err := models.Open(ctx, e.dsn, models.Options{})
	if err != nil {
		return nil, err
	}
	s, err := startServer(ctx, db, e.dsn)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.closeDB = func() { db.Close() }
	return s, nil
}

func (s *server) close() {
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.router.CloseStreams()
	s.http.Shutdown(sctx)
	s.broker.Close()
	if s.closeDB != nil {
		s.closeDB()
	}
}

// people creates the checkers with their tokens and a browser session.
func (e *env) people(ctx context.Context) error {
	for i := range checkers {
		u, _, err := e.svc.CreateUser(ctx, models.System, reviewers.NewUserInput{
			Email: fmt.Sprintf("checker%d@bench.example", i), Name: fmt.Sprintf("Bench checker %d", i), Role: models.RoleChecker})
		if err != nil {
			return fmt.Errorf("create checker: %w", err)
		}
		if i == 0 {
			e.checker = u.Actor()
		}
		_, tok, err := e.svc.CreateToken(ctx, models.System, u.ID, "bench")
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		e.tokens = append(e.tokens, tok)
	}
	secret := auth.NewSecret()
	now := models.Now()
	sess := &models.Session{IDHash: auth.Digest(secret), UserID: e.checker.ID, CSRFToken: auth.NewSecret(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	if err := e.store.CreateSession(ctx, sess); err != nil {
		return err
	}
	e.cookie = &http.Cookie{Name: "factdesk_session", Value: secret}
	return nil
}

func (e *env) close() { e.main.close() }
