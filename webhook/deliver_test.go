package webhook_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/fetch"
	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/outbox"
	"factdesk/reviewers"
	"factdesk/webhook"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// receiver is a webhook receiver on loopback that answers each call with
// the next of its statuses (the last one repeated) and keeps what came.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	calls    []call
}

type call struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	r := &receiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.calls = append(r.calls, call{header: req.Header.Clone(), body: body})
		status := r.statuses[min(len(r.calls), len(r.statuses))-1]
		r.mu.Unlock()
		if status >= 300 && status < 400 {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(status)
		io.WriteString(w, "thanks")
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

// desk is a store with a webhook to url subscribed to everything, and a
// deliverer that may reach loopback when allowLoopback is set.
type desk struct {
	st    *models.Store
	svc   *reviewers.Service
	admin models.Actor
	n     int // articles imported
	w     *models.Webhook
	d     *webhook.Deliverer
}

func newDesk(t *testing.T, db *models.DB, url string, allowLoopback bool) *desk {
	t.Helper()
	st := models.NewStore(db)
	var cfg fetch.Config
	if allowLoopback {
		cfg.AllowCIDRs = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	} else {
		// A literal 127.0.0.1 is refused when the webhook is registered; a
		// name that resolves to it gets as far as the call.
		url = strings.Replace(url, "127.0.0.1", "localhost", 1)
	}
	fetcher := fetch.New(cfg)
	svc := reviewers.New(st, reviewers.Config{}, fetcher, nil)
	u, err := st.CreateUser(t.Context(), models.System, models.NewUser{Email: "admin@test.example", Name: "Admin", Role: models.RoleAdmin, PasswordHash: "x"})
	if models.ErrorCode(err) == models.ECONFLICT {
		u, err = st.UserByEmail(t.Context(), "admin@test.example")
	}
	if err != nil {
		t.Fatal(err)
	}
	w, _, err := svc.CreateWebhook(t.Context(), u.Actor(), reviewers.WebhookInput{URL: url, Events: []string{"*"}, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return &desk{st: st, svc: svc, admin: u.Actor(), w: w, d: webhook.NewDeliverer(st, fetcher.Client(0), nil)}
}

// importArticle makes an article.imported event, and so a delivery.
func (k *desk) importArticle(t *testing.T) {
	t.Helper()
	k.n++
	body := fmt.Sprintf("The council met on Monday %d-%d. It approved the budget.", k.w.ID, k.n)
	if _, err := k.svc.Import(t.Context(), k.admin, ingest.ArticleInput{Title: "Budget", Body: body}); err != nil {
		t.Fatal(err)
	}
}

// send does what the outbox's sender does once: it claims the due
// webhook messages, delivers each and records the outcome, due again at
// once after a failure worth retrying. It returns the results.
func (k *desk) send(t *testing.T) []outbox.Result {
	t.Helper()
	ctx := t.Context()
	ms, err := k.st.ClaimOutbox(ctx, "test", []string{models.OutboxWebhook}, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var out []outbox.Result
	for i := range ms {
		start := time.Now()
		res := k.d.Deliver(ctx, &ms[i])
		o := models.OutboxOutcome{Status: res.Status, Err: res.Err, GiveUp: res.Permanent, Duration: time.Since(start)}
		if err := k.st.FinishOutbox(ctx, "test", ms[i].ID, o); err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

func (k *desk) deliveries(t *testing.T) []models.WebhookDelivery {
	t.Helper()
	page, err := k.st.WebhookDeliveries(t.Context(), k.w.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return page.Deliveries
}

// TestDeliverSigned: the receiver gets the payload byte for byte, signed
// so that Verify accepts it, with the message's id.
func TestDeliverSigned(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		rc := newReceiver(t, http.StatusNoContent)
		k := newDesk(t, db, rc.URL+"/hooks/factdesk?team=desk", true)
		k.importArticle(t)
		res := k.send(t)
		if len(res) != 1 || res[0].Err != nil || res[0].Status != http.StatusNoContent {
			t.Fatalf("results: %+v", res)
		}
		calls := rc.got()
		if len(calls) != 1 {
			t.Fatalf("%d calls, want 1", len(calls))
		}
		c := calls[0]
		d := k.deliveries(t)[0]
		if string(c.body) != d.Payload {
			t.Errorf("body %s, want the payload %s", c.body, d.Payload)
		}
		if err := webhook.Verify(secret, c.header, c.body, 0); err != nil {
			t.Errorf("verify: %v", err)
		}
		for h, want := range map[string]string{"Content-Type": "application/json", "User-Agent": "factdesk-webhooks/1", "Webhook-Id": d.MessageID} {
			if got := c.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		if ts := c.header.Get("Webhook-Timestamp"); ts == "" || strings.Contains(ts, ".") {
			t.Errorf("webhook-timestamp %q, want Unix seconds", ts)
		}
		if !strings.Contains(d.Payload, `"type":"article.imported"`) || d.State() != models.DeliverySent || len(d.Log) != 1 {
			t.Errorf("delivery %+v", d)
		}
	})
}

// work runs the outbox's sender with k's deliverer until the test ends,
// retrying failures after a few milliseconds instead of seconds.
func (k *desk) work(t *testing.T) {
	t.Helper()
	w, err := outbox.New(k.st, map[string]outbox.Deliverer{models.OutboxWebhook: k.d},
		outbox.Options{Poll: 10 * time.Millisecond, Backoff: func(int) time.Duration { return 10 * time.Millisecond }},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(context.Background()) }()
	t.Cleanup(func() {
		w.Close()
		if err := <-done; err != nil {
			t.Errorf("outbox worker: %v", err)
		}
	})
}

// TestDeliverRetries: through the outbox's sender, a receiver that fails
// twice (500, 500) gets the event three times with the same webhook-id, each signed
// anew, and the delivery log shows the three attempts.
func TestDeliverRetries(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		rc := newReceiver(t, 500, 500, 200)
		k := newDesk(t, db, rc.URL, true)
		k.work(t)
		k.importArticle(t)
		var d models.WebhookDelivery
		deadline := time.Now().Add(10 * time.Second)
		for d = k.deliveries(t)[0]; d.State() != models.DeliverySent && time.Now().Before(deadline); d = k.deliveries(t)[0] {
			time.Sleep(20 * time.Millisecond)
		}
		if d.State() != models.DeliverySent || d.Attempts != 3 || len(d.Log) != 3 {
			t.Fatalf("delivery: state %s, %d attempts, log %+v", d.State(), d.Attempts, d.Log)
		}
		calls := rc.got()
		if len(calls) != 3 {
			t.Fatalf("%d calls, want 3", len(calls))
		}
		for i, c := range calls {
			if c.header.Get("webhook-id") != d.MessageID || string(c.body) != d.Payload {
				t.Errorf("call %d: id %s, body %s; want %s, %s", i+1, c.header.Get("webhook-id"), c.body, d.MessageID, d.Payload)
			}
			if err := webhook.Verify(secret, c.header, c.body, 0); err != nil {
				t.Errorf("call %d: %v", i+1, err)
			}
		}
		for i, want := range []int{500, 500, 200} {
			if a := d.Log[i]; a.Status == nil || *a.Status != want {
				t.Errorf("attempt %d: status %v, want %d", i+1, a.Status, want)
			}
		}
		if !strings.Contains(d.Log[0].Error, "500") || d.Log[2].Error != "" {
			t.Errorf("attempt errors: %q, %q", d.Log[0].Error, d.Log[2].Error)
		}
	})
}

// TestRedeliverSendsSameMessage: a delivery sent again through the
// sender reaches the receiver with the webhook-id of the first, so that
// the receiver can tell it already has it.
func TestRedeliverSendsSameMessage(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		rc := newReceiver(t, 200)
		k := newDesk(t, db, rc.URL, true)
		k.importArticle(t)
		k.send(t)
		first := k.deliveries(t)[0]
		if _, err := k.svc.RedeliverWebhook(t.Context(), k.admin, k.w.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		k.send(t)
		calls := rc.got()
		if len(calls) != 2 || calls[1].header.Get("webhook-id") != first.MessageID || string(calls[1].body) != first.Payload {
			t.Fatalf("calls %+v, want the first message twice", calls)
		}
		if ds := k.deliveries(t); len(ds) != 2 || ds[0].State() != models.DeliverySent || ds[0].MessageID != first.MessageID {
			t.Errorf("deliveries %+v", ds)
		}
	})
}

// TestDeliverAnswers judges each kind of answer: retried or given up.
func TestDeliverAnswers(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		for _, tc := range []struct {
			status    int
			permanent bool
		}{
			{200, false}, {202, false},
			{500, false}, {502, false}, {408, false}, {429, false},
			{410, true}, {404, true}, {400, true}, {401, true},
			{302, true}, {307, true},
		} {
			rc := newReceiver(t, tc.status)
			k := newDesk(t, db, rc.URL, true)
			k.importArticle(t)
			res := k.send(t)
			if len(res) != 1 {
				t.Fatalf("%d: %d results", tc.status, len(res))
			}
			r := res[0]
			ok := tc.status < 300
			if r.Status != tc.status || (r.Err == nil) != ok || r.Permanent != tc.permanent {
				t.Errorf("%d: got %+v, want delivered %v, permanent %v", tc.status, r, ok, tc.permanent)
			}
			if n := len(rc.got()); n != 1 {
				t.Errorf("%d: %d calls (a redirect followed?), want 1", tc.status, n)
			}
			if tc.status >= 300 && tc.status < 400 && !strings.Contains(r.Err.Error(), "do not follow redirects") {
				t.Errorf("%d: %v", tc.status, r.Err)
			}
			// Give this test's deliveries up so the next case claims only its own.
			if err := k.svc.DeleteWebhook(t.Context(), k.admin, k.w.ID); err != nil {
				t.Fatal(err)
			}
			k.send(t)
		}
	})
}

// TestDeliverRefusesPrivateAddresses: without an allow list naming it, a
// webhook to loopback is never called, and its log says how to allow it.
func TestDeliverRefusesPrivateAddresses(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		rc := newReceiver(t, 200)
		k := newDesk(t, db, rc.URL, false)
		k.importArticle(t)
		res := k.send(t)
		if len(res) != 1 || !res[0].Permanent || res[0].Err == nil {
			t.Fatalf("results: %+v", res)
		}
		if n := len(rc.got()); n != 0 {
			t.Errorf("the receiver on loopback got %d calls", n)
		}
		d := k.deliveries(t)[0]
		// localhost resolves to 127.0.0.1 or ::1, whichever the resolver
		// gives first.
		if d.State() != models.DeliveryFailed || !strings.HasPrefix(d.LastError, "localhost resolves to ") ||
			!strings.HasSuffix(d.LastError, ", which is not public; allow it with --fetch-allow") {
			t.Errorf("delivery: %s, %q; want failed, saying localhost's address is not public", d.State(), d.LastError)
		}
		if k.send(t) != nil {
			t.Error("a refused delivery was tried again")
		}
	})
}

