package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// ServerLimits bound what one client can make the server hold: time to
// send a request, to read an answer, to sit idle, and the size of what it
// sends (RELIABILITY.md E4, C7). Zero fields take DefaultServerLimits.
type ServerLimits struct {
	ReadHeaderTimeout time.Duration // request line and headers (slowloris)
	ReadTimeout       time.Duration // the whole request
	WriteTimeout      time.Duration // the whole answer
	IdleTimeout       time.Duration // a keep-alive connection between requests
	MaxHeaderBytes    int           // request line and headers; beyond: 431
	MaxURIBytes       int           // request target; beyond: 414
	MaxBodyBytes      int64         // request body (admin); beyond: 413
	ShutdownGrace     time.Duration // requests in flight at shutdown
}

// DefaultServerLimits are the server limits of RELIABILITY.md.
var DefaultServerLimits = ServerLimits{
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       10 * time.Second,
	WriteTimeout:      15 * time.Second,
	IdleTimeout:       60 * time.Second,
	MaxHeaderBytes:    64 << 10,
	MaxURIBytes:       8 << 10,
	MaxBodyBytes:      64 << 10,
	ShutdownGrace:     shutdownGrace,
}

// withDefaults fills the zero fields from DefaultServerLimits.
func (l ServerLimits) withDefaults() ServerLimits {
	d := DefaultServerLimits
	dur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	dur(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	dur(&l.ReadTimeout, d.ReadTimeout)
	dur(&l.WriteTimeout, d.WriteTimeout)
	dur(&l.IdleTimeout, d.IdleTimeout)
	dur(&l.ShutdownGrace, d.ShutdownGrace)
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	if l.MaxURIBytes <= 0 {
		l.MaxURIBytes = d.MaxURIBytes
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	return l
}

// newHTTPServer is the only http.Server of the package: explicit timeouts
// and header cap, never http.ListenAndServe's none (E4, gosec G112).
func newHTTPServer(h http.Handler, log *slog.Logger, lim ServerLimits) *http.Server {
	lim = lim.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// limitURI answers 414 to a request target longer than MaxURIBytes, before
// any parsing of its query string.
func (s *Server) limitURI(c *gin.Context) {
	if len(c.Request.RequestURI) > s.srvLim.MaxURIBytes || len(c.Request.URL.RawQuery) > s.srvLim.MaxURIBytes {
		s.fail(c, errURITooLong)
		return
	}
	c.Next()
}
