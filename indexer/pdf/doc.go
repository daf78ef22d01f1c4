// Package pdf turns a PDF document into the passages the index needs: its
// title, date, and text cut by the document's structure (outline chapters or
// heading lines, else pages), each passage knowing the page it starts on.
//
// Text comes from github.com/ledongthuc/pdf (pure Go), which yields the
// positioned glyphs of each page; this package rebuilds lines and columns from
// their coordinates, removes running headers, footers and page numbers, joins
// words hyphenated across lines and unfolds ligatures.
//
// A PDF library can die on hostile input in ways recover() cannot catch (a
// fatal out-of-memory, a stack overflow), so [Runner] runs the extraction in a
// child process of the same binary under a memory limit and a deadline; the
// binary's main calls [ServeChild] first thing. Every failure is an *Error
// with a Reason ("pdf_encrypted", "pdf_corrupt", …) for the crawl summary.
//
// It imports the standard library and github.com/ledongthuc/pdf, nothing of ours.
package pdf
