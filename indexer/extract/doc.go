// Package extract turns one HTML page into the parts the index needs: its
// title, date, language, outgoing links and the passages of its main content,
// each with a heading path and an anchor that points back into the page.
//
// The main content is found by structure and text density (paragraph mass,
// link density, headings), never by the class names or ids of particular
// templates, so that pages of sites never seen before extract as well as the
// ones the tests know. Boilerplate (navigation, link lists, banners, share
// tokens, sign-in blurbs) is recognised the same way: by link density, by
// position and by a small set of phrase patterns.
//
// The package imports goquery and golang.org/x/net/html and nothing of ours.
package extract
