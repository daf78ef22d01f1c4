package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/inlsearch/inlsearch/search"
)

// Errors of the web layer itself; fail maps them like the search errors.
var (
	errOverloaded       = errors.New("too many searches in flight")
	errUnauthorized     = errors.New("unauthorized")
	errTooManyAttempts  = errors.New("too many failed attempts")
	errBodyTooLarge     = errors.New("request body too large")
	errRouteNotFound    = errors.New("route not found")
	errMethodNotAllowed = errors.New("method not allowed")
	errURITooLong       = errors.New("request target too long")
)

// codedError is an error whose status, code and message are decided where it
// is raised (parameter checks, the re-index conflict). base, when set, is the
// search sentinel it stands for.
type codedError struct {
	status int
	code   string
	msg    string
	base   error
}

func (e *codedError) Error() string { return e.msg }
func (e *codedError) Unwrap() error { return e.base }

// apiError is the body of every JSON error: {"error":{"code","message"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// CurrentURL, on a 410 generation_gone, is the same request on the
	// generation served now.
	CurrentURL string `json:"current_url,omitempty"`
}

// maxMessageBytes caps messages built from user input or parser output.
const maxMessageBytes = 300

// classify maps an error to what the client sees. internal is true when the
// error must be logged because the client is told nothing useful.
func classify(err error) (status int, code, msg string, internal bool) {
	var ce *codedError
	var se *search.SpaceError
	switch {
	case errors.As(err, &ce):
		return ce.status, ce.code, ce.msg, false
	case errors.As(err, &se):
		return http.StatusConflict, "insufficient_disk", capMessage(se.Message()), false
	case errors.Is(err, search.ErrTooManyClauses):
		return http.StatusBadRequest, "too_many_clauses", userMessage(err), false
	case errors.Is(err, search.ErrBadQuery):
		return http.StatusBadRequest, "invalid_query", userMessage(err), false
	case errors.Is(err, search.ErrBadPagination):
		return http.StatusBadRequest, "invalid_pagination", userMessage(err), false
	case errors.Is(err, search.ErrBadFilter):
		return http.StatusBadRequest, "invalid_filter", userMessage(err), false
	case errors.Is(err, search.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "search_timeout",
			"the search took too long; try fewer words or more filters", false
	case errors.Is(err, search.ErrGenerationGone):
		return http.StatusGone, "generation_gone", userMessage(err), false
	case errors.Is(err, search.ErrNotFound):
		return http.StatusNotFound, "not_found", "no document has this id", false
	case errors.Is(err, search.ErrUnavailable):
		return http.StatusServiceUnavailable, "index_unavailable",
			"no index is available yet; try again after the next re-index", false
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "canceled", "the request was canceled", false
	case errors.Is(err, errOverloaded):
		return http.StatusServiceUnavailable, "overloaded", "too many searches at once; retry in a second", false
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized, "unauthorized", "a valid bearer token is required", false
	case errors.Is(err, errTooManyAttempts):
		return http.StatusTooManyRequests, "too_many_attempts", "too many failed attempts; wait a minute", false
	case errors.Is(err, errBodyTooLarge):
		return http.StatusRequestEntityTooLarge, "payload_too_large", "the request body is too large", false
	case errors.Is(err, errURITooLong):
		return http.StatusRequestURITooLong, "uri_too_long", "the request target is too long", false
	case errors.Is(err, ErrReindexRunning):
		return http.StatusConflict, "reindex_in_progress", "a re-index is already running", false
	case errors.Is(err, errRouteNotFound):
		return http.StatusNotFound, "not_found", "there is nothing at this address", false
	case errors.Is(err, errMethodNotAllowed):
		return http.StatusMethodNotAllowed, "method_not_allowed", "this method is not allowed here", false
	default:
		return http.StatusInternalServerError, "internal_error", "internal error", true
	}
}

// userMessage is the text of an error meant for the user, made safe to show:
// valid UTF-8, capped in length.
func userMessage(err error) string {
	return capMessage(err.Error())
}

func capMessage(m string) string {
	m = strings.ToValidUTF8(m, "\ufffd")
	if len(m) <= maxMessageBytes {
		return m
	}
	cut := maxMessageBytes
	for cut > 0 && !isRuneStart(m[cut]) {
		cut--
	}
	return m[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// fail answers the request with the error: JSON under /api, /export.* and
// /healthz, an HTML page elsewhere. Internal errors are logged here, once.
func (s *Server) fail(c *gin.Context, err error) {
	status, code, msg, internal := classify(err)
	if internal {
		s.logger(c).LogAttrs(c.Request.Context(), slog.LevelError, "request failed",
			slog.String("path", sanitizeForLog(c.Request.URL.Path)), slog.Any("error", err))
	}
	switch status {
	case http.StatusServiceUnavailable:
		if code == "overloaded" {
			c.Header("Retry-After", "1")
		}
	case http.StatusUnauthorized:
		c.Header("WWW-Authenticate", "Bearer")
	case http.StatusTooManyRequests:
		c.Header("Retry-After", "60")
	}
	if c.Writer.Written() {
		// The answer has begun (a streamed export): nothing more can be said.
		c.Abort()
		return
	}
	current := ""
	if status == http.StatusGone {
		current = withoutGen(c.Request)
		msg += "; the same request on the current generation: " + current
	}
	if wantsJSON(c.Request) {
		c.AbortWithStatusJSON(status, apiError{Error: apiErrorBody{Code: code, Message: msg, CurrentURL: current}})
		return
	}
	c.Abort()
	if current == "" {
		s.renderError(c, status, code, msg)
		return
	}
	s.renderErrorLink(c, status, code, msg, current)
}
