package ingest

// Default limits, used for zero fields of Limits.
const (
	DefaultMaxBytes     = 2 << 20  // 2 MiB of article text
	DefaultMaxHTMLBytes = 10 << 20 // 10 MiB of HTML page
	DefaultMaxSentences = 20000
)

// Limits bound what one import may hold. Zero fields take the defaults.
type Limits struct {
	// MaxBytes is the largest body: the text imported for text and
	// markdown, the text extracted for html.
	MaxBytes int
	// MaxHTMLBytes is the largest HTML page accepted before extraction;
	// pages carry much markup around their text.
	MaxHTMLBytes int
	// MaxSentences is the most sentences an article may have; see
	// CheckSentences.
	MaxSentences int
	// MaxLineBytes is the longest line of a JSONL file; 0 means room for
	// the largest HTML page plus its JSON escaping.
	MaxLineBytes int
}

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxHTMLBytes <= 0 {
		l.MaxHTMLBytes = DefaultMaxHTMLBytes
	}
	if l.MaxSentences <= 0 {
		l.MaxSentences = DefaultMaxSentences
	}
	if l.MaxLineBytes <= 0 {
		l.MaxLineBytes = max(l.MaxHTMLBytes, 2*l.MaxBytes) + 64<<10
	}
	return l
}

// Effective returns l with the defaults filled in, as the import applies it.
func (l Limits) Effective() Limits { return l.withDefaults() }

// CheckSentences returns a TooLarge error when an article of n sentences
// exceeds the limit. The segmenter runs after Convert, so the caller checks
// the count it gets.
func (l Limits) CheckSentences(n int) error {
	l = l.withDefaults()
	if n > l.MaxSentences {
		return newError(TooLarge, "body", "the article has %d sentences, more than the limit of %d", n, l.MaxSentences)
	}
	return nil
}
