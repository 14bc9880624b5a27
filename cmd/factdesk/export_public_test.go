package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/reviewers"
)

// TestExportNeedsNoAdmin checks that exporting, a read, works on a
// database with no admin: it is recorded as made by factdesk itself, or
// by the user --as names; an unknown --as is a usage error that says so.
func TestExportNeedsNoAdmin(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			dsn := testdb.DSN(t, kind)
			ctx := context.Background()
			_, svc, checker := checkerOn(t, dsn) // a checker, and no admin
			res, err := svc.Import(ctx, checker.Actor(), ingest.ArticleInput{Body: "First claim here. Second claim here."})
			if err != nil {
				t.Fatal(err)
			}
			id := strconv.FormatInt(res.Article.ID, 10)
			lastExporter := func(out string) string {
				t.Helper()
				var rep struct {
					Audit struct {
						Events []struct{ Actor, Action string }
					}
				}
				if err := json.Unmarshal([]byte(out), &rep); err != nil {
					t.Fatalf("export json: %v", err)
				}
				last := rep.Audit.Events[len(rep.Audit.Events)-1]
				if last.Action != "report.export" {
					t.Fatalf("last event %q, want report.export", last.Action)
				}
				return last.Actor
			}
			code, out, errs := run(t, "", nil, "export", "--db", dsn, "--article", id, "--format", "json")
			if code != 0 {
				t.Fatalf("export without an admin: exit %d: %s", code, errs)
			}
			if got := lastExporter(out); got != "factdesk" {
				t.Errorf("export recorded for %q, want factdesk itself", got)
			}
			code, out, errs = run(t, "", nil, "export", "--db", dsn, "--article", id, "--format", "json", "--as", checker.Email)
			if code != 0 {
				t.Fatalf("export --as: exit %d: %s", code, errs)
			}
			if got := lastExporter(out); got != checker.Actor().Label() {
				t.Errorf("export --as recorded for %q, want %q", got, checker.Actor().Label())
			}
			code, _, errs = run(t, "", nil, "export", "--db", dsn, "--article", id, "--format", "json", "--as", "nobody@news.example")
			if code != 2 || !strings.Contains(errs, "nobody@news.example") || !strings.Contains(errs, "no such user") {
				t.Errorf("export --as an unknown user: exit %d, %q; want 2 saying there is no such user", code, errs)
			}
		})
	}
}

// TestExportClaimReviewAndEmails checks the public formats from the
// command line: ClaimReview is refused, with what to do, until the
// article's published fact-check is known, and then points there; the
// annotations name the checker without their e-mail address unless
// --export-emails (or FACTDESK_EXPORT_EMAILS) says otherwise.
func TestExportClaimReviewAndEmails(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			dsn := testdb.DSN(t, kind)
			ctx := context.Background()
			_, svc, checker := checkerOn(t, dsn)
			res, err := svc.Import(ctx, checker.Actor(), ingest.ArticleInput{Body: "First claim here. Second claim here."})
			if err != nil {
				t.Fatal(err)
			}
			d, err := svc.ArticleDetail(ctx, checker.Actor(), res.Article.ID)
			if err != nil {
				t.Fatal(err)
			}
			label, verdict := "fact", "True"
			s := d.Sentences[0]
			if _, err := svc.UpdateSentence(ctx, checker.Actor(), s.ID, reviewers.SentenceUpdate{Label: &label, Verdict: &verdict, Version: s.Version}); err != nil {
				t.Fatal(err)
			}
			id := strconv.FormatInt(res.Article.ID, 10)
			out := filepath.Join(t.TempDir(), "cr.jsonld")
			code, _, errs := run(t, "", nil, "export", "--db", dsn, "--article", id, "--format", "claimreview", "-o", out)
			if code != 1 || !strings.Contains(errs, "no fact-check URL") || !strings.Contains(errs, "report page") {
				t.Errorf("claimreview without a fact-check URL: exit %d, %q; want 1 saying what is missing and where to set it", code, errs)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a refused export left a file")
			}
			zipOut := filepath.Join(t.TempDir(), "all.zip")
			code, _, errs = run(t, "", nil, "export", "--db", dsn, "--format", "zip", "--formats", "json,claimreview", "-o", zipOut)
			if code != 1 || !strings.Contains(errs, "article "+id+" has no fact-check URL") {
				t.Errorf("zip with claimreview without a fact-check URL: exit %d, %q; want 1 naming the article", code, errs)
			}
			const published = "https://newsroom.example/checks/first-claim"
			if _, err := svc.SetFactCheckURL(ctx, checker.Actor(), res.Article.ID, published); err != nil {
				t.Fatal(err)
			}
			code, cr, errs := run(t, "", nil, "export", "--db", dsn, "--article", id, "--format", "claimreview")
			if code != 0 {
				t.Fatalf("claimreview: exit %d: %s", code, errs)
			}
			var reviews []struct{ URL string }
			if err := json.Unmarshal([]byte(cr), &reviews); err != nil || len(reviews) != 1 || reviews[0].URL != published {
				t.Errorf("claimreview: %v %s, want one review with url %s", err, cr, published)
			}

			for _, tc := range []struct {
				name  string
				env   map[string]string
				flags []string
				want  bool
			}{
				{"default", nil, nil, false},
				{"flag", nil, []string{"--export-emails"}, true},
				{"env", map[string]string{"FACTDESK_EXPORT_EMAILS": "1"}, nil, true},
				{"env overridden", map[string]string{"FACTDESK_EXPORT_EMAILS": "1"}, []string{"--export-emails=false"}, false},
			} {
				args := append([]string{"export", "--db", dsn, "--article", id, "--format", "annotations"}, tc.flags...)
				code, ann, errs := run(t, "", tc.env, args...)
				if code != 0 {
					t.Fatalf("%s: annotations: exit %d: %s", tc.name, code, errs)
				}
				if !strings.Contains(ann, `"name": "`+checker.Name+`"`) {
					t.Errorf("%s: annotations do not name the checker %q", tc.name, checker.Name)
				}
				if got := strings.Contains(ann, checker.Email); got != tc.want {
					t.Errorf("%s: annotations carry the checker's e-mail: %v, want %v", tc.name, got, tc.want)
				}
			}
		})
	}
}

// TestServerExportEmailsFlag checks serve's and demo's --export-emails and
// its environment variable: off unless asked for.
func TestServerExportEmailsFlag(t *testing.T) {
	for _, tc := range []struct {
		env  string
		args []string
		want bool
	}{
		{"", nil, false},
		{"", []string{"--export-emails"}, true},
		{"true", nil, true},
		{"1", []string{"--export-emails=false"}, false},
		{"maybe", nil, false},
	} {
		p := &Program{Getenv: func(k string) string {
			if k == "FACTDESK_EXPORT_EMAILS" {
				return tc.env
			}
			return ""
		}}
		p.Stderr = &strings.Builder{}
		fs := p.flags("serve", serveUsage)
		cfg := p.serverFlags(fs)
		if err := parse(fs, tc.args); err != nil {
			t.Fatal(err)
		}
		if cfg.exportEmails != tc.want {
			t.Errorf("env %q, flags %v: export emails %v, want %v", tc.env, tc.args, cfg.exportEmails, tc.want)
		}
	}
}
