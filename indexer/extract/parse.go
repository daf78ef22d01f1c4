package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxDepth is the element nesting kept when a page is too deep for the HTML
// parser, which refuses documents whose open-element stack passes 512.
const maxDepth = 200

// parse builds the DOM of body. A page nested too deeply for x/net/html is
// flattened (elements below maxDepth lose their tags, keep their text) and
// parsed again; if even that fails, the text alone is kept in a <body>.
func parse(body []byte) *html.Node {
	if doc, err := html.Parse(bytes.NewReader(body)); err == nil {
		return doc
	}
	if doc, err := html.Parse(bytes.NewReader(flatten(body, maxDepth))); err == nil {
		return doc
	}
	doc, err := html.Parse(strings.NewReader("<html><body></body></html>"))
	if err != nil {
		panic("extract: parse of constant document: " + err.Error())
	}
	body0 := findElement(doc, atom.Body)
	body0.AppendChild(&html.Node{Type: html.TextNode, Data: plainText(body)})
	return doc
}

// flatten rewrites body dropping the start and end tags of elements nested
// deeper than limit, as counted naively from the tag stream.
func flatten(body []byte, limit int) []byte {
	var out bytes.Buffer
	out.Grow(len(body))
	type open struct {
		name string
		kept bool
	}
	var stack []open
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.Bytes()
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElement(atom.Lookup(name)) {
				out.Write(z.Raw())
				continue
			}
			kept := len(stack) < limit
			stack = append(stack, open{name: string(name), kept: kept})
			if kept {
				out.Write(z.Raw())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			// Look for the matching open element near the top only: a stray
			// end tag must not make the rewrite quadratic.
			for i := len(stack) - 1; i >= 0 && i >= len(stack)-64; i-- {
				if stack[i].name == string(name) {
					if !stack[i].kept {
						name = nil
					}
					stack = stack[:i]
					break
				}
			}
			if name != nil {
				out.Write(z.Raw())
			}
		default:
			out.Write(z.Raw())
		}
	}
}

// plainText returns the text tokens of body outside script and style.
func plainText(body []byte) string {
	var b strings.Builder
	skip := 0
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			if n, _ := z.TagName(); rawTextElement(atom.Lookup(n)) {
				skip++
			}
		case html.EndTagToken:
			if n, _ := z.TagName(); rawTextElement(atom.Lookup(n)) && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

func rawTextElement(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea, atom.Title, atom.Xmp, atom.Iframe, atom.Noembed, atom.Noframes:
		return true
	}
	return false
}

func voidElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr, atom.Param, atom.Keygen:
		return true
	}
	return false
}

// findElement returns the first element with atom a in document order.
func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

// attr returns the value of n's attribute key (lower case), or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}
