// Package search is the domain core of inlsearch: the Document type, the bleve
// mapping, index generations, queries, facets and snippets. It imports bleve and
// the standard library only, never another inlsearch package, and never logs.
package search
