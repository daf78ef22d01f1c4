// Package record keeps the per-URL crawl record of a data folder in an
// embedded bbolt file (DIR/crawl.db): the validators, the content hash and
// the history of each page, and the passages it produced, so that the next
// crawl can ask conditionally and reuse what did not change.
//
// Only the crawl that holds the data folder's lock opens the file. A crawl
// writes what it learns into a staging area; Promote makes it the record
// once the crawl's generation is published, and Discard drops it otherwise,
// so that the record always describes the last published generation.
package record
