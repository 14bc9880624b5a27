package fetch

import (
	"fmt"
	"net/netip"
	"strings"
)

// refusedPrefixes are the ranges that are not the public internet: this
// host, private networks, shared address space, link-local, documentation,
// benchmarking, multicast and reserved space (IANA's IPv4 and IPv6
// special-purpose address registries). IPv4-mapped IPv6 addresses are
// unmapped before the check; NAT64 and 6to4 addresses are judged by the IPv4
// address they carry.
var refusedPrefixes = mustPrefixes(
	// IPv4
	"0.0.0.0/8",          // "this network", unspecified
	"10.0.0.0/8",         // private
	"100.64.0.0/10",      // shared address space (carrier-grade NAT)
	"127.0.0.0/8",        // loopback
	"169.254.0.0/16",     // link-local (cloud metadata services live here)
	"172.16.0.0/12",      // private
	"192.0.0.0/24",       // IETF protocol assignments
	"192.0.2.0/24",       // documentation (TEST-NET-1)
	"192.31.196.0/24",    // AS112
	"192.52.193.0/24",    // AMT
	"192.88.99.0/24",     // deprecated 6to4 relay anycast
	"192.168.0.0/16",     // private
	"192.175.48.0/24",    // AS112 direct delegation
	"198.18.0.0/15",      // benchmarking
	"198.51.100.0/24",    // documentation (TEST-NET-2)
	"203.0.113.0/24",     // documentation (TEST-NET-3)
	"224.0.0.0/4",        // multicast
	"240.0.0.0/4",        // reserved, and the limited broadcast address
	"255.255.255.255/32", // limited broadcast
	// IPv6: only global unicast (2000::/3) is public; see isPublic. These
	// are the special ranges inside it.
	"2001::/23",     // IETF protocol assignments, Teredo included
	"2001:db8::/32", // documentation
	"3fff::/20",     // documentation
)

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
	globalV6    = netip.MustParsePrefix("2000::/3")
)

func mustPrefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

// IsPublic reports whether ip is an address on the public internet, one that
// the fetcher connects to without an allow-list entry.
func IsPublic(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap()
	if !ip.IsValid() {
		return false
	}
	if ip.Is6() {
		switch {
		case nat64Prefix.Contains(ip):
			b := ip.As16()
			return IsPublic(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
		case sixToFour.Contains(ip):
			b := ip.As16()
			return IsPublic(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
		case !globalV6.Contains(ip):
			// Loopback, unspecified, IPv4-compatible, unique local
			// (fc00::/7), link-local, site-local, multicast and reserved.
			return false
		}
	}
	for _, p := range refusedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// allowList holds the exceptions an operator configured.
type allowList struct {
	hosts map[string]bool
	cidrs []netip.Prefix
}

func newAllowList(hosts []string, cidrs []netip.Prefix) allowList {
	a := allowList{hosts: make(map[string]bool, len(hosts))}
	for _, h := range hosts {
		a.hosts[canonicalHost(h)] = true
	}
	for _, p := range cidrs {
		a.cidrs = append(a.cidrs, p.Masked())
	}
	return a
}

// hostAllowed reports whether the host name itself is allowed, whatever it
// resolves to.
func (a allowList) hostAllowed(host string) bool {
	return a.hosts[canonicalHost(host)]
}

// addrAllowed reports whether ip falls in an allowed range.
func (a allowList) addrAllowed(ip netip.Addr) bool {
	ip = ip.WithZone("")
	for _, p := range a.cidrs {
		if p.Contains(ip) || p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// canonicalHost is the form host names are compared in.
func canonicalHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// ParseAllowList parses the comma- or space-separated allow-list an operator
// gives on the command line: each entry is a CIDR range ("10.1.0.0/16"), a
// single address ("127.0.0.1", "::1") or a host name ("wiki.internal"). It
// returns the host names and ranges for Config.AllowHosts and
// Config.AllowCIDRs.
func ParseAllowList(s string) (hosts []string, cidrs []netip.Prefix, err error) {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		switch {
		case strings.Contains(f, "/"):
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, nil, fmt.Errorf("allow-list entry %q: %w", f, err)
			}
			cidrs = append(cidrs, p.Masked())
		default:
			if ip, err := netip.ParseAddr(strings.Trim(f, "[]")); err == nil {
				cidrs = append(cidrs, netip.PrefixFrom(ip, ip.BitLen()))
				continue
			}
			if strings.ContainsAny(f, ":[]@?#") {
				return nil, nil, fmt.Errorf("allow-list entry %q: neither an address, a range nor a host name", f)
			}
			hosts = append(hosts, canonicalHost(f))
		}
	}
	return hosts, cidrs, nil
}
