// Package web is the HTTP face of inlsearch: a gin engine serving the JSON API
// under /api/v1, server-rendered HTML pages (templates and assets embedded),
// CSV and JSON exports, health and status, and the admin re-index trigger.
//
// It imports gin, gorilla/feeds (the Atom feed), the standard library, the
// search package and internal/jobstate (the job states it shows) only
// (imports_test.go at the module's root checks it).
// What it needs from the rest of the program it declares as small
// interfaces (Searcher, StatusReporter, Reindexer) that cmd/inlsearch
// satisfies. It turns URLs into search.Query values and back; everything
// else of a search (validation, parsing, cost, filters, hits' JSON and CSV)
// is the search package's, compiled once per request into a search.Plan.
package web
