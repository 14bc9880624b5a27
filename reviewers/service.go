// Package reviewers is factdesk's business layer: who may do what, the
// import of articles, the review workflow and its four-eyes rule, audit
// events, the machine reviewer and agreement. It knows nothing of HTTP;
// handlers call it with the actor as an argument.
package reviewers

import (
	"log/slog"
	"sync"

	"factdesk/attribution"
	"factdesk/auth"
	"factdesk/codebook"
	"factdesk/fetch"
	"factdesk/live"
	"factdesk/reviewers/machine"
	"factdesk/segment"

	"factdesk/models"
)

// Config holds the limits and settings of the business layer.
type Config struct {
	// MaxBodyBytes bounds an imported article's body (default 2 MB).
	MaxBodyBytes int
	// MaxSentences bounds an imported article's sentences (default 20,000).
	MaxSentences int
	// Reviewer is the machine reviewer that suggests labels at import and
	// on demand (default: the learned machine.NewLearned()).
	Reviewer machine.Reviewer
	// Extract finds each sentence's attribution at import, given the
	// sentences and those excluded from review, one attribution per
	// sentence (default: attribution.ReadExcluding, the learned reader;
	// attribution.ExtractExcluding is the rules alone). Tests give one
	// that marks spans.
	Extract func([]segment.Sentence, []attribution.Exclusion) []attribution.Attribution
	// Scale is the newsroom's rating scale (default codebook.DefaultScale).
	Scale codebook.Scale
	// Version is factdesk's version, printed on reports.
	Version string
	// Organisation and OrganisationURL name the newsroom that publishes
	// the checks (the author of ClaimReview markup).
	Organisation    string
	OrganisationURL string
	// RequireChecked makes submitting wait until every fact and
	// allegation is checked: verified, disputed or unverifiable (the
	// --require-checked flag).
	RequireChecked bool
	// ExportEmails lets the exports meant for publication carry staff
	// e-mail addresses (the --export-emails flag; see ExportOptions).
	ExportEmails bool
	// NoSelfAssign stops checkers from taking unassigned articles for
	// themselves (--self-assign=false): editors assign all work.
	NoSelfAssign bool
}

// Service carries out what people ask factdesk to do.
type Service struct {
	store  *models.Store
	cfg    Config
	logger *slog.Logger
	// fetcher retrieves pages for URL imports; nil refuses them.
	fetcher *fetch.Fetcher
	// broker tells live pages about changes; nil tells nobody.
	broker live.Broker
	// scale is the newsroom's rating scale for verdicts.
	scale codebook.Scale
	// passwordParams overrides auth.DefaultParams (tests).
	passwordParams *auth.Params
	dummy          *dummyHash
	// submitChecks are further conditions for submitting an article.
	submitChecks []func(w *models.WorkflowState) error
	// outboxKick wakes the outbox's sender; nil leaves it to its polling.
	outboxKick func()
	// blind remembers who gives open blind second opinions (see
	// blindArticlesCached).
	blind *blindCache
}

// dummyHash is a password hash to verify against for unknown accounts,
// made once per service.
type dummyHash struct {
	once sync.Once
	hash string
}

// New returns a service on store.
func New(store *models.Store, cfg Config, fetcher *fetch.Fetcher, logger *slog.Logger) *Service {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 2 << 20
	}
	if cfg.MaxSentences <= 0 {
		cfg.MaxSentences = 20000
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Reviewer == nil {
		cfg.Reviewer = machine.NewLearned()
	}
	if cfg.Scale.Name == "" {
		cfg.Scale = codebook.DefaultScale()
	}
	return &Service{store: store, cfg: cfg, fetcher: fetcher, logger: logger, scale: cfg.Scale, dummy: &dummyHash{}, blind: &blindCache{}}
}

// Store returns the store the service works on.
func (s *Service) Store() *models.Store { return s.store }

// Config returns the service's settings.
func (s *Service) Config() Config { return s.cfg }
