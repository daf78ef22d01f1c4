package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// Searcher compiles searches, runs them and fetches single passages
// (search.Live; search.Index).
type Searcher interface {
	// Compile validates and parses q into a plan, its filters resolved on
	// the generation served now, which the plan keeps open until its
	// Release. Errors wrap search.ErrBadQuery, ErrBadPagination,
	// ErrBadFilter (with a message for the user) or ErrUnavailable.
	Compile(q search.Query) (*search.Plan, error)
	// SearchPlan runs a plan Compile returned: the hits of its page and its
	// facets. Errors wrap search.ErrBadQuery, ErrTimeout or ErrUnavailable.
	SearchPlan(ctx context.Context, p *search.Plan) (*search.Result, error)
	// ExportPlan passes every hit of a plan Compile returned to fn, in the
	// order of its sort, without paging, from the plan's generation. begin
	// is called once the hits are known, before the first; errors before
	// it are the search's (bad query, too many hits, timeout).
	ExportPlan(ctx context.Context, p *search.Plan, begin func(search.ExportInfo) error, fn func(search.Hit) error) (int, error)
	// Get returns the passage with that id, or an error wrapping
	// search.ErrNotFound or search.ErrUnavailable.
	Get(ctx context.Context, id string) (*search.Document, error)
	// FacetValues answers a search within a facet's values for a plan
	// Compile returned: the values fq names, counted as the plan's
	// search counts its facets. Errors wrap search.ErrBadFilter (unknown
	// facet, bad size), ErrTimeout or ErrUnavailable.
	FacetValues(ctx context.Context, p *search.Plan, fq search.FacetValueQuery) (*search.FacetValues, error)
}

// StatusReporter tells what the server is serving and what the indexer did.
type StatusReporter interface {
	// Status returns the current state; it must not block for long.
	Status(ctx context.Context) Status
}

// Reindexer starts a re-index job.
type Reindexer interface {
	// Reindex starts a job and returns its id without waiting for it to end.
	// The ctx it receives is detached from the request's cancellation, but the
	// job should run on the indexer's own lifetime context. It returns an error
	// wrapping ErrReindexRunning, with the running job's id, when one runs.
	Reindex(ctx context.Context) (jobID string, err error)
}

// ErrReindexRunning is wrapped by Reindexer.Reindex when a job is in progress
// (409 reindex_in_progress).
var ErrReindexRunning = errors.New("reindex already running")

// ReindexCanceler is implemented by a Reindexer that can stop its running
// job; with it, DELETE /api/v1/reindex exists beside POST.
type ReindexCanceler interface {
	// CancelReindex asks the running job to stop through its context and
	// returns its id without waiting for it to end. It returns an error
	// wrapping ErrNoReindexRunning when no job runs.
	CancelReindex(ctx context.Context) (jobID string, err error)
}

// ErrNoReindexRunning is wrapped by ReindexCanceler.CancelReindex when there
// is no job to stop (404 no_reindex_running).
var ErrNoReindexRunning = errors.New("no reindex running")

// Config holds what the server needs from the command line.
type Config struct {
	// AdminToken enables POST /api/v1/reindex (and DELETE, when the
	// Reindexer is a ReindexCanceler) when non-empty.
	AdminToken string
	// Version is shown in the footer and in /api/v1/status.
	Version string
	// Logger receives request and error logs; nil discards them.
	Logger *slog.Logger
	// Limits bound searches; zero fields take search.DefaultLimits.
	Limits search.Limits
	// MaxInFlight caps concurrent searches; 0 means 2×GOMAXPROCS.
	MaxInFlight int
	// MaxPerClient caps the searches in flight from one client address
	// (gin's ClientIP: the peer, or the client named by a trusted proxy);
	// 0 means half of MaxInFlight, negative means no cap. Behind a reverse
	// proxy that is not in TrustedProxies every client shares the proxy's
	// address: list the proxy, or raise the cap.
	MaxPerClient int
	// TrustedProxies are the addresses or CIDRs (IPv4 or IPv6) of reverse
	// proxies whose X-Forwarded-For is believed: a request from one of them
	// counts, for the per-client cap and the admin failure limit, as coming
	// from the rightmost address of that header that is not itself a trusted
	// proxy. Empty: no proxy is trusted and the header is ignored. Check a
	// list with CheckTrustedProxies; New trusts no proxy when it is invalid.
	TrustedProxies []string
	// MaxQueued caps the searches waiting for a slot, each at most
	// QueueWait; beyond, or after the wait, 503 overloaded. 0 means 64;
	// negative means no waiting at all.
	MaxQueued int
	// QueueWait bounds the wait for a slot; 0 means 2 s (the search deadline).
	QueueWait time.Duration
	// Server bounds connections and requests; zero fields take
	// DefaultServerLimits.
	Server ServerLimits
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// ObserveRequest, when set, is told of every request when it has been
	// answered: its route pattern ("" for no route), method, status and duration.
	ObserveRequest func(route, method string, status int, d time.Duration)
	// ObserveSearch, when set, is told of every search the server ran: its
	// kind (SearchPlain, SearchFaceted, SearchExport) and duration.
	ObserveSearch func(kind string, d time.Duration)
	// Metrics, when set, is served at GET /metrics, to loopback peers only
	// unless MetricsPublic.
	Metrics       http.Handler
	MetricsPublic bool
	// Generations, when set, serves the data folder's generations to
	// replicas: GET /api/v1/generations and
	// GET /api/v1/generations/{id}/files/{path}. ReplicationToken, when
	// not empty, is the bearer token both require. MaxDownloads caps the
	// files served at once (0: 4); beyond, 503 overloaded.
	Generations      GenerationStore
	ReplicationToken string
	MaxDownloads     int
}

