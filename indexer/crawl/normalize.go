package crawl

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"slices"
	"strings"

	"golang.org/x/net/idna"
)

// ErrUnsupportedURL is wrapped by Normalize for URLs that are not absolute http(s) URLs.
var ErrUnsupportedURL = errors.New("not an absolute http(s) url")

// trackingParams are query keys that never change the content of a page.
var trackingParams = map[string]bool{
	"gclid": true, "gclsrc": true, "dclid": true, "fbclid": true, "msclkid": true,
	"yclid": true, "igshid": true, "mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	// session identifiers: one page would otherwise be fetched once per session
	"sid": true, "sessionid": true, "session_id": true, "sessid": true,
	"jsessionid": true, "phpsessid": true, "cfid": true, "cftoken": true,
}

func isTrackingParam(key string) bool {
	k := strings.ToLower(key)
	return trackingParams[k] || strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "aspsessionid")
}

// sessionPathParams are ";name=value" path parameters that carry a session.
var sessionPathParams = []string{";jsessionid=", ";phpsessid=", ";sid=", ";sessionid="}

// Normalize returns the canonical form of an absolute http(s) URL, so that variants of one
// page are fetched once: fragment dropped; scheme and host lowercased (IDN hosts in
// punycode); default port, user info, empty query dropped; duplicate slashes collapsed;
// dot segments resolved; session path parameters (;jsessionid=…) removed; tracking and
// session query parameters (utm_*, gclid, fbclid, sid, sessionid…) removed; the remaining
// parameters sorted by key (values of one key keep their order); percent-escapes
// uppercased, and escapes of unreserved characters decoded.
func Normalize(raw string) (string, error) {
	u, err := normalizeURL(raw)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// normalizeURL is Normalize returning the parsed result; its Host is the scope key.
func normalizeURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("normalize %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.Host == "" {
		return nil, fmt.Errorf("normalize %q: %w", raw, ErrUnsupportedURL)
	}
	host, err := normalizeHost(u.Scheme, u.Host)
	if err != nil {
		return nil, fmt.Errorf("normalize %q: %w", raw, err)
	}
	p := normalizePath(u.EscapedPath())
	out := &url.URL{Scheme: u.Scheme, Host: host, RawQuery: normalizeQuery(u.RawQuery)}
	// Path and RawPath must agree for url.URL.String to keep our escaping.
	out.Path, err = url.PathUnescape(p)
	if err != nil {
		return nil, fmt.Errorf("normalize %q: %w", raw, err)
	}
	out.RawPath = p
	return out, nil
}

func normalizeHost(scheme, hostport string) (string, error) {
	host, port := hostport, ""
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		host, port = h, p
	} else if strings.HasSuffix(hostport, ":") {
		host = strings.TrimSuffix(hostport, ":")
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return "", ErrUnsupportedURL
	}
	if strings.HasPrefix(host, "[") { // "[::1]" without port
		host = strings.Trim(host, "[]")
	}
	if !isASCII(host) {
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", fmt.Errorf("host %q: %w", host, err)
		}
		host = ascii
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port == "" {
		if strings.Contains(host, ":") {
			return "[" + host + "]", nil
		}
		return host, nil
	}
	return net.JoinHostPort(host, port), nil
}

// normalizePath works on the escaped path.
func normalizePath(p string) string {
	for _, sp := range sessionPathParams {
		for {
			i := strings.Index(strings.ToLower(p), sp)
			if i < 0 {
				break
			}
			end := strings.IndexAny(p[i+1:], ";/?")
			if end < 0 {
				p = p[:i]
			} else {
				p = p[:i] + p[i+1+end:]
			}
		}
	}
	p = normalizeEscapes(p)
	if p == "" {
		return "/"
	}
	trailing := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	p = path.Clean("/" + p)
	if trailing && p != "/" {
		p += "/"
	}
	return p
}

func normalizeQuery(q string) string {
	if q == "" {
		return ""
	}
	var params []string
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if isTrackingParam(key) {
			continue
		}
		params = append(params, normalizeEscapes(part))
	}
	slices.SortStableFunc(params, func(a, b string) int {
		ka, _, _ := strings.Cut(a, "=")
		kb, _, _ := strings.Cut(b, "=")
		return strings.Compare(ka, kb)
	})
	return strings.Join(params, "&")
}

// normalizeEscapes uppercases %xx escapes and decodes those of unreserved characters.
func normalizeEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			b.WriteByte(s[i])
			continue
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if isUnreserved(c) {
			b.WriteByte(c)
		} else {
			b.WriteString(strings.ToUpper(s[i : i+3]))
		}
		i += 2
	}
	return b.String()
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func isUnreserved(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
