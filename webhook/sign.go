// Package webhook tells the systems a newsroom registered of what happens
// in factdesk, the Standard Webhooks way (https://www.standardwebhooks.com):
// each call is a JSON POST signed with the webhook's secret, carrying the
// message id by which a receiver recognises a message it already has, and
// the time of the attempt. Sign and Verify are the signature on both ends;
// Deliverer sends the outbox's webhook messages.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of a signed call.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix starts every secret in the Standard Webhooks form.
const SecretPrefix = "whsec_"

// The bounds of a secret's key, in bytes, as Standard Webhooks asks.
const (
	MinSecretBytes = 24
	MaxSecretBytes = 64
)

// DefaultTolerance is how far a call's timestamp may be from the
// receiver's clock for Verify with tolerance 0: old enough calls are
// refused, so that a recorded call cannot be replayed later.
const DefaultTolerance = 5 * time.Minute

// NewSecret returns a fresh secret: "whsec_" and the base64 of 32 random
// bytes.
func NewSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("random webhook secret: %v", err)) // crypto/rand never fails on supported systems
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(b[:])
}

// ParseSecret returns the key of a secret in the Standard Webhooks form,
// "whsec_" and the base64 of 24 to 64 bytes; any other form is an error
// that says what is wrong, for the person who gave it.
func ParseSecret(secret string) ([]byte, error) {
	enc, ok := strings.CutPrefix(secret, SecretPrefix)
	if !ok {
		return nil, fmt.Errorf("a webhook secret starts with %q", SecretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("a webhook secret is %q followed by base64, and this is not base64", SecretPrefix)
	}
	if len(key) < MinSecretBytes || len(key) > MaxSecretBytes {
		return nil, fmt.Errorf("a webhook secret holds %d to %d bytes, not %d", MinSecretBytes, MaxSecretBytes, len(key))
	}
	return key, nil
}

// Sign returns the value of the webhook-signature header for the message
// msgID sent at ts with body: "v1," and the base64 of the HMAC-SHA256,
// under the secret's key, of msgID, ".", the Unix seconds of ts, "." and
// the body.
func Sign(secret, msgID string, ts time.Time, body []byte) (string, error) {
	key, err := ParseSecret(secret)
	if err != nil {
		return "", err
	}
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, msgID, ts.Unix(), body)), nil
}

func mac(key []byte, msgID string, unix int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msgID))
	h.Write([]byte{'.'})
	h.Write([]byte(strconv.FormatInt(unix, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Errors of Verify; test them with errors.Is.
var (
	// ErrMissingHeaders: webhook-id, webhook-timestamp or webhook-signature
	// is missing, or the timestamp is not a number.
	ErrMissingHeaders = errors.New("webhook: missing or malformed signature headers")
	// ErrTimestamp: the call's timestamp is further from now than the
	// tolerance.
	ErrTimestamp = errors.New("webhook: timestamp outside the tolerance")
	// ErrSignature: no signature of the call matches the body.
	ErrSignature = errors.New("webhook: no matching signature")
)

// Verify checks a call a receiver got: its headers name the message, the
// time and the signatures (several, space-separated, while a secret is
// rotated), and one v1 signature must match the body under secret; the
// timestamp must be within tolerance of now (0: DefaultTolerance).
func Verify(secret string, h http.Header, body []byte, tolerance time.Duration) error {
	return verifyAt(secret, h, body, tolerance, time.Now())
}

func verifyAt(secret string, h http.Header, body []byte, tolerance time.Duration, now time.Time) error {
	key, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	id, tsText, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	unix, err := strconv.ParseInt(tsText, 10, 64)
	if id == "" || sigs == "" || err != nil {
		return ErrMissingHeaders
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: sent at %d, %s from now", ErrTimestamp, unix, d.Round(time.Second))
	}
	want := mac(key, id, unix, body)
	for _, s := range strings.Fields(sigs) {
		v, enc, ok := strings.Cut(s, ",")
		if !ok || v != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(enc)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}
