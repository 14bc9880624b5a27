package mail_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"factdesk/mail"
	"factdesk/mail/mailtest"
	"factdesk/models"
)

const (
	subject = "Überprüfung: „755 Diplomaten“ — ein sehr langer Betreff, der über mehrere kodierte Wörter gefaltet werden muss ✓"
	body    = "Grüße aus der Redaktion!\n.A line that starts with a dot.\n" +
		"A long line: " + "Zeichen für Zeichen, Wort für Wort, " + "bis die Zeile weit über sechsundsiebzig Zeichen lang ist.\n" +
		"Ende — 終わり"
)

// sender returns a Sender for srv's relay URL, trusting srv's certificate.
func sender(t *testing.T, srv *mailtest.Server, rawURL string) *mail.Sender {
	t.Helper()
	r, err := mail.ParseRelay(strings.ReplaceAll(rawURL, "ADDR", srv.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSender(r, mail.Options{From: "Factdesk Desk <desk@newsroom.example>", TLS: &tls.Config{RootCAs: srv.RootCAs()}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// outboxMail returns an outbox message holding a mail to to.
func outboxMail(t *testing.T, to string) *models.OutboxMessage {
	t.Helper()
	p, err := json.Marshal(models.OutboxMail{To: to, Subject: subject, Text: body})
	if err != nil {
		t.Fatal(err)
	}
	return &models.OutboxMessage{ID: 7, Kind: models.OutboxEmail, MessageID: "msg_2gYCX1eAZHk5N-Ad_xy", Recipient: to, Payload: string(p)}
}

func deliver(t *testing.T, s *mail.Sender, m *models.OutboxMessage) (int, error, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r := s.Deliver(ctx, m)
	return r.Status, r.Err, r.Permanent
}

// A mail goes through STARTTLS and AUTH PLAIN and arrives as a proper
// RFC 5322 message whose non-ASCII subject and body come back unchanged.
func TestSendStartTLS(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts mailtest.Options
		url  string
	}{
		{"starttls", mailtest.Options{TLS: true, User: "desk", Password: "p@ss:wörd"}, "smtp://desk:p%40ss%3Aw%C3%B6rd@ADDR"},
		{"implicit", mailtest.Options{Implicit: true, User: "desk", Password: "pw"}, "smtps://desk:pw@ADDR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t, tc.opts)
			s := sender(t, srv, tc.url)
			if status, err, _ := deliver(t, s, outboxMail(t, "Kim Prüfer <kim@newsroom.example>")); err != nil || status != 250 {
				t.Fatalf("deliver: %d %v", status, err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("server has %d messages, want 1", len(got))
			}
			m := got[0]
			if !m.TLS || m.User != "desk" || m.From != "desk@newsroom.example" || len(m.To) != 1 || m.To[0] != "kim@newsroom.example" {
				t.Fatalf("envelope: TLS %v user %q from %q to %v", m.TLS, m.User, m.From, m.To)
			}
			checkMessage(t, m.Data)
			if testing.Verbose() {
				t.Logf("received:\n%s", m.Data)
			}
		})
	}
}

// checkMessage parses a received message and checks its headers and body.
func checkMessage(t *testing.T, data []byte) {
	t.Helper()
	// Encoded-words are at most 75 characters and folded between; the
	// quoted-printable body keeps its lines within 76.
	for i, line := range strings.Split(string(data), "\r\n") {
		if len(line) > 9+75 {
			t.Errorf("line %d is %d characters long: %q", i, len(line), line)
		}
	}
	msg, err := netmail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	dec := new(mime.WordDecoder)
	gotSubject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if gotSubject != subject {
		t.Errorf("Subject: got %q, want %q", gotSubject, subject)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Factdesk Desk" || from[0].Address != "desk@newsroom.example" {
		t.Errorf("From: %v %v", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Kim Prüfer" || to[0].Address != "kim@newsroom.example" {
		t.Errorf("To: %v %v", to, err)
	}
	if d, err := h.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	for name, want := range map[string]string{
		"Message-ID":                "<msg_2gYCX1eAZHk5N-Ad_xy@newsroom.example>",
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	raw, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range raw {
		if c >= 0x80 {
			t.Fatalf("body is not 7-bit: %q", raw)
		}
	}
	text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(raw))))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.ReplaceAll(string(text), "\r\n", "\n"), body+"\n"; got != want {
		t.Errorf("body:\ngot  %q\nwant %q", got, want)
	}
}

// A wrong password fails (to be tried again: it is the relay's
// configuration, not the message), and no mail goes.
func TestSendWrongPassword(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true, User: "desk", Password: "right"})
	s := sender(t, srv, "smtp://desk:wrong@ADDR")
	status, err, permanent := deliver(t, s, outboxMail(t, "kim@newsroom.example"))
	if err == nil || permanent || status != 535 {
		t.Fatalf("wrong password: status %d, err %v, permanent %v; want a 535 to retry", status, err, permanent)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error repeats the password: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages went through", n)
	}
	if a := srv.Auths(); len(a) != 1 || a[0] != "desk" {
		t.Fatalf("auth attempts: %v", a)
	}
}

// smtp:// never sends credentials to a relay that offers no STARTTLS.
func TestSendRefusesClearText(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{User: "desk", Password: "pw"})
	s := sender(t, srv, "smtp://desk:pw@ADDR")
	status, err, permanent := deliver(t, s, outboxMail(t, "kim@newsroom.example"))
	if err == nil || permanent || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("relay without STARTTLS: status %d, err %v, permanent %v", status, err, permanent)
	}
	if a := srv.Auths(); len(a) != 0 {
		t.Fatalf("credentials were sent in clear: %v", a)
	}
	// A local relay without TLS is reachable on purpose, without credentials.
	open := mailtest.Start(t, mailtest.Options{})
	s = sender(t, open, "smtp+insecure://ADDR")
	if status, err, _ := deliver(t, s, outboxMail(t, "kim@newsroom.example")); err != nil || status != 250 {
		t.Fatalf("smtp+insecure: %d %v", status, err)
	}
	if m := open.Wait(t, 1, 5*time.Second); m[0].TLS {
		t.Fatal("smtp+insecure used TLS?")
	}
}

