// Package mailtest runs a real SMTP server in the test process (emersion's
// go-smtp) with a certificate made for the test, so that factdesk's mail
// sender is tested against the protocol and not against a fake of itself.
package mailtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a test server.
type Options struct {
	// Addr is the address to listen on; empty picks a free port on
	// 127.0.0.1 (a test that wants a relay to come up late reserves one).
	Addr string
	// TLS offers STARTTLS; Implicit speaks TLS from the first byte
	// (smtps). Neither: plain SMTP.
	TLS, Implicit bool
	// User and Password, when set, require AUTH PLAIN before MAIL.
	User, Password string
	// Rcpt, when set, judges each recipient: an *smtp.SMTPError it returns
	// is the server's reply (550 for an unknown user, 451 to defer).
	Rcpt func(to string) error
}

// Message is what the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// TLS says whether the session was encrypted when DATA came.
	TLS bool
	// User is who authenticated, "" for no one.
	User string
}

// Server is a running test SMTP server.
type Server struct {
	srv   *smtp.Server
	ln    net.Listener
	roots *x509.CertPool
	opts  Options

	mu       sync.Mutex
	messages []Message
	auths    []string
	changed  chan struct{}
}

// Start starts a server, stopped when the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	cert, roots, err := certificate()
	if err != nil {
		t.Fatalf("mailtest certificate: %v", err)
	}
	s := &Server{roots: roots, opts: o, changed: make(chan struct{})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, c: c}, nil }))
	s.srv.Domain = "mailtest.localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if o.TLS {
		s.srv.TLSConfig = cfg
	}
	// Credentials in clear are the client's mistake to avoid; the server
	// takes them so that a test can see whether they were sent.
	s.srv.AllowInsecureAuth = true
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("mailtest listen: %v", err)
	}
	if o.Implicit {
		ln = tls.NewListener(ln, cfg)
	}
	s.ln = ln
	go s.srv.Serve(ln)
	t.Cleanup(s.Close)
	return s
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// RootCAs returns a pool that trusts the server's certificate (made for
// 127.0.0.1, ::1 and localhost).
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// Close stops the server.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		s.srv.Close()
	}
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Auths returns the user names of every AUTH attempt, good or bad.
func (s *Server) Auths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// Wait waits until the server has accepted at least n messages and
// returns them; the test fails when that takes longer than timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, changed := len(s.messages), s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("mailtest: %d messages after %v, want %d", got, timeout, n)
		}
	}
}

func (s *Server) accept(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// session is one SMTP connection.
type session struct {
	s    *Server
	c    *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		ss.s.mu.Lock()
		ss.s.auths = append(ss.s.auths, user)
		ss.s.mu.Unlock()
		if ss.s.opts.User == "" || user != ss.s.opts.User || pass != ss.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.opts.Rcpt != nil {
		if err := ss.s.opts.Rcpt(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, tlsOn := ss.c.TLSConnectionState()
	ss.s.accept(Message{From: ss.from, To: append([]string(nil), ss.to...), Data: b, TLS: tlsOn, User: ss.user})
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// certificate makes a self-signed certificate for the loopback addresses
// and a pool that trusts it.
func certificate() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
