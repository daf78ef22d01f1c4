// Package indexer runs crawl jobs: it fetches sites (subpackage crawl), parses
// their pages into passages (extract), tags them (tag), and writes them into a
// new index generation that it publishes (through package search).
//
// A job holds the data folder's crawl lock (lock.go) and keeps a per-URL crawl
// record (subpackage record): the next job asks conditionally, reuses the
// stored passages of a page that answers 304 or the same body, and parses only
// what changed. 404, 410 and robots.txt remove a page; any other failure, or
// not reaching a page, carries its passages over, marked stale; a host on
// which more than 20% of the pages fail is carried over whole (degraded). The
// record is updated only once the generation is published, so that it always
// describes the served index.
//
// It imports search, its own subpackages and internal/ (atomic file writes,
// job states); only extract imports goquery.
package indexer
