package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestArticleListFiltersAndSorts checks each desk filter of the article
// list and that every order pages by keyset without losing or repeating
// an article.
func TestArticleListFiltersAndSorts(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			var ids []int64
			for i := range 9 {
				ids = append(ids, d.article(t, fmt.Sprintf("Article %d", i)).ID)
			}
			at := func(h int) *time.Time { x := d.now.Add(time.Duration(h) * time.Hour); return &x }
			// 0: Ana, overdue; 1: Ana, due today; 2: Ben, due in 3 days;
			// 3: Ben, due in 10 days; 4: Ana and Ben, no due time; the rest
			// nobody's.
			for _, a := range []struct {
				i   int
				who models.Actor
				due *time.Time
			}{{0, d.ana, at(-2)}, {1, d.ana, at(5)}, {2, d.ben, at(72)}, {3, d.ben, at(240)}, {4, d.ana, nil}, {4, d.ben, nil}} {
				if _, err := d.st.Assign(ctx, d.editor, []int64{ids[a.i]}, models.NewAssignment{UserID: a.who.ID, DueAt: a.due}); err != nil {
					t.Fatal(err)
				}
			}
			// 5 is started (one sentence labeled), 6 labeled throughout.
			label := func(i int, all bool) {
				a, err := d.st.Article(ctx, ids[i])
				if err != nil {
					t.Fatal(err)
				}
				ss, err := d.st.Sentences(ctx, *a.CurrentRevisionID)
				if err != nil {
					t.Fatal(err)
				}
				for j, s := range ss {
					if j > 0 && !all {
						break
					}
					if _, err := d.st.EditSentence(ctx, d.ana, s.ID, s.Version, "sentence.label", labelAs(codebook.Fact)); err != nil {
						t.Fatal(err)
					}
				}
			}
			label(5, false)
			label(6, true)
			list := func(f models.ArticleFilter) []int64 {
				t.Helper()
				var got []int64
				for page := 0; ; page++ {
					p, err := d.st.Articles(ctx, f)
					if err != nil {
						t.Fatalf("%+v: %v", f, err)
					}
					for _, r := range p.Articles {
						got = append(got, r.ID)
					}
					if p.Next == 0 {
						return got
					}
					if page > 20 {
						t.Fatalf("%+v: does not end", f)
					}
					f.Before = p.Next
				}
			}
			pick := func(is ...int) []int64 {
				var out []int64
				for _, i := range is {
					out = append(out, ids[i])
				}
				return out
			}
			desc := func(xs []int64) []int64 { ys := slices.Clone(xs); slices.Reverse(ys); return ys }
			for name, tc := range map[string]struct {
				f    models.ArticleFilter
				want []int64
			}{
				"assigned to Ana":      {models.ArticleFilter{Assignee: d.ana.ID}, desc(pick(0, 1, 4))},
				"unassigned":           {models.ArticleFilter{Unassigned: true}, desc(pick(5, 6, 7, 8))},
				"overdue":              {models.ArticleFilter{Due: models.DueOverdue}, pick(0)},
				"due today":            {models.ArticleFilter{Due: models.DueToday}, desc(pick(0, 1))},
				"due this week":        {models.ArticleFilter{Due: models.DueWeek}, desc(pick(0, 1, 2))},
				"not started":          {models.ArticleFilter{Progress: models.ProgressUnstarted, Unassigned: true}, desc(pick(7, 8))},
				"started":              {models.ArticleFilter{Progress: models.ProgressStarted}, pick(5)},
				"labeled":              {models.ArticleFilter{Progress: models.ProgressLabeled}, pick(6)},
				"outlet, any case":     {models.ArticleFilter{Outlet: "DAILY", Assignee: d.ben.ID}, desc(pick(2, 3, 4))},
				"another outlet":       {models.ArticleFilter{Outlet: "Weekly"}, nil},
				"oldest, pages of 2":   {models.ArticleFilter{Sort: models.SortOldest, Limit: 2}, ids},
				"newest, pages of 2":   {models.ArticleFilter{Limit: 2}, desc(ids)},
				"soonest due, by 2":    {models.ArticleFilter{Sort: models.SortDue, Limit: 2}, pick(0, 1, 2, 3, 4, 5, 6, 7, 8)},
				"soonest due, by 3":    {models.ArticleFilter{Sort: models.SortDue, Limit: 3}, pick(0, 1, 2, 3, 4, 5, 6, 7, 8)},
				"Ben's by due, by one": {models.ArticleFilter{Sort: models.SortDue, Assignee: d.ben.ID, Limit: 1}, pick(2, 3, 4)},
			} {
				if got := list(tc.f); !slices.Equal(got, tc.want) {
					t.Errorf("%s: got %v, want %v", name, got, tc.want)
				}
			}
			// The approved are not overdue.
			page, err := d.st.Articles(ctx, models.ArticleFilter{Assignee: d.ana.ID, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if as := page.Articles[0].Assignees; len(as) != 2 || as[0].Name == "" {
				t.Errorf("row assignees: got %+v", as)
			}
		})
	}
}

