package reviewers

import (
	"context"
	"encoding/json"
	"fmt"

	"factdesk/attribution"
	"factdesk/codebook"
	"factdesk/ingest"
	"factdesk/models"
	"factdesk/reviewers/machine"
	"factdesk/segment"
)

// Reviewer returns the machine reviewer whose suggestions the service
// stores and shows.
func (s *Service) Reviewer() machine.Reviewer { return s.cfg.Reviewer }

// machineReading extracts the attributions of an article's sentences
// about to be stored, split from body, and asks the machine reviewer for a
// suggestion for each: the rows CreateArticle stores with them.
func (s *Service) machineReading(ctx context.Context, body bodyOffsets, rows []models.Sentence) ([]*models.Attribution, []*models.Suggestion, error) {
	segs := make([]segment.Sentence, len(rows))
	for i, r := range rows {
		segs[i] = segment.Sentence{Paragraph: r.Paragraph, Index: r.Index, Start: r.StartByte, End: r.EndByte, Text: r.Text, Quote: r.Quote}
	}
	found := s.extract(segs, exclusions(rows, segs))
	if len(found) != len(rows) {
		return nil, nil, fmt.Errorf("attribution extractor: %d attributions for %d sentences", len(found), len(rows))
	}
	attrs := make([]*models.Attribution, len(rows))
	for i, a := range found {
		attrs[i] = storedAttribution(a, body)
	}
	sugs, err := s.suggest(ctx, rows, found)
	if err != nil {
		return nil, nil, err
	}
	out := make([]*models.Suggestion, len(sugs))
	for i := range sugs {
		out[i] = &sugs[i]
	}
	return attrs, out, nil
}

// exclusions lists the rows excluded from review, for the extractor not to
// read attributions from them: the copy each repeats as ingest found it,
// -1 when it repeats none.
func exclusions(rows []models.Sentence, segs []segment.Sentence) []attribution.Exclusion {
	of := map[int]int{}
	for _, ex := range ingest.Exclusions(segs) {
		of[ex.Index] = ex.Of
	}
	var out []attribution.Exclusion
	for _, r := range rows {
		if r.Status != codebook.Excluded {
			continue
		}
		e := attribution.Exclusion{Index: r.Index, Of: -1}
		if k, ok := of[r.Index]; ok {
			e.Of = k
		}
		out = append(out, e)
	}
	return out
}

// suggest asks the machine reviewer about sentences with the given
// attributions (one per sentence) and returns its suggestions as rows to
// store, each naming its sentence.
func (s *Service) suggest(ctx context.Context, rows []models.Sentence, attrs []attribution.Attribution) ([]models.Suggestion, error) {
	r := s.Reviewer()
	in := make([]machine.Sentence, len(rows))
	for i, row := range rows {
		in[i] = machine.Sentence{Index: row.Index, Paragraph: row.Paragraph, Start: row.StartByte, Text: row.Text, Quote: row.Quote, Attribution: attrs[i]}
	}
	sugs, err := r.Suggest(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("machine reviewer %s: %w", r.Name(), err)
	}
	if len(sugs) != len(rows) {
		return nil, fmt.Errorf("machine reviewer %s: %d suggestions for %d sentences", r.Name(), len(sugs), len(rows))
	}
	out := make([]models.Suggestion, len(sugs))
	for i, g := range sugs {
		a, err := json.Marshal(g.Attribution)
		if err != nil {
			return nil, fmt.Errorf("encode the attribution of suggestion %d: %w", i, err)
		}
		reasons := g.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		out[i] = models.Suggestion{
			SentenceID: rows[i].ID, Reviewer: r.Name(), ReviewerVersion: r.Version(),
			Label: g.Label, Confidence: g.Confidence, Reasons: reasons, Attribution: string(a),
		}
	}
	return out, nil
}

// extract runs the configured attribution extractor.
func (s *Service) extract(segs []segment.Sentence, ex []attribution.Exclusion) []attribution.Attribution {
	if s.cfg.Extract != nil {
		return s.cfg.Extract(segs, ex)
	}
	return attribution.ReadExcluding(segs, ex)
}

