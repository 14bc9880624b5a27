package reviewers

import (
	"context"
	"strings"
	"unicode/utf8"

	"factdesk/codebook"
	"factdesk/models"
)

// SentenceUpdate is a person's change to a sentence. Nil fields stay as
// they are; Version must be the version they saw.
type SentenceUpdate struct {
	Label         *string
	Status        *string
	Verdict       *string
	Note          *string
	ExcludeReason *string
	// AcceptSuggestion sets the label to the machine reviewer's suggestion,
	// recorded as this person's label, marked as an accepted suggestion.
	AcceptSuggestion bool
	Version          int
}

// Limits of a sentence's free text.
const (
	MaxNoteLen          = 10000
	MaxExcludeReasonLen = 500
)

// UpdateSentence applies a person's change to a sentence if nobody changed
// it since they saw it (otherwise an ECONFLICT error carries the current
// sentence), checks the codebook's rules and records the change in the
// audit trail.
func (s *Service) UpdateSentence(ctx context.Context, actor models.Actor, id int64, up SentenceUpdate) (*models.Sentence, error) {
	return s.updateSentence(ctx, actor, id, up, "sentence.update")
}

func (s *Service) updateSentence(ctx context.Context, actor models.Actor, id int64, up SentenceUpdate, action string) (*models.Sentence, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	// Whoever gives a blind second opinion on the article labels in the
	// opinion, not in the article: refused before anything, so that
	// neither the answer nor a conflict shows them the sentence.
	if err := s.blindToSentence(ctx, actor, id); err != nil {
		return nil, err
	}
	st, err := s.store.EditSentence(ctx, actor, id, up.Version, action, s.sentenceChange(up))
	if err != nil {
		return nil, s.conflictFor(ctx, actor, err)
	}
	s.publishSentence(ctx, actor, st)
	return st, nil
}

// conflictFor keeps the current sentence a stale edit's conflict carries
// from someone blind to its article (an opinion asked of them meanwhile):
// they get the refusal instead.
func (s *Service) conflictFor(ctx context.Context, actor models.Actor, err error) error {
	e, ok := models.AsError(err)
	if !ok || e.Code != models.ECONFLICT {
		return err
	}
	cur, ok := e.Data.(*models.Sentence)
	if !ok {
		return err
	}
	// Conflicts are common when people label one article together: the
	// cache answers first, the database only for a blind article.
	blind, berr := s.blindArticlesCached(ctx, actor)
	if berr != nil {
		return berr
	}
	if !blind[cur.ArticleID] {
		return err
	}
	if berr := s.blindTo(ctx, actor, cur.ArticleID); berr != nil {
		return berr
	}
	return err
}

// sentenceChange is the change function of a person's update: the state
// the update leads to, checked against the codebook and the evidence.
func (s *Service) sentenceChange(up SentenceUpdate) func(e *models.SentenceEdit) (models.SentenceState, error) {
	return func(e *models.SentenceEdit) (models.SentenceState, error) {
		if err := editable(e.Article); err != nil {
			return models.SentenceState{}, err
		}
		next, err := applyUpdate(e.Sentence.State(), up, s.scale)
		if err != nil {
			return next, err
		}
		if up.AcceptSuggestion {
			label, err := e.Suggestion()
			if err != nil {
				return next, err
			}
			next.Label, next.Suggested = label, true
			if next.Status == string(codebook.Unreviewed) {
				next.Status = string(codebook.Labeled)
			}
		}
		return next, checkEvidence(e, next)
	}
}

// editable refuses changes to an article whose review is with an editor or
// done.
func editable(a *models.Article) error {
	switch a.Status {
	case models.ArticleApproved:
		return &models.Error{Code: models.ECONFLICT, Data: map[string]any{"status": a.Status},
			Message: "the article is approved and read-only; an editor must reopen it first"}
	case models.ArticleSubmitted:
		return &models.Error{Code: models.ECONFLICT, Data: map[string]any{"status": a.Status},
			Message: "the article is submitted for approval; an editor must request changes before it can be edited"}
	}
	return nil
}

// editableBy checks, before a change of many sentences or one that
// answers with labels (undo, redo, bulk accept), that the actor may edit,
// that the article's status lets its sentences change, and that the actor
// is not giving a blind second opinion on it.
func (s *Service) editableBy(ctx context.Context, actor models.Actor, articleID int64) error {
	if err := Authorize(actor, ActEdit); err != nil {
		return err
	}
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return err
	}
	if err := editable(a); err != nil {
		return err
	}
	return s.blindTo(ctx, actor, articleID)
}

