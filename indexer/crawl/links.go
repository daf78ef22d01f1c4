package crawl

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// maxFallbackLinks bounds what Links returns from one body.
const maxFallbackLinks = 10000

// Links is a small fallback link finder for callers without an extractor: the absolute
// http(s) URLs of the <a href> and <area href> elements of an HTML body, resolved against
// base (or the document's <base href>), without fragments, in document order, each once.
func Links(base string, body []byte) []string {
	b, err := url.Parse(base)
	if err != nil {
		return nil
	}
	var out []string
	seen := make(map[string]bool)
	z := html.NewTokenizer(bytes.NewReader(body))
	for len(out) < maxFallbackLinks {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		if !hasAttr || (tag != "a" && tag != "area" && tag != "base") {
			continue
		}
		href, ok := attr(z, "href")
		if !ok {
			continue
		}
		ref, err := url.Parse(strings.TrimSpace(href))
		if err != nil {
			continue
		}
		abs := b.ResolveReference(ref)
		if tag == "base" {
			if abs.Scheme == "http" || abs.Scheme == "https" {
				b = abs
			}
			continue
		}
		if abs.Scheme != "http" && abs.Scheme != "https" {
			continue
		}
		abs.Fragment, abs.RawFragment = "", ""
		if s := abs.String(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func attr(z *html.Tokenizer, key string) (string, bool) {
	for {
		k, v, more := z.TagAttr()
		if string(k) == key {
			return string(v), true
		}
		if !more {
			return "", false
		}
	}
}
