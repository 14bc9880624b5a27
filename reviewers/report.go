package reviewers

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"factdesk/codebook"
	"factdesk/export"
	"factdesk/models"
)

// ReportOptions say what an audit report is for.
type ReportOptions struct {
	// Format is the format asked for, recorded in the export's audit event;
	// "" records no event (the report page renders without exporting).
	Format string
	// Revision is the revision number to report on; 0 means the current one.
	Revision int
	// URL is where the report can be read, if known (the annotations'
	// identifiers).
	URL string
}

// ExportOptions are the options every export of a report is written with:
// the PDF's paper size, and whether the formats meant for publication may
// carry staff e-mail addresses (Config.ExportEmails; off by default).
func (s *Service) ExportOptions(paper string) []export.Option {
	return []export.Option{export.WithPaper(paper), export.WithEmails(s.cfg.ExportEmails)}
}

// Report builds an article's audit report: the article, every sentence
// with its label, attribution, status, verdict, citations and who did
// what, the review rounds, the method, the revisions and the verified
// audit trail. Loading takes a fixed number of queries whatever the
// article's length. When opts.Format is set the export is recorded as an
// audit event first, so that the report's trail includes it.
func (s *Service) Report(ctx context.Context, actor models.Actor, articleID int64, opts ReportOptions) (*export.Report, error) {
	if err := Authorize(actor, ActExport); err != nil {
		return nil, err
	}
	if err := s.blindTo(ctx, actor, articleID); err != nil {
		return nil, err
	}
	if opts.Format == export.FormatClaimReview {
		if err := s.needFactCheckURL(ctx, articleID); err != nil {
			return nil, err
		}
	}
	if opts.Format != "" {
		if err := s.store.RecordExport(ctx, actor, articleID, opts.Format); err != nil {
			return nil, err
		}
	}
	// Every part of the report shows the article at one moment, even
	// while checkers label it.
	var r *export.Report
	err := s.store.ReadSnapshot(ctx, func(st *models.Store) error {
		in := *s
		in.store = st
		var err error
		r, err = in.buildReport(ctx, actor, articleID, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// needFactCheckURL refuses a ClaimReview export of an article whose
// published fact-check is not known: ClaimReview's url must be that page,
// and factdesk's own report is not public. It is checked before the
// export is recorded, so that a refused export leaves no event.
func (s *Service) needFactCheckURL(ctx context.Context, articleID int64) error {
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return err
	}
	if a.FactCheckURL == nil || *a.FactCheckURL == "" {
		return models.FieldError("factcheck_url", "article %d has no fact-check URL: ClaimReview must point to the page where the newsroom published its fact-check; set that URL first", articleID)
	}
	return nil
}

// buildReport reads and assembles the report of Report.
func (s *Service) buildReport(ctx context.Context, actor models.Actor, articleID int64, opts ReportOptions) (*export.Report, error) {
	// One load serves the report and the verification of its trail.
	rec, err := s.store.ArticleRecord(ctx, articleID)
	if err != nil {
		return nil, err
	}
	a, revs := rec.Article, rec.Revisions
	var rev *models.Revision
	for i := range revs {
		if (opts.Revision == 0 && a.CurrentRevisionID != nil && revs[i].ID == *a.CurrentRevisionID) || (opts.Revision != 0 && revs[i].Number == opts.Revision) {
			rev = &revs[i]
		}
	}
	if rev == nil {
		return nil, models.FieldError("revision", "article %d has no revision %d", articleID, opts.Revision)
	}
	var sents []models.Sentence
	for _, st := range rec.Sentences {
		if st.RevisionID == rev.ID {
			sents = append(sents, st)
		}
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	people := make(map[int64]string, len(users))
	for _, u := range users {
		people[u.ID] = u.Actor().Label()
	}
	name := func(id *int64) string {
		if id == nil {
			return ""
		}
		return people[*id]
	}
	attrs, err := s.store.Attributions(ctx, articleID)
	if err != nil {
		return nil, err
	}
	attrBy := make(map[int64]*models.Attribution, len(attrs))
	for i := range attrs {
		attrBy[attrs[i].SentenceID] = &attrs[i]
	}
	sugs, err := s.store.Suggestions(ctx, articleID, s.cfg.Reviewer.Name())
	if err != nil {
		return nil, err
	}
	sugBy := make(map[int64]*models.Suggestion, len(sugs))
	for i := range sugs {
		sugBy[sugs[i].SentenceID] = &sugs[i]
	}
	cites, err := s.store.SentenceCitations(ctx, rev.ID)
	if err != nil {
		return nil, err
	}
	rounds, err := s.store.Rounds(ctx, articleID)
	if err != nil {
		return nil, err
	}
	comments, err := s.store.Comments(ctx, articleID)
	if err != nil {
		return nil, err
	}
	// An approved article's report shows its sources as they were at the
	// approval (issue 18): sources are shared and stay editable.
	var approved *sourcesAtApproval
	if a.Status == models.ArticleApproved && a.CurrentRevisionID != nil && *a.CurrentRevisionID == rev.ID {
		if approved, err = s.sourcesAtApproval(ctx, rounds, cites); err != nil {
			return nil, err
		}
	}
	events := rec.Events
	v, checks := rec.Verify()
	r := &export.Report{
		Generated:    export.Generated{At: s.store.Now(), By: actor.Label(), Version: s.cfg.Version, URL: opts.URL},
		Organisation: export.Organisation{Name: s.cfg.Organisation, URL: s.cfg.OrganisationURL},
		Article: export.Article{
			ID: a.ID, Title: a.Title, Outlet: a.Outlet, Byline: a.Byline, URL: a.URL, Language: "en",
			PublishedAt: a.PublishedAt, ImportedAt: rev.ImportedAt, ImportedBy: people[rev.ImportedBy],
			State: string(a.Status), BodySHA256: rev.BodySHA256, Revision: rev.Number, RevisionCount: len(revs), Body: rev.Body,
		},
		Method: export.DefaultMethod(s.scale),
	}
	if a.FactCheckURL != nil {
		r.Article.FactCheckURL = *a.FactCheckURL
	}
	body := &lazyBody{text: rev.Body}
	index := make(map[int64]int, len(sents))
	for i := range sents {
		st := &sents[i]
		index[st.ID] = st.Index
		es := export.Sentence{
			ID: st.ID, Index: st.Index, Number: st.Number(), Paragraph: st.Paragraph, Start: st.Start, End: st.End,
			Text: st.Text, Quote: string(st.Quote), Label: codebook.Label(st.LabelString()), AcceptedSuggestion: st.LabelSuggested,
			Status: st.Status, ExcludeReason: st.ExcludeReason, Verdict: st.Verdict, Note: st.Note,
			LabeledBy: name(st.LabelBy), LabeledAt: st.LabelAt, Citations: []export.Citation{},
		}
		if c := checks[st.ID]; c != nil {
			at := c.At
			es.CheckedBy, es.CheckedAt = c.Actor, &at
		}
		if g := sugBy[st.ID]; g != nil {
			es.Suggestion = &export.Suggestion{Label: g.Label, Confidence: g.Confidence, Reasons: g.Reasons,
				Reviewer: g.Reviewer, Version: g.ReviewerVersion}
		}
		if at := attrBy[st.ID]; at != nil {
			es.Attribution = &export.Attribution{Speaker: at.Speaker, SpeakerKind: speakerKind(at.Speaker), Cue: at.Cue,
				Medium: at.Medium, CarriedOver: at.CarriedOver, Spans: body.reportSpans(at.Spans), Confidence: at.Confidence}
		}
		for _, c := range cites[st.ID] {
			ec := reportCitation(c, people)
			if approved != nil {
				approved.apply(&ec, c)
			}
			// Versions are shown when they tell something: a citation
			// made with another version than the one shown (an edit since
			// it was made, in a report of an article not approved), or a
			// source changed since the approval.
			if ec.SourceVersion == ec.Source.Version {
				ec.SourceVersion = 0
				if !ec.Source.ChangedSinceApproval {
					ec.Source.Version = 0
				}
			}
			es.Citations = append(es.Citations, ec)
		}
		r.Sentences = append(r.Sentences, es)
	}
	for _, rd := range rounds {
		er := export.Round{Number: rd.Number, OpenedAt: rd.OpenedAt, OpenedBy: name(rd.OpenedBy), SubmittedBy: name(rd.SubmittedBy),
			SubmittedAt: rd.SubmittedAt, DecidedBy: name(rd.DecidedBy), DecidedAt: rd.DecidedAt, DecisionComment: rd.Comment,
			Comments: []export.Comment{}}
		if rd.Decision != nil {
			er.Decision = *rd.Decision
		}
		for _, c := range comments {
			if c.RoundID == nil || *c.RoundID != rd.ID {
				continue
			}
			er.Comments = append(er.Comments, reportComment(c, people, index))
		}
		r.Rounds = append(r.Rounds, er)
	}
	// Comments made outside any round (on a draft) go with the first round.
	for _, c := range comments {
		if c.RoundID == nil && len(r.Rounds) > 0 {
			r.Rounds[0].Comments = append(r.Rounds[0].Comments, reportComment(c, people, index))
		}
	}
	if r.Revisions, r.Method.Corrections, err = s.correctionsLog(ctx, a, revs, people); err != nil {
		return nil, err
	}
	for _, e := range events {
		ev := export.Event{Seq: e.Seq, At: e.At, Actor: e.Actor, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
			Hash: e.Hash, PrevHash: e.PrevHash}
		if e.Before != "" && json.Valid([]byte(e.Before)) {
			ev.Before = json.RawMessage(e.Before)
		}
		if e.After != "" && json.Valid([]byte(e.After)) {
			ev.After = json.RawMessage(e.After)
		}
		r.Audit.Events = append(r.Audit.Events, ev)
	}
	r.Audit.Verification = export.Verification{OK: v.OK, CheckedAt: s.store.Now(), Events: v.Events, HeadHash: v.HeadHash,
		ChainOK: v.ChainOK, ReplayOK: v.ReplayOK, Problems: []string{}}
	for _, p := range v.Problems {
		msg := p.Message
		switch {
		case p.Sentence > 0:
			msg = fmt.Sprintf("sentence %d: %s", p.Sentence, msg)
		case p.Seq > 0:
			msg = fmt.Sprintf("event %d: %s", p.Seq, msg)
		}
		r.Audit.Verification.Problems = append(r.Audit.Verification.Problems, msg)
	}
	r.Summary = export.Summarize(r.Sentences, r.Rounds)
	// Counted from all the article's comments, as the queue and the page
	// count them: those made before any round opened have no round to be
	// listed under in the report.
	r.Summary.OpenComments = models.OpenThreads(comments)
	if ag, err := s.reportAgreement(ctx, articleID, r.Sentences); err != nil {
		return nil, err
	} else if ag != nil {
		r.Summary.Agreement = ag
	}
	return r, nil
}

func reportCitation(c models.Citation, people map[int64]string) export.Citation {
	at := c.CreatedAt
	ec := export.Citation{ID: c.ID, Relation: c.Relation, Excerpt: c.Excerpt, Locator: c.Locator, AddedBy: people[c.CreatedBy], AddedAt: &at,
		SourceVersion: c.SourceVersion}
	if src := c.Source; src != nil {
		ec.Source = reportSource(src)
	}
	return ec
}

func reportSource(src *models.Source) export.Source {
	es := export.Source{ID: src.ID, Kind: string(src.Kind), Title: src.Title, URL: src.URL, Publisher: src.Publisher,
		Author: src.Author, PublishedAt: src.PublishedAt, ArchivedURL: src.ArchivedURL, RetrievedAt: src.RetrievedAt,
		ContentType: src.ContentType, SHA256: src.SHA256, Withheld: src.Withheld, WithheldReason: src.WithheldReason,
		Version: src.Version}
	if src.HTTPStatus != nil {
		es.HTTPStatus = *src.HTTPStatus
	}
	if src.Reliability != nil {
		es.Reliability = string(*src.Reliability)
	}
	if src.Credibility != nil {
		es.Credibility = int(*src.Credibility)
	}
	return es
}

// sourcesAtApproval is what an approved article's report needs to show
// its sources as they were when it was approved: the approval's time and
// the versions of the cited sources.
type sourcesAtApproval struct {
	at       time.Time
	versions map[int64][]models.SourceVersion
}

// sourcesAtApproval loads the versions of the sources cites cite, for an
// approved article whose rounds are rounds. It returns nil when no round
// records the approval.
func (s *Service) sourcesAtApproval(ctx context.Context, rounds []models.ReviewRound, cites map[int64][]models.Citation) (*sourcesAtApproval, error) {
	var at *time.Time
	for _, rd := range rounds {
		if rd.Decision != nil && *rd.Decision == string(models.ArticleApproved) && rd.DecidedAt != nil &&
			(at == nil || rd.DecidedAt.After(*at)) {
			at = rd.DecidedAt
		}
	}
	if at == nil {
		return nil, nil
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, cs := range cites {
		for _, c := range cs {
			if !seen[c.SourceID] {
				seen[c.SourceID] = true
				ids = append(ids, c.SourceID)
			}
		}
	}
	vs, err := s.store.SourceVersions(ctx, ids)
	if err != nil {
		return nil, err
	}
	return &sourcesAtApproval{at: *at, versions: vs}, nil
}

// apply shows ec's source as it was at the approval: the last version
// written at or before it, or the version the citation cited if that is
// later (a clock set back; a citation cannot be made after the approval,
// since an approved article's citations are read-only). When the source
// has changed since, ec's source says so and lists the fields that differ
// with their values now. A source withheld now is withheld in the report
// too, whatever it was at the approval: it may have been withheld because
// it names someone.
func (sa *sourcesAtApproval) apply(ec *export.Citation, c models.Citation) {
	if c.Source == nil {
		return
	}
	var then *models.SourceVersion
	for i, v := range sa.versions[c.SourceID] {
		if !v.CreatedAt.After(sa.at) || v.Version <= c.SourceVersion {
			then = &sa.versions[c.SourceID][i]
		}
	}
	if then == nil || then.Version == c.Source.Version {
		return
	}
	old := then.Apply(*c.Source)
	shown, now := reportSource(&old), ec.Source
	if now.Withheld && !shown.Withheld {
		shown.Withheld, shown.WithheldReason = true, now.WithheldReason
	}
	for _, f := range []struct {
		name      string
		then, now string
	}{
		{"kind", shown.Kind, now.Kind},
		{"title", shown.Title, now.Title},
		{"url", shown.URL, now.URL},
		{"publisher", shown.Publisher, now.Publisher},
		{"author", shown.Author, now.Author},
		{"published_at", optTime(shown.PublishedAt), optTime(now.PublishedAt)},
		{"archived_url", shown.ArchivedURL, now.ArchivedURL},
		{"reliability", shown.Reliability, now.Reliability},
		{"credibility", optInt(shown.Credibility), optInt(now.Credibility)},
		{"withheld", strconv.FormatBool(old.Withheld), strconv.FormatBool(now.Withheld)},
		{"withheld_reason", old.WithheldReason, now.WithheldReason},
	} {
		if f.then != f.now {
			shown.Changes = append(shown.Changes, export.SourceChange{Field: f.name, Now: f.now})
		}
	}
	shown.ChangedSinceApproval = len(shown.Changes) > 0
	ec.Source = shown
}

func optTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func optInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func reportComment(c models.Comment, people map[int64]string, index map[int64]int) export.Comment {
	ec := export.Comment{ID: c.ID, At: c.CreatedAt, By: people[c.AuthorID], Body: c.Body, Kind: c.Kind, ReplyTo: c.ParentID,
		Open: c.OpenThread(), Resolved: c.ResolvedAt != nil, ResolvedAt: c.ResolvedAt}
	if c.ResolvedBy != nil {
		ec.ResolvedBy = people[*c.ResolvedBy]
	}
	if c.SentenceID != nil {
		if i, ok := index[*c.SentenceID]; ok {
			ec.SentenceIndex = &i
		}
	}
	return ec
}

// organisationWords mark a speaker as an organisation rather than a
// person, for the author type of a ClaimReview.
var organisationWords = []string{"agenc", "ministry", "department", "government", "union", "committee", "council", "company",
	"corporation", "inc", "ltd", "party", "police", "court", "office", "bank", "commission", "congress", "parliament",
	"house", "senate", "kremlin", "white house", "outlet", "newspaper", "association", "organisation", "organization",
	"institute", "university", "army", "military", "officials", "spokes", "group", "board", "authority", "agency", "service", "team"}

// speakerKind guesses whether a speaker is a person or an organisation.
func speakerKind(speaker string) string {
	s := strings.ToLower(speaker)
	if s == "" {
		return ""
	}
	for _, w := range organisationWords {
		if strings.Contains(s, w) {
			return "organization"
		}
	}
	if strings.HasPrefix(s, "the ") || strings.HasSuffix(s, "s") && !strings.Contains(s, " ") {
		return "organization"
	}
	return "person"
}