// applyUpdate computes the state a change leads to and checks it against
// the codebook's rules: a label is one of the four; setting one on an
// unreviewed sentence makes it labeled; verified and disputed need a
// label, excluded a reason, unverifiable a note; a verdict is on the
// rating scale.
func applyUpdate(cur models.SentenceState, up SentenceUpdate, scale codebook.Scale) (models.SentenceState, error) {
	next := cur
	if up.Label != nil {
		l := strings.ToLower(strings.TrimSpace(*up.Label))
		if l != "" && !codebook.Label(l).Valid() {
			return next, models.FieldError("label", "%q is not a label: use fact, allegation, quote or assessment", *up.Label)
		}
		next.Label, next.Suggested = l, false
	}
	if up.Note != nil {
		if len(*up.Note) > MaxNoteLen || !utf8.ValidString(*up.Note) {
			return next, models.FieldError("note", "a note is UTF-8 text of at most %d bytes", MaxNoteLen)
		}
		next.Note = strings.TrimSpace(*up.Note)
	}
	if up.Verdict != nil {
		v := strings.TrimSpace(*up.Verdict)
		if v != "" {
			r, ok := findRating(scale, v)
			if !ok {
				return next, models.FieldError("verdict", "%q is not on the rating scale (%s)", v, strings.Join(ratingNames(scale), ", "))
			}
			v = r
		}
		next.Verdict = v
	}
	if up.ExcludeReason != nil {
		r := strings.TrimSpace(*up.ExcludeReason)
		if len(r) > MaxExcludeReasonLen || !utf8.ValidString(r) {
			return next, models.FieldError("exclude_reason", "a reason is UTF-8 text of at most %d bytes", MaxExcludeReasonLen)
		}
		next.ExcludeReason = r
		if r != "" && up.Status == nil {
			next.Status = string(codebook.Excluded)
		}
	}
	if up.Status != nil {
		st := strings.ToLower(strings.TrimSpace(*up.Status))
		if !codebook.Status(st).Valid() {
			return next, models.FieldError("status", "%q is not a status: use unreviewed, labeled, verified, disputed, unverifiable or excluded", *up.Status)
		}
		next.Status = st
	} else if up.ExcludeReason == nil || next.ExcludeReason == "" {
		// A label given alone moves the sentence along: labeling an
		// unreviewed sentence labels it, clearing the label of a labeled
		// one makes it unreviewed again.
		switch {
		case next.Label != "" && next.Status == string(codebook.Unreviewed):
			next.Status = string(codebook.Labeled)
		case next.Label == "" && next.Status == string(codebook.Labeled):
			next.Status = string(codebook.Unreviewed)
		}
	}
	if next.Status != string(codebook.Excluded) {
		next.ExcludeReason = ""
	}
	return next, checkState(next)
}

// checkState enforces the status rules on a state.
func checkState(st models.SentenceState) error {
	switch codebook.Status(st.Status) {
	case codebook.Unreviewed:
		if st.Label != "" {
			return models.FieldError("status", "a labeled sentence cannot be unreviewed; clear its label instead")
		}
	case codebook.Labeled:
		if st.Label == "" {
			return models.FieldError("label", "the status labeled needs a label")
		}
	case codebook.Verified, codebook.Disputed:
		if st.Label == "" {
			return models.FieldError("label", "a %s sentence needs a label", st.Status)
		}
	case codebook.Unverifiable:
		if st.Label == "" {
			return models.FieldError("label", "an unverifiable sentence needs a label")
		}
		if st.Note == "" {
			return models.FieldError("note", "marking a sentence unverifiable needs a note saying what was checked")
		}
	case codebook.Excluded:
		if st.ExcludeReason == "" {
			return models.FieldError("exclude_reason", "excluding a sentence needs a reason")
		}
	}
	if st.Verdict != "" && st.Label == "" {
		return models.FieldError("verdict", "a verdict needs a label")
	}
	return nil
}

func findRating(scale codebook.Scale, v string) (string, bool) {
	for _, r := range append(append([]codebook.Rating{}, scale.Ratings...), scale.Unrated...) {
		if strings.EqualFold(r.Name, v) {
			return r.Name, true
		}
	}
	return "", false
}

func ratingNames(scale codebook.Scale) []string {
	var names []string
	for _, r := range append(append([]codebook.Rating{}, scale.Ratings...), scale.Unrated...) {
		names = append(names, r.Name)
	}
	return names
}

// SentenceHistory returns a sentence's changes, oldest first.
func (s *Service) SentenceHistory(ctx context.Context, actor models.Actor, id int64) ([]models.AuditEvent, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	st, err := s.store.Sentence(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, st.ArticleID); err != nil {
		return nil, err
	}
	return s.store.SentenceHistory(ctx, id)
}

// Sentence returns one sentence.
func (s *Service) Sentence(ctx context.Context, actor models.Actor, id int64) (*models.Sentence, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	st, err := s.store.Sentence(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, st.ArticleID); err != nil {
		return nil, err
	}
	return st, nil
}
