package crawl

import (
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"fragment", "http://example.org/a#section-2", "http://example.org/a"},
		{"scheme and host case", "HTTP://Example.ORG/Path", "http://example.org/Path"},
		{"default http port", "http://example.org:80/a", "http://example.org/a"},
		{"default https port", "https://example.org:443/a", "https://example.org/a"},
		{"other port kept", "http://example.org:8080/a", "http://example.org:8080/a"},
		{"https port 80 kept", "https://example.org:80/", "https://example.org:80/"},
		{"empty port", "http://example.org:/a", "http://example.org/a"},
		{"empty path", "http://example.org", "http://example.org/"},
		{"user info dropped", "http://user:pw@example.org/a", "http://example.org/a"},
		{"trailing dot host", "http://example.org./a", "http://example.org/a"},
		{"utm params", "http://example.org/a?utm_source=x&id=3&utm_MEDIUM=y", "http://example.org/a?id=3"},
		{"click ids", "http://example.org/a?gclid=1&fbclid=2&msclkid=3&p=1", "http://example.org/a?p=1"},
		{"session query", "http://example.org/a?sid=abc&SessionID=9&PHPSESSID=1&q=x", "http://example.org/a?q=x"},
		{"jsessionid path param", "http://example.org/a;jsessionid=ABC123?x=1", "http://example.org/a?x=1"},
		{"jsessionid upper", "http://example.org/shop/item;JSESSIONID=zz/more", "http://example.org/shop/item/more"},
		{"sorted params", "http://example.org/a?b=2&a=1&c=3", "http://example.org/a?a=1&b=2&c=3"},
		{"same key keeps order", "http://example.org/a?k=2&a=0&k=1", "http://example.org/a?a=0&k=2&k=1"},
		{"empty query", "http://example.org/a?", "http://example.org/a"},
		{"only tracking", "http://example.org/a?utm_campaign=z", "http://example.org/a"},
		{"duplicate slashes", "http://example.org//a///b/", "http://example.org/a/b/"},
		{"dot segments", "http://example.org/a/./b/../c", "http://example.org/a/c"},
		{"dot segments trailing", "http://example.org/a/b/..", "http://example.org/a/"},
		{"dot above root", "http://example.org/../../a", "http://example.org/a"},
		{"escape case", "http://example.org/a%2fb%c3%a9", "http://example.org/a%2Fb%C3%A9"},
		{"unreserved escapes", "http://example.org/%7Euser/%41", "http://example.org/~user/A"},
		{"space in path", "http://example.org/a b", "http://example.org/a%20b"},
		{"idn host", "http://bücher.example/", "http://xn--bcher-kva.example/"},
		{"ipv6 default port", "http://[::1]:80/x", "http://[::1]/x"},
		{"ipv6 port", "http://[FE80::1]:8080/x", "http://[fe80::1]:8080/x"},
		{"query escapes", "http://example.org/s?q=a%2bb&x=%7e", "http://example.org/s?q=a%2Bb&x=~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil {
				t.Fatalf("Normalize(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := Normalize(got)
			if err != nil || again != got {
				t.Errorf("Normalize(%q) = %q, %v; want it unchanged (idempotent)", got, again, err)
			}
		})
	}
}

func TestNormalizeRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"file:///etc/passwd", "javascript:alert(1)", "mailto:a@example.org", "data:text/html,x",
		"ftp://example.org/", "gopher://example.org/", "/relative/path", "http://", "http:opaque",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := Normalize(in)
			if err == nil {
				t.Fatalf("Normalize(%q) = %q, want an error", in, got)
			}
			if !errors.Is(err, ErrUnsupportedURL) {
				t.Errorf("Normalize(%q) error %v, want ErrUnsupportedURL", in, err)
			}
		})
	}
}

func TestNormalizeVariantsAgree(t *testing.T) {
	t.Parallel()
	variants := []string{
		"http://Example.org:80/cal?m=3#top",
		"http://example.org/cal?m=3&utm_source=feed",
		"http://example.org//cal?sid=42&m=3",
		"http://example.org/x/../cal;jsessionid=1?m=3",
	}
	want, _ := Normalize(variants[0])
	for _, v := range variants[1:] {
		if got, err := Normalize(v); err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", v, got, err, want)
		}
	}
}
