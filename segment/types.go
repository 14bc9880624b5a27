package segment

// Quote says where a sentence stands in a direct quotation.
type Quote string

// The places a sentence can take in a direct quotation.
const (
	QuoteNone   Quote = "none"   // not in a quotation
	QuoteWhole  Quote = "whole"  // a quotation opens and closes in this sentence
	QuoteOpen   Quote = "open"   // a quotation opens here and continues after it
	QuoteInside Quote = "inside" // no mark of its own; the quotation runs through it
	QuoteClose  Quote = "close"  // a quotation opened earlier closes here
)

// Valid reports whether q is one of the known quotation contexts.
func (q Quote) Valid() bool {
	switch q {
	case QuoteNone, QuoteWhole, QuoteOpen, QuoteInside, QuoteClose:
		return true
	}
	return false
}

// Sentence is one sentence of a text. Start and End are byte offsets into
// the text that was split, and Text is exactly text[Start:End].
type Sentence struct {
	Paragraph int    // 0-based index of the paragraph holding the sentence
	Index     int    // 0-based index of the sentence in the whole text
	Start     int    // byte offset of the first byte
	End       int    // byte offset just past the last byte
	Text      string // text[Start:End]
	Quote     Quote  // place in a direct quotation
}
