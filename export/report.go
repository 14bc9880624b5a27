package export

import (
	"encoding/json"
	"time"

	"factdesk/codebook"
)

// ReportFormat names the shape of the JSON report. It changes when a field
// is renamed or removed, not when one is added.
const ReportFormat = "factdesk-report/1"

// Machine is the name by which the machine reviewer appears wherever a
// person's login name would (LabeledBy, Event.Actor, …).
const Machine = "machine"

// Report is everything an article's audit report shows: what the article
// claimed, sentence by sentence, how each claim was labeled, attributed,
// sourced and rated, who did it, who approved it, the method used, and
// whether the audit trail is intact.
//
// People are named as the audit trail names them, "Name <email>" (or
// Machine for the machine reviewer); a bare login name works too. The
// formats meant for publication drop the address (see WithEmails). Times
// should be in UTC; renderers print them as given.
type Report struct {
	// Format is ReportFormat; WriteJSON fills it when it is empty.
	Format       string       `json:"format"`
	Generated    Generated    `json:"generated"`
	Organisation Organisation `json:"organisation"`
	Article      Article      `json:"article"`
	Summary      Summary      `json:"summary"`
	Sentences    []Sentence   `json:"sentences"`
	Rounds       []Round      `json:"rounds"`
	Method       Method       `json:"method"`
	Revisions    []Revision   `json:"revisions"`
	Audit        Audit        `json:"audit"`
}

// Generated says when, by whom and with which factdesk the report was made.
type Generated struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Version string    `json:"version"` // factdesk version, e.g. "v0.3.1" or a commit
	// URL is where the report can be read on the factdesk that generated
	// it, if known; the annotations build their identifiers from it.
	URL string `json:"url,omitempty"`
}

// Organisation is the newsroom that publishes the check; it is the author
// of every ClaimReview.
type Organisation struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// Article is the checked article, at the revision the report is about.
type Article struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Outlet string `json:"outlet"`
	Byline string `json:"byline"`
	URL    string `json:"url"`
	// FactCheckURL is where the newsroom published its fact-check of the
	// article, "" until it is known; ClaimReview's url.
	FactCheckURL string     `json:"factcheck_url,omitempty"`
	Language     string     `json:"language,omitempty"` // BCP 47 tag, e.g. "en"
	PublishedAt  *time.Time `json:"published_at"`
	ImportedAt   time.Time  `json:"imported_at"`
	ImportedBy   string     `json:"imported_by"`
	// State is the article's workflow state: draft, in_review, submitted,
	// approved or changes_requested.
	State         string `json:"state"`
	BodySHA256    string `json:"body_sha256"` // hex SHA-256 of Body's UTF-8 bytes
	Revision      int    `json:"revision"`    // 1-based revision this report covers
	RevisionCount int    `json:"revision_count"`
	// Body is the article text of this revision. Sentence offsets are code
	// point offsets into it; the annotations export takes the quote
	// context (prefix, suffix) from it.
	Body string `json:"body"`
}

// Summary is the article's check at a glance. Summarize computes all of it
// except Agreement from the sentences.
type Summary struct {
	Sentences int `json:"sentences"`
	// ByLabel counts sentences per label; unlabeled sentences count under
	// "unlabeled". Every label of the codebook is present, if only with 0.
	ByLabel map[string]int `json:"by_label"`
	// ByStatus counts sentences per status; every status is present.
	ByStatus map[string]int `json:"by_status"`
	Coverage Coverage       `json:"coverage"`
	// Verdicts counts sentences per verdict (rating name); only verdicts
	// given appear.
	Verdicts     map[string]int `json:"verdicts"`
	OpenComments int            `json:"open_comments"`
	// Agreement is present when the machine reviewer or a second rater
	// labeled the article too.
	Agreement *Agreement `json:"agreement,omitempty"`
}

// Coverage says how much of what needs a source has one. Excluded
// sentences are left out of every figure.
type Coverage struct {
	InScope             int `json:"in_scope"`              // sentences not excluded
	Labeled             int `json:"labeled"`               // sentences with a label
	FactsAndAllegations int `json:"facts_and_allegations"` // labeled fact or allegation
	Sourced             int `json:"sourced"`               // of those, with a supports or contradicts citation
	Quotes              int `json:"quotes"`                // labeled quote
	QuotesWithOrigin    int `json:"quotes_with_origin"`    // of those, with an origin citation
}

