package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// junkTags never hold readable content.
const junkTags = "script, style, noscript, template, svg, math, iframe, frame, object, embed, canvas, " +
	"audio, video, map, input, select, textarea, button, option, datalist, dialog, link, meta, head"

// chromeTags are the page's furniture: removed unless they hold most of the
// page (some sites wrap everything in a <form> or a <header>).
const chromeTags = "nav, aside, footer, menu, form, [role=navigation], [role=banner], [role=contentinfo], " +
	"[role=complementary], [role=search], [role=menu], [role=menubar], [role=dialog], [role=alertdialog], [role=toolbar]"

// clean removes from doc everything that cannot be main content: scripts
// and other non-text elements, hidden elements, and navigation, asides,
// footers, forms and page-level headers.
func clean(doc *goquery.Document) {
	doc.Find(junkTags).Remove()
	doc.Find("*").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return hidden(s.Get(0))
	}).Remove()
	removeComments(doc.Get(0))

	body := doc.Find("body").First()
	if body.Length() == 0 {
		return
	}
	total := countRunes(nodeText(body.Get(0)))
	keep := func(n *html.Node) bool {
		return countRunes(nodeText(n)) > total/2 ||
			goquery.NewDocumentFromNode(n).Find("main, [role=main]").Length() > 0
	}
	body.Find(chromeTags).Each(func(_ int, s *goquery.Selection) {
		if n := s.Get(0); !keep(n) {
			s.Remove()
		}
	})
	body.Find("header").Each(func(_ int, s *goquery.Selection) {
		if s.ParentsFiltered("article, main, section, [role=main]").Length() > 0 {
			return
		}
		if n := s.Get(0); !keep(n) {
			s.Remove()
		}
	})
}

// hidden reports whether n is hidden from every reader: the hidden attribute,
// aria-hidden="true", or an inline style with display:none or
// visibility:hidden.
func hidden(n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	if n.Data == "html" || n.Data == "body" {
		return false
	}
	if hasAttr(n, "hidden") || strings.EqualFold(strings.TrimSpace(attr(n, "aria-hidden")), "true") {
		return true
	}
	if st := attr(n, "style"); st != "" {
		st = strings.ToLower(strings.Join(strings.Fields(st), ""))
		if strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
			return true
		}
	}
	return false
}

func removeComments(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.CommentNode {
			n.RemoveChild(c)
		} else {
			removeComments(c)
		}
		c = next
	}
}
