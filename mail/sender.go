package mail

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"

	"factdesk/models"
	"factdesk/outbox"
)

// defaultTimeout bounds a delivery whose context has no deadline.
const defaultTimeout = time.Minute

// Options configure a Sender.
type Options struct {
	// From is the sender of every mail (--mail-from): an address, with a
	// display name or without ("Factdesk <desk@newsroom.example>"). Its
	// domain also names the Message-IDs.
	From string
	// TLS, when set, is the TLS configuration to start from (tests trust
	// their own certificate with RootCAs); nil uses the system's roots.
	// The server name is always the relay's host.
	TLS *tls.Config
	// HelloName is the name given in EHLO; empty uses the host name.
	HelloName string
	// Now is the clock for the Date header; nil uses time.Now.
	Now func() time.Time
}

// Sender delivers outbox mail through one relay; it is an
// outbox.Deliverer and safe for concurrent use (one connection per mail).
type Sender struct {
	relay  Relay
	from   *netmail.Address
	domain string
	tls    *tls.Config
	hello  string
	now    func() time.Time
}

// NewSender returns a sender through relay, checking the From address.
func NewSender(relay Relay, o Options) (*Sender, error) {
	from, err := netmail.ParseAddress(o.From)
	if err != nil {
		return nil, fmt.Errorf("mail from %q: %w", o.From, err)
	}
	at := strings.LastIndexByte(from.Address, '@')
	if at < 1 || at == len(from.Address)-1 {
		return nil, fmt.Errorf("mail from %q: no domain", o.From)
	}
	s := &Sender{relay: relay, from: from, domain: from.Address[at+1:], hello: o.HelloName, now: o.Now}
	if o.TLS != nil {
		s.tls = o.TLS.Clone()
	} else {
		s.tls = &tls.Config{}
	}
	s.tls.ServerName = relay.Host
	if s.tls.MinVersion == 0 {
		s.tls.MinVersion = tls.VersionTLS12
	}
	if s.hello == "" {
		if h, err := os.Hostname(); err == nil && h != "" {
			s.hello = h
		} else {
			s.hello = "localhost"
		}
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Relay returns the relay the sender uses.
func (s *Sender) Relay() Relay { return s.relay }

// Deliver sends the mail m holds (an models.OutboxMail) with m's message
// id. A payload that cannot be a mail, or a recipient or message the relay
// refuses with a 5xx reply, is permanent; anything else — the relay down,
// TLS or authentication failing, a 4xx reply — is worth another try.
func (s *Sender) Deliver(ctx context.Context, m *models.OutboxMessage) outbox.Result {
	var p models.OutboxMail
	if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
		return outbox.Result{Err: fmt.Errorf("mail payload: %w", err), Permanent: true}
	}
	to, err := netmail.ParseAddress(p.To)
	if err != nil {
		return outbox.Result{Err: fmt.Errorf("recipient %q: %w", p.To, err), Permanent: true}
	}
	msg, err := compose(s.from, to, s.domain, p.Subject, p.Text, m.MessageID, s.now())
	if err != nil {
		return outbox.Result{Err: err, Permanent: true}
	}
	if err := s.send(ctx, to.Address, msg); err != nil {
		return classify(err)
	}
	return outbox.Result{Status: 250}
}

// stageError is a failure at one step of the exchange.
type stageError struct {
	stage string
	err   error
}

func (e *stageError) Error() string { return e.stage + ": " + e.err.Error() }
func (e *stageError) Unwrap() error { return e.err }

// Steps after which a 5xx reply is about this message, not the relay.
const (
	stageRcpt = "RCPT TO"
	stageData = "DATA"
)

// errNoStartTLS is a relay on smtp:// that does not offer STARTTLS.
var errNoStartTLS = errors.New("the relay does not offer STARTTLS; refusing to go on in clear (use smtps:// for implicit TLS)")

// send runs one SMTP exchange for one mail, all of it within ctx's
// deadline; an exchange cut short by ctx says so.
func (s *Sender) send(ctx context.Context, to string, msg []byte) (err error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	deadline, _ := ctx.Deadline()
	defer func() {
		var se *stageError
		if err == nil || !errors.As(err, &se) {
			return
		}
		// The connection's deadline is the context's, and may fire a
		// moment before the context reports it.
		cause := ctx.Err()
		if cause == nil && !time.Now().Before(deadline) {
			cause = context.DeadlineExceeded
		}
		if cause != nil {
			se.err = fmt.Errorf("%w (%v)", cause, se.err)
		}
	}()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.relay.Addr)
	if err != nil {
		return &stageError{"connect", err}
	}
	// Closing the connection is what interrupts net/smtp when the
	// context ends early (a shutdown that cannot wait).
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := conn.SetDeadline(deadline); err != nil {
		conn.Close()
		return &stageError{"connect", err}
	}
	if s.relay.Security == ImplicitTLS {
		tc := tls.Client(conn, s.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return &stageError{"TLS", err}
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.relay.Host)
	if err != nil {
		conn.Close()
		return &stageError{"greeting", err}
	}
	defer c.Close()
	if err := c.Hello(s.hello); err != nil {
		return &stageError{"EHLO", err}
	}
	if s.relay.Security == StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return &stageError{"STARTTLS", errNoStartTLS}
		}
		if err := c.StartTLS(s.tls); err != nil {
			return &stageError{"STARTTLS", err}
		}
	}
	if s.relay.User != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return &stageError{"AUTH", errors.New("the relay offers no authentication but the URL has credentials")}
		}
		if err := c.Auth(smtp.PlainAuth("", s.relay.User, s.relay.password, s.relay.Host)); err != nil {
			return &stageError{"AUTH", err}
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return &stageError{"MAIL FROM", err}
	}
	if err := c.Rcpt(to); err != nil {
		return &stageError{stageRcpt, err}
	}
	w, err := c.Data()
	if err != nil {
		return &stageError{stageData, err}
	}
	if _, err := w.Write(msg); err != nil {
		return &stageError{stageData, err}
	}
	// Close sends the final dot and reads the relay's answer: from here
	// on, a 250 means the relay has the mail.
	if err := w.Close(); err != nil {
		return &stageError{stageData, err}
	}
	// The mail is accepted; a failed goodbye changes nothing.
	_ = c.Quit()
	return nil
}

// classify turns a failed exchange into the outbox's result.
func classify(err error) outbox.Result {
	r := outbox.Result{Err: err}
	var te *textproto.Error
	if errors.As(err, &te) {
		r.Status = te.Code
	}
	var se *stageError
	if errors.As(err, &se) && r.Status >= 500 && (se.stage == stageRcpt || se.stage == stageData) {
		r.Permanent = true
	}
	return r
}
