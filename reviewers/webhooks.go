package reviewers

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"factdesk/fetch"
	"factdesk/models"
	"factdesk/webhook"
)

// MaxWebhookURL bounds a webhook's address, in bytes.
const MaxWebhookURL = 2000

// WebhookInput is an admin's request to register a webhook. An empty
// Secret asks factdesk to make one.
type WebhookInput struct {
	URL    string
	Events []string
	Secret string
}

// CreateWebhook registers a webhook for an admin. It returns the webhook
// and the secret factdesk made for it, "" when the admin gave one: a made
// secret is shown this once and never again.
func (s *Service) CreateWebhook(ctx context.Context, actor models.Actor, in WebhookInput) (*models.Webhook, string, error) {
	if err := Authorize(actor, ActWebhooks); err != nil {
		return nil, "", err
	}
	u, err := checkWebhookURL(in.URL)
	if err != nil {
		return nil, "", err
	}
	if err := s.checkWebhookHost(u); err != nil {
		return nil, "", err
	}
	events, err := checkWebhookEvents(in.Events)
	if err != nil {
		return nil, "", err
	}
	secret, made := strings.TrimSpace(in.Secret), ""
	if secret == "" {
		secret = webhook.NewSecret()
		made = secret
	} else if _, err := webhook.ParseSecret(secret); err != nil {
		return nil, "", models.FieldError("secret", "%v (or leave it empty and factdesk makes one)", err)
	}
	w, err := s.store.CreateWebhook(ctx, actor, models.NewWebhook{URL: u, Events: events, Secret: secret})
	if err != nil {
		return nil, "", err
	}
	return w, made, nil
}

// checkWebhookHost refuses a webhook to an address URL imports may not
// reach (127.0.0.1, a private range) unless --fetch-allow names it; a host
// name is checked again on every delivery, against what it resolves to.
func (s *Service) checkWebhookHost(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return models.FieldError("url", "that is not a web address")
	}
	f := s.fetcher
	if f == nil {
		f = fetch.New(fetch.Config{})
	}
	if err := f.CheckHost(u.Hostname()); err != nil {
		return models.FieldError("url", "%v; a webhook may call a private address only when the server's --fetch-allow names it", err)
	}
	return nil
}

// checkWebhookURL accepts an absolute http or https URL with a host and
// no credentials in it, within MaxWebhookURL bytes. Where the address
// points is checked when it is called, like a URL import's.
func checkWebhookURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", models.FieldError("url", "a webhook needs the address to call")
	}
	if len(raw) > MaxWebhookURL {
		return "", models.FieldError("url", "the address is longer than %d characters", MaxWebhookURL)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return "", models.FieldError("url", "%q is not an absolute web address (https://…)", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return "", models.FieldError("url", "a webhook address starts with https:// or http://, not %s:", u.Scheme)
	}
	if u.Hostname() == "" {
		return "", models.FieldError("url", "the address %q names no host", raw)
	}
	if u.User != nil {
		return "", models.FieldError("url", "the address must not hold a user name or password; the webhook's secret signs each call")
	}
	return raw, nil
}

// checkWebhookEvents accepts a non-empty list of known event names, or
// "*" for all of them (which then stands alone); duplicates are dropped.
func checkWebhookEvents(events []string) ([]string, error) {
	var out []string
	all := false
	for _, e := range events {
		e = strings.TrimSpace(e)
		switch {
		case e == "*":
			all = true
		case !slices.Contains(models.WebhookEvents, e):
			return nil, models.FieldError("events", "%q is not an event factdesk sends; choose from %s, or * for all",
				e, strings.Join(models.WebhookEvents, ", "))
		case !slices.Contains(out, e):
			out = append(out, e)
		}
	}
	if all {
		return []string{"*"}, nil
	}
	if len(out) == 0 {
		return nil, models.FieldError("events", "choose at least one event, or * for all")
	}
	return out, nil
}

// Webhooks lists the live webhooks for an admin.
func (s *Service) Webhooks(ctx context.Context, actor models.Actor) ([]models.Webhook, error) {
	if err := Authorize(actor, ActWebhooks); err != nil {
		return nil, err
	}
	return s.store.Webhooks(ctx)
}

// Webhook returns a live webhook for an admin.
func (s *Service) Webhook(ctx context.Context, actor models.Actor, id int64) (*models.Webhook, error) {
	if err := Authorize(actor, ActWebhooks); err != nil {
		return nil, err
	}
	return s.store.Webhook(ctx, id)
}

// DeleteWebhook deletes a webhook for an admin; its pending deliveries
// are not sent.
func (s *Service) DeleteWebhook(ctx context.Context, actor models.Actor, id int64) error {
	if err := Authorize(actor, ActWebhooks); err != nil {
		return err
	}
	return s.store.DeleteWebhook(ctx, actor, id)
}

// WebhookDeliveries returns a page of a webhook's delivery log, newest
// first, for an admin.
func (s *Service) WebhookDeliveries(ctx context.Context, actor models.Actor, id, before int64, limit int) (*models.DeliveryPage, error) {
	if err := Authorize(actor, ActWebhooks); err != nil {
		return nil, err
	}
	return s.store.WebhookDeliveries(ctx, id, before, limit)
}

// RedeliverWebhook sends a delivery of a webhook again, now, with the
// same message id, for an admin.
func (s *Service) RedeliverWebhook(ctx context.Context, actor models.Actor, id, deliveryID int64) (*models.WebhookDelivery, error) {
	if err := Authorize(actor, ActWebhooks); err != nil {
		return nil, err
	}
	return s.store.RedeliverWebhook(ctx, actor, id, deliveryID)
}
