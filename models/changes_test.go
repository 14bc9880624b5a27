package models_test

import (
	"context"
	"testing"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestChangesBetweenNetsOut: what is undone within the stretch leaves no
// trace (a citation added and removed, a thread resolved and reopened);
// what is not, shows, folded from its first change to its last.
func TestChangesBetweenNetsOut(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		src := f.source(t, "Ministry page", "https://ministry.example/")
		s0, s1, s2 := f.sents[0].ID, f.sents[1].ID, f.sents[2].ID
		c, _, err := f.st.AddCitation(ctx, f.checker, s0, models.NewCitation{SourceID: src.ID, Relation: codebook.Context})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.DeleteCitation(ctx, f.checker, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.st.AddCitation(ctx, f.checker, s1, models.NewCitation{SourceID: src.ID, Relation: codebook.Supports}); err != nil {
			t.Fatal(err)
		}
		cm, err := f.st.AddComment(ctx, f.checker, models.NewComment{ArticleID: f.article.ID, SentenceID: s0, Body: "Why?"})
		if err != nil {
			t.Fatal(err)
		}
		for _, resolved := range []bool{true, false} {
			if _, err := f.st.ResolveComment(ctx, f.checker, cm.ID, resolved); err != nil {
				t.Fatal(err)
			}
		}
		art, err := f.st.AddComment(ctx, f.checker, models.NewComment{ArticleID: f.article.ID, Body: "Title?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.ResolveComment(ctx, f.checker, art.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, speaker := range []string{"The ministry", "The mayor"} {
			if _, err := f.st.SetAttribution(ctx, f.checker, s2, models.AttributionEdit{Speaker: speaker, Cue: "said"}); err != nil {
				t.Fatal(err)
			}
		}
		ch, err := f.st.ChangesBetween(ctx, f.article.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Sentences) != 2 || ch.Sentences[0].SentenceID != s1 || ch.Sentences[1].SentenceID != s2 {
			t.Fatalf("sentences: %+v, want sentences 2 and 3 only", ch.Sentences)
		}
		if got := ch.Sentences[0]; len(got.CitationsAdded) != 1 || got.CitationsAdded[0].Title != "Ministry page" || got.CitationsAdded[0].Relation != "supports" ||
			got.Before != got.After || got.After.Status != "unreviewed" || got.Changes != 1 {
			t.Errorf("sentence 2: %+v", got)
		}
		if got := ch.Sentences[1].Attribution; got == nil || got.Before != nil || got.After == nil || got.After.Speaker != "The mayor" || !got.After.Confirmed {
			t.Errorf("sentence 3's attribution: %+v", got)
		}
		if len(ch.CommentsResolved) != 1 || ch.CommentsResolved[0].CommentID != art.ID || ch.CommentsResolved[0].Body != "Title?" {
			t.Errorf("article threads resolved: %+v", ch.CommentsResolved)
		}
		// A stretch that starts after the first speaker: it changed from
		// the ministry to the mayor.
		evs, err := f.st.ArticleEvents(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		ch, err = f.st.ChangesBetween(ctx, f.article.ID, evs[len(evs)-2].Seq, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Sentences) != 1 || ch.Sentences[0].Attribution == nil || ch.Sentences[0].Attribution.Before.Speaker != "The ministry" {
			t.Errorf("the last change alone: %+v", ch.Sentences)
		}
	})
}
