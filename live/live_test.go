package live_test

import (
	"context"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/live"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// receive waits for one event on ch, or fails.
func receive(t *testing.T, ch <-chan live.Event, what string) live.Event {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no event", what)
		return live.Event{}
	}
}

// quiet fails if ch delivers anything within a short while.
func quiet(t *testing.T, ch <-chan live.Event, what string) {
	t.Helper()
	select {
	case e := <-ch:
		t.Errorf("%s: got %+v, want nothing", what, e)
	case <-time.After(200 * time.Millisecond):
	}
}

// checkTopics publishes an article's event and an inbox event and checks
// that each reaches its own subscribers only.
func checkTopics(t *testing.T, pub, sub live.Broker) {
	t.Helper()
	article, stopA, err := sub.Subscribe(7, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer stopA()
	inbox, stopI, err := sub.SubscribeUser(7)
	if err != nil {
		t.Fatal(err)
	}
	defer stopI()
	other, stopO, err := sub.SubscribeUser(8)
	if err != nil {
		t.Fatal(err)
	}
	defer stopO()
	ctx := context.Background()
	if err := pub.Publish(ctx, live.Event{Type: "inbox", UserID: 7}); err != nil {
		t.Fatal(err)
	}
	if e := receive(t, inbox, "user 7's inbox"); e.Type != "inbox" || e.UserID != 7 {
		t.Errorf("inbox event: got %+v", e)
	}
	quiet(t, article, "article 7's watchers after an inbox event")
	quiet(t, other, "user 8's inbox")
	if err := pub.Publish(ctx, live.Event{Type: "sentence", ArticleID: 7}); err != nil {
		t.Fatal(err)
	}
	if e := receive(t, article, "article 7"); e.Type != "sentence" {
		t.Errorf("article event: got %+v", e)
	}
	quiet(t, inbox, "user 7's inbox after an article event")
}

func TestInboxTopicsLocal(t *testing.T) {
	b := live.NewLocal()
	defer b.Close()
	checkTopics(t, b, b)
}

// TestInboxTopicsAcrossProcesses: an inbox event published by one server
// reaches the person's stream on another, through PostgreSQL.
func TestInboxTopicsAcrossProcesses(t *testing.T) {
	dsn := testdb.DSN(t, testdb.Postgres)
	ctx := context.Background()
	a, err := live.NewPostgres(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := live.NewPostgres(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkTopics(t, a, b)
}

// TestArticleWithInboxIsOneStream: an article's events and the person's
// inbox arrive on one stream, which counts once against MaxPerUser and
// closes cleanly with the broker.
func TestArticleWithInboxIsOneStream(t *testing.T) {
	b := live.NewLocal()
	ch, stop, err := b.SubscribeWithInbox(3, 9)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if n := b.Open(); n != 1 {
		t.Errorf("open streams: %d, want 1", n)
	}
	ctx := context.Background()
	if err := b.Publish(ctx, live.Event{Type: "sentence", ArticleID: 3}); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(ctx, live.Event{Type: "inbox", UserID: 9}); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(ctx, live.Event{Type: "inbox", UserID: 10}); err != nil {
		t.Fatal(err)
	}
	if e := receive(t, ch, "the article"); e.Type != "sentence" {
		t.Errorf("first: %+v", e)
	}
	if e := receive(t, ch, "the inbox"); e.Type != "inbox" || e.UserID != 9 {
		t.Errorf("second: %+v", e)
	}
	quiet(t, ch, "another person's inbox")
	for range live.MaxPerUser - 1 {
		if _, _, err := b.SubscribeWithInbox(3, 9); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := b.SubscribeUser(9); err != live.ErrTooMany {
		t.Errorf("stream %d: %v, want ErrTooMany", live.MaxPerUser+1, err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-ch; ok {
		t.Error("the stream is still open after the broker closed")
	}
}
