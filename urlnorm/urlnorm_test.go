package urlnorm

import (
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already normal", "https://example.com/news/story", "https://example.com/news/story"},
		{"scheme and host case", "HTTPS://WWW.Example.COM/News/Story", "https://www.example.com/News/Story"},
		{"root without slash", "http://example.com", "http://example.com/"},
		{"root with slash", "http://example.com/", "http://example.com/"},
		{"root with query", "http://example.com?b=2&a=1", "http://example.com/?a=1&b=2"},
		{"trailing slash", "https://example.com/a/b/", "https://example.com/a/b"},
		{"trailing slashes", "https://example.com/a//", "https://example.com/a"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"other port kept", "https://example.com:8443/a", "https://example.com:8443/a"},
		{"http port on https kept", "https://example.com:80/a", "https://example.com:80/a"},
		{"empty port", "https://example.com:/a", "https://example.com/a"},
		{"fragment", "https://example.com/a#section-2", "https://example.com/a"},
		{"hash-bang fragment", "https://example.com/#!/a", "https://example.com/"},
		{"utm parameters", "https://example.com/a?utm_source=tw&utm_medium=social&UTM_Campaign=x", "https://example.com/a"},
		{"tracking with content", "https://example.com/a?id=7&fbclid=abc&gclid=1&mc_cid=2&mc_eid=3&igshid=4&ref_src=twsrc", "https://example.com/a?id=7"},
		{"ref kept", "https://github.com/x/y?ref=main", "https://github.com/x/y?ref=main"},
		{"sorted parameters", "https://example.com/s?q=b&p=2&q=a", "https://example.com/s?p=2&q=a&q=b"},
		{"empty pieces", "https://example.com/s?&a=1&&", "https://example.com/s?a=1"},
		{"empty query", "https://example.com/s?", "https://example.com/s"},
		{"parameter encoding kept", "https://example.com/s?q=a+b&r=a%2fb", "https://example.com/s?q=a+b&r=a%2Fb"},
		{"unreserved escapes decoded", "https://example.com/%7euser/%41", "https://example.com/~user/A"},
		{"reserved escapes kept", "https://example.com/a%2fb", "https://example.com/a%2Fb"},
		{"dot segments", "https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"dot segments above root", "https://example.com/../a", "https://example.com/a"},
		{"idn host", "https://Bücher.example/katalog", "https://xn--bcher-kva.example/katalog"},
		{"punycode host", "https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
		{"trailing dot", "https://example.com./a", "https://example.com/a"},
		{"underscore host", "https://my_host.example.com/", "https://my_host.example.com/"},
		{"ipv4", "http://192.0.2.1:80/", "http://192.0.2.1/"},
		{"ipv6", "http://[2001:DB8:0:0::1]:8080/x/", "http://[2001:db8::1]:8080/x"},
		{"surrounding space", "  https://example.com/a  ", "https://example.com/a"},
		{"non-ascii path", "https://example.com/café", "https://example.com/caf%C3%A9"},
		{"user info kept", "https://user@example.com/", "https://user@example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := Normalize(got)
			if err != nil || again != got {
				t.Errorf("Normalize(%q) = %q, %v; want it unchanged (idempotence)", got, again, err)
			}
		})
	}
}

func TestNormalizeSamePage(t *testing.T) {
	variants := []string{
		"https://www.example.com/politics/story-1/",
		"HTTPS://WWW.EXAMPLE.COM:443/politics/story-1",
		"https://www.example.com/politics/story-1?utm_source=newsletter#comments",
		"https://www.example.com/politics/./story-1?fbclid=XYZ",
	}
	want, err := Normalize(variants[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range variants[1:] {
		got, err := Normalize(v)
		if err != nil {
			t.Fatalf("Normalize(%q): %v", v, err)
		}
		if got != want {
			t.Errorf("Normalize(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrMalformed},
		{"blank", "   ", ErrMalformed},
		{"no scheme", "example.com/a", ErrUnsupportedScheme},
		{"ftp", "ftp://example.com/file", ErrUnsupportedScheme},
		{"javascript", "javascript:alert(1)", ErrUnsupportedScheme},
		{"file", "file:///etc/passwd", ErrUnsupportedScheme},
		{"mailto", "mailto:desk@example.com", ErrUnsupportedScheme},
		{"no host", "https:///path", ErrNoHost},
		{"opaque", "http:example.com", ErrNoHost},
		{"only port", "https://:8080/", ErrNoHost},
		{"bad escape", "https://example.com/%zz", ErrMalformed},
		{"control character", "https://example.com/\x7f", ErrMalformed},
		{"space in host", "https://exa mple.com/", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err == nil {
				t.Fatalf("Normalize(%q) = %q, want an error", tt.in, got)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Normalize(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestIsTrackingParam(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"utm_source", true}, {"UTM_MEDIUM", true}, {"fbclid", true}, {"gclid", true},
		{"id", false}, {"page", false}, {"ref", false}, {"utm", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsTrackingParam(tt.name); got != tt.want {
				t.Errorf("IsTrackingParam(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}
