// Package mail sends factdesk's notification mail through the newsroom's
// SMTP relay: it is the outbox's Deliverer for models.OutboxEmail.
//
// It speaks SMTP with the standard library's net/smtp client rather than
// emersion/go-smtp's (whose server the tests run). net/smtp keeps the
// production binary free of another dependency, lets the sender own the
// connection — one deadline from the delivery's context covers dialing,
// TLS and the whole exchange, where go-smtp's client resets the deadline
// around every command — and its PLAIN authentication refuses on its own
// to send a password over an unencrypted connection to a remote host, a
// second lock behind ours. Its replies come back as *textproto.Error with
// the SMTP code, which is all the sender needs to tell a permanent refusal
// from a temporary one.
package mail

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Security is how a relay connection is protected.
type Security int

// The ways to reach a relay.
const (
	// StartTLS (smtp://, port 587 by default) upgrades the connection
	// with STARTTLS before anything else and refuses a relay that does
	// not offer it.
	StartTLS Security = iota
	// ImplicitTLS (smtps://, port 465 by default) speaks TLS from the
	// first byte.
	ImplicitTLS
	// Insecure (smtp+insecure://, port 25 by default) never encrypts: for
	// a relay on the same host or a private network that has no TLS. It
	// takes no credentials.
	Insecure
)

// Relay is where mail goes: the address, how it is protected and the
// credentials. It never prints its password (see String).
type Relay struct {
	// Security is how the connection is protected.
	Security Security
	// Host is the relay's name (what its certificate must name); Addr is
	// host:port.
	Host, Addr string
	// User is the AUTH PLAIN user name, "" for no authentication.
	User     string
	password string
}

// ParseRelay reads a relay URL: smtp://user:pass@host:587 (STARTTLS
// required), smtps://user:pass@host:465 (implicit TLS) or
// smtp+insecure://host:25 (no TLS, no credentials). Its errors never
// repeat the URL, which may hold a password.
func ParseRelay(raw string) (Relay, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Relay{}, errors.New("not a URL (want smtp://user:pass@host:587, smtps://user:pass@host:465 or smtp+insecure://host:25)")
	}
	var r Relay
	port := ""
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		r.Security, port = StartTLS, "587"
	case "smtps":
		r.Security, port = ImplicitTLS, "465"
	case "smtp+insecure":
		r.Security, port = Insecure, "25"
	default:
		return Relay{}, fmt.Errorf("scheme %q: want smtp:// (STARTTLS), smtps:// (TLS) or smtp+insecure://", u.Scheme)
	}
	r.Host = u.Hostname()
	if r.Host == "" {
		return Relay{}, errors.New("no relay host")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	r.Addr = net.JoinHostPort(r.Host, port)
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return Relay{}, errors.New("a relay URL has no path or query")
	}
	if u.User != nil {
		r.User = u.User.Username()
		r.password, _ = u.User.Password()
		if r.User == "" {
			return Relay{}, errors.New("a password without a user name")
		}
	}
	if r.Security == Insecure && u.User != nil {
		return Relay{}, errors.New("smtp+insecure:// takes no credentials: they would cross the network in clear; use smtp:// (STARTTLS) or smtps://")
	}
	return r, nil
}

// String describes the relay for logs and messages with its password
// hidden.
func (r Relay) String() string {
	u := url.URL{Scheme: [...]string{"smtp", "smtps", "smtp+insecure"}[r.Security], Host: r.Addr}
	switch {
	case r.password != "":
		u.User = url.UserPassword(r.User, "xxxxx")
	case r.User != "":
		u.User = url.User(r.User)
	}
	return u.String()
}