// Agreement holds inter-rater agreement on the labels. Coefficients that
// are undefined for the data (a single category, say) are nil.
type Agreement struct {
	Raters []string          `json:"raters"`
	Items  int               `json:"items"` // sentences rated by at least two raters
	Pairs  []PairAgreement   `json:"pairs"`
	Multi  *MultiRaterResult `json:"multi,omitempty"`
	Note   string            `json:"note,omitempty"`
}

// PairAgreement is the agreement between two raters.
type PairAgreement struct {
	Raters     [2]string `json:"raters"`
	N          int       `json:"n"`        // sentences both rated
	Observed   *float64  `json:"observed"` // share of those where they agree
	CohenKappa *float64  `json:"cohen_kappa"`
	GwetAC1    *float64  `json:"gwet_ac1"`
}

// MultiRaterResult holds coefficients over all raters at once.
type MultiRaterResult struct {
	FleissKappa       *float64 `json:"fleiss_kappa"`
	KrippendorffAlpha *float64 `json:"krippendorff_alpha"`
}

// Sentence is one sentence of the article and everything done to it.
type Sentence struct {
	ID        int64  `json:"id"`
	Index     int    `json:"index"`     // 0-based order in the article
	Number    int    `json:"number"`    // Index+1, as people count
	Paragraph int    `json:"paragraph"` // 0-based paragraph
	Start     int    `json:"start"`     // code point offset into Article.Body
	End       int    `json:"end"`       // code point offset just past the sentence
	Text      string `json:"text"`
	// Quote is the sentence's place in a direct quotation, as the
	// segmenter's segment.Quote says it: none, whole, open, inside, close.
	Quote string `json:"quote"`
	// Label is "" while the sentence is unlabeled.
	Label codebook.Label `json:"label"`
	// AcceptedSuggestion is true when the label is the machine reviewer's
	// suggestion accepted by LabeledBy.
	AcceptedSuggestion bool `json:"accepted_suggestion"`
	// Suggestion is what the machine reviewer suggested for the sentence,
	// nil when it suggested nothing.
	Suggestion    *Suggestion     `json:"suggestion"`
	Attribution   *Attribution    `json:"attribution"`
	Status        codebook.Status `json:"status"`
	ExcludeReason string          `json:"exclude_reason,omitempty"`
	// Verdict is a rating name of Method.Scale, or "".
	Verdict string `json:"verdict"`
	// ClaimReviewed is the editable one-line summary of the claim that
	// ClaimReview publishes; "" means derive it from Text.
	ClaimReviewed string     `json:"claim_reviewed,omitempty"`
	Note          string     `json:"note,omitempty"`
	LabeledBy     string     `json:"labeled_by,omitempty"`
	LabeledAt     *time.Time `json:"labeled_at"`
	// CheckedBy and CheckedAt say who last set the status or the verdict.
	CheckedBy string     `json:"checked_by,omitempty"`
	CheckedAt *time.Time `json:"checked_at"`
	Citations []Citation `json:"citations"`
}

// Suggestion is the machine reviewer's label for a sentence: how sure it
// was, why, and which reviewer at which version suggested it.
type Suggestion struct {
	Label      codebook.Label `json:"label"`
	Confidence float64        `json:"confidence"` // 0 to 1
	Reasons    []string       `json:"reasons"`
	Reviewer   string         `json:"reviewer"`
	Version    string         `json:"version"`
}

// Attribution is who a sentence's claim comes from, as the article says it.
type Attribution struct {
	Speaker string `json:"speaker"`
	// SpeakerKind is "person", "organization" or "" (unknown); ClaimReview
	// types the claim's author with it.
	SpeakerKind string `json:"speaker_kind,omitempty"`
	Cue         string `json:"cue,omitempty"`    // "according to", "said"
	Medium      string `json:"medium,omitempty"` // "an interview with Vesti TV"
	// CarriedOver is true when the attribution is carried over from an
	// earlier sentence rather than stated in this one.
	CarriedOver bool `json:"carried_over"`
	// Spans are where the machine's reading found the attribution in the
	// article: the source (possibly in an earlier sentence), the cue and
	// the sentence's content. A checker's edit clears them.
	Spans []Span `json:"spans,omitempty"`
	// Confidence is the machine reader's probability that the sentence
	// holds attributed content; 0 when not known.
	Confidence float64 `json:"confidence,omitempty"`
}

