package search

import "errors"

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
)