// TestDeliverGivesUpDeletedWebhooks: what was pending for a webhook when
// it was deleted is not sent.
func TestDeliverGivesUpDeletedWebhooks(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		rc := newReceiver(t, 200)
		k := newDesk(t, db, rc.URL, true)
		k.importArticle(t)
		if err := k.svc.DeleteWebhook(t.Context(), k.admin, k.w.ID); err != nil {
			t.Fatal(err)
		}
		res := k.send(t)
		if len(res) != 1 || !res[0].Permanent || !strings.Contains(res[0].Err.Error(), "deleted") {
			t.Fatalf("results: %+v", res)
		}
		if n := len(rc.got()); n != 0 {
			t.Errorf("the deleted webhook was called %d times", n)
		}
	})
}

// TestDeliverNetworkFailure: nobody listening is worth another try.
func TestDeliverNetworkFailure(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		rc := newReceiver(t, 200)
		url := rc.URL
		rc.Close()
		k := newDesk(t, db, url, true)
		k.importArticle(t)
		res := k.d.Deliver(context.Background(), &k.deliveries(t)[0].OutboxMessage)
		if res.Err == nil || res.Permanent || res.Status != 0 {
			t.Errorf("got %+v, want a failure to retry", res)
		}
	})
}

// TestDeliverTimesOut: a receiver that does not answer in time is worth
// another try, and the attempt ends with the caller's deadline.
func TestDeliverTimesOut(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		release := make(chan struct{})
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		t.Cleanup(slow.Close)
		t.Cleanup(func() { close(release) })
		k := newDesk(t, db, slow.URL, true)
		k.importArticle(t)
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		res := k.d.Deliver(ctx, &k.deliveries(t)[0].OutboxMessage)
		if res.Err == nil || res.Permanent || !strings.Contains(res.Err.Error(), "no answer in time") {
			t.Errorf("got %+v, want a timeout to retry", res)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the attempt took %s", d)
		}
	})
}
