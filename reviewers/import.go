package reviewers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"factdesk/fetch"
	"factdesk/ingest"
	"factdesk/models"
	"factdesk/segment"
)

// ImportResult says what an import did.
type ImportResult struct {
	Article   *models.Article
	Created   bool // false: the same body was imported before, nothing stored
	Sentences int
	Excluded  int
}

// Import turns what a user sends into a stored article: it validates the
// fields, fetches the page when only a URL is given, converts the format to
// plain text, segments it, marks teaser fragments and repeats excluded and
// stores it all with its audit event in one transaction. Bad input changes
// nothing and comes back as an error naming the field.
func (s *Service) Import(ctx context.Context, actor models.Actor, in ingest.ArticleInput) (*ImportResult, error) {
	if err := Authorize(actor, ActImport); err != nil {
		return nil, err
	}
	na, excluded, err := s.readInput(ctx, in)
	if err != nil {
		return nil, err
	}
	ctx, told := s.collectInboxes(ctx) // webhooks hear of it
	defer told()
	a, created, err := s.store.CreateArticle(ctx, actor, *na)
	if err != nil {
		return nil, err
	}
	return &ImportResult{Article: a, Created: created, Sentences: len(na.Sentences), Excluded: excluded}, nil
}

// readInput reads an import body, or the page its URL names when it has
// none, into the rows of an article (see convertInput and prepareArticle).
// A fetched page that is not an article factdesk reads is said to be one,
// as an error of the field url.
func (s *Service) readInput(ctx context.Context, in ingest.ArticleInput) (*models.NewArticle, int, error) {
	doc, v, sourceURL, err := s.convertInput(ctx, in)
	if err == nil {
		var na *models.NewArticle
		var excluded int
		if na, excluded, err = s.prepareArticle(ctx, doc, in, v); err == nil {
			na.SourceURL = sourceURL
			return na, excluded, nil
		}
	}
	if sourceURL != "" {
		err = unreadablePage(v.URL, err)
	}
	return nil, 0, err
}

// convertInput validates an import body, fetches the page when only a URL
// is given and converts the format to plain text.
func (s *Service) convertInput(ctx context.Context, in ingest.ArticleInput) (ingest.Document, ingest.Validated, string, error) {
	v, err := in.Validate()
	if err != nil {
		return ingest.Document{}, v, "", importError(err)
	}
	raw, format, sourceURL := []byte(in.Body), v.Format, ""
	if strings.TrimSpace(in.Body) == "" {
		page, err := s.fetchPage(ctx, v.URL)
		if err != nil {
			return ingest.Document{}, v, "", err
		}
		raw, sourceURL = page.Body, page.FinalURL
		if format == "" {
			f, ok := ingest.FormatFromMediaType(page.MediaType)
			if !ok {
				return ingest.Document{}, v, sourceURL, &models.Error{Code: models.EUNSUPPORTED, Field: "url",
					Message: fmt.Sprintf("it is %s, not HTML or plain text", page.ContentType)}
			}
			format = f
		}
	}
	doc, err := ingest.Convert(format, raw, s.limits())
	if err != nil {
		return ingest.Document{}, v, sourceURL, importError(err)
	}
	return doc, v, sourceURL, nil
}

func (s *Service) limits() ingest.Limits {
	return ingest.Limits{MaxBytes: s.cfg.MaxBodyBytes, MaxSentences: s.cfg.MaxSentences}
}

