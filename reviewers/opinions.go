package reviewers

import (
	"context"
	"slices"
	"strings"

	"factdesk/codebook"
	"factdesk/models"
	"factdesk/reviewers/agreement"
)

// OpinionSentence is one sentence as a second opinion shows it. The
// second checker sees the text and their own label only; editors see the
// article's label and the machine's too.
type OpinionSentence struct {
	ID        int64  `json:"id"`
	Index     int    `json:"index"`
	Number    int    `json:"number"`
	Paragraph int    `json:"paragraph"`
	Text      string `json:"text"`
	Excluded  bool   `json:"excluded"`
	Second    string `json:"second"`
	First     string `json:"first,omitempty"`
	Machine   string `json:"machine,omitempty"`
	Version   int    `json:"version,omitempty"`
}

// OpinionView is a second opinion for the person looking at it.
type OpinionView struct {
	Opinion      *models.SecondOpinion `json:"opinion"`
	ArticleTitle string                `json:"article_title"`
	Assignee     string                `json:"assignee"`
	RequestedBy  string                `json:"requested_by"`
	Blind        bool                  `json:"blind"` // the viewer is the second checker
	Sentences    []OpinionSentence     `json:"sentences"`
	// Agreement compares the article's labels (the first checker's, as
	// settled so far) with the second opinion, for editors once it is done.
	Agreement     *agreement.PairResult `json:"agreement,omitempty"`
	Disagreements []OpinionSentence     `json:"disagreements,omitempty"`
}

// RequestOpinion asks another checker for a blind second labeling of an
// article.
func (s *Service) RequestOpinion(ctx context.Context, actor models.Actor, articleID, assigneeID int64) (*models.SecondOpinion, error) {
	if err := Authorize(actor, ActDecide); err != nil {
		return nil, err
	}
	ctx, told := s.collectInboxes(ctx)
	defer told()
	o, err := s.store.RequestOpinion(ctx, actor, articleID, assigneeID)
	if err != nil {
		return nil, err
	}
	s.blind.forget(assigneeID)
	s.publish(ctx, actor, "opinion", articleID, o.ID, 0, o)
	s.publishAccess(ctx, assigneeID) // their open pages of the article must go blind
	return o, nil
}

// Opinions lists an article's second opinions, for editors.
func (s *Service) Opinions(ctx context.Context, actor models.Actor, articleID int64) ([]models.SecondOpinion, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if _, err := s.store.Article(ctx, articleID); err != nil {
		return nil, err
	}
	return s.store.Opinions(ctx, articleID)
}

// AssignedOpinions lists the second opinions the actor was asked for.
func (s *Service) AssignedOpinions(ctx context.Context, actor models.Actor) ([]models.SecondOpinion, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	return s.store.AssignedOpinions(ctx, actor.ID)
}

// Opinion shows a second opinion: blind to its second checker while open,
// with the comparison to editors.
func (s *Service) Opinion(ctx context.Context, actor models.Actor, id int64) (*OpinionView, error) {
	o, err := s.store.Opinion(ctx, id)
	if err != nil {
		return nil, err
	}
	blind := o.AssigneeID == actor.ID
	if !blind {
		if err := Authorize(actor, ActDecide); err != nil {
			return nil, err
		}
	}
	a, err := s.store.Article(ctx, o.ArticleID)
	if err != nil {
		return nil, err
	}
	sents, err := s.store.Sentences(ctx, o.RevisionID)
	if err != nil {
		return nil, err
	}
	second, err := s.store.OpinionLabels(ctx, id)
	if err != nil {
		return nil, err
	}
	names, err := s.store.UserNames(ctx, []int64{o.AssigneeID, o.RequestedBy})
	if err != nil {
		return nil, err
	}
	v := &OpinionView{Opinion: o, ArticleTitle: a.Title, Assignee: names[o.AssigneeID], RequestedBy: names[o.RequestedBy], Blind: blind}
	machine := map[int64]string{}
	if !blind {
		sugs, err := s.store.Suggestions(ctx, o.ArticleID, s.cfg.Reviewer.Name())
		if err != nil {
			return nil, err
		}
		for _, g := range sugs {
			machine[g.SentenceID] = string(g.Label)
		}
	}
	var first, sec []string
	for _, st := range sents {
		os := OpinionSentence{ID: st.ID, Index: st.Index, Number: st.Number(), Paragraph: st.Paragraph, Text: st.Text,
			Excluded: st.Status == codebook.Excluded, Second: string(second[st.ID])}
		if !blind {
			os.First, os.Machine, os.Version = st.LabelString(), machine[st.ID], st.Version
		}
		v.Sentences = append(v.Sentences, os)
		if !blind && !os.Excluded {
			first, sec = append(first, os.First), append(sec, os.Second)
			if os.Second != "" && os.First != os.Second {
				v.Disagreements = append(v.Disagreements, os)
			}
		}
	}
	if !blind && o.Status != models.OpinionOpen {
		p, err := labelScale().Pairwise(first, sec)
		if err != nil {
			return nil, err
		}
		v.Agreement = &p
	}
	return v, nil
}

