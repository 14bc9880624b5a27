package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery", TestParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash format: got %q", h)
	}
	if err := VerifyPassword(h, "correct horse battery"); err != nil {
		t.Errorf("right password: got %v, want nil", err)
	}
	if err := VerifyPassword(h, "correct horse batterY"); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword("correct horse battery", TestParams)
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if err := VerifyPassword(bad, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("VerifyPassword(%q): got %v, want a format error", bad, err)
		}
	}
}

func TestTokens(t *testing.T) {
	tok, prefix, digest := NewToken()
	if !strings.HasPrefix(tok, TokenPrefix) || !strings.HasPrefix(tok, prefix) {
		t.Errorf("token %q prefix %q", tok, prefix)
	}
	if Digest(tok) != digest || len(digest) != 64 {
		t.Errorf("digest mismatch")
	}
	if a, b := NewSecret(), NewSecret(); a == b || len(a) < 40 {
		t.Errorf("secrets not random or too short: %q %q", a, b)
	}
	if p := NewPassword(); len(p) != 20 || CheckPassword(p) != nil {
		t.Errorf("generated password %q", p)
	}
	if CheckPassword("short") == nil {
		t.Error("a 5-character password was accepted")
	}
}
