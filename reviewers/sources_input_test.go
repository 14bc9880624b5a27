package reviewers

import (
	"strings"
	"testing"

	"factdesk/models"
)

func ptr(s string) *string { return &s }

func TestSourceFieldsNewSource(t *testing.T) {
	yes := true
	tests := []struct {
		name  string
		in    SourceFields
		field string // "" when valid
		check func(t *testing.T, ns models.NewSource)
	}{
		{"URL normalised, kind and title from it", SourceFields{URL: ptr(" HTTP://Example.ORG:80/a/b/?utm_medium=x&b=2&a=1#f ")}, "", func(t *testing.T, ns models.NewSource) {
			if ns.URL != "http://example.org/a/b?a=1&b=2" || ns.Kind != models.KindWebPage || ns.Title != ns.URL {
				t.Errorf("got %+v", ns)
			}
		}},
		{"grades in any case", SourceFields{Kind: ptr("person"), Title: ptr("x"), Reliability: ptr(" c "), Credibility: ptr("4")}, "", func(t *testing.T, ns models.NewSource) {
			if ns.Reliability == nil || *ns.Reliability != "C" || ns.Credibility == nil || *ns.Credibility != 4 {
				t.Errorf("grades: %v %v", ns.Reliability, ns.Credibility)
			}
		}},
		{"empty grades are no grades", SourceFields{Kind: ptr("person"), Title: ptr("x"), Reliability: ptr(""), Credibility: ptr("")}, "", func(t *testing.T, ns models.NewSource) {
			if ns.Reliability != nil || ns.Credibility != nil {
				t.Errorf("grades: %v %v", ns.Reliability, ns.Credibility)
			}
		}},
		{"dates", SourceFields{Kind: ptr("document"), Title: ptr("x"), PublishedAt: ptr("2017-07-26"), AccessedAt: ptr("2017-08-01T10:00:00+02:00")}, "", func(t *testing.T, ns models.NewSource) {
			if ns.PublishedAt.Format("2006-01-02") != "2017-07-26" || ns.AccessedAt.Hour() != 8 {
				t.Errorf("dates: %v %v", ns.PublishedAt, ns.AccessedAt)
			}
		}},
		{"no kind without URL", SourceFields{Title: ptr("x")}, "kind", nil},
		{"unknown kind", SourceFields{Kind: ptr("Web page"), Title: ptr("x")}, "kind", nil},
		{"mailto URL", SourceFields{URL: ptr("mailto:desk@example.org")}, "url", nil},
		{"relative URL", SourceFields{URL: ptr("/news/1")}, "url", nil},
		{"URL too long", SourceFields{URL: ptr("https://example.org/" + strings.Repeat("a", models.MaxSourceURL))}, "url", nil},
		{"archived copy not a URL", SourceFields{Kind: ptr("person"), Title: ptr("x"), ArchivedURL: ptr("wayback")}, "archived_url", nil},
		{"reliability outside A–F", SourceFields{Kind: ptr("person"), Title: ptr("x"), Reliability: ptr("G")}, "reliability", nil},
		{"credibility outside 1–6", SourceFields{Kind: ptr("person"), Title: ptr("x"), Credibility: ptr("0")}, "credibility", nil},
		{"credibility not a number", SourceFields{Kind: ptr("person"), Title: ptr("x"), Credibility: ptr("two")}, "credibility", nil},
		{"date not a date", SourceFields{Kind: ptr("person"), Title: ptr("x"), PublishedAt: ptr("26/07/2017")}, "published_at", nil},
		{"notes too long", SourceFields{Kind: ptr("person"), Title: ptr("x"), Notes: ptr(strings.Repeat("n", models.MaxSourceNotes+1))}, "notes", nil},
		{"withheld with a reason", SourceFields{Kind: ptr("person"), Title: ptr("x"), Withheld: &yes, WithheldReason: ptr("safety")}, "", func(t *testing.T, ns models.NewSource) {
			if !ns.Withheld || ns.WithheldReason != "safety" {
				t.Errorf("got %+v", ns)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns, err := tt.in.newSource()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				tt.check(t, ns)
				return
			}
			e, ok := models.AsError(err)
			if !ok || e.Code != models.EINVALID || e.Field != tt.field {
				t.Errorf("got %v, want an invalid error on %s", err, tt.field)
			}
		})
	}
}

func TestSourceFieldsChangeClears(t *testing.T) {
	ch, err := SourceFields{Reliability: ptr(""), Credibility: ptr(" "), PublishedAt: ptr("")}.change()
	if err != nil {
		t.Fatal(err)
	}
	if ch.Reliability == nil || *ch.Reliability != "" || ch.Credibility == nil || *ch.Credibility != 0 || ch.PublishedAt == nil || !ch.PublishedAt.IsZero() {
		t.Errorf("clearing: %+v", ch)
	}
	if ch.Title != nil || ch.URL != nil || ch.Kind != nil || ch.Withheld != nil {
		t.Errorf("fields not sent are set: %+v", ch)
	}
}
