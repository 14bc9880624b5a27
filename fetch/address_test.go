package fetch

import (
	"net/netip"
	"slices"
	"testing"
)

func TestIsPublic(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"93.184.215.14", true},
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"2606:4700:4700::1111", true},
		{"2a00:1450:4001:82b::200e", true},
		{"64:ff9b::808:808", true},        // NAT64 of 8.8.8.8
		{"2002:808:808::1", true},         // 6to4 of 8.8.8.8
		{"::ffff:93.184.215.14", true},    // IPv4-mapped public
		{"100.63.255.255", true},          // just below CGNAT
		{"100.128.0.0", true},             // just above CGNAT
		{"172.32.0.1", true},              // just above 172.16/12
		{"0.0.0.0", false},                // unspecified
		{"0.1.2.3", false},                // "this network"
		{"127.0.0.1", false},              // loopback
		{"127.255.255.254", false},        // loopback
		{"10.0.0.1", false},               // RFC 1918
		{"172.16.0.1", false},             // RFC 1918
		{"172.31.255.255", false},         // RFC 1918
		{"192.168.1.1", false},            // RFC 1918
		{"100.64.0.1", false},             // CGNAT
		{"100.127.255.255", false},        // CGNAT
		{"169.254.169.254", false},        // link-local, cloud metadata
		{"192.0.0.1", false},              // IETF protocol assignments
		{"192.0.2.1", false},              // TEST-NET-1
		{"198.51.100.7", false},           // TEST-NET-2
		{"203.0.113.9", false},            // TEST-NET-3
		{"198.18.0.1", false},             // benchmarking
		{"198.19.255.255", false},         // benchmarking
		{"224.0.0.1", false},              // multicast
		{"239.255.255.250", false},        // multicast
		{"240.0.0.1", false},              // reserved
		{"255.255.255.255", false},        // broadcast
		{"::", false},                     // unspecified
		{"::1", false},                    // loopback
		{"::ffff:127.0.0.1", false},       // IPv4-mapped loopback
		{"::ffff:10.1.2.3", false},        // IPv4-mapped private
		{"::ffff:169.254.169.254", false}, // IPv4-mapped metadata
		{"::127.0.0.1", false},            // IPv4-compatible (deprecated)
		{"64:ff9b::7f00:1", false},        // NAT64 of 127.0.0.1
		{"64:ff9b::a00:1", false},         // NAT64 of 10.0.0.1
		{"64:ff9b:1::1", false},           // local-use NAT64
		{"2002:7f00:1::1", false},         // 6to4 of 127.0.0.1
		{"2002:c0a8:101::1", false},       // 6to4 of 192.168.1.1
		{"fc00::1", false},                // unique local
		{"fd12:3456:789a::1", false},      // unique local
		{"fe80::1", false},                // link-local
		{"fe80::1%eth0", false},           // link-local with zone
		{"fec0::1", false},                // site-local (deprecated)
		{"ff02::1", false},                // multicast
		{"2001:db8::1", false},            // documentation
		{"3fff::1", false},                // documentation
		{"2001::1", false},                // Teredo
		{"2001:2::1", false},              // benchmarking
		{"100::1", false},                 // discard-only
		{"4000::1", false},                // unassigned, outside 2000::/3
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			ip := netip.MustParseAddr(tt.addr)
			if got := IsPublic(ip); got != tt.want {
				t.Errorf("IsPublic(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	t.Run("zero value", func(t *testing.T) {
		if IsPublic(netip.Addr{}) {
			t.Error("IsPublic(zero Addr) = true, want false")
		}
	})
}

func TestParseAllowList(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantHosts []string
		wantCIDRs []string
		wantErr   bool
	}{
		{"empty", "", nil, nil, false},
		{"mixed", "10.1.0.0/16, 127.0.0.1 wiki.Internal., ::1,[fd00::5]", []string{"wiki.internal"}, []string{"10.1.0.0/16", "127.0.0.1/32", "::1/128", "fd00::5/128"}, false},
		{"range masked", "192.168.1.7/24", nil, []string{"192.168.1.0/24"}, false},
		{"bad range", "10.0.0.0/33", nil, nil, true},
		{"url is not a host", "http://wiki.internal/", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hosts, cidrs, err := ParseAllowList(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseAllowList(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !slices.Equal(hosts, tt.wantHosts) {
				t.Errorf("hosts = %q, want %q", hosts, tt.wantHosts)
			}
			var got []string
			for _, p := range cidrs {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tt.wantCIDRs) {
				t.Errorf("cidrs = %q, want %q", got, tt.wantCIDRs)
			}
		})
	}
}

func TestAllowList(t *testing.T) {
	a := newAllowList([]string{"Wiki.Internal."}, []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")})
	if !a.hostAllowed("wiki.internal") || !a.hostAllowed("WIKI.INTERNAL.") {
		t.Error("wiki.internal not allowed, want allowed in any case and with a trailing dot")
	}
	if a.hostAllowed("other.internal") {
		t.Error("other.internal allowed, want refused")
	}
	for _, s := range []string{"10.1.2.3", "::ffff:10.1.2.3"} {
		if !a.addrAllowed(netip.MustParseAddr(s)) {
			t.Errorf("addrAllowed(%s) = false, want true", s)
		}
	}
	if a.addrAllowed(netip.MustParseAddr("10.2.0.1")) {
		t.Error("addrAllowed(10.2.0.1) = true, want false")
	}
}
