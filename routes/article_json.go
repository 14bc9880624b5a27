package routes

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
)

// The article's JSON (GET /api/v1/articles/{id}) carries every sentence
// with its attribution and suggestion: for a long article, thousands of
// them and megabytes of JSON. encoding/json spent more time walking those
// structs by reflection, and checking again the spans each attribution
// marshals, than the database took to read them. The sentences are
// written here by hand instead, byte for byte as encoding/json writes
// them (article_json_test.go compares the two); the rest of the answer,
// small, still goes through encoding/json.

// writeArticleAt answers with d as c.JSON would: the same keys in the
// same order, the same values.
func (h *Handler) writeArticleAt(c *gin.Context, d *reviewers.ArticleAt) {
	bp := articleBuffers.Get().(*[]byte)
	b, err := appendArticleAt((*bp)[:0], d)
	if err != nil {
		articleBuffers.Put(bp)
		h.fail(c, fmt.Errorf("encode article %d: %w", d.ID, err))
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
	if cap(b) <= maxPooledArticle {
		*bp = b
		articleBuffers.Put(bp)
	}
}

// articleBuffers keeps the buffers of answers already written, so that a
// long article's next answer does not grow a new one from nothing.
var articleBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledArticle bounds the buffers kept: an article far longer than
// most leaves its buffer to the collector.
const maxPooledArticle = 16 << 20

// articleHead is an ArticleAt without its sentences and the fields that
// follow them: the fields declared here are shallower than the ones they
// name, so they hide them, and being nil they are omitted.
type articleHead struct {
	*reviewers.ArticleAt
	Sentences       *struct{} `json:"sentences,omitempty"`
	Assignees       *struct{} `json:"assignees,omitempty"`
	Current         *struct{} `json:"current,omitempty"`
	Revisions       *struct{} `json:"revisions,omitempty"`
	RevisionChanges *struct{} `json:"revision_changes,omitempty"`
}

// articleTail is what follows the sentences in an ArticleAt.
type articleTail struct {
	Assignees       []models.Assignment         `json:"assignees"`
	Current         bool                        `json:"current"`
	Revisions       []models.RevisionSummary    `json:"revisions"`
	RevisionChanges []models.RevisionChangeView `json:"revision_changes"`
}

// appendArticleAt appends d's JSON to b.
func appendArticleAt(b []byte, d *reviewers.ArticleAt) ([]byte, error) {
	head, err := json.Marshal(articleHead{ArticleAt: d})
	if err != nil {
		return nil, err
	}
	tail, err := json.Marshal(articleTail{Assignees: d.Assignees, Current: d.Current, Revisions: d.Revisions, RevisionChanges: d.RevisionChanges})
	if err != nil {
		return nil, err
	}
	if need := len(head) + len(tail) + len(d.Sentences)*1024; cap(b) < need {
		b = make([]byte, 0, need)
	}
	b = append(b, head[:len(head)-1]...)
	b = append(b, `,"sentences":`...)
	if b, err = appendSentenceViews(b, d.Sentences); err != nil {
		return nil, err
	}
	b = append(b, ',')
	return append(b, tail[1:]...), nil
}

// appendSentenceViews appends the JSON of vs, as encoding/json writes a
// []reviewers.SentenceView.
func appendSentenceViews(b []byte, vs []reviewers.SentenceView) ([]byte, error) {
	if vs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var (
		err   error
		times lastTimes
	)
	for i := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendSentenceView(b, &vs[i], &times); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendSentenceView appends v's JSON: the sentence's keys, then its
// attribution and suggestion, each null when there is none.
func appendSentenceView(b []byte, v *reviewers.SentenceView, times *lastTimes) ([]byte, error) {
	s := &v.Sentence
	var err error
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, s.ID, 10)
	b = append(b, `,"article_id":`...)
	b = strconv.AppendInt(b, s.ArticleID, 10)
	b = append(b, `,"revision_id":`...)
	b = strconv.AppendInt(b, s.RevisionID, 10)
	b = append(b, `,"index":`...)
	b = strconv.AppendInt(b, int64(s.Index), 10)
	b = append(b, `,"paragraph":`...)
	b = strconv.AppendInt(b, int64(s.Paragraph), 10)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(s.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(s.End), 10)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, s.Text)
	b = append(b, `,"quote":`...)
	b = appendJSONString(b, string(s.Quote))
	b = append(b, `,"label":`...)
	if s.Label == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, string(*s.Label))
	}
	if s.LabelBy != nil {
		b = append(b, `,"label_by":`...)
		b = strconv.AppendInt(b, *s.LabelBy, 10)
	}
	if s.LabelAt != nil {
		b = append(b, `,"label_at":`...)
		if b, err = times.labeled.append(b, *s.LabelAt); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"label_suggested":`...)
	b = strconv.AppendBool(b, s.LabelSuggested)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(s.Status))
	b = append(b, `,"exclude_reason":`...)
	b = appendJSONString(b, s.ExcludeReason)
	b = append(b, `,"verdict":`...)
	b = appendJSONString(b, s.Verdict)
	b = append(b, `,"note":`...)
	b = appendJSONString(b, s.Note)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(s.Version), 10)
	b = append(b, `,"updated_at":`...)
	if b, err = times.updated.append(b, s.UpdatedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"attribution":`...)
	if b, err = appendAttribution(b, v.Attribution, times); err != nil {
		return nil, err
	}
	b = append(b, `,"suggestion":`...)
	if b, err = appendSuggestion(b, v.Suggestion, times); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendAttribution appends a's JSON, null for nil.
