package models_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// checked is an article with everything the trail describes: labels, an
// attribution, a citation, a resolved comment, a submitted and approved
// round with its decision comment, an assignment and a second opinion.
type checked struct {
	d         *desk
	art       *models.Article
	ss        []models.Sentence
	attr      *models.Attribution
	citation  *models.Citation
	comment   *models.Comment
	source    *models.Source
	opinion   *models.SecondOpinion
	roundID   int64
	labelID   int64
	decisionC int64
}

func newChecked(t *testing.T, k testdb.Kind) *checked {
	t.Helper()
	ctx := context.Background()
	d := newDesk(t, k)
	c := &checked{d: d}
	c.art, c.ss = d.searchArticle(t, "Council budget", "Daily", nil, "The council spent 4 million.", "The mayor said it was too much.")
	d.edit(t, c.ss[0], codebook.Fact, codebook.Labeled, "", "")
	d.edit(t, c.ss[1], codebook.Quote, codebook.Labeled, "", "")
	sa, err := d.st.SetAttribution(ctx, d.ana, c.ss[1].ID, models.AttributionEdit{Speaker: "the mayor", Cue: "said"})
	if err != nil {
		t.Fatal(err)
	}
	c.attr = sa.Attribution
	if c.source, _, err = d.st.CreateSource(ctx, d.editor, models.NewSource{Kind: "document", Title: "Budget 2026", Publisher: "City"}); err != nil {
		t.Fatal(err)
	}
	if c.citation, _, err = d.st.AddCitation(ctx, d.ana, c.ss[0].ID, models.NewCitation{SourceID: c.source.ID, Relation: codebook.Supports, Excerpt: "4.0m"}); err != nil {
		t.Fatal(err)
	}
	if c.comment, err = d.st.AddComment(ctx, d.ana, models.NewComment{ArticleID: c.art.ID, SentenceID: c.ss[0].ID, Body: "Which budget line?"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.st.ResolveComment(ctx, d.ben, c.comment.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := d.st.Assign(ctx, d.editor, []int64{c.art.ID}, models.NewAssignment{UserID: d.ben.ID, Priority: models.PriorityHigh, DueAt: &d.now}); err != nil {
		t.Fatal(err)
	}
	if c.opinion, err = d.st.RequestOpinion(ctx, d.editor, c.art.ID, d.ben.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.st.SetOpinionLabels(ctx, d.ben, c.opinion.ID, map[int64]codebook.Label{c.ss[0].ID: codebook.Fact, c.ss[1].ID: codebook.Quote}); err != nil {
		t.Fatal(err)
	}
	if c.opinion, err = d.st.CompleteOpinion(ctx, d.ben, c.opinion.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.st.Advance(ctx, d.ana, c.art.ID, models.Transition{Action: "article.submit",
		From: []models.ArticleStatus{models.ArticleInReview}, To: models.ArticleSubmitted, Round: models.RoundSubmit}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.st.Advance(ctx, d.editor, c.art.ID, models.Transition{Action: "article.approve",
		From: []models.ArticleStatus{models.ArticleSubmitted}, To: models.ArticleApproved, Round: models.RoundDecide, Decision: "approved", Comment: "Good."}); err != nil {
		t.Fatal(err)
	}
	g := d.st.DB().Gorm()
	if err := g.Raw(`SELECT id FROM review_rounds WHERE article_id = ? AND number = 1`, c.art.ID).Scan(&c.roundID).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Raw(`SELECT id FROM opinion_labels WHERE opinion_id = ? AND sentence_id = ?`, c.opinion.ID, c.ss[0].ID).Scan(&c.labelID).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Raw(`SELECT id FROM comments WHERE article_id = ? AND kind = 'decision'`, c.art.ID).Scan(&c.decisionC).Error; err != nil {
		t.Fatal(err)
	}
	if c.roundID == 0 || c.labelID == 0 || c.decisionC == 0 {
		t.Fatalf("fixture: round %d, label %d, decision comment %d", c.roundID, c.labelID, c.decisionC)
	}
	return c
}

func (c *checked) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if err := c.d.st.DB().Gorm().Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func (c *checked) verify(t *testing.T) *models.Verification {
	t.Helper()
	v, err := c.d.st.VerifyArticle(context.Background(), c.art.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantProblem checks that v fails and names the table, the row (0: any)
// and a message containing each of words.
func wantProblem(t *testing.T, v *models.Verification, table string, row int64, words ...string) {
	t.Helper()
	if v.OK || v.ReplayOK {
		t.Fatalf("verifies although %s was changed behind factdesk's back", table)
	}
	if !v.ChainOK {
		t.Errorf("the chain was not touched but does not verify: %+v", v.Problems)
	}
next:
	for _, p := range v.Problems {
		if p.Table != table || row != 0 && p.RowID != row {
			continue
		}
		for _, w := range words {
			if !strings.Contains(p.Message, w) {
				continue next
			}
		}
		return
	}
	t.Fatalf("no problem with %s row %d saying %q: %+v", table, row, words, v.Problems)
}

func TestVerifyReplaysEveryTable(t *testing.T) {
	type tamper struct {
		name  string
		do    func(t *testing.T, c *checked)
		table string
		row   func(c *checked) int64
		words []string
	}
	article := func(c *checked) int64 { return c.art.ID }
	cases := []tamper{
		{"article title", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE articles SET title = 'Forged' WHERE id = ?`, c.art.ID)
		}, "articles", article, []string{"title", `"Forged"`, `"Council budget"`}},
		{"article outlet and url", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE articles SET outlet = 'Weekly', url = 'https://x.example/' WHERE id = ?`, c.art.ID)
		}, "articles", article, []string{"outlet", `"Weekly"`, `"Daily"`}},
		{"article status", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE articles SET status = 'in_review' WHERE id = ?`, c.art.ID)
		}, "articles", article, []string{"status", `"in_review"`, `"approved"`}},
		{"revision format", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE revisions SET format = 'html' WHERE article_id = ?`, c.art.ID)
		}, "revisions", func(c *checked) int64 { return *c.art.CurrentRevisionID }, []string{"format", `"html"`, `"text"`}},
		{"attribution speaker", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE attributions SET speaker = 'the treasurer' WHERE id = ?`, c.attr.ID)
		}, "attributions", func(c *checked) int64 { return c.attr.ID }, []string{"speaker", `"the treasurer"`, `"the mayor"`}},
		{"attribution deleted", func(t *testing.T, c *checked) {
			c.exec(t, `DELETE FROM attributions WHERE id = ?`, c.attr.ID)
		}, "attributions", nil, []string{"the mayor", "not stored"}},
		{"attribution added", func(t *testing.T, c *checked) {
			c.exec(t, `INSERT INTO attributions (sentence_id, article_id, speaker, cue, medium, carried_over, origin, confirmed_by, confirmed_at, updated_at, version)
				VALUES (?, ?, 'a minister', 'said', '', ?, 'checker', ?, ?, ?, 1)`, c.ss[0].ID, c.art.ID, false, c.d.ana.ID, c.d.now, c.d.now)
		}, "attributions", nil, []string{"no event explains"}},
		{"citation excerpt", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE citations SET excerpt = '40m' WHERE id = ?`, c.citation.ID)
		}, "citations", func(c *checked) int64 { return c.citation.ID }, []string{"excerpt", `"40m"`, `"4.0m"`}},
		{"citation deleted", func(t *testing.T, c *checked) {
			c.exec(t, `DELETE FROM citations WHERE id = ?`, c.citation.ID)
		}, "citations", func(c *checked) int64 { return c.citation.ID }, []string{"not stored"}},
		{"citation added", func(t *testing.T, c *checked) {
			c.exec(t, `INSERT INTO citations (sentence_id, article_id, source_id, relation, excerpt, locator, created_by, created_at)
				VALUES (?, ?, ?, 'context', '', '', ?, ?)`, c.ss[1].ID, c.art.ID, c.source.ID, c.d.ana.ID, c.d.now)
		}, "citations", nil, []string{"no event explains"}},
		{"comment body", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE comments SET body = 'All fine.' WHERE id = ?`, c.comment.ID)
		}, "comments", func(c *checked) int64 { return c.comment.ID }, []string{"body", `"All fine."`, `"Which budget line?"`}},
		{"comment reopened", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE comments SET resolved_at = NULL, resolved_by = NULL WHERE id = ?`, c.comment.ID)
		}, "comments", func(c *checked) int64 { return c.comment.ID }, []string{"resolved", "stored false", "give true"}},
		{"comment kind", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE comments SET kind = 'comment' WHERE id = ?`, c.decisionC)
		}, "comments", func(c *checked) int64 { return c.decisionC }, []string{"kind", `"comment"`, `"decision"`}},
		{"comment deleted", func(t *testing.T, c *checked) {
			c.exec(t, `DELETE FROM comments WHERE id = ?`, c.comment.ID)
		}, "comments", func(c *checked) int64 { return c.comment.ID }, []string{"Which budget line?", "not stored"}},
		{"comment added", func(t *testing.T, c *checked) {
			c.exec(t, `INSERT INTO comments (article_id, author_id, kind, body, created_at) VALUES (?, ?, 'comment', 'Planted.', ?)`, c.art.ID, c.d.ben.ID, c.d.now)
		}, "comments", nil, []string{"no event explains", "Planted."}},
		{"round decided by its submitter", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE review_rounds SET decided_by = submitted_by WHERE id = ?`, c.roundID)
		}, "review_rounds", func(c *checked) int64 { return c.roundID }, nil /* the fixture's ids: see below */},
		{"round decision", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE review_rounds SET decision = 'changes_requested' WHERE id = ?`, c.roundID)
		}, "review_rounds", func(c *checked) int64 { return c.roundID }, []string{"decision", `"changes_requested"`, `"approved"`}},
		{"round deleted", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE comments SET round_id = NULL WHERE article_id = ?`, c.art.ID)
			c.exec(t, `DELETE FROM review_rounds WHERE id = ?`, c.roundID)
		}, "review_rounds", nil, []string{"round 1", "not stored"}},
		{"opinion status", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE second_opinions SET status = 'settled' WHERE id = ?`, c.opinion.ID)
		}, "second_opinions", func(c *checked) int64 { return c.opinion.ID }, []string{"status", `"settled"`, `"done"`}},
		{"opinion deleted", func(t *testing.T, c *checked) {
			c.exec(t, `DELETE FROM opinion_labels WHERE opinion_id = ?`, c.opinion.ID)
			c.exec(t, `DELETE FROM second_opinions WHERE id = ?`, c.opinion.ID)
		}, "second_opinions", func(c *checked) int64 { return c.opinion.ID }, []string{"not stored"}},
		{"opinion label", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE opinion_labels SET label = 'allegation' WHERE id = ?`, c.labelID)
		}, "opinion_labels", func(c *checked) int64 { return c.labelID }, []string{"label", `"allegation"`, `"fact"`}},
		{"assignment priority", func(t *testing.T, c *checked) {
			c.exec(t, `UPDATE assignments SET priority = 'urgent' WHERE article_id = ?`, c.art.ID)
		}, "assignments", func(c *checked) int64 { return c.d.ben.ID }, []string{"priority", `"urgent"`, `"high"`}},
		{"assignment deleted", func(t *testing.T, c *checked) {
			c.exec(t, `DELETE FROM assignments WHERE article_id = ?`, c.art.ID)
		}, "assignments", func(c *checked) int64 { return c.d.ben.ID }, []string{"not stored"}},
		{"assignment added", func(t *testing.T, c *checked) {
			c.exec(t, `INSERT INTO assignments (article_id, user_id, priority, assigned_at) VALUES (?, ?, 'normal', ?)`, c.art.ID, c.d.ana.ID, c.d.now)
		}, "assignments", func(c *checked) int64 { return c.d.ana.ID }, []string{"no event explains"}},
	}
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			c := newChecked(t, k)
			if v := c.verify(t); !v.OK {
				t.Fatalf("the untouched article does not verify: %+v", v.Problems)
			}
			for _, tc := range cases {
				t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
					c := newChecked(t, k)
					tc.do(t, c)
					var row int64
					if tc.row != nil {
						row = tc.row(c)
					}
					words := tc.words
					if tc.name == "round decided by its submitter" {
						words = []string{"decided_by", "stored " + itoa(c.d.ana.ID), "give " + itoa(c.d.editor.ID)}
					}
					wantProblem(t, c.verify(t), tc.table, row, words...)
				})
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestVerifyGlobalReplaysUsersAndTokens(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			tok, err := d.st.CreateToken(ctx, d.ana, d.ana.ID, "laptop", "hash-1", "fd_1")
			if err != nil {
				t.Fatal(err)
			}
			gone, err := d.st.CreateToken(ctx, d.ben, d.ben.ID, "old", "hash-2", "fd_2")
			if err != nil {
				t.Fatal(err)
			}
			if err := d.st.RevokeToken(ctx, d.ben, gone.ID, d.ben.ID); err != nil {
				t.Fatal(err)
			}
			global := func() []models.ChainProblem {
				t.Helper()
				ps, _, err := d.st.VerifyGlobal(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return ps
			}
			if ps := global(); len(ps) > 0 {
				t.Fatalf("untouched users and tokens do not verify: %+v", ps)
			}
			g := d.st.DB().Gorm()
			want := func(what string, words ...string) {
				t.Helper()
				ps := global()
			next:
				for _, p := range ps {
					for _, w := range words {
						if !strings.Contains(p.Problem, w) {
							continue next
						}
					}
					return
				}
				t.Errorf("%s: no problem saying %q: %+v", what, words, ps)
			}
			exec := func(sql string, args ...any) {
				t.Helper()
				if err := g.Exec(sql, args...).Error; err != nil {
					t.Fatal(err)
				}
			}

			exec(`UPDATE users SET role = 'admin' WHERE id = ?`, d.ana.ID)
			want("role raised", "users row "+itoa(d.ana.ID), "role", `stored "admin"`, `give "checker"`)
			exec(`UPDATE users SET role = 'checker' WHERE id = ?`, d.ana.ID)

			exec(`UPDATE users SET disabled_at = NULL WHERE id = ?`, d.gone.ID)
			want("user enabled", "users row "+itoa(d.gone.ID), "disabled", "stored false", "give true")
			exec(`UPDATE users SET disabled_at = ? WHERE id = ?`, d.now, d.gone.ID)

			exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, d.now, tok.ID)
			want("token revoked", "api_tokens row "+itoa(tok.ID), "revoked", "stored true", "give false")
			exec(`UPDATE api_tokens SET revoked_at = NULL WHERE id = ?`, tok.ID)

			exec(`UPDATE api_tokens SET revoked_at = NULL WHERE id = ?`, gone.ID)
			want("token unrevoked", "api_tokens row "+itoa(gone.ID), "revoked", "stored false", "give true")
			exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, d.now, gone.ID)

			exec(`INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('eve@desk.example', 'Eve', 'admin', 'x', ?, ?)`, d.now, d.now)
			want("user added", "users row", "no event explains", "eve@desk.example")
			exec(`DELETE FROM users WHERE email = 'eve@desk.example'`)

			if ps := global(); len(ps) > 0 {
				t.Fatalf("after undoing every change: %+v", ps)
			}
		})
	}
}
