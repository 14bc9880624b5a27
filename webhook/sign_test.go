package webhook_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"factdesk/webhook"
)

// The example of the Standard Webhooks specification and libraries.
const (
	specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specBody   = `{"test": 2432232314}`
	specSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignMatchesStandardWebhooks(t *testing.T) {
	got, err := webhook.Sign(specSecret, specID, time.Unix(1614265330, 0), []byte(specBody))
	if err != nil {
		t.Fatal(err)
	}
	if got != specSig {
		t.Errorf("got %s, want %s", got, specSig)
	}
}

func signed(t *testing.T, secret, id string, ts time.Time, body string) http.Header {
	t.Helper()
	sig, err := webhook.Sign(secret, id, ts, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(webhook.HeaderID, id)
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(webhook.HeaderSignature, sig)
	return h
}

func TestVerify(t *testing.T) {
	now := time.Now()
	other := webhook.NewSecret()
	for _, tc := range []struct {
		name   string
		header func() http.Header
		body   string
		want   error // nil: verifies
	}{
		{"signed now", func() http.Header { return signed(t, specSecret, specID, now, specBody) }, specBody, nil},
		{"one of several signatures (rotation)", func() http.Header {
			h := signed(t, specSecret, specID, now, specBody)
			h.Set(webhook.HeaderSignature, "v1,bm90IGl0 v1a,xyz "+h.Get(webhook.HeaderSignature))
			return h
		}, specBody, nil},
		{"body changed", func() http.Header { return signed(t, specSecret, specID, now, specBody) }, `{"test": 2432232315}`, webhook.ErrSignature},
		{"another secret", func() http.Header { return signed(t, other, specID, now, specBody) }, specBody, webhook.ErrSignature},
		{"id changed", func() http.Header {
			h := signed(t, specSecret, specID, now, specBody)
			h.Set(webhook.HeaderID, "msg_other")
			return h
		}, specBody, webhook.ErrSignature},
		{"ten minutes old", func() http.Header { return signed(t, specSecret, specID, now.Add(-10*time.Minute), specBody) }, specBody, webhook.ErrTimestamp},
		{"ten minutes ahead", func() http.Header { return signed(t, specSecret, specID, now.Add(10*time.Minute), specBody) }, specBody, webhook.ErrTimestamp},
		{"no signature", func() http.Header {
			h := signed(t, specSecret, specID, now, specBody)
			h.Del(webhook.HeaderSignature)
			return h
		}, specBody, webhook.ErrMissingHeaders},
		{"timestamp not a number", func() http.Header {
			h := signed(t, specSecret, specID, now, specBody)
			h.Set(webhook.HeaderTimestamp, "yesterday")
			return h
		}, specBody, webhook.ErrMissingHeaders},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := webhook.Verify(specSecret, tc.header(), []byte(tc.body), 0)
			if tc.want == nil && err != nil {
				t.Errorf("got %v, want it verified", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseSecret(t *testing.T) {
	ofBytes := func(n int) string { return webhook.SecretPrefix + base64.StdEncoding.EncodeToString(make([]byte, n)) }
	for _, tc := range []struct {
		name, secret string
		problem      string // "": accepted
	}{
		{"the specification's", specSecret, ""},
		{"made by factdesk", webhook.NewSecret(), ""},
		{"24 bytes", ofBytes(24), ""},
		{"64 bytes", ofBytes(64), ""},
		{"23 bytes", ofBytes(23), "not 23"},
		{"65 bytes", ofBytes(65), "not 65"},
		{"no prefix", strings.TrimPrefix(specSecret, "whsec_"), "starts with"},
		{"not base64", "whsec_not base64!", "not base64"},
		{"empty", "", "starts with"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := webhook.ParseSecret(tc.secret)
			switch {
			case tc.problem == "" && err != nil:
				t.Errorf("%q: %v", tc.secret, err)
			case tc.problem == "" && len(key) < webhook.MinSecretBytes:
				t.Errorf("%q: a key of %d bytes", tc.secret, len(key))
			case tc.problem != "" && (err == nil || !strings.Contains(err.Error(), tc.problem)):
				t.Errorf("%q: got %v, want an error saying %q", tc.secret, err, tc.problem)
			}
		})
	}
}