func appendAttribution(b []byte, a *models.Attribution, times *lastTimes) ([]byte, error) {
	if a == nil {
		return append(b, "null"...), nil
	}
	var err error
	b = append(b, `{"sentence_id":`...)
	b = strconv.AppendInt(b, a.SentenceID, 10)
	b = append(b, `,"speaker":`...)
	b = appendJSONString(b, a.Speaker)
	b = append(b, `,"cue":`...)
	b = appendJSONString(b, a.Cue)
	b = append(b, `,"medium":`...)
	b = appendJSONString(b, a.Medium)
	b = append(b, `,"carried_over":`...)
	b = strconv.AppendBool(b, a.CarriedOver)
	b = append(b, `,"from":`...)
	if a.From == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*a.From), 10)
	}
	b = append(b, `,"origin":`...)
	b = appendJSONString(b, string(a.Origin))
	b = append(b, `,"confirmed_by":`...)
	if a.ConfirmedBy == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, *a.ConfirmedBy, 10)
	}
	b = append(b, `,"confirmed_at":`...)
	if a.ConfirmedAt == nil {
		b = append(b, "null"...)
	} else if b, err = times.confirmed.append(b, *a.ConfirmedAt); err != nil {
		return nil, err
	}
	if a.UpdatedBy != nil {
		b = append(b, `,"updated_by":`...)
		b = strconv.AppendInt(b, *a.UpdatedBy, 10)
	}
	b = append(b, `,"updated_at":`...)
	if b, err = times.attributed.append(b, a.UpdatedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(a.Version), 10)
	// AttributionSpans.MarshalJSON: an array, [] when there are none.
	b = append(b, `,"spans":[`...)
	for i, p := range a.Spans {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"role":`...)
		b = appendJSONString(b, string(p.Role))
		b = append(b, `,"start":`...)
		b = strconv.AppendInt(b, int64(p.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(p.End), 10)
		b = append(b, '}')
	}
	b = append(b, `],"confidence":`...)
	if b, err = appendJSONFloat(b, a.Confidence); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendSuggestion appends g's JSON, null for nil.
func appendSuggestion(b []byte, g *models.Suggestion, times *lastTimes) ([]byte, error) {
	if g == nil {
		return append(b, "null"...), nil
	}
	var err error
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, g.ID, 10)
	b = append(b, `,"sentence_id":`...)
	b = strconv.AppendInt(b, g.SentenceID, 10)
	b = append(b, `,"reviewer":`...)
	b = appendJSONString(b, g.Reviewer)
	b = append(b, `,"reviewer_version":`...)
	b = appendJSONString(b, g.ReviewerVersion)
	b = append(b, `,"label":`...)
	b = appendJSONString(b, string(g.Label))
	b = append(b, `,"confidence":`...)
	if b, err = appendJSONFloat(b, g.Confidence); err != nil {
		return nil, err
	}
	b = append(b, `,"reasons":`...)
	if g.Reasons == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, r := range g.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, r)
		}
		b = append(b, ']')
	}
	b = append(b, `,"created_at":`...)
	if b, err = times.suggested.append(b, g.CreatedAt); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// lastTimes remembers, for each time of a sentence's JSON, the last one
// written and its text: the sentences of one import share their times,
// and copying a time's text costs a tenth of formatting it.
type lastTimes struct{ labeled, updated, confirmed, attributed, suggested lastTime }

// lastTime is a time and its JSON text.
type lastTime struct {
	t    time.Time
	text []byte
}

// append appends t's JSON. The same instant in the same location (==, not
// Equal) is the same text.
func (l *lastTime) append(b []byte, t time.Time) ([]byte, error) {
	if l.text != nil && t == l.t {
		return append(b, l.text...), nil
	}
	start := len(b)
	b, err := appendJSONTime(b, t)
	if err != nil {
		return nil, err
	}
	l.t, l.text = t, append(l.text[:0], b[start:]...)
	return b, nil
}

// appendJSONTime appends t as time.Time's MarshalJSON writes it.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

// appendJSONFloat appends f as encoding/json writes a float64: like
// ECMAScript, exponents only below 1e-6 and from 1e21, without padding.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("json: unsupported value: %v", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONString appends s quoted as encoding/json writes a string with
// its default HTML escaping: <, > and & as \u003c…, control characters
// escaped, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonSafe marks the ASCII bytes a JSON string carries as they are, with
// encoding/json's HTML escaping.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