// The roles of a Span.
const (
	SpanSource  = "source"
	SpanCue     = "cue"
	SpanContent = "content"
)

// Span is a stretch of the article's body that an attribution marks.
type Span struct {
	Role  string `json:"role"`  // SpanSource, SpanCue or SpanContent
	Start int    `json:"start"` // code point offset into Article.Body
	End   int    `json:"end"`   // code point offset just past the span
	Text  string `json:"text"`  // the body's code points Start to End
}

// Citation links a sentence to a source.
type Citation struct {
	ID       int64             `json:"id"`
	Relation codebook.Relation `json:"relation"`
	Excerpt  string            `json:"excerpt,omitempty"`
	Locator  string            `json:"locator,omitempty"` // page, timestamp, section
	AddedBy  string            `json:"added_by,omitempty"`
	AddedAt  *time.Time        `json:"added_at"`
	// SourceVersion is the version of the source the citation was made
	// with, given (with Source.Version, the one shown) when it is not the
	// one shown: the source has been edited since it was cited. 0: the
	// version shown, or unknown.
	SourceVersion int    `json:"source_version,omitempty"`
	Source        Source `json:"source"`
}

// Source is a document, page, dataset, record, interview or report a
// checker consulted, with what was retrieved and how it is graded.
//
// A withheld source (a confidential informant, a document that would
// identify one) is shown to exist, with its kind, grading and the reason it
// is withheld; every renderer drops its title, URL, archived URL,
// publisher, author, content hash and the citations' excerpts and
// locators, and the audit events about it keep only their hashes.
type Source struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"` // document, web_page, dataset, official_record, interview, news_report
	Title       string     `json:"title,omitempty"`
	URL         string     `json:"url,omitempty"`
	Publisher   string     `json:"publisher,omitempty"`
	Author      string     `json:"author,omitempty"`
	PublishedAt *time.Time `json:"published_at"`
	ArchivedURL string     `json:"archived_url,omitempty"`
	RetrievedAt *time.Time `json:"retrieved_at"`
	HTTPStatus  int        `json:"http_status,omitempty"`
	ContentType string     `json:"content_type,omitempty"`
	SHA256      string     `json:"sha256,omitempty"` // hex SHA-256 of what was retrieved
	// Reliability grades the source, A (reliable) to F (cannot be judged);
	// Credibility grades the information, 1 (confirmed) to 6 (cannot be
	// judged). "" and 0 mean not graded.
	Reliability    string `json:"reliability,omitempty"`
	Credibility    int    `json:"credibility,omitempty"`
	Withheld       bool   `json:"withheld"`
	WithheldReason string `json:"withheld_reason,omitempty"`
	// Version is the version of the source shown: in the report of an
	// approved article, the version current at the approval; otherwise
	// the current one. It is given along with the citation's
	// SourceVersion, or when ChangedSinceApproval is set; 0 otherwise.
	Version int `json:"version,omitempty"`
	// ChangedSinceApproval is set, in the report of an approved article,
	// on a source edited since the approval; Changes then lists the
	// fields shown that differ now, with their values now.
	ChangedSinceApproval bool           `json:"changed_since_approval,omitempty"`
	Changes              []SourceChange `json:"changes,omitempty"`
}

// SourceChange is a field of a source that has changed since the
// article's approval, with its value now ("" when cleared). Field is the
// Source field's JSON name: title, url, publisher, author, published_at,
// archived_url, kind, reliability, credibility, withheld or
// withheld_reason. Times are RFC 3339, booleans "true" or "false".
type SourceChange struct {
	Field string `json:"field"`
	Now   string `json:"now"`
}

// Round is one review round of the article.
type Round struct {
	Number      int        `json:"number"` // 1-based
	OpenedAt    time.Time  `json:"opened_at"`
	OpenedBy    string     `json:"opened_by,omitempty"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at"`
	// Decision is "approved", "changes_requested" or "" while undecided.
	Decision        string    `json:"decision,omitempty"`
	DecisionComment string    `json:"decision_comment,omitempty"`
	Comments        []Comment `json:"comments"`
}