// The kinds of search ObserveSearch is told of.
const (
	SearchPlain   = "plain"   // no facet filter
	SearchFaceted = "faceted" // at least one facet filter or year bound
	SearchExport  = "export"  // an export, timed to its last row
)

// AdmissionStats returns what the admission gate holds now and has refused.
func (s *Server) AdmissionStats() AdmissionStats { return s.gate.stats() }

// Server serves the HTML pages, the JSON API and the exports.
type Server struct {
	cfg       Config
	lim       search.Limits
	srvLim    ServerLimits
	log       *slog.Logger
	searcher  Searcher
	status    StatusReporter
	reindexer Reindexer
	now       func() time.Time

	engine  *gin.Engine
	handler http.Handler // the engine, wrapped by the package's tests (wrapHandler)
	pages   map[string]*template.Template
	apiDoc  *apiView // the OpenAPI document, as GET /api shows it
	assets  *assetSet
	gate    *gate // searches in flight and waiting

	downloads chan struct{} // generation files being served

	tokenHash  [sha256.Size]byte
	tokenEqual func(given string) bool
	failures   *failureLimiter
}

// New builds a Server. st and r may be nil: the status then reports nothing
// and the admin route is not registered. The admin route also needs a
// non-empty cfg.AdminToken.
func New(cfg Config, s Searcher, st StatusReporter, r Reindexer) *Server {
	if gin.Mode() == gin.DebugMode && os.Getenv(gin.EnvGinMode) == "" {
		// gin's debug mode prints every route to stdout; a server is not a debug session.
		gin.SetMode(gin.ReleaseMode)
	}
	srv := &Server{
		cfg:       cfg,
		lim:       effectiveLimits(cfg.Limits),
		srvLim:    cfg.Server.withDefaults(),
		log:       cfg.Logger,
		searcher:  s,
		status:    st,
		reindexer: r,
		now:       cfg.Now,
		failures:  newFailureLimiter(10, time.Minute),
	}
	if srv.log == nil {
		srv.log = slog.New(slog.DiscardHandler)
	}
	if srv.now == nil {
		srv.now = time.Now
	}
	n := cfg.MaxInFlight
	if n <= 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	room := cfg.MaxQueued
	switch {
	case room == 0:
		room = defaultMaxQueued
	case room < 0:
		room = 0
	}
	wait := cfg.QueueWait
	if wait <= 0 {
		wait = defaultQueueWait
	}
	per := cfg.MaxPerClient
	if per == 0 {
		per = max(1, n/2)
	}
	srv.gate = newGate(n, per, room, wait)
	if cfg.MaxDownloads <= 0 {
		cfg.MaxDownloads = defaultMaxDownloads
	}
	srv.downloads = make(chan struct{}, cfg.MaxDownloads)
	srv.tokenHash = sha256.Sum256([]byte(cfg.AdminToken))
	srv.tokenEqual = srv.tokenMatches
	srv.assets = mustLoadAssets()
	srv.pages = mustParsePages(srv.assets)
	doc, err := parseAPIDoc(openapiJSON)
	if err != nil {
		panic(err) // embedded, and checked by the tests
	}
	srv.apiDoc = doc
	srv.engine = srv.routes()
	srv.handler = srv.engine
	if wrapHandler != nil {
		srv.handler = wrapHandler(srv.engine)
	}
	return srv
}