// LabelOpinion records the second checker's labels (sentence id → label).
func (s *Service) LabelOpinion(ctx context.Context, actor models.Actor, id int64, labels map[int64]string) error {
	if err := Authorize(actor, ActEdit); err != nil {
		return err
	}
	ls := make(map[int64]codebook.Label, len(labels))
	for sid, l := range labels {
		ls[sid] = codebook.Label(strings.ToLower(strings.TrimSpace(l)))
	}
	return s.store.SetOpinionLabels(ctx, actor, id, ls)
}

// CompleteOpinion hands the second opinion to the editor.
func (s *Service) CompleteOpinion(ctx context.Context, actor models.Actor, id int64) (*models.SecondOpinion, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	ctx, told := s.collectInboxes(ctx)
	defer told()
	o, err := s.store.CompleteOpinion(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	s.publish(ctx, actor, "opinion", o.ArticleID, o.ID, 0, o)
	return o, nil
}

// Settle decides a disagreement: label becomes the article's label of the
// sentence (recorded as a settlement; the first label and the second
// opinion both stay in the history).
func (s *Service) Settle(ctx context.Context, actor models.Actor, opinionID, sentenceID int64, label string, version int) (*models.Sentence, error) {
	if err := Authorize(actor, ActDecide); err != nil {
		return nil, err
	}
	o, err := s.store.Opinion(ctx, opinionID)
	if err != nil {
		return nil, err
	}
	if o.Status != models.OpinionDone {
		return nil, models.Errorf(models.ECONFLICT, "settle once the second checker has finished (the opinion is %s)", o.Status)
	}
	l := strings.ToLower(strings.TrimSpace(label))
	st, err := s.store.EditSentence(ctx, actor, sentenceID, version, "sentence.settle", func(e *models.SentenceEdit) (models.SentenceState, error) {
		if e.Sentence.RevisionID != o.RevisionID {
			return models.SentenceState{}, models.FieldError("sentence_id", "sentence %d is not in the text of this second opinion", sentenceID)
		}
		if err := editable(e.Article); err != nil {
			return models.SentenceState{}, err
		}
		next, err := applyUpdate(e.Sentence.State(), SentenceUpdate{Label: &l}, s.scale)
		if err != nil {
			return next, err
		}
		return next, checkEvidence(e, next)
	})
	if err != nil {
		return nil, err
	}
	s.publishSentence(ctx, actor, st)
	return st, nil
}

// CloseOpinion marks a second opinion settled or cancelled.
func (s *Service) CloseOpinion(ctx context.Context, actor models.Actor, id int64, status string) (*models.SecondOpinion, error) {
	if err := Authorize(actor, ActDecide); err != nil {
		return nil, err
	}
	if status != models.OpinionSettled && status != models.OpinionCancelled {
		return nil, models.FieldError("status", "close a second opinion as settled or cancelled")
	}
	return s.store.CloseOpinion(ctx, actor, id, status)
}

// blindTo refuses to show an article's labels to a person giving a blind
// second opinion on it.
func (s *Service) blindTo(ctx context.Context, actor models.Actor, articleID int64) error {
	giving, err := s.store.GivingOpinion(ctx, articleID, actor.ID)
	if err != nil {
		return err
	}
	if giving {
		return &models.Error{Code: models.EFORBIDDEN,
			Message: "you are giving a blind second opinion on this article: finish it before you see the article's labels"}
	}
	return nil
}

// blindArticles returns the articles the actor is giving an open blind
// second opinion on (usually none: one indexed query).
func (s *Service) blindArticles(ctx context.Context, actor models.Actor) (map[int64]bool, error) {
	os, err := s.store.AssignedOpinions(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(os))
	for _, o := range os {
		out[o.ArticleID] = true
	}
	return out, nil
}

// blindToSentence is blindTo for the article of sentence id. It reads the
// sentence only when the actor is giving a second opinion at all, and
// whether they are from the service's cache, so that the path every label
// takes costs no query more (see blindCache).
func (s *Service) blindToSentence(ctx context.Context, actor models.Actor, id int64) error {
	blind, err := s.blindArticlesCached(ctx, actor)
	if err != nil || len(blind) == 0 {
		return err
	}
	st, err := s.store.Sentence(ctx, id)
	if err != nil {
		return err
	}
	if blind[st.ArticleID] {
		return s.blindTo(ctx, actor, st.ArticleID)
	}
	return nil
}

// withoutBlind drops from items those of the articles the actor is giving
// a blind second opinion on, article naming each one's article: a list
// across articles (the citations of a source) shows the others.
func withoutBlind[T any](ctx context.Context, s *Service, actor models.Actor, article func(T) int64) func([]T, error) ([]T, error) {
	return func(items []T, err error) ([]T, error) {
		if err != nil {
			return nil, err
		}
		blind, err := s.blindArticles(ctx, actor)
		if err != nil {
			return nil, err
		}
		if len(blind) == 0 {
			return items, nil
		}
		return slices.DeleteFunc(items, func(x T) bool { return blind[article(x)] }), nil
	}
}

// Watch checks that the actor may follow an article's live changes.
func (s *Service) Watch(ctx context.Context, actor models.Actor, articleID int64) error {
	if err := Authorize(actor, ActRead); err != nil {
		return err
	}
	if _, err := s.store.Article(ctx, articleID); err != nil {
		return err
	}
	return s.blindTo(ctx, actor, articleID)
}
