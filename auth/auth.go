// Package auth holds factdesk's credential primitives: argon2id password
// hashes, random secrets for sessions and API tokens, and their digests.
// It knows nothing of HTTP or storage.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultParams follow OWASP's recommendation for argon2id (19 MiB, 2
// passes, 1 lane): about 30 ms on our machines, so that a sign-in is cheap
// for a person and expensive for a password guesser.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// TestParams are deliberately cheap, for tests that create many users.
var TestParams = Params{Memory: 1024, Time: 1, Threads: 1}

const saltLen, keyLen = 16, 32

// MinPasswordLen is the shortest password factdesk accepts.
const MinPasswordLen = 10

// ErrMismatch means a password does not match its hash.
var ErrMismatch = errors.New("password does not match")

// CheckPassword says why a new password is not acceptable, or nil.
func CheckPassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLen {
		return fmt.Errorf("a password needs at least %d characters", MinPasswordLen)
	}
	if len(pw) > 1024 {
		return errors.New("a password may have at most 1024 bytes")
	}
	return nil
}

// HashPassword returns the PHC-format argon2id hash of pw:
// $argon2id$v=19$m=…,t=…,p=…$salt$key.
func HashPassword(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var b64 = base64.RawStdEncoding

// VerifyPassword checks pw against a hash made by HashPassword, in
// constant time. It returns ErrMismatch when they differ.
func VerifyPassword(encoded, pw string) error {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return fmt.Errorf("argon2 parameters %q: %w", parts[3], err)
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("argon2 salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return fmt.Errorf("argon2 key: %w", err)
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// NewSecret returns 32 random bytes, URL-safe base64 encoded: a session
// id or a CSRF token.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the OS has no entropy: nothing safe to do
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Digest returns the hex SHA-256 of a secret; the database keeps digests,
// never secrets.
func Digest(secret string) string {
	s := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(s[:])
}

// TokenPrefix starts every API token, so that a leaked one is easy to
// recognise in logs and secret scanners.
const TokenPrefix = "fdk_"

// NewToken returns a new API token, the short prefix shown in lists and
// the digest to store.
func NewToken() (token, prefix, digest string) {
	token = TokenPrefix + NewSecret()
	return token, token[:len(TokenPrefix)+6], Digest(token)
}

// NewPassword returns a random password of 20 characters from an alphabet
// without look-alikes, for users created from the command line.
func NewPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
