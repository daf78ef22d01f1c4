package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// reindexResponse is the 202 answer of POST /api/v1/reindex.
type reindexResponse struct {
	ID string `json:"id"`
}

// tokenMatches compares a presented token with the configured one in
// constant time. Hashing both first makes the comparison independent of the
// lengths, which subtle.ConstantTimeCompare would otherwise leak.
func (s *Server) tokenMatches(given string) bool {
	g := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(g[:], s.tokenHash[:]) == 1 && s.cfg.AdminToken != ""
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// authorized checks the bearer token. A token in the query string is never
// accepted, so that it does not end up in logs and browser histories.
func (s *Server) authorized(r *http.Request) bool {
	q := r.URL.Query()
	if q.Has("token") || q.Has("access_token") {
		return false
	}
	tok, ok := bearer(r.Header.Get("Authorization"))
	return ok && s.tokenEqual(tok)
}

// admin guards the admin routes: failure throttling per client address,
// the bearer token and a bounded body. It aborts the request with the error
// when one of them fails.
func (s *Server) admin(c *gin.Context) {
	ip := c.ClientIP()
	if !s.failures.allow(ip, s.now()) {
		s.fail(c, errTooManyAttempts)
		return
	}
	if c.Request.ContentLength > s.srvLim.MaxBodyBytes {
		s.fail(c, errBodyTooLarge)
		return
	}
	if !s.authorized(c.Request) {
		s.failures.record(ip, s.now())
		s.fail(c, errUnauthorized)
		return
	}
	// The body carries nothing yet; read it (bounded) so that an oversized
	// one is refused rather than silently ignored.
	body := http.MaxBytesReader(c.Writer, c.Request.Body, s.srvLim.MaxBodyBytes)
	if _, err := io.Copy(io.Discard, body); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(c, errBodyTooLarge)
			return
		}
		s.fail(c, &codedError{status: http.StatusBadRequest, code: "invalid_body", msg: "the request body could not be read"})
		return
	}
	c.Next()
}

func (s *Server) handleReindex(c *gin.Context) {
	// The job outlives the request: only the request's values are passed on.
	id, err := s.reindexer.Reindex(context.WithoutCancel(c.Request.Context()))
	if errors.Is(err, ErrReindexRunning) {
		msg := "a re-index is already running"
		if id != "" {
			msg = fmt.Sprintf("a re-index is already running (job %s)", capMessage(id))
		}
		s.fail(c, &codedError{status: http.StatusConflict, code: "reindex_in_progress", msg: msg, base: err})
		return
	}
	if err != nil {
		s.fail(c, fmt.Errorf("reindex: %w", err))
		return
	}
	s.logger(c).Info("reindex started", "job_id", id)
	c.JSON(http.StatusAccepted, reindexResponse{ID: id})
}

// cancelResponse is the 202 answer of DELETE /api/v1/reindex.
type cancelResponse struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

// handleCancelReindex asks the running job to stop. The answer does not
// wait for it: the job's end shows in /api/v1/status (state cancelled).
func (s *Server) handleCancelReindex(c *gin.Context) {
	id, err := s.reindexer.(ReindexCanceler).CancelReindex(context.WithoutCancel(c.Request.Context()))
	if errors.Is(err, ErrNoReindexRunning) {
		s.fail(c, &codedError{status: http.StatusNotFound, code: "no_reindex_running",
			msg: "no re-index is running", base: err})
		return
	}
	if err != nil {
		s.fail(c, fmt.Errorf("cancel reindex: %w", err))
		return
	}
	s.logger(c).Info("reindex cancel requested", "job_id", id)
	c.JSON(http.StatusAccepted, cancelResponse{ID: id, State: JobCancelling})
}

// failureLimiter counts failed admin attempts per client address and
// refuses further attempts once limit failures happened within window.
type failureLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	byIP   map[string]*failureWindow
}

type failureWindow struct {
	start time.Time
	n     int
}

// maxTrackedIPs bounds the limiter's memory; beyond it, old entries go.
const maxTrackedIPs = 10000

func newFailureLimiter(limit int, window time.Duration) *failureLimiter {
	return &failureLimiter{limit: limit, window: window, byIP: make(map[string]*failureWindow)}
}

func (l *failureLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.byIP[ip]
	if !ok || now.Sub(w.start) >= l.window {
		return true
	}
	return w.n < l.limit
}

func (l *failureLimiter) record(ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.byIP[ip]
	if !ok || now.Sub(w.start) >= l.window {
		if !ok && len(l.byIP) >= maxTrackedIPs {
			l.prune(now)
		}
		l.byIP[ip] = &failureWindow{start: now, n: 1}
		return
	}
	w.n++
}

func (l *failureLimiter) prune(now time.Time) {
	for ip, w := range l.byIP {
		if now.Sub(w.start) >= l.window {
			delete(l.byIP, ip)
		}
	}
	if len(l.byIP) >= maxTrackedIPs {
		clear(l.byIP)
	}
}