// prepareArticle segments a converted document and builds the rows to
// store: the sentences with the machine's attributions and suggestions.
func (s *Service) prepareArticle(ctx context.Context, doc ingest.Document, in ingest.ArticleInput, v ingest.Validated) (*models.NewArticle, int, error) {
	sents := segment.Split(doc.Body)
	if err := s.limits().CheckSentences(len(sents)); err != nil {
		return nil, 0, importError(err)
	}
	if len(sents) == 0 {
		return nil, 0, models.FieldError("body", "the body holds no sentence")
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = doc.Title
	}
	if title == "" {
		title = shorten(sents[0].Text, 120)
	}
	outlet, byline := strings.TrimSpace(in.Outlet), strings.TrimSpace(in.Byline)
	if outlet == "" {
		outlet = doc.Outlet
	}
	if byline == "" {
		byline = doc.Byline
	}
	published := v.PublishedAt
	if published == nil {
		published = doc.PublishedAt
	}
	sum := sha256.Sum256([]byte(doc.Body))
	offsets := segment.NewOffsets(doc.Body)
	rows := make([]models.Sentence, len(sents))
	paragraphs := 0
	for i, st := range sents {
		rows[i] = models.Sentence{
			Index: st.Index, Paragraph: st.Paragraph, StartByte: st.Start, EndByte: st.End,
			Start: offsets.CodePoint(st.Start), End: offsets.CodePoint(st.End),
			Text: st.Text, Quote: st.Quote, Status: "unreviewed",
		}
		paragraphs = st.Paragraph + 1
	}
	excluded := 0
	for _, ex := range ingest.Exclusions(sents) {
		rows[ex.Index].Status = "excluded"
		rows[ex.Index].ExcludeReason = ex.Reason
		excluded++
	}
	attrs, sugs, err := s.machineReading(ctx, bodyOffsets{body: doc.Body, offs: offsets}, rows)
	if err != nil {
		return nil, 0, err
	}
	return &models.NewArticle{
		Title: title, Outlet: outlet, Byline: byline, URL: v.URL, PublishedAt: published,
		Format: string(doc.Format), Body: doc.Body, BodySHA256: hex.EncodeToString(sum[:]),
		ParagraphCount: paragraphs, Sentences: rows, Attributions: attrs, Suggestions: sugs,
	}, excluded, nil
}

// fetchPage retrieves a page for a URL import.
func (s *Service) fetchPage(ctx context.Context, url string) (*fetch.Page, error) {
	if s.fetcher == nil {
		return nil, models.FieldError("url", "this server does not fetch pages; paste the article's text")
	}
	p, err := s.fetcher.Fetch(ctx, url)
	if err != nil {
		return nil, fetchError(err)
	}
	return p, nil
}

// fetchError says in words why a page could not be fetched, as an error
// of the field url (fetch.Explain: the host, never the addresses or the
// resolver's message); the fetch's own error is kept underneath, for the
// log.
func fetchError(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	code := models.EINVALID
	switch {
	case errors.Is(err, fetch.ErrTooLarge):
		code = models.ETOOLARGE
	case errors.Is(err, fetch.ErrUnsupportedType):
		code = models.EUNSUPPORTED
	}
	return &models.Error{Code: code, Field: "url", Message: fetch.Explain(err), Err: err}
}

// unreadablePage turns the refusal of a fetched page's content (its type,
// or what ingest found in it) into one about the page; other errors come
// back as they are.
func unreadablePage(url string, err error) error {
	e, ok := models.AsError(err)
	if !ok {
		return err
	}
	switch e.Code {
	case models.EINVALID, models.EMALFORMED, models.ETOOLARGE, models.EUNSUPPORTED:
		return &models.Error{Code: e.Code, Field: "url", Err: err,
			Message: fmt.Sprintf("the page at %s is not an article factdesk can read (%s)", url, e.Message)}
	}
	return err
}

// importError maps an ingest error to the store's coded errors.
func importError(err error) error {
	errs := ingest.FieldErrors(err)
	if len(errs) == 0 {
		return err
	}
	e := errs[0]
	code := models.EINVALID
	switch e.Kind {
	case ingest.Malformed:
		code = models.EMALFORMED
	case ingest.TooLarge:
		code = models.ETOOLARGE
	case ingest.Unsupported:
		code = models.EUNSUPPORTED
	}
	msg := e.Message
	if len(errs) > 1 {
		var more []string
		for _, x := range errs[1:] {
			more = append(more, x.Error())
		}
		msg += "; also " + strings.Join(more, "; ")
	}
	return &models.Error{Code: code, Field: e.Field, Message: msg}
}

// shorten cuts s at a word boundary to at most n characters.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := strings.LastIndexByte(string(r), ' ')
	if cut < n/2 {
		return string(r) + "…"
	}
	return string(r)[:cut] + "…"
}
