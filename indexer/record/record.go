package record

import (
	"time"

	"github.com/inlsearch/inlsearch/search"
)

// Record is what is known of one URL.
type Record struct {
	URL  string `json:"url"`
	Host string `json:"host"` // host[:port], as the crawler names it
	// ETag and LastModified are the validators of the last 200 or 304.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Hash is the SHA-256 of the last body parsed, hex.
	Hash string `json:"hash,omitempty"`
	// Parser names the extractor and tagger that produced Docs; a record
	// made by another one is parsed again, or tagged again from its Docs
	// when Extractor is the running one.
	Parser string `json:"parser,omitempty"`
	// Extractor is the extractor version (the indexer's ParserVersion)
	// that produced Docs, and Site the site name it read from the page:
	// with them, Docs can be tagged again without the page.
	Extractor string `json:"extractor,omitempty"`
	Site      string `json:"site,omitempty"`

	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen,omitzero"`    // last 200 or 304
	LastChanged time.Time `json:"last_changed,omitzero"` // last time the body changed
	// Status and Reason are the outcome of the last attempt (200, 304, or a
	// failure's status and reason code).
	Status int    `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
	// RemovedAt is set when the page was dropped (404, 410, robots.txt,
	// redirected away, out of scope); a removed record has no Docs.
	RemovedAt time.Time `json:"removed_at,omitzero"`
	// StaleSince is set while the page could not be fetched and its passages
	// are carried over from an earlier crawl.
	StaleSince time.Time `json:"stale_since,omitzero"`

	// Imported is set on a page read from a web archive or a local file
	// (inlsearch import): crawls neither ask for it again nor drop it.
	Imported bool `json:"imported,omitempty"`
	// Captured is when the imported copy was captured (WARC-Date, or the
	// file's modification time): a later import replaces it only with a
	// newer capture.
	Captured time.Time `json:"captured,omitzero"`

	// Links are the links of the page, handed to the crawler on a 304.
	Links []string `json:"links,omitempty"`
	// Docs are the passages the page produced, as indexed.
	Docs []search.Document `json:"docs,omitempty"`
}

// Live reports whether the page is part of the index (not removed).
func (r *Record) Live() bool { return r.RemovedAt.IsZero() }

// Meta is the small part of a record kept in memory during a crawl.
type Meta struct {
	ETag, LastModified, Hash, Parser, Extractor, Host string
	Live                                              bool
	Imported                                          bool
}

func (r *Record) meta() Meta {
	return Meta{ETag: r.ETag, LastModified: r.LastModified, Hash: r.Hash, Parser: r.Parser, Extractor: r.Extractor, Host: r.Host, Live: r.Live(), Imported: r.Imported}
}
