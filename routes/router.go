// Package routes is factdesk's HTTP layer: the gin router, its middleware
// (request ids, logging, security headers, authentication, CSRF, limits),
// the handlers of the pages and of /api/v1, and the one function that maps
// coded errors to responses. Handlers parse, validate, call the business
// layer with the actor as an argument, and render.
package routes

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/export"
	"factdesk/fetch"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// Config holds what the router needs.
type Config struct {
	Service *reviewers.Service
	Web     *web.Engine
	Logger  *slog.Logger
	Version string
	// Fetcher retrieves pages for URL imports; nil disables them.
	Fetcher *fetch.Fetcher
	// SessionTTL is how long a sign-in lasts (default 12 hours).
	SessionTTL time.Duration
	// PublicURL is the address people reach factdesk at
	// ("https://factdesk.newsroom.example"), for links that leave the
	// server (a report's URL in ClaimReview); empty means the request's
	// own host.
	PublicURL string
	// MaxRequestBytes bounds a request body (default: the import limit
	// plus room for the form around it).
	MaxRequestBytes int64
	// RequestTimeout bounds the time a request may take, event streams
	// excepted: its context ends then, so that a database that does not
	// answer costs a 503, not a hung client (0: no bound).
	RequestTimeout time.Duration
	// Observe, when set, is told of every answered request (metrics).
	Observe func(method, route string, status int, d time.Duration)
	// Operations, when set, is served to admins at /metrics and under
	// /debug/pprof/ (see registerOperations).
	Operations http.Handler
}

// Handler holds the dependencies of every handler.
type Handler struct {
	svc     *reviewers.Service
	store   *models.Store
	web     *web.Engine
	log     *slog.Logger
	fetcher *fetch.Fetcher
	cfg     Config
	// crossOrigin refuses unsafe cross-origin browser requests (by
	// Sec-Fetch-Site and Origin), a second line behind the CSRF tokens.
	crossOrigin *http.CrossOriginProtection
	// openAPIDoc is the merged OpenAPI document, built once.
	openAPIDoc []byte
	// streamsDone closes when the server shuts down, ending event streams.
	streamsDone  chan struct{}
	closeStreams sync.Once
}

// Router is factdesk's HTTP handler.
type Router struct {
	engine *gin.Engine
	h      *Handler
}

// CloseStreams ends every open event stream, so that a graceful shutdown
// does not wait for them; register it with http.Server.RegisterOnShutdown.
func (r *Router) CloseStreams() {
	r.h.closeStreams.Do(func() { close(r.h.streamsDone) })
}

// ServeHTTP serves a request.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.engine.ServeHTTP(w, req) }

// Route is one registered method and path, in gin's syntax (/articles/:id).
type Route struct {
	Method, Path string
}

// Routes lists every registered route.
func (r *Router) Routes() []Route {
	var out []Route
	for _, ri := range r.engine.Routes() {
		out = append(out, Route{Method: ri.Method, Path: ri.Path})
	}
	return out
}

// New returns factdesk's HTTP handler.
func New(cfg Config) *Router {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.MaxRequestBytes == 0 {
		cfg.MaxRequestBytes = int64(cfg.Service.Config().MaxBodyBytes)*2 + 64<<10
	}
	h := &Handler{svc: cfg.Service, store: cfg.Service.Store(), web: cfg.Web, log: cfg.Logger, fetcher: cfg.Fetcher, cfg: cfg,
		crossOrigin: http.NewCrossOriginProtection(), streamsDone: make(chan struct{})}

	doc, err := OpenAPIDocument()
	if err != nil {
		panic(fmt.Sprintf("openapi: %v", err)) // the embedded parts are broken: a build-time bug
	}
	h.openAPIDoc = doc
	// The report page uses the export package's stylesheet.
	cfg.Web.AddAsset("report.css", "text/css; charset=utf-8", []byte(export.HTMLStyle))

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(nil); err != nil {
		panic(err) // nil is always accepted
	}
	r.Use(h.requestID, h.recoverPanic, h.logRequests, h.compress, h.requestTimeout, h.securityHeaders, h.limitBody, h.checkInput, h.authenticate, h.checkCSRF)
	r.NoRoute(h.notFound)
	r.NoMethod(h.methodNotAllowed)
	h.register(r)
	return &Router{engine: r, h: h}
}

// register lists every route in one place. The OpenAPI test reads the
// /api/v1 routes from here and checks them against openapi.json.
func (h *Handler) register(r *gin.Engine) {
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)
	r.GET("/static/:file", h.static)

	// Pages.
	r.GET("/login", h.showLogin)
	r.POST("/login", h.login)
	r.POST("/logout", h.logout)
	r.GET("/", h.page(reviewers.ActRead), h.listArticlesPage)
	r.GET("/articles/:id", h.page(reviewers.ActRead), h.showArticle)
	r.GET("/import", h.page(reviewers.ActImport), h.showImport)
	r.POST("/import", h.page(reviewers.ActImport), h.importArticlePage)
	r.GET("/users", h.page(reviewers.ActManageUsers), h.listUsersPage)
	r.POST("/users", h.page(reviewers.ActManageUsers), h.createUserPage)
	r.POST("/users/:id", h.page(reviewers.ActManageUsers), h.updateUserPage)
	r.POST("/tokens", h.page(reviewers.ActManageUsers), h.createTokenPage)
	r.POST("/tokens/:id/revoke", h.page(reviewers.ActManageUsers), h.revokeTokenPage)

	// API.
	api := r.Group("/api/v1")
	api.GET("/openapi.json", h.openAPI)
	api.GET("/me", h.api(reviewers.ActRead), h.me)
	api.GET("/articles", h.api(reviewers.ActRead), h.listArticles)
	api.POST("/articles", h.api(reviewers.ActImport), h.importArticle)
	api.GET("/articles/:id", h.api(reviewers.ActRead), h.getArticle)
	api.PATCH("/articles/:id", h.api(reviewers.ActEdit), h.patchArticle)

	// Each feature registers its own routes from its own file.
	h.registerReview(r, api)
	h.registerChanges(r, api)
	h.registerReports(r, api)
	h.registerOpinions(r, api)
	h.registerSources(r, api)
	h.registerAttribution(r, api)
	h.registerSuggestions(r, api)
	h.registerOperations(r)
	h.registerRevisions(r, api)
	h.registerSimilar(r, api)
	h.registerDesk(r, api)
	h.registerSearch(r, api)
	h.registerWebhooks(r, api)
}
