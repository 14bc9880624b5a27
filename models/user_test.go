package models_test

import (
	"testing"

	"factdesk/models"
)

func TestActorName(t *testing.T) {
	for _, tc := range []struct{ label, want string }{
		{models.Actor{Name: "Ana Ruiz", Email: "ana@news.example"}.Label(), "Ana Ruiz"},
		{models.System.Label(), "factdesk"},
		{"Ana <Ruiz> Lima", "Ana <Ruiz> Lima"},
		{" <ana@news.example>", " <ana@news.example>"},
	} {
		if got := models.ActorName(tc.label); got != tc.want {
			t.Errorf("ActorName(%q) = %q, want %q", tc.label, got, tc.want)
		}
	}
}