// storedAttribution turns an extracted attribution of a sentence of body
// into a row to store, nil when the sentence has none. Its spans, byte
// offsets into the body, are stored in code points (see storedSpans).
func storedAttribution(a attribution.Attribution, body bodyOffsets) *models.Attribution {
	if a.IsZero() {
		return nil
	}
	row := &models.Attribution{Speaker: a.Speaker, Cue: a.Cue, Medium: a.Medium, CarriedOver: a.CarriedOver, Origin: models.AttributionMachine,
		Spans: body.storedSpans(a.Spans), Confidence: storedConfidence(a.Confidence)}
	if a.From >= 0 {
		from := a.From
		row.From = &from
	}
	return row
}

// readerAttribution turns a stored attribution of a sentence of body back
// into what a machine reviewer reads; nil gives the zero attribution.
func readerAttribution(a *models.Attribution, body bodyOffsets) attribution.Attribution {
	if a == nil {
		return attribution.Attribution{From: -1}
	}
	out := attribution.Attribution{Speaker: a.Speaker, Cue: a.Cue, Medium: a.Medium, CarriedOver: a.CarriedOver, From: -1,
		Spans: body.readerSpans(a.Spans), Confidence: a.Confidence}
	if a.From != nil {
		out.From = *a.From
	}
	return out
}

// SuggestionSummary says what a run of the machine reviewer suggested.
type SuggestionSummary struct {
	ArticleID int64  `json:"article_id"`
	Reviewer  string `json:"reviewer"`
	Version   string `json:"version"`
	// Sentences is the number of suggestions stored; Replaced the number
	// of earlier ones they replace.
	Sentences int                    `json:"sentences"`
	Replaced  int64                  `json:"replaced"`
	Labels    map[codebook.Label]int `json:"labels"`
	// MeanConfidence is the mean confidence of the suggestions.
	MeanConfidence float64 `json:"mean_confidence"`
}

// RerunSuggestions asks the machine reviewer again about every sentence of
// an article's current revision, reading the attributions as they stand
// now (confirmed and edited by checkers), and replaces the reviewer's
// stored suggestions. Human labels are not touched.
func (s *Service) RerunSuggestions(ctx context.Context, actor models.Actor, articleID int64) (*SuggestionSummary, error) {
	if err := Authorize(actor, ActDecide); err != nil {
		return nil, err
	}
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if a.CurrentRevisionID == nil {
		return nil, models.Errorf(models.ENOTFOUND, "article %d has no revision", articleID)
	}
	rev, err := s.store.Revision(ctx, *a.CurrentRevisionID)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.Sentences(ctx, rev.ID)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.Attributions(ctx, articleID)
	if err != nil {
		return nil, err
	}
	bySentence := make(map[int64]*models.Attribution, len(stored))
	for i := range stored {
		bySentence[stored[i].SentenceID] = &stored[i]
	}
	body := newBodyOffsets(rev.Body)
	attrs := make([]attribution.Attribution, len(rows))
	for i := range rows {
		attrs[i] = readerAttribution(bySentence[rows[i].ID], body)
	}
	sugs, err := s.suggest(ctx, rows, attrs)
	if err != nil {
		return nil, err
	}
	r := s.Reviewer()
	replaced, err := s.store.ReplaceSuggestions(ctx, actor, articleID, models.SuggestionRun{Reviewer: r.Name(), ReviewerVersion: r.Version(), Suggestions: sugs})
	if err != nil {
		return nil, err
	}
	sum := &SuggestionSummary{ArticleID: articleID, Reviewer: r.Name(), Version: r.Version(), Sentences: len(sugs), Replaced: replaced,
		Labels: map[codebook.Label]int{}}
	for _, g := range sugs {
		sum.Labels[g.Label]++
		sum.MeanConfidence += g.Confidence
	}
	if len(sugs) > 0 {
		sum.MeanConfidence /= float64(len(sugs))
	}
	return sum, nil
}
