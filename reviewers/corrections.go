package reviewers

import (
	"context"
	"fmt"
	"strings"

	"factdesk/export"
	"factdesk/models"
)

// correctionsLog builds an audit report's revisions and its corrections
// log: for each revision after the first, when it came and from whom,
// what it changed in the text, and what that did to the check — which
// verified or disputed sentences went back to review, which verdicts
// must be looked at again, which checked sentences were removed. The
// record fact-checkers' codes of principles ask of corrections. Two
// queries whatever the number of revisions.
func (s *Service) correctionsLog(ctx context.Context, a *models.Article, revs []models.Revision, people map[int64]string) ([]export.Revision, []export.Correction, error) {
	changes, err := s.store.ArticleRevisionChanges(ctx, a.ID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]export.Revision, 0, len(revs))
	corrections := []export.Correction{}
	for _, rv := range revs {
		er := export.Revision{Number: rv.Number, ImportedAt: rv.ImportedAt, ImportedBy: people[rv.ImportedBy],
			Title: a.Title, BodySHA256: rv.BodySHA256, Sentences: rv.SentenceCount}
		if rv.Number == 1 {
			out = append(out, er)
			continue
		}
		c := correction(rv, changes[rv.ID])
		c.By = people[rv.ImportedBy]
		er.Note = counts(changes[rv.ID], rv.SentenceCount)
		out = append(out, er)
		corrections = append(corrections, c)
	}
	return out, corrections, nil
}

// correction is the corrections-log entry of one revision.
func correction(rv models.Revision, chs []models.RevisionChangeView) export.Correction {
	c := export.Correction{Revision: rv.Number, At: rv.ImportedAt, Changes: []export.TextChange{}}
	var reopened, removed []string
	for _, ch := range chs {
		switch ch.Kind {
		case models.ChangeChanged:
			c.Changes = append(c.Changes, export.TextChange{Kind: "changed", Before: ch.OldText, After: ch.Text})
			if ch.Before != nil && ch.After != nil && (ch.Before.Status != ch.After.Status || ch.Before.Verdict != "") {
				reopened = append(reopened, fmt.Sprintf("sentence %d (was %s)", ch.Number, checkWords(ch.Before)))
			}
		case models.ChangeNew:
			c.Changes = append(c.Changes, export.TextChange{Kind: "added", After: ch.Text})
		case models.ChangeRemoved:
			c.Changes = append(c.Changes, export.TextChange{Kind: "removed", Before: ch.OldText})
			if ch.Before != nil && (ch.Before.Label != "" || ch.Before.Verdict != "" || ch.Before.Citations > 0) {
				removed = append(removed, fmt.Sprintf("sentence %d of revision %d (%s)", ch.OldNumber, rv.Number-1, checkWords(ch.Before)))
			}
		}
	}
	parts := []string{counts(chs, rv.SentenceCount) + "."}
	if len(reopened) > 0 {
		parts = append(parts, "Back to review, to be checked again against the new words: "+strings.Join(reopened, "; ")+".")
	}
	if len(removed) > 0 {
		parts = append(parts, "Removed with the check they had: "+strings.Join(removed, "; ")+".")
	}
	if len(reopened) == 0 && len(removed) == 0 {
		parts = append(parts, "No verdict or check was affected.")
	}
	c.Summary = strings.Join(parts, " ")
	return c
}

// counts says in words how many sentences a revision changed.
func counts(chs []models.RevisionChangeView, sentences int) string {
	n := map[string]int{}
	for _, ch := range chs {
		n[ch.Kind]++
	}
	unchanged := sentences - n[models.ChangeMoved] - n[models.ChangeChanged] - n[models.ChangeNew]
	noun := "sentences"
	if n[models.ChangeChanged] == 1 {
		noun = "sentence"
	}
	return fmt.Sprintf("%d %s changed, %d added, %d removed, %d moved, %d unchanged",
		n[models.ChangeChanged], noun, n[models.ChangeNew], n[models.ChangeRemoved], n[models.ChangeMoved], unchanged)
}

// checkWords describes a sentence's check briefly: "fact, verified,
// verdict True, 1 citation".
func checkWords(c *models.SentenceCheck) string {
	var w []string
	if c.Label != "" {
		w = append(w, c.Label)
	}
	w = append(w, c.Status)
	if c.Verdict != "" {
		w = append(w, "verdict "+c.Verdict)
	}
	switch {
	case c.Citations == 1:
		w = append(w, "1 citation")
	case c.Citations > 1:
		w = append(w, fmt.Sprintf("%d citations", c.Citations))
	}
	return strings.Join(w, ", ")
}
