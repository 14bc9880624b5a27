package outbox_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/fetch"
	"factdesk/internal/testdb"
	"factdesk/mail/mailtest"
	"factdesk/models"
	"factdesk/outbox"
	"factdesk/reviewers"
	"factdesk/webhook"
)

// TestDeskEventsLeaveOnce runs the desk end to end: people assign,
// @mention and decide through the business layer; the notices they cause
// that people want by mail reach the relay once each — through two
// senders on two handles, one of them restarted halfway — and a webhook
// hears of every event, signed, once each.
func TestDeskEventsLeaveOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t, mailtest.Options{TLS: true, User: "desk", Password: "pw"})
		hooks := newHookReceiver(t)
		st := models.NewStore(db)
		st.SetMail(models.MailSettings{Enabled: true, BaseURL: "https://desk.example"})
		fetcher := fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
		svc := reviewers.New(st, reviewers.Config{}, fetcher, nil)
		mk := func(name string, role models.Role) models.Actor {
			u, err := st.CreateUser(ctx, models.System, models.NewUser{Email: strings.ToLower(strings.Fields(name)[0]) + "@desk.example", Name: name, Role: role, PasswordHash: "x"})
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor()
		}
		admin, editor, ana := mk("Ada Admin", models.RoleAdmin), mk("Eda Editor", models.RoleEditor), mk("Ana Ruiz", models.RoleChecker)
		hook, _, err := svc.CreateWebhook(ctx, admin, reviewers.WebhookInput{URL: hooks.srv.URL + "/factdesk", Events: []string{"*"}, Secret: hookSecret})
		if err != nil {
			t.Fatal(err)
		}
		s := mailer(t, "smtp://desk:pw@"+srv.Addr(), srv)
		deliver := func() map[string]outbox.Deliverer {
			return map[string]outbox.Deliverer{models.OutboxEmail: s, models.OutboxWebhook: webhook.NewDeliverer(st, fetcher.Client(0), nil)}
		}
		opts := outbox.Options{Batch: 5, Timeout: 10 * time.Second, Lease: 30 * time.Second, Poll: 10 * time.Millisecond}
		w1 := startWith(t, db, deliver(), opts)
		startWith(t, testdb.Reopen(t, db, models.Options{}), deliver(), opts)

		const articles = 12
		for i := range articles {
			title := fmt.Sprintf("Story %d", i)
			body := title + "\n\nThe council met. It voted."
			sum := sha256.Sum256([]byte(body))
			a, _, err := st.CreateArticle(ctx, editor, models.NewArticle{Title: title, Format: "text", Body: body, BodySHA256: hex.EncodeToString(sum[:]), ParagraphCount: 2,
				Sentences: []models.Sentence{{Index: 0, StartByte: 0, EndByte: len(title), Start: 0, End: len(title), Text: title, Quote: "none"}}})
			if err != nil {
				t.Fatal(err)
			}
			// Assigned: mail by default. A mention: mail by default. A
			// reply: in the app only by default.
			if _, err := svc.Assign(ctx, editor, []int64{a.ID}, models.NewAssignment{UserID: ana.ID}); err != nil {
				t.Fatal(err)
			}
			c, err := svc.AddComment(ctx, editor, models.NewComment{ArticleID: a.ID, Body: "@Ana Ruiz over to you"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.AddComment(ctx, ana, models.NewComment{ArticleID: a.ID, ParentID: c.ID, Body: "On it."}); err != nil {
				t.Fatal(err)
			}
			if i == articles/2 {
				// A sender restarts halfway.
				w1.Close()
				w1 = startWith(t, db, deliver(), opts)
			}
		}
		// Ana: 12 assignments + 12 mentions by mail; the editor's 12
		// replies stay in the app.
		const mails = 2 * articles
		got := srv.Wait(t, mails, 60*time.Second)
		var queued []models.OutboxMessage
		if err := db.Gorm().Where("kind = ?", models.OutboxEmail).Find(&queued).Error; err != nil {
			t.Fatal(err)
		}
		if len(queued) != mails {
			t.Fatalf("queued %d mails, want %d", len(queued), mails)
		}
		ids := map[string]int64{}
		for _, m := range queued {
			ids[m.MessageID] = m.ID
		}
		eventually(t, 30*time.Second, "all mail recorded sent", func() bool {
			var n int64
			db.Gorm().Model(&models.OutboxMessage{}).Where("kind = ? AND sent_at IS NOT NULL", models.OutboxEmail).Count(&n)
			return n == mails
		})
		checkOnce(t, st, ids, got)
		for _, m := range got {
			msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(msg.Body)
			if m.To[0] != "ana@desk.example" || !strings.Contains(string(b), "https://desk.example/articles/") {
				t.Errorf("mail to %v: %q", m.To, b)
			}
		}
		// The webhook heard of every import, assignment and comment once.
		const events = articles * 4
		eventually(t, 30*time.Second, "all webhook calls made", func() bool { return hooks.count() >= events })
		time.Sleep(100 * time.Millisecond)
		byType := hooks.types(t)
		if byType["article.imported"] != articles || byType["article.assigned"] != articles || byType["comment.created"] != 2*articles {
			t.Errorf("webhook events: %v", byType)
		}
		if n := hooks.count(); n != events {
			t.Errorf("webhook calls: %d, want %d (each once)", n, events)
		}
		page, err := st.WebhookDeliveries(ctx, hook.ID, 0, 200)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.Deliveries {
			if d.State() != models.DeliverySent || d.Attempts != 1 {
				t.Errorf("delivery %d: %s after %d attempts", d.ID, d.State(), d.Attempts)
			}
		}
		t.Logf("%d notices by mail and %d webhook calls, each once, through two senders (one restarted)", mails, events)
	})
}

const hookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// hookReceiver is a webhook endpoint that verifies each call.
type hookReceiver struct {
	srv   *httptest.Server
	mu    sync.Mutex
	calls []string // bodies
	bad   []string
}

func newHookReceiver(t *testing.T) *hookReceiver {
	t.Helper()
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := webhook.Verify(hookSecret, r.Header, b, 0); err != nil {
			h.bad = append(h.bad, err.Error())
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.calls = append(h.calls, string(b))
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.calls)
}

// types counts the calls by event type, failing on a bad signature.
func (h *hookReceiver) types(t *testing.T) map[string]int {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, b := range h.bad {
		t.Errorf("a webhook call failed verification: %s", b)
	}
	out := map[string]int{}
	for _, c := range h.calls {
		i := strings.Index(c, `"type":"`)
		if i < 0 {
			t.Errorf("a call without a type: %s", c)
			continue
		}
		rest := c[i+8:]
		out[rest[:strings.IndexByte(rest, '"')]]++
	}
	return out
}

// startWith runs a worker with the deliverers on db until the test ends.
func startWith(t *testing.T, db *models.DB, d map[string]outbox.Deliverer, o outbox.Options) *outbox.Worker {
	t.Helper()
	w, err := outbox.New(models.NewStore(db), d, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(context.Background()) }()
	t.Cleanup(func() {
		w.Close()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return w
}

// TestChangesWakeTheSender: a sender that would look only once an hour
// still sends a notice's mail at once, woken by the change that queued it.
func TestChangesWakeTheSender(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, testdb.SQLite)
	srv := mailtest.Start(t, mailtest.Options{TLS: true})
	st := models.NewStore(db)
	st.SetMail(models.MailSettings{Enabled: true})
	svc := reviewers.New(st, reviewers.Config{}, nil, nil)
	editor, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "eda@desk.example", Name: "Eda Editor", Role: models.RoleEditor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	ana, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "ana@desk.example", Name: "Ana Ruiz", Role: models.RoleChecker, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	body := "Wake up\n\nThe council met."
	sum := sha256.Sum256([]byte(body))
	a, _, err := st.CreateArticle(ctx, editor.Actor(), models.NewArticle{Title: "Wake up", Format: "text", Body: body, BodySHA256: hex.EncodeToString(sum[:]), ParagraphCount: 2,
		Sentences: []models.Sentence{{Index: 0, StartByte: 0, EndByte: 7, Start: 0, End: 7, Text: "Wake up", Quote: "none"}}})
	if err != nil {
		t.Fatal(err)
	}
	w := startWith(t, db, map[string]outbox.Deliverer{models.OutboxEmail: mailer(t, "smtp://"+srv.Addr(), srv)}, outbox.Options{Poll: time.Hour})
	// The worker's first look happens at start; the assignment comes after.
	time.Sleep(100 * time.Millisecond)
	svc.SetOutboxKick(w.Kick)
	if _, err := svc.Assign(ctx, editor.Actor(), []int64{a.ID}, models.NewAssignment{UserID: ana.ID}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Wait(t, 1, 20*time.Second); got[0].To[0] != "ana@desk.example" {
		t.Errorf("mail to %v", got[0].To)
	}
}
