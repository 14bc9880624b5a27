package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"factdesk/fetch"
	"factdesk/mail"
	"factdesk/models"
	"factdesk/outbox"
	"factdesk/webhook"
)

// newMailer builds the mail sender from --smtp-url and --mail-from, nil
// when no relay is configured. Mistakes are usage errors, and no message
// repeats the URL: it may hold the relay's password.
func (p *Program) newMailer(c *serverConfig) (*mail.Sender, error) {
	raw := c.smtpURL
	if raw == "" {
		// Read here rather than as the flag's default, so that -h never
		// prints a password from the environment.
		raw = p.Getenv("FACTDESK_SMTP_URL")
	}
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	relay, err := mail.ParseRelay(raw)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--smtp-url: %v", err)}
	}
	if strings.TrimSpace(c.mailFrom) == "" {
		return nil, usageError{"--smtp-url needs --mail-from (env FACTDESK_MAIL_FROM), the address notification mail comes from"}
	}
	s, err := mail.NewSender(relay, mail.Options{From: c.mailFrom})
	if err != nil {
		return nil, usageError{fmt.Sprintf("--mail-from: %v", err)}
	}
	return s, nil
}

// deliverers is every kind of outbox message this process sends, with its
// Deliverer; kinds left out stay queued for a process that has one.
// Webhooks go through the fetcher's client, so that they reach only what
// URL imports may (public addresses, and what --fetch-allow names).
func deliverers(store *models.Store, fetcher *fetch.Fetcher, mailer *mail.Sender, log *slog.Logger) map[string]outbox.Deliverer {
	d := map[string]outbox.Deliverer{models.OutboxWebhook: webhook.NewDeliverer(store, fetcher.Client(0), log)}
	if mailer != nil {
		d[models.OutboxEmail] = mailer
	}
	return d
}

// startOutbox runs the outbox worker of this process and returns it (for
// its figures) with the function that stops it gracefully — the message
// in flight finished and recorded, unused leases released — which must
// run before the database closes.
func startOutbox(ctx context.Context, store *models.Store, d map[string]outbox.Deliverer, log *slog.Logger) (*outbox.Worker, func(), error) {
	w, err := outbox.New(store, d, outbox.Options{}, log)
	if err != nil {
		return nil, nil, err
	}
	log.Info("outbox worker started", "owner", w.Owner(), "kinds", strings.Join(w.Kinds(), ","))
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The server's context ends at the first signal; the worker stops
		// later, by the returned function, so that it still sends what
		// the last requests queue.
		if err := w.Run(context.WithoutCancel(ctx)); err != nil {
			log.Error("outbox worker", "error", err)
		}
	}()
	return w, func() {
		w.Close()
		<-done
	}, nil
}
