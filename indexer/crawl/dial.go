package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// BlockedError is returned (wrapped) by a dial to a named host whose DNS answer holds only
// private, loopback, link-local, metadata or otherwise non-public addresses.
type BlockedError struct {
	Host string
	Addr netip.Addr
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("destination blocked: %s resolves to non-public address %s", e.Host, e.Addr)
}

// blockedPrefixes are special-purpose ranges (IANA registries) not covered by the
// netip.Addr predicates used in isBlocked.
var blockedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",         // "this network"
		"100.64.0.0/10",     // carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
		"192.0.0.0/24",      // IETF protocol assignments
		"192.0.2.0/24",      // documentation
		"198.18.0.0/15",     // benchmarking
		"198.51.100.0/24",   // documentation
		"203.0.113.0/24",    // documentation
		"240.0.0.0/4",       // reserved, broadcast
		"100::/64",          // discard
		"2001:db8::/32",     // documentation
		"fec0::/10",         // deprecated site-local
		"64:ff9b:1::/48",    // local-use NAT64
		"2001::/32",         // Teredo: hides an IPv4 address
		"2001:10::/28",      // ORCHID
		"ff00::/8",          // multicast
		"::/128", "::1/128", // unspecified, loopback (also caught by predicates)
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// isBlocked reports whether a connection to addr must be refused for a named host.
func isBlocked(addr netip.Addr) bool {
	addr = addr.Unmap()
	if !addr.IsValid() || addr.IsLoopback() || addr.IsPrivate() || addr.IsUnspecified() ||
		addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() || addr.IsMulticast() {
		return true
	}
	// Addresses that embed an IPv4 address are judged by it.
	if addr.Is6() {
		b := addr.As16()
		switch {
		case nat64.Contains(addr):
			return isBlocked(netip.AddrFrom4([4]byte(b[12:16])))
		case sixToFour.Contains(addr):
			return isBlocked(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	for _, p := range blockedPrefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// isLiteralHost reports whether host (no port) is an IP literal or localhost: such hosts
// reach the dialer only when the operator named them in a seed, so they are not checked.
func isLiteralHost(host string) bool {
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return true
	}
	return strings.EqualFold(strings.TrimSuffix(host, "."), "localhost")
}

// guardedDialer resolves named hosts itself and dials the checked address, so that the
// check and the connection use the same answer (no DNS-rebinding window) and every
// redirect hop goes through it.
type guardedDialer struct {
	dialer       net.Dialer
	resolver     Resolver
	allowPrivate bool
	dial         func(ctx context.Context, network, addr string) (net.Conn, error) // tests
}

func newGuardedDialer(cfg Config) *guardedDialer {
	r := cfg.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	g := &guardedDialer{
		dialer:       net.Dialer{Timeout: cfg.HeaderTimeout, KeepAlive: 30 * time.Second},
		resolver:     r,
		allowPrivate: cfg.AllowPrivate,
	}
	g.dial = g.dialer.DialContext
	return g
}

func (g *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	if isLiteralHost(host) {
		return g.dial(ctx, network, addr)
	}
	ips, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	var allowed []netip.Addr
	var blocked *BlockedError
	for _, ip := range ips {
		if !g.allowPrivate && isBlocked(ip) {
			if blocked == nil {
				blocked = &BlockedError{Host: host, Addr: ip}
			}
			continue
		}
		allowed = append(allowed, ip.Unmap())
	}
	if len(allowed) == 0 {
		if blocked != nil {
			return nil, blocked
		}
		return nil, fmt.Errorf("resolve %s: no address", host)
	}
	var errs []error
	for _, ip := range allowed {
		conn, err := g.dial(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("dial %s: %w", host, errors.Join(errs...))
}