// A certificate the sender does not trust stops the mail before AUTH.
func TestSendUntrustedCertificate(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true, User: "desk", Password: "pw"})
	r, err := mail.ParseRelay("smtp://desk:pw@" + srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSender(r, mail.Options{From: "desk@newsroom.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err, permanent := deliver(t, s, outboxMail(t, "kim@newsroom.example")); err == nil || permanent {
		t.Fatalf("untrusted certificate: err %v, permanent %v", err, permanent)
	}
	if a := srv.Auths(); len(a) != 0 {
		t.Fatalf("credentials went to an untrusted server: %v", a)
	}
}

// 5xx for a recipient gives the mail up; 4xx, a bad payload aside, and a
// relay that is not there are tried again.
func TestSendReplies(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true, Rcpt: func(to string) error {
		switch {
		case strings.HasPrefix(to, "gone@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case strings.HasPrefix(to, "busy@"):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
		return nil
	}})
	s := sender(t, srv, "smtp://ADDR")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	r, err := mail.ParseRelay("smtp://" + down)
	if err != nil {
		t.Fatal(err)
	}
	nowhere, err := mail.NewSender(r, mail.Options{From: "desk@newsroom.example"})
	if err != nil {
		t.Fatal(err)
	}
	bad := outboxMail(t, "x@newsroom.example")
	bad.Payload = `{"to": 3}`
	for _, tc := range []struct {
		name      string
		s         *mail.Sender
		m         *models.OutboxMessage
		status    int
		permanent bool
	}{
		{"rejected", s, outboxMail(t, "gone@newsroom.example"), 550, true},
		{"deferred", s, outboxMail(t, "busy@newsroom.example"), 451, false},
		{"bad address", s, outboxMail(t, "not an address"), 0, true},
		{"bad payload", s, bad, 0, true},
		{"relay down", nowhere, outboxMail(t, "kim@newsroom.example"), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, err, permanent := deliver(t, tc.s, tc.m)
			if err == nil || status != tc.status || permanent != tc.permanent {
				t.Fatalf("got status %d, permanent %v, err %v; want status %d, permanent %v", status, permanent, err, tc.status, tc.permanent)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages accepted, want none", n)
	}
}

// A delivery ends with its context, however slow the relay.
func TestSendHonoursContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accepts and says nothing, like a relay that hangs
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	r, err := mail.ParseRelay("smtp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSender(r, mail.Options{From: "desk@newsroom.example"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := s.Deliver(ctx, outboxMail(t, "kim@newsroom.example"))
	if res.Err == nil || res.Permanent {
		t.Fatalf("hanging relay: %+v", res)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("the delivery took %v, its context allowed 300ms", d)
	}
	if !errors.Is(res.Err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want an error that says the time ran out", res.Err)
	}
}

func TestParseRelay(t *testing.T) {
	for _, tc := range []struct {
		raw, want, err string
		sec            mail.Security
	}{
		{raw: "smtp://desk:secret@relay.newsroom.example", want: "smtp://desk:xxxxx@relay.newsroom.example:587", sec: mail.StartTLS},
		{raw: "smtps://desk:secret@relay.newsroom.example", want: "smtps://desk:xxxxx@relay.newsroom.example:465", sec: mail.ImplicitTLS},
		{raw: "smtp://relay:2525", want: "smtp://relay:2525", sec: mail.StartTLS},
		{raw: "smtp+insecure://127.0.0.1", want: "smtp+insecure://127.0.0.1:25", sec: mail.Insecure},
		{raw: "smtp+insecure://u:secret@127.0.0.1", err: "no credentials"},
		{raw: "http://desk:secret@relay", err: "scheme"},
		{raw: "smtp://:secret@relay", err: "without a user"},
		{raw: "smtp://desk:secret@relay/x?y=1", err: "no path"},
		{raw: "smtp://desk:secret@", err: "no relay host"},
		{raw: "smtp://desk:sec ret@%zz", err: "not a URL"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			r, err := mail.ParseRelay(tc.raw)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an error about %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.String() != tc.want || r.Security != tc.sec {
				t.Fatalf("got %s (%d), want %s (%d)", r, r.Security, tc.want, tc.sec)
			}
		})
	}
}
