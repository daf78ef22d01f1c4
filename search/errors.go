package search

import (
	"errors"
	"fmt"
)

// Errors callers may branch on with errors.Is. Errors wrapping them carry a
// message meant for the user (what is wrong with the query).
var (
	// ErrBadQuery: the query cannot be parsed or exceeds a limit (400 invalid_query).
	ErrBadQuery = errors.New("invalid query")
	// ErrBadPagination: page or per_page out of range (400 invalid_pagination).
	ErrBadPagination = errors.New("invalid pagination")
	// ErrBadFilter: an unknown facet or a malformed filter (400 invalid_filter).
	ErrBadFilter = errors.New("invalid filter")
	// ErrTimeout: the search passed its deadline (503 search_timeout).
	ErrTimeout = errors.New("search timeout")
	// ErrNotFound: no document with that id (404 not_found).
	ErrNotFound = errors.New("not found")
	// ErrUnavailable: no index can be served (503 index_unavailable).
	ErrUnavailable = errors.New("index unavailable")
	// ErrTooManyClauses: the query expands to more terms than
	// Limits.MaxTerms (400 too_many_clauses). Errors that wrap it also
	// wrap ErrBadQuery.
	ErrTooManyClauses = errors.New("too many clauses")
	// ErrCorrupt: an index on disk is damaged (it made bleve or bbolt panic
	// or fault while opening or checking it).
	ErrCorrupt = errors.New("index corrupt")
)

// tooManyTermsError is the error of a query over Limits.MaxTerms; it is
// both an ErrBadQuery and an ErrTooManyClauses.
type tooManyTermsError struct{ max int }

func (e *tooManyTermsError) Error() string {
	return fmt.Sprintf("%v: too many terms after expansion (max %d)", ErrBadQuery, e.max)
}

func (e *tooManyTermsError) Is(target error) bool {
	return target == ErrBadQuery || target == ErrTooManyClauses
}