// Comment is a remark made during a review round, on the article or on one
// sentence.
type Comment struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	By string    `json:"by"`
	// SentenceIndex is the 0-based index of the sentence commented on, or
	// nil for a comment on the whole article.
	SentenceIndex *int   `json:"sentence_index"`
	Body          string `json:"body"`
	// Kind is "comment", "change_request" or "decision" (a workflow
	// step's note); ReplyTo the id of the comment it answers, nil for one
	// that opens a thread.
	Kind    string `json:"kind,omitempty"`
	ReplyTo *int64 `json:"reply_to,omitempty"`
	// Open says the comment is an open thread, as factdesk counts them
	// everywhere (models.Comment.OpenThread): a comment or change request
	// that opens a thread and is not resolved. Replies and notes never are.
	Open       bool       `json:"open"`
	Resolved   bool       `json:"resolved"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at"`
}

// Method is what a reader needs to interpret the labels and verdicts: the
// codebook's definitions, the rating scale and the corrections log.
type Method struct {
	Labels      []Definition   `json:"labels"`
	Statuses    []Definition   `json:"statuses"`
	Scale       codebook.Scale `json:"scale"`
	Corrections []Correction   `json:"corrections"`
}

// Definition is one term of the codebook and what it means.
type Definition struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

// DefaultMethod returns the codebook's labels and statuses with their
// definitions and the given scale, with no corrections.
func DefaultMethod(scale codebook.Scale) Method {
	m := Method{Scale: scale, Corrections: []Correction{}}
	for _, l := range codebook.Labels {
		m.Labels = append(m.Labels, Definition{Name: string(l), Definition: l.Definition()})
	}
	for _, s := range codebook.Statuses {
		m.Statuses = append(m.Statuses, Definition{Name: string(s), Definition: s.Definition()})
	}
	return m
}

// Correction is one entry of the corrections log: a new revision of the
// article's text and what it changed.
type Correction struct {
	Revision int          `json:"revision"` // the revision the correction produced
	At       time.Time    `json:"at"`
	By       string       `json:"by"`
	Summary  string       `json:"summary"`
	Changes  []TextChange `json:"changes"`
}

// TextChange is one changed passage between two revisions.
type TextChange struct {
	// Kind is "added", "removed" or "changed".
	Kind   string `json:"kind"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// Revision is one imported version of the article's text.
type Revision struct {
	Number     int       `json:"number"` // 1-based
	ImportedAt time.Time `json:"imported_at"`
	ImportedBy string    `json:"imported_by"`
	Title      string    `json:"title"`
	BodySHA256 string    `json:"body_sha256"`
	Sentences  int       `json:"sentences"`
	Note       string    `json:"note,omitempty"`
}

// Audit is the article's audit trail and the result of verifying it.
type Audit struct {
	Events       []Event      `json:"events"`
	Verification Verification `json:"verification"`
}

// Entity names that the audit trail uses for sources and citations; the
// renderers redact events about withheld sources by them.
const (
	EntitySource   = "source"
	EntityCitation = "citation"
)

// Event is one audit event: who changed what, when, from what to what, and
// its place in the hash chain.
type Event struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"` // e.g. "label.set", "review.approve", "report.export"
	Entity   string          `json:"entity"` // e.g. "sentence", "citation", "source", "article"
	EntityID int64           `json:"entity_id"`
	Before   json.RawMessage `json:"before"` // nil when there was nothing before
	After    json.RawMessage `json:"after"`  // nil when nothing is left
	Hash     string          `json:"hash"`
	PrevHash string          `json:"prev_hash"`
	// Redacted is set by the renderers on events about a withheld source:
	// Before and After are dropped, the hashes kept.
	Redacted bool `json:"redacted,omitempty"`
}

// Verification is the result of checking the audit trail: that each
// event's hash chains to the previous one and that replaying the events
// gives the article's current state.
type Verification struct {
	OK        bool      `json:"ok"` // ChainOK && ReplayOK
	CheckedAt time.Time `json:"checked_at"`
	Events    int       `json:"events"`
	HeadHash  string    `json:"head_hash"`
	ChainOK   bool      `json:"chain_ok"`
	ReplayOK  bool      `json:"replay_ok"`
	Problems  []string  `json:"problems"`
}
