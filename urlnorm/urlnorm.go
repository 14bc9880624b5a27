// Package urlnorm normalises web addresses so that one page has one URL in
// the source library: the same page reached through differently written
// links (upper-case host, default port, fragment, tracking parameters,
// trailing slash, parameters in another order) normalises to the same string.
//
// Normalisation never fetches anything and never guesses: two URLs that a
// server could answer differently stay different (path case, "ref" and other
// parameters that may carry meaning, user information).
package urlnorm

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// Errors returned by Normalize, wrapped with the detail; test with errors.Is.
var (
	// ErrMalformed means the text is not a URL at all.
	ErrMalformed = errors.New("malformed URL")
	// ErrUnsupportedScheme means the URL is not http or https.
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")
	// ErrNoHost means the URL names no host.
	ErrNoHost = errors.New("URL has no host")
)

// trackingParams are query parameters that only identify a campaign, a click
// or a share and never select content. Parameters starting with "utm_" are
// dropped as well.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "igshid": true, "ref_src": true, "ref_url": true,
	"_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "vero_conv": true,
	"wt_mc": true, "cmpid": true, "s_cid": true,
}

// IsTrackingParam reports whether the query parameter name (compared without
// regard to case) is one that Normalize drops.
func IsTrackingParam(name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "utm_") || trackingParams[name]
}

// Normalize returns the canonical form of an http or https URL:
//   - scheme and host in lower case, internationalised host names in
//     punycode, IPv6 literals in their canonical form, a trailing dot on the
//     host removed;
//   - the default port (80 for http, 443 for https) removed;
//   - the fragment removed;
//   - tracking parameters (see IsTrackingParam) removed and the remaining
//     parameters sorted by name, then value, keeping their own encoding;
//   - percent-encoding with upper-case hex digits, and unreserved characters
//     (letters, digits, "-", ".", "_", "~") decoded;
//   - "." and ".." path segments resolved, and a trailing slash removed,
//     except that the root path is always "/".
//
// Anything but http and https, and a URL without a host, is an error wrapping
// ErrUnsupportedScheme, ErrNoHost or ErrMalformed.
func Normalize(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("empty string: %w", ErrMalformed)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q: %w: %v", raw, ErrMalformed, unwrapURLError(err))
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "http", "https":
	case "":
		return "", fmt.Errorf("%q has no scheme (want http or https): %w", raw, ErrUnsupportedScheme)
	default:
		return "", fmt.Errorf("%q: scheme %q (want http or https): %w", raw, u.Scheme, ErrUnsupportedScheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return "", fmt.Errorf("%q: %w", raw, ErrNoHost)
	}
	host, err := normalizeHost(u.Hostname())
	if err != nil {
		return "", fmt.Errorf("%q: %w", raw, err)
	}
	port := u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}

	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	if u.User != nil {
		b.WriteString(u.User.String())
		b.WriteByte('@')
	}
	b.WriteString(host)
	if port != "" {
		b.WriteByte(':')
		b.WriteString(port)
	}
	b.WriteString(normalizePath(u.EscapedPath()))
	if q := normalizeQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

// unwrapURLError drops the operation and URL that *url.Error repeats.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// normalizeHost lower-cases the host, converts an internationalised name to
// punycode and writes IP literals canonically (IPv6 in brackets).
func normalizeHost(host string) (string, error) {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", ErrNoHost
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Is6() {
			return "[" + ip.String() + "]", nil
		}
		return ip.String(), nil
	}
	if strings.ContainsAny(host, "[]") {
		return "", fmt.Errorf("host %q: %w", host, ErrMalformed)
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil {
		// Plain ASCII names that IDNA's strict rules refuse (an underscore,
		// say) still name hosts on the web; only non-ASCII ones must convert.
		if !isASCII(host) {
			return "", fmt.Errorf("host %q: %w: %v", host, ErrMalformed, err)
		}
		ascii = host
	}
	return strings.ToLower(ascii), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// normalizePath resolves dot segments, normalises percent-encoding and drops
// a trailing slash; the empty path and the root are "/".
func normalizePath(p string) string {
	p = removeDotSegments(normalizeEscapes(p))
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	if p == "" {
		return "/"
	}
	return p
}

// removeDotSegments implements RFC 3986 section 5.2.4. Repeated slashes are
// kept: servers may tell "/a//b" from "/a/b".
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	var out []string
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		last := i == len(segs)-1
		switch seg {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	r := strings.Join(out, "/")
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// normalizeQuery drops tracking parameters and empty pieces and sorts the
// rest by decoded name, then by their encoded text.
func normalizeQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ name, text string }
	var params []param
	for _, piece := range strings.Split(raw, "&") {
		if piece == "" {
			continue
		}
		piece = normalizeEscapes(piece)
		name, _, _ := strings.Cut(piece, "=")
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if IsTrackingParam(name) {
			continue
		}
		params = append(params, param{name, piece})
	}
	sort.SliceStable(params, func(i, j int) bool {
		if params[i].name != params[j].name {
			return params[i].name < params[j].name
		}
		return params[i].text < params[j].text
	})
	texts := make([]string, len(params))
	for i, p := range params {
		texts[i] = p.text
	}
	return strings.Join(texts, "&")
}

// normalizeEscapes upper-cases the hex digits of percent-escapes and decodes
// the escapes of unreserved characters (RFC 3986 section 6.2.2).
func normalizeEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			}
			i += 2
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
