package reviewers_test

import (
	"context"
	"encoding/json"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/live"
	"factdesk/models"
)

// TestAttributionChangesAreLive checks that the people watching an article
// hear of every attribution change: the sentence, its version and the
// attribution, null once cleared.
func TestAttributionChangesAreLive(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		e := newMachineEnv(t, db)
		d := e.importText(t, seedText(t))
		broker := live.NewLocal()
		t.Cleanup(func() { broker.Close() })
		e.svc.SetBroker(broker)
		events, stop, err := broker.Subscribe(d.ID, 99)
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		s := d.Sentences[11]
		steps := []struct {
			name    string
			change  func() error
			version int
			speaker string // "" when cleared
		}{
			{"confirm", func() error { _, err := e.svc.ConfirmAttribution(ctx, e.editor, s.ID, nil); return err }, 2, s.Attribution.Speaker},
			{"set", func() error {
				_, err := e.svc.SetAttribution(ctx, e.editor, s.ID, models.AttributionEdit{Speaker: "President Trump", Cue: "has said"})
				return err
			}, 3, "President Trump"},
			{"clear", func() error { _, err := e.svc.ClearAttribution(ctx, e.editor, s.ID, nil); return err }, 0, ""},
		}
		for _, st := range steps {
			if err := st.change(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			ev := <-events
			var data struct {
				SentenceID  int64               `json:"sentence_id"`
				Attribution *models.Attribution `json:"attribution"`
			}
			if err := json.Unmarshal(ev.Data, &data); err != nil {
				t.Fatalf("%s: data %s: %v", st.name, ev.Data, err)
			}
			if ev.Type != "attribution" || ev.EntityID != s.ID || ev.Version != st.version || ev.ActorID != e.editor.ID || data.SentenceID != s.ID {
				t.Errorf("%s: got %+v, want an attribution event for sentence %d at version %d by the editor", st.name, ev, s.ID, st.version)
			}
			if got := data.Attribution; (st.speaker == "") != (got == nil) || (got != nil && got.Speaker != st.speaker) {
				t.Errorf("%s: attribution %+v, want speaker %q", st.name, got, st.speaker)
			}
		}
		// A refused change tells nobody.
		if _, err := e.svc.ClearAttribution(ctx, e.editor, s.ID, nil); err == nil {
			t.Fatal("clearing nothing: got nil error")
		}
		select {
		case ev := <-events:
			t.Errorf("refused change published %+v", ev)
		default:
		}
	})
}
