// Package warc reads and writes web archives (ISO 28500 WARC files, 1.0 and
// 1.1, plain or gzipped record by record) through github.com/nlnwa/gowarc.
//
// [Read] walks a file's records and hands over the response records of
// HTTP captures, with their target URL, capture date (WARC-Date), status,
// headers and payload; it counts what it skips, and reports a malformed
// record with its offset and goes on with the next one (a truncated file
// yields the records before the damage). [Writer] writes a crawl's HTTP
// exchanges as request and response records with block and payload
// digests.
//
// It imports the standard library and gowarc only.
package warc
