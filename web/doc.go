// Package web is the HTTP face of inlsearch: a gin engine serving the JSON API
// under /api/v1, server-rendered HTML pages (templates and assets embedded),
// CSV and JSON exports, health and status, and the admin re-index trigger.
//
// It imports gin, the standard library and the search package only. What it
// needs from the rest of the program it declares as small interfaces
// (Searcher, StatusReporter, Reindexer) that cmd/inlsearch satisfies.
package web
