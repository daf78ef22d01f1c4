// Package indexer runs crawl jobs: it fetches sites (subpackage crawl), parses
// their pages into passages (extract), tags them (tag), and writes them into a
// new index generation that it publishes (through package search). It imports
// search and its own subpackages; only extract imports goquery.
package indexer