// wrapHandler, when set (by this package's tests only), wraps the handler
// of every Server: the tests check each API exchange against the OpenAPI
// document there, so that no test can bypass the check.
var wrapHandler func(http.Handler) http.Handler

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() *gin.Engine {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	s.trustProxies(e)
	e.Use(s.requestID, s.securityHeaders, s.accessLog, s.recoverPanics, s.limitURI, s.nameGeneration)
	e.NoRoute(s.notFound)
	e.NoMethod(s.methodNotAllowed)

	e.GET("/", s.limit(htmlQuery, false), s.handleSearchPage)
	e.GET("/search", s.limit(htmlQuery, false), s.handleSearchPage)
	e.GET("/facets/:facet", s.limit(facetQuery, false), s.handleFacetPage)
	e.GET("/status", s.handleStatusPage)
	e.GET("/passages/:id", s.handlePassagePage)
	e.GET("/passages/:id/similar", s.admitPlain(false), s.handleSimilarPage)
	e.GET("/changes", s.admitPlain(true), s.handleChangesPage)
	e.GET("/coverage", s.admitPlain(true), s.handleCoveragePage)
	e.GET("/export.csv", s.limit(search.ExportQuery, true), s.handleExportCSV)
	e.GET("/export.json", s.limit(search.ExportQuery, true), s.handleExportJSON)
	e.GET("/feed.atom", s.limit(s.feedQuery, false), s.handleFeed)
	e.GET("/static/*filepath", s.handleStatic)
	if s.cfg.Metrics != nil {
		e.GET("/metrics", s.handleMetrics)
	}
	e.GET("/healthz", s.handleHealth)
	e.HEAD("/healthz", s.handleHealth)
	e.GET("/api", s.handleAPIPage)

	api := e.Group("/api/v1")
	api.GET("/search", s.limit(nil, false), s.handleAPISearch)
	api.GET("/facets/:facet", s.limit(facetQuery, false), s.handleAPIFacetValues)
	api.GET("/documents/:id", s.handleAPIDocument)
	api.GET("/cite", s.limit(nil, false), s.handleAPICite)
	api.GET("/documents/:id/similar", s.admitPlain(false), s.handleAPISimilar)
	api.GET("/changes", s.admitPlain(true), s.handleAPIChanges)
	api.GET("/coverage", s.admitPlain(true), s.handleAPICoverage)
	api.GET("/status", s.handleAPIStatus)
	api.GET("/openapi.json", s.handleOpenAPI)
	if s.cfg.Generations != nil {
		api.GET("/generations", s.replication, s.handleAPIGenerations)
		api.GET("/generations/:id/files/*path", s.replication, s.handleGenerationFile)
	} else {
		api.GET("/generations", s.handleAPIKeptGenerations)
	}
	switch {
	case s.cfg.AdminToken == "":
		s.log.Debug("admin token not set; admin routes disabled")
	case s.reindexer == nil:
		s.log.Warn("no reindexer; admin routes disabled")
	default:
		api.POST("/reindex", noStore, s.admin, s.handleReindex)
		if _, ok := s.reindexer.(ReindexCanceler); ok {
			api.DELETE("/reindex", noStore, s.admin, s.handleCancelReindex)
		}
	}
	return e
}

// shutdownGrace is how long Serve waits for requests in flight once ctx
// ends, by default.
const shutdownGrace = 10 * time.Second

// Serve answers requests on ln until ctx ends, then shuts down gracefully,
// giving requests in flight up to ServerLimits.ShutdownGrace (10 s). It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := newHTTPServer(s.Handler(), s.log, s.srvLim)
	hs.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.srvLim.ShutdownGrace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; err == nil && !errors.Is(serr, http.ErrServerClosed) {
		err = serr
	}
	return err
}

func effectiveLimits(l search.Limits) search.Limits {
	d := search.DefaultLimits
	pick := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	l.MaxQueryBytes = pick(l.MaxQueryBytes, d.MaxQueryBytes)
	l.MaxTerms = pick(l.MaxTerms, d.MaxTerms)
	l.MaxPerPage = pick(l.MaxPerPage, d.MaxPerPage)
	l.MaxWindow = pick(l.MaxWindow, d.MaxWindow)
	l.FacetSize = pick(l.FacetSize, d.FacetSize)
	l.MaxFacetSize = pick(l.MaxFacetSize, d.MaxFacetSize)
	if l.Deadline <= 0 {
		l.Deadline = d.Deadline
	}
	return l
}
