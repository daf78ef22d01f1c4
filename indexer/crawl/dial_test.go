package crawl

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestIsBlocked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		blocked bool
	}{
		{"127.0.0.1", true},
		{"127.1.2.3", true},
		{"10.0.0.1", true},
		{"172.16.5.4", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"100.100.100.200", true}, // metadata behind carrier-grade NAT space
		{"0.0.0.0", true},
		{"255.255.255.255", true},
		{"224.0.0.1", true},
		{"::1", true},
		{"::", true},
		{"fe80::1", true},
		{"fd00::1", true},
		{"fd00:ec2::254", true},    // AWS metadata over IPv6
		{"::ffff:127.0.0.1", true}, // IPv4-mapped loopback
		{"::ffff:10.1.1.1", true},  // IPv4-mapped private
		{"64:ff9b::a00:1", true},   // NAT64 of 10.0.0.1
		{"2002:7f00:1::", true},    // 6to4 of 127.0.0.1
		{"8.8.8.8", false},
		{"93.184.216.34", false},
		{"2606:4700:4700::1111", false},
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
		{"::ffff:8.8.4.4", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := isBlocked(netip.MustParseAddr(tt.addr)); got != tt.blocked {
				t.Errorf("isBlocked(%s) = %v, want %v", tt.addr, got, tt.blocked)
			}
		})
	}
}

// fakeResolver answers every name with one address and counts the lookups.
type fakeResolver struct {
	answer  func(n int32) netip.Addr
	lookups atomic.Int32
}

func (f *fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	n := f.lookups.Add(1)
	if !strings.HasSuffix(host, ".test") {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []netip.Addr{f.answer(n)}, nil
}

func TestCrawlDestinationBlocked(t *testing.T) {
	t.Parallel()
	s := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage("/a"), "/a": htmlPage()})
	_, port, _ := net.SplitHostPort(s.host())
	seed := "http://rebind.test:" + port + "/"
	loopback := func(int32) netip.Addr { return netip.MustParseAddr("127.0.0.1") }

	t.Run("blocked", func(t *testing.T) {
		t.Parallel()
		cfg := fastConfig()
		cfg.Resolver = &fakeResolver{answer: loopback}
		rep, _ := MustCrawl(t, cfg, seed)
		if hr := rep.Hosts["rebind.test:"+port]; hr == nil || hr.Skipped != ReasonDestinationBlocked {
			t.Fatalf("host report %+v, want Skipped %q", hr, ReasonDestinationBlocked)
		}
		wantFailure(t, rep, seed, ReasonDestinationBlocked)
	})
	t.Run("allow private", func(t *testing.T) {
		t.Parallel()
		cfg := fastConfig()
		cfg.Resolver = &fakeResolver{answer: loopback}
		cfg.AllowPrivate = true
		rep, _ := MustCrawl(t, cfg, seed)
		if rep.Fetched != 2 {
			t.Errorf("Fetched = %d, want 2 with AllowPrivate", rep.Fetched)
		}
	})
	t.Run("rebinding after the first answer", func(t *testing.T) {
		t.Parallel()
		// The dialer checks every connection: a name that first resolves to a public
		// address and later to loopback is refused at the later dial.
		var dialled []string
		dialer := &guardedDialer{
			resolver: &fakeResolver{answer: func(n int32) netip.Addr {
				if n == 1 {
					return netip.MustParseAddr("93.184.216.34")
				}
				return netip.MustParseAddr("127.0.0.1")
			}},
			dial: func(_ context.Context, _, addr string) (net.Conn, error) {
				dialled = append(dialled, addr)
				return nil, errors.New("test dial")
			},
		}
		_, err := dialer.DialContext(context.Background(), "tcp", "rebind.test:"+port)
		if be := (*BlockedError)(nil); errors.As(err, &be) {
			t.Errorf("first DialContext error = %v, want the public answer dialled", err)
		}
		_, err = dialer.DialContext(context.Background(), "tcp", "rebind.test:"+port)
		if be := (*BlockedError)(nil); !errors.As(err, &be) {
			t.Errorf("second DialContext error = %v, want a BlockedError", err)
		}
		if want := []string{"93.184.216.34:" + port}; strings.Join(dialled, ",") != strings.Join(want, ",") {
			t.Errorf("dialled %v, want %v (the checked address only, never loopback)", dialled, want)
		}
	})
	t.Run("literal loopback seed is the operator's choice", func(t *testing.T) {
		t.Parallel()
		cfg := fastConfig()
		cfg.Resolver = &fakeResolver{answer: loopback}
		rep, _ := MustCrawl(t, cfg, s.URL("/"), "http://localhost:"+port+"/")
		if rep.Fetched != 4 {
			t.Errorf("Fetched = %d, want 4 (127.0.0.1 and localhost are two hosts)", rep.Fetched)
		}
		if n := cfg.Resolver.(*fakeResolver).lookups.Load(); n != 0 {
			t.Errorf("resolver called %d times for literal hosts, want 0", n)
		}
	})
}

func TestCrawlRedirectToBlockedName(t *testing.T) {
	t.Parallel()
	// A redirect to a named in-scope host is dialled through the guard as well.
	target := MustSite(t, map[string]http.HandlerFunc{"/": htmlPage()})
	_, port, _ := net.SplitHostPort(target.host())
	s := MustSite(t, map[string]http.HandlerFunc{
		"/": htmlPage("/go"), "/go": redirect("http://inner.test:"+port+"/", http.StatusFound),
	})
	cfg := fastConfig()
	cfg.Resolver = &fakeResolver{answer: func(int32) netip.Addr { return netip.MustParseAddr("127.0.0.1") }}
	rep, _ := MustCrawl(t, cfg, s.URL("/"), "http://inner.test:"+port+"/")
	wantFailure(t, rep, "http://inner.test:"+port+"/", ReasonDestinationBlocked)
	if hr := rep.Hosts["inner.test:"+port]; hr.Skipped != ReasonDestinationBlocked || hr.Requests != 1 {
		t.Errorf("inner host report %+v, want skipped %q after the one robots attempt", hr, ReasonDestinationBlocked)
	}
	if n := len(target.log()); n != 0 {
		t.Errorf("blocked destination got %d requests", n)
	}
}