// TestWorkLists checks the lists of My work for a checker and an editor.
func TestWorkLists(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			late, soon := d.now.Add(-time.Hour), d.now.Add(5*time.Hour)
			a, b, c, e := d.article(t, "Late"), d.article(t, "Soon"), d.article(t, "Undated urgent"), d.article(t, "Nobody's")
			for _, x := range []struct {
				id  int64
				due *time.Time
				p   models.Priority
			}{{c.ID, nil, models.PriorityUrgent}, {b.ID, &soon, ""}, {a.ID, &late, ""}} {
				if _, err := d.st.Assign(ctx, d.editor, []int64{x.id}, models.NewAssignment{UserID: d.ana.ID, DueAt: x.due, Priority: x.p}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := d.st.AddComment(ctx, d.ben, models.NewComment{ArticleID: e.ID, Body: "@Ana Ruiz have a look"}); err != nil {
				t.Fatal(err)
			}
			w, err := d.st.Work(ctx, d.ana.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			titles := func(items []models.WorkItem) []string {
				var out []string
				for _, it := range items {
					out = append(out, it.Title)
				}
				return out
			}
			if got := titles(w.Assigned); !slices.Equal(got, []string{"Late", "Soon", "Undated urgent"}) {
				t.Errorf("assigned: got %v", got)
			}
			if got := titles(w.Mentions); !slices.Equal(got, []string{"Nobody's"}) || w.Mentions[0].Waiting != 1 {
				t.Errorf("mentions: got %v", got)
			}
			if w.ToDecide != nil || w.Unassigned != nil {
				t.Error("a checker got the editors' lists")
			}
			counts, err := d.st.Desk(ctx, d.ana.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if counts.Unread != 4 || counts.Work != 3 {
				t.Errorf("Ana's header: %+v, want 4 unread and 3 at work", counts)
			}
			// Ana submits "Late"; the editor sends it back with a change
			// request; it moves from assigned to sent back, with the request.
			submit := models.Transition{Action: "article.submit", From: []models.ArticleStatus{models.ArticleDraft, models.ArticleInReview}, To: models.ArticleSubmitted, Round: models.RoundSubmit}
			if _, err := d.st.Advance(ctx, d.ana, a.ID, submit); err != nil {
				t.Fatal(err)
			}
			ew, err := d.st.Work(ctx, d.editor.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(ew.ToDecide); !slices.Equal(got, []string{"Late"}) || ew.ToDecide[0].SubmittedBy != "Ana Ruiz" {
				t.Errorf("to decide: got %v", got)
			}
			if got := titles(ew.Unassigned); !slices.Equal(got, []string{"Nobody's"}) {
				t.Errorf("unassigned: got %v", got)
			}
			if got := titles(ew.Overdue); !slices.Equal(got, []string{"Late"}) {
				t.Errorf("overdue: got %v", got)
			}
			send := models.Transition{Action: "article.request_changes", From: []models.ArticleStatus{models.ArticleSubmitted}, To: models.ArticleChangesRequested,
				Round: models.RoundDecide, Decision: "changes_requested", Comment: "Source the second paragraph."}
			if _, err := d.st.Advance(ctx, d.editor, a.ID, send); err != nil {
				t.Fatal(err)
			}
			w, err = d.st.Work(ctx, d.ana.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(w.SentBack); !slices.Equal(got, []string{"Late"}) || len(w.SentBack[0].Comments) != 1 || w.SentBack[0].Comments[0].Body != "Source the second paragraph." {
				t.Errorf("sent back: got %v %+v", got, w.SentBack)
			}
			if got := titles(w.Assigned); !slices.Equal(got, []string{"Soon", "Undated urgent"}) {
				t.Errorf("assigned after sending back: got %v", got)
			}
			ns := d.inbox(t, d.ana)
			if ns[0].Event != models.EventChangesRequested {
				t.Errorf("Ana's latest notification: %s, want %s", ns[0].Event, models.EventChangesRequested)
			}
		})
	}
}
