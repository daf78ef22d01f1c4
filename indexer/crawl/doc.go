// Package crawl fetches the pages of the sites an operator named, politely and within bounds.
//
// The scope of a crawl is the set of hosts (host:port) of its seeds; links, redirects and
// sitemap entries that lead elsewhere are dropped and counted. robots.txt is obeyed per
// RFC 9309 (fetched once per host, Crawl-delay honoured up to a cap), each host is served by
// one worker with a delay between requests, every fetch is bounded in time, redirects and
// bytes after decompression, and named hosts that resolve to private, loopback, link-local
// or metadata addresses are refused when the connection is dialled. Bodies handed to the
// caller are decoded to UTF-8 (golang.org/x/net/html/charset).
//
// PDF documents (application/pdf, or a .pdf URL served as application/octet-stream) are
// fetched too, within their own byte limit (MaxPDFBytes), and handed over as served.
//
// The package finds no content itself: the caller's handle function receives each HTML page
// or PDF and returns the links it found. [Links] is a small fallback link finder.
//
// robots.txt is read by indexer/robots, which follows Google's reference parser.
//
// Imports: the standard library, golang.org/x/net, golang.org/x/text and
// indexer/robots.
package crawl
