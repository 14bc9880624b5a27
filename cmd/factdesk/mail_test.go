package main

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/mail/mailtest"
	"factdesk/models"
)

// Mail flags are checked before anything starts, and no message shows the
// relay's password.
func TestMailFlags(t *testing.T) {
	const pw = "hunter2-secret"
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no from", nil, []string{"--smtp-url", "smtp://desk:" + pw + "@relay.example"}, "needs --mail-from"},
		{"no from, url in env", map[string]string{"FACTDESK_SMTP_URL": "smtps://desk:" + pw + "@relay.example"}, nil, "needs --mail-from"},
		{"bad scheme", nil, []string{"--smtp-url", "http://desk:" + pw + "@relay.example", "--mail-from", "desk@newsroom.example"}, "scheme"},
		{"credentials in clear", nil, []string{"--smtp-url", "smtp+insecure://desk:" + pw + "@relay.example", "--mail-from", "desk@newsroom.example"}, "no credentials"},
		{"not a URL", nil, []string{"--smtp-url", "smtp://desk:" + pw + "@%zz", "--mail-from", "desk@newsroom.example"}, "not a URL"},
		{"bad from", nil, []string{"--smtp-url", "smtp://desk:" + pw + "@relay.example", "--mail-from", "desk at newsroom"}, "--mail-from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"serve", "--db", "sqlite:" + filepath.Join(t.TempDir(), "f.db")}, tc.args...)
			code, out, errs := run(t, "", tc.env, args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errs, tc.want)
			}
			if strings.Contains(out+errs, pw) {
				t.Fatalf("the password was printed: %s", errs)
			}
		})
	}
	code, _, errs := run(t, "", map[string]string{"FACTDESK_SMTP_URL": "smtp://desk:" + pw + "@relay.example"}, "serve", "-h")
	if code != 0 || !strings.Contains(errs, "-smtp-url") || strings.Contains(errs, pw) {
		t.Fatalf("serve -h: exit %d, password shown %v:\n%s", code, strings.Contains(errs, pw), errs)
	}
}

// messageIDs returns how often the relay got each Message-ID.
func messageIDs(t *testing.T, ms []mailtest.Message) map[string]int {
	t.Helper()
	ids := map[string]int{}
	for _, m := range ms {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		ids[msg.Header.Get("Message-ID")]++
	}
	return ids
}

// Two "factdesk serve" on one PostgreSQL database, both with the relay,
// send every queued mail exactly once.
func TestTwoServersSendMailOnce(t *testing.T) {
	dsn := testdb.PostgresDatabase(t)
	if code, _, errs := run(t, "", nil, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	relay := mailtest.Start(t, mailtest.Options{})
	env := map[string]string{"DATABASE_URL": dsn, "FACTDESK_SMTP_URL": "smtp+insecure://" + relay.Addr(), "FACTDESK_MAIL_FROM": "Factdesk <desk@newsroom.example>"}
	server(t, env, "serve", "--no-migrate")
	server(t, env, "serve", "--no-migrate")

	db, err := models.Open(context.Background(), dsn, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := models.NewStore(db)
	const n = 50
	queued := map[string]bool{}
	for i := range n {
		m, err := st.QueueMail(context.Background(), "test.mail", models.OutboxMail{To: fmt.Sprintf("r%d@newsroom.example", i), Subject: "Hallo", Text: "Grüße"})
		if err != nil {
			t.Fatal(err)
		}
		queued["<"+m.MessageID+"@newsroom.example>"] = true
	}
	relay.Wait(t, n, 60*time.Second)
	time.Sleep(1500 * time.Millisecond) // a poll or so more: a duplicate would arrive now
	got := messageIDs(t, relay.Messages())
	for id, k := range got {
		if !queued[id] || k != 1 {
			t.Errorf("%s: received %d times, queued %v", id, k, queued[id])
		}
	}
	if len(got) != n {
		t.Fatalf("received %d distinct mails, want %d", len(got), n)
	}
}

// serve logs where mail goes but never the relay's password, not even
// when the relay fails; and it stops the outbox before the database.
func TestServeMailLogsNoPassword(t *testing.T) {
	const pw = "hunter2-secret"
	relay := mailtest.Start(t, mailtest.Options{TLS: true, User: "desk", Password: pw})
	dbPath := filepath.Join(t.TempDir(), "factdesk.db")
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	p := &Program{Stdin: strings.NewReader(""), Stdout: logs, Stderr: logs, Getenv: func(string) string { return "" }, Ready: func(a string) { ready <- a }}
	go func() {
		done <- p.Run(ctx, []string{"serve", "--db", "sqlite:" + dbPath, "--addr", "127.0.0.1:0",
			"--smtp-url", "smtp://desk:" + pw + "@" + relay.Addr(), "--mail-from", "desk@newsroom.example"})
	}()
	select {
	case <-ready:
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, logs)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	db, err := models.Open(context.Background(), "sqlite:"+dbPath, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := models.NewStore(db)
	m, err := st.QueueMail(context.Background(), "test.mail", models.OutboxMail{To: "kim@newsroom.example", Subject: "s", Text: "t"})
	if err != nil {
		t.Fatal(err)
	}
	// The relay's certificate is the test's own, which serve does not
	// trust: the attempt fails, and its error is logged and recorded.
	deadline := time.Now().Add(20 * time.Second)
	for {
		as, err := st.OutboxAttempts(context.Background(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) > 0 {
			if as[0].Error == "" || strings.Contains(as[0].Error, pw) {
				t.Fatalf("attempt: %+v", as[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no attempt after 20 s; log:\n%s", logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited with %d: %s", code, logs)
	}
	out := logs.String()
	for _, want := range []string{"mail relay", relay.Addr(), "outbox worker started", "kinds=email", "outbox delivery failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, pw) {
		t.Fatalf("the log shows the password:\n%s", out)
	}
	if a := relay.Auths(); len(a) != 0 {
		t.Fatalf("credentials went to an untrusted relay: %v", a)
	}
}
