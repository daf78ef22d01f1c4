// Package corpus is the bundled demo site: a small, embedded imitation of the State
// Department's INL pages (two page templates of different eras, country programs,
// partnerships, focus pages, reports), served over HTTP so that the crawler, extractor
// and tagger can be exercised end to end without the internet. It imports only the
// standard library and golang.org/x/text, never another inlsearch package.
//
// # Page sources
//
// Every file under site/ is served at its URL path: site/j/inl/regions/mexico.htm
// answers /j/inl/regions/mexico.htm, and site/wildlife-trafficking/index.html answers
// the slug URL /wildlife-trafficking/ (a request without the final slash is redirected).
// A page source starts with a front-matter HTML comment, one "key: value" per line:
//
//	<!--
//	template: classic          (required: a file templates/<name>.html)
//	title: Mexico Program Overview   (required)
//	lastmod: 2014-01-03        (required, YYYY-MM-DD; sitemap lastmod, Last-Modified)
//	charset: windows-1252      (optional, default utf-8; the source stays UTF-8)
//	published: 2013-11-20      (optional, default lastmod; modern template meta tag)
//	archived: yes              (optional; modern template shows the archived notice)
//	section: Country Programs  (optional; groups the page in generated listings)
//	parent: /j/inl/regions/index.htm (optional; breadcrumb between Home and the page)
//	-->
//	<h1>…</h1><p>…</p>
//
// The body is wrapped in the template (html/template; data: .Title, .Body, .Path,
// .LastMod, .Published, .Archived, .Charset, .Section, .Crumbs) and encoded in the
// declared charset. A body may hold the marker <!--#pagelist--> (every page, grouped
// by section) or <!--#pagelist:Section Name--> (one section); the handler replaces it
// with a generated list of links, so listing pages never go stale. Files without front
// matter (robots.txt, CSV, images) are served as they are.
//
// Sections used so far: Partnerships, Country Programs, Regions, Focus Areas,
// Reports, Fact Sheets, Press Releases, Remarks and Testimony, About.
//
// # Deliberate traps
//
// /drafts/ is disallowed by robots.txt, linked from the site, and holds a token that
// must never be indexed; /j/inl/partners.htm answers 301 to the partnerships page; one
// link (BrokenLink) answers 404; one page is served as windows-1252.
//
// # PDF documents
//
// Three PDFs are served as files (application/pdf) and linked from the reports page
// (/j/inl/rls/): a strategy report with an outline, a running header and page numbers
// (/j/inl/rls/nrcrpt/2015/vol1/incsr-2015-volume-1.pdf), a budget guide with a table
// (/j/inl/rls/rpt/cbj/program-and-budget-guide-fy2016.pdf) and a two-column fact sheet
// (/j/inl/rls/fs/container-control-fact-sheet.pdf). They are written by the generator in
// corpus/pdfgen, never by hand: `go test ./corpus/pdfgen -update` rewrites them, and that
// package's test fails when a committed file differs from what it writes.
//
// gold/*.json hold the hand-made tags of every page (see gold_test.go).
package corpus
