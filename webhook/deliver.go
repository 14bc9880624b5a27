package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"factdesk/fetch"
	"factdesk/models"
	"factdesk/outbox"
)

// Limits of one delivery attempt.
const (
	// Timeout bounds an attempt: connecting, sending and the answer.
	Timeout = 10 * time.Second
	// maxAnswer is how much of an answer's body is read (and thrown
	// away), so that the connection can be reused without reading a
	// receiver's endless stream.
	maxAnswer = 64 << 10
	// UserAgent names factdesk to receivers.
	UserAgent = "factdesk-webhooks/1"
)

// Deliverer sends the outbox's webhook messages (kind
// models.OutboxWebhook): it implements outbox.Deliverer.
type Deliverer struct {
	store  *models.Store
	client *http.Client
	log    *slog.Logger
	// now is the clock of the webhook-timestamp header.
	now func() time.Time
}

// NewDeliverer returns a Deliverer that loads webhooks from store and
// calls them with client, which should be (*fetch.Fetcher).Client, so that
// webhooks reach only the addresses URL imports may (public ones, and those
// --fetch-allow names). Whatever client is given, redirects are not
// followed. A nil logger logs nothing.
func NewDeliverer(store *models.Store, client *http.Client, logger *slog.Logger) *Deliverer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Deliverer{store: store, client: &c, log: logger, now: time.Now}
}

// Deliver makes one attempt at POSTing m's payload, byte for byte, to its
// webhook, signed. A 2xx answer delivers it; 5xx, 408, 429 and network
// failures are worth another try; any other answer, an address the
// allow list refuses, and a webhook deleted meanwhile give it up.
func (d *Deliverer) Deliver(ctx context.Context, m *models.OutboxMessage) outbox.Result {
	if m.Kind != models.OutboxWebhook || m.WebhookID == nil {
		return outbox.Result{Permanent: true, Err: fmt.Errorf("outbox message %d is not a webhook delivery", m.ID)}
	}
	w, err := d.store.WebhookForDelivery(ctx, *m.WebhookID)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return outbox.Result{Permanent: true, Err: errors.New("the webhook no longer exists")}
	}
	if err != nil {
		// The database, not the receiver: try again later.
		return outbox.Result{Err: fmt.Errorf("load webhook %d: %w", *m.WebhookID, err)}
	}
	if w.DeletedAt != nil {
		return outbox.Result{Permanent: true, Err: errors.New("the webhook was deleted; its pending deliveries are not sent")}
	}
	ts := d.now()
	sig, err := Sign(w.Secret, m.MessageID, ts, []byte(m.Payload))
	if err != nil {
		return outbox.Result{Permanent: true, Err: fmt.Errorf("sign: %w", err)}
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader([]byte(m.Payload)))
	if err != nil {
		return outbox.Result{Permanent: true, Err: fmt.Errorf("the webhook's address cannot be called: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderID, m.MessageID)
	req.Header.Set(HeaderTimestamp, fmt.Sprint(ts.Unix()))
	req.Header.Set(HeaderSignature, sig)
	resp, err := d.client.Do(req)
	if err != nil {
		return d.failed(ctx, w, m, err)
	}
	defer resp.Body.Close()
	// Read a little of the answer so that the connection can serve the
	// next call; what it says is not kept.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	return answered(resp)
}

// answered judges the receiver's answer.
func answered(resp *http.Response) outbox.Result {
	code := resp.StatusCode
	switch {
	case code >= 200 && code <= 299:
		return outbox.Result{Status: code}
	case code >= 500, code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return outbox.Result{Status: code, Err: fmt.Errorf("the receiver answered %s", resp.Status)}
	case code >= 300 && code <= 399:
		return outbox.Result{Status: code, Permanent: true, Err: fmt.Errorf("the receiver answered %s, redirecting to %q: webhooks do not follow redirects; register the final address",
			resp.Status, resp.Header.Get("Location"))}
	}
	return outbox.Result{Status: code, Permanent: true, Err: fmt.Errorf("the receiver answered %s; not retried", resp.Status)}
}

// failed judges a call that got no answer: a refused address will be
// refused again, anything else may pass later.
func (d *Deliverer) failed(ctx context.Context, w *models.Webhook, m *models.OutboxMessage, err error) outbox.Result {
	var ae *fetch.AddressError
	if errors.As(err, &ae) {
		if ae.Host == ae.Addr.String() {
			err = fmt.Errorf("address %s is not public; allow it with --fetch-allow", ae.Addr)
		} else {
			err = fmt.Errorf("%s resolves to %s, which is not public; allow it with --fetch-allow", ae.Host, ae.Addr)
		}
		return outbox.Result{Permanent: true, Err: err}
	}
	if errors.Is(err, fetch.ErrForbiddenAddress) {
		return outbox.Result{Permanent: true, Err: fmt.Errorf("the address is not public; allow it with --fetch-allow: %w", err)}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// The receiver is slow, not wrong: its next try may be quicker.
		err = fmt.Errorf("no answer in time (the limit is %s)", Timeout)
	}
	d.log.InfoContext(ctx, "webhook delivery failed", "webhook", w.ID, "outbox", m.ID, "error", err)
	return outbox.Result{Err: err}
}
