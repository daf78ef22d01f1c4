package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// contentSecurityPolicy allows nothing inline and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const (
	headerRequestID = "X-Request-ID"
	ctxLogger       = "web.logger"
	ctxRequestID    = "web.request_id"
	maxLoggedBytes  = 200
)

// requestID gives every request an id, echoed in X-Request-ID and attached
// to every log line of the request. A sane incoming id is kept.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader(headerRequestID)
	if !saneRequestID(id) {
		id = newRequestID()
	}
	c.Header(headerRequestID, id)
	c.Set(ctxRequestID, id)
	c.Set(ctxLogger, s.log.With(slog.String("request_id", id)))
	c.Next()
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// logger returns the request's logger (with its request_id).
func (s *Server) logger(c *gin.Context) *slog.Logger {
	if v, ok := c.Get(ctxLogger); ok {
		if l, ok := v.(*slog.Logger); ok {
			return l
		}
	}
	return s.log
}

func requestIDOf(c *gin.Context) string { return c.GetString(ctxRequestID) }

// securityHeaders sets the headers every response carries (F3), before any
// handler can write.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Frame-Options", "DENY")
	c.Next()
}

// noStore keeps admin answers out of every cache.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// accessLog writes one line per request. It logs the path and a capped,
// escaped q, never the raw query string (which might carry a token) nor any
// header.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	if s.cfg.ObserveRequest != nil {
		s.cfg.ObserveRequest(c.FullPath(), c.Request.Method, c.Writer.Status(), time.Since(start))
	}
	attrs := []slog.Attr{
		slog.String("method", c.Request.Method),
		slog.String("path", sanitizeForLog(c.Request.URL.Path)),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
	}
	if q := c.Request.URL.Query().Get("q"); q != "" {
		attrs = append(attrs, slog.String("q", sanitizeForLog(q)))
	}
	if gen := c.Writer.Header().Get(generationHeader); gen != "" {
		attrs = append(attrs, slog.String("generation", gen))
	}
	s.logger(c).LogAttrs(c.Request.Context(), slog.LevelInfo, "request", attrs...)
}

// sanitizeForLog caps s at maxLoggedBytes and escapes control characters and
// invalid UTF-8, so that user input cannot forge log lines.
func sanitizeForLog(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if b.Len() >= maxLoggedBytes {
			b.WriteString("…")
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// Defaults of the waiting room in front of the search slots.
const (
	defaultMaxQueued = 64
	defaultQueueWait = 2 * time.Second
)

// limit compiles the request's search once (shaped for the route by
// shape, when not nil) and admits it: at most MaxInFlight searches at a
// time, a quarter as many expensive ones (search.Plan.Expensive, or every
// one of a route that is heavy, the exports), and at most MaxPerClient from
// one client address. A search that finds its slots taken waits in a
// bounded waiting room (MaxQueued, at most QueueWait: the role of
// Elasticsearch's search queue); when the room is full, or the wait is
// over, it gets a 503 overloaded with Retry-After: 1 at once, instead of
// queueing without bound (E3). The plan, which holds its generation open,
// is released once the handler has answered.
func (s *Server) limit(shape func(search.Query) search.Query, heavy bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		pl := s.compile(c, shape)
		defer pl.p.Release()
		c.Set(plannedKey, pl)
		s.admit(c, heavy || (pl.p != nil && pl.p.Expensive()))
	}
}

// admitPlain takes a search slot for a route that runs no planned search
// (similar passages, changes, coverage).
func (s *Server) admitPlain(heavy bool) gin.HandlerFunc {
	return func(c *gin.Context) { s.admit(c, heavy) }
}

func (s *Server) admit(c *gin.Context, heavy bool) {
	client := c.ClientIP()
	if !s.gate.enter(c.Request.Context(), heavy, client) {
		s.fail(c, errOverloaded)
		return
	}
	defer s.gate.leave(heavy, client)
	c.Next()
}

// recoverPanics answers a handler panic with 500 internal_error, never a
// stack (the stack goes to the log). Unlike gin.Recovery it lets
// http.ErrAbortHandler through, which is how a streamed export that fails
// midway breaks the connection instead of ending as if complete.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(rec)
		}
		s.logger(c).Error("handler panic", slog.String("panic", sanitizeForLog(fmt.Sprint(rec))), slog.String("stack", string(debug.Stack())))
		s.fail(c, &codedError{status: http.StatusInternalServerError, code: "internal_error", msg: "internal error",
			base: fmt.Errorf("panic: %v", rec)})
	}()
	c.Next()
}

func (s *Server) notFound(c *gin.Context) { s.fail(c, errRouteNotFound) }

func (s *Server) methodNotAllowed(c *gin.Context) { s.fail(c, errMethodNotAllowed) }

// wantsJSON tells whether errors on this path are answered in JSON: the API,
// the exports, the feed and the health check; every other path gets an HTML
// page.
func wantsJSON(r *http.Request) bool {
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/api/"), p == "/api":
		return true
	default:
		return p == "/export.csv" || p == "/export.json" || p == "/healthz" || p == "/feed.atom"
	}
}

// headerForwardedFor is the one header a trusted proxy may name the client in.
// X-Real-IP is not read: a proxy that sets only X-Forwarded-For would pass a
// client's forged X-Real-IP through.
const headerForwardedFor = "X-Forwarded-For"

// CheckTrustedProxies reports an error naming the first entry of list that
// is neither an IP address nor a CIDR (IPv4 or IPv6), the forms that
// Config.TrustedProxies takes.
func CheckTrustedProxies(list []string) error {
	for _, p := range list {
		if _, err := parseProxy(p); err != nil {
			return err
		}
	}
	return nil
}

func parseProxy(p string) (*net.IPNet, error) {
	if !strings.Contains(p, "/") {
		ip := net.ParseIP(p)
		if ip == nil {
			return nil, fmt.Errorf("%q: not an IP address or CIDR", p)
		}
		bits := 8 * net.IPv6len
		if v4 := ip.To4(); v4 != nil {
			ip, bits = v4, 8*net.IPv4len
		}
		return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
	}
	_, n, err := net.ParseCIDR(p)
	if err != nil {
		return nil, fmt.Errorf("%q: not an IP address or CIDR", p)
	}
	return n, nil
}

// trustProxies makes gin's ClientIP believe X-Forwarded-For from the proxies
// of Config.TrustedProxies only (none by default: ClientIP is then the peer
// address). gin walks the header from the right and takes the first address
// that is not a trusted proxy, so that a client cannot choose its address by
// sending the header itself.
func (s *Server) trustProxies(e *gin.Engine) {
	e.TrustedPlatform = ""
	e.ForwardedByClientIP = true
	e.RemoteIPHeaders = []string{headerForwardedFor}
	var list []string
	for _, p := range s.cfg.TrustedProxies {
		n, err := parseProxy(p)
		if err != nil {
			s.log.Error("no proxy trusted: invalid list", slog.Any("error", err))
			list = nil
			break
		}
		if ones, _ := n.Mask.Size(); ones == 0 {
			s.log.Warn("every address is a trusted proxy: any client can pick its address with X-Forwarded-For",
				slog.String("proxy", p))
		}
		list = append(list, p)
	}
	if err := e.SetTrustedProxies(list); err != nil { // checked above; stay safe anyway
		_ = e.SetTrustedProxies(nil)
		s.log.Error("no proxy trusted", slog.Any("error", err))
		return
	}
	if len(list) > 0 {
		s.log.Info("client addresses taken from X-Forwarded-For of trusted proxies", slog.Any("proxies", list))
	}
}
