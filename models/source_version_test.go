package models_test

import (
	"context"
	"testing"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

func sourceVersions(t *testing.T, st *models.Store, id int64) []models.SourceVersion {
	t.Helper()
	vs, err := st.SourceVersions(context.Background(), []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	return vs[id]
}

// TestSourceVersions checks that creating a source writes version 1, that
// an edit of a citable field writes the next version (and an edit of the
// notes none), and that citations record the version they cite: a new
// citation the current one, a reused citation the one it reuses.
func TestSourceVersions(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		src := f.source(t, "Budget statement", "https://gov.example/budget")
		if src.Version != 1 {
			t.Fatalf("new source: version %d, want 1", src.Version)
		}
		vs := sourceVersions(t, f.st, src.ID)
		if len(vs) != 1 || vs[0].Version != 1 || vs[0].Title != "Budget statement" || vs[0].URL != "https://gov.example/budget" ||
			vs[0].CreatedBy != f.checker.ID || vs[0].Kind != models.KindWebPage {
			t.Fatalf("versions after create: %+v", vs)
		}

		c1, _, err := f.st.AddCitation(ctx, f.checker, f.sents[0].ID, models.NewCitation{SourceID: src.ID, Relation: codebook.Supports})
		if err != nil {
			t.Fatal(err)
		}
		if c1.SourceVersion != 1 {
			t.Fatalf("citation of version 1: source_version %d", c1.SourceVersion)
		}

		title, url := "Budget statement (revised)", "https://gov.example/budget-2"
		up, err := f.st.UpdateSource(ctx, f.checker, src.ID, models.SourceChange{Title: &title, URL: &url})
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 {
			t.Fatalf("after a title edit: version %d, want 2", up.Version)
		}
		notes := "checked twice"
		if up, err = f.st.UpdateSource(ctx, f.checker, src.ID, models.SourceChange{Notes: &notes}); err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 {
			t.Fatalf("after a notes edit: version %d, want 2 (notes are not shown in reports)", up.Version)
		}
		vs = sourceVersions(t, f.st, src.ID)
		if len(vs) != 2 || vs[0].Title != "Budget statement" || vs[0].URL != "https://gov.example/budget" ||
			vs[1].Version != 2 || vs[1].Title != title || vs[1].URL != url {
			t.Fatalf("versions after edits: %+v", vs)
		}
		if vs[1].CreatedAt.Before(vs[0].CreatedAt) {
			t.Errorf("version 2 written at %v, before version 1 (%v)", vs[1].CreatedAt, vs[0].CreatedAt)
		}

		c2, _, err := f.st.AddCitation(ctx, f.checker, f.sents[1].ID, models.NewCitation{SourceID: src.ID, Relation: codebook.Supports})
		if err != nil {
			t.Fatal(err)
		}
		// By URL: the library's source is found and its current version cited.
		c3, created, err := f.st.AddCitation(ctx, f.checker, f.sents[3].ID, models.NewCitation{
			NewSource: &models.NewSource{Kind: models.KindWebPage, Title: "x", URL: url}, Relation: codebook.Context})
		if err != nil {
			t.Fatal(err)
		}
		reused, err := f.st.ReuseCitation(ctx, f.checker, f.sents[2].ID, models.Reuse{FromSentenceID: f.sents[0].ID, CitationID: c1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if c2.SourceVersion != 2 || created || c3.SourceVersion != 2 || reused.SourceVersion != 1 {
			t.Errorf("source_version: new citation %d, by URL %d (created %v), reused %d; want 2, 2 (false), 1",
				c2.SourceVersion, c3.SourceVersion, created, reused.SourceVersion)
		}
		// What was stored, as the report reads it.
		cs, err := f.st.RevisionCitations(ctx, *f.article.CurrentRevisionID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]int{}
		for _, c := range cs {
			got[c.ID] = c.SourceVersion
		}
		if got[c1.ID] != 1 || got[c2.ID] != 2 || got[c3.ID] != 2 || got[reused.ID] != 1 {
			t.Errorf("stored source_version by citation: %v", got)
		}
	})
}

// TestSourceVersionWithheld checks that withholding a source is a new
// version: whether a source is named is part of what a report shows.
func TestSourceVersionWithheld(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		f := newSourceFixture(t, db)
		src := f.source(t, "Informant memo", "")
		yes, why := true, "identifies an informant"
		up, err := f.st.UpdateSource(context.Background(), f.checker, src.ID, models.SourceChange{Withheld: &yes, WithheldReason: &why})
		if err != nil {
			t.Fatal(err)
		}
		vs := sourceVersions(t, f.st, src.ID)
		if up.Version != 2 || len(vs) != 2 || vs[0].Withheld || !vs[1].Withheld || vs[1].WithheldReason != why {
			t.Fatalf("version %d, versions %+v", up.Version, vs)
		}
	})
}
