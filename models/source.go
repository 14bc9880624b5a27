package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"factdesk/migrations"
	"factdesk/urlnorm"
)

// Limits on a source's text fields, in characters.
const (
	MaxSourceTitle  = 500
	MaxSourceName   = 300 // publisher, author
	MaxSourceNotes  = 10000
	MaxSourceURL    = 2000
	MaxWithheldNote = 1000
)

// Source is an entry of the library: something a checker consulted, with
// its grading and the record of factdesk's last retrieval of it.
type Source struct {
	ID          int64        `gorm:"primaryKey" json:"id"`
	Kind        SourceKind   `json:"kind"`
	Title       string       `json:"title"`
	URL         string       `gorm:"column:url" json:"url"` // normalised; "" for sources without one
	Publisher   string       `json:"publisher"`
	Author      string       `json:"author"`
	PublishedAt *time.Time   `json:"published_at"`
	AccessedAt  *time.Time   `json:"accessed_at"`
	ArchivedURL string       `gorm:"column:archived_url" json:"archived_url"`
	Notes       string       `json:"notes"`
	Reliability *Reliability `json:"reliability"` // nil: not graded
	Credibility *Credibility `json:"credibility"` // nil: not graded
	// Withheld sources are shown to exist, with the reason, but not named
	// in reports.
	Withheld       bool   `json:"withheld"`
	WithheldReason string `json:"withheld_reason"`
	// The retrieval record: what factdesk fetched at RetrievedAt.
	RetrievedAt *time.Time `json:"retrieved_at"`
	HTTPStatus  *int       `gorm:"column:http_status" json:"http_status"`
	ContentType string     `gorm:"column:content_type" json:"content_type"`
	SHA256      string     `gorm:"column:sha256" json:"sha256"`
	FinalURL    string     `gorm:"column:final_url" json:"final_url"`
	// Version is the number of the source's current version (see
	// SourceVersion): 1 when created, one more at every change of a
	// citable field.
	Version   int       `json:"version"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SourceVersion is a source's citable fields (those a report shows) as
// they were from CreatedAt until the next version. Creating a source
// writes version 1 and every edit of a citable field the next one, so
// that a citation can name what it cited and an approved report can show
// its sources as they were at the approval.
type SourceVersion struct {
	ID             int64        `gorm:"primaryKey" json:"-"`
	SourceID       int64        `json:"source_id"`
	Version        int          `json:"version"`
	Kind           SourceKind   `json:"kind"`
	Title          string       `json:"title"`
	URL            string       `gorm:"column:url" json:"url"`
	Publisher      string       `json:"publisher"`
	Author         string       `json:"author"`
	PublishedAt    *time.Time   `json:"published_at"`
	ArchivedURL    string       `gorm:"column:archived_url" json:"archived_url"`
	Reliability    *Reliability `json:"reliability"`
	Credibility    *Credibility `json:"credibility"`
	Withheld       bool         `json:"withheld"`
	WithheldReason string       `json:"withheld_reason"`
	CreatedBy      int64        `json:"created_by"`
	CreatedAt      time.Time    `json:"created_at"`
}

// versionOf returns src's citable fields as its version src.Version,
// written by actor at at.
func versionOf(src *Source, actor Actor, at time.Time) *SourceVersion {
	return &SourceVersion{SourceID: src.ID, Version: src.Version, Kind: src.Kind, Title: src.Title, URL: src.URL,
		Publisher: src.Publisher, Author: src.Author, PublishedAt: src.PublishedAt, ArchivedURL: src.ArchivedURL,
		Reliability: src.Reliability, Credibility: src.Credibility, Withheld: src.Withheld,
		WithheldReason: src.WithheldReason, CreatedBy: actor.ID, CreatedAt: at}
}

// Apply returns src with v's citable fields in place of its own: the
// source as it was at version v. The retrieval record, notes and dates of
// the library entry stay src's.
func (v *SourceVersion) Apply(src Source) Source {
	src.Version, src.Kind, src.Title, src.URL = v.Version, v.Kind, v.Title, v.URL
	src.Publisher, src.Author, src.PublishedAt, src.ArchivedURL = v.Publisher, v.Author, v.PublishedAt, v.ArchivedURL
	src.Reliability, src.Credibility, src.Withheld, src.WithheldReason = v.Reliability, v.Credibility, v.Withheld, v.WithheldReason
	return src
}

// citableFields are the record (audit) keys of the fields a version
// keeps: a change to any of them makes a new version.
var citableFields = []string{"kind", "title", "url", "publisher", "author", "published_at", "archived_url",
	"reliability", "credibility", "withheld", "withheld_reason"}

// Grade is the source's Admiralty grading as analysts write it ("B2"),
// with "–" for a part not graded, or "" when neither is.
func (src *Source) Grade() string {
	if src.Reliability == nil && src.Credibility == nil {
		return ""
	}
	r, c := "–", "–"
	if src.Reliability != nil {
		r = string(*src.Reliability)
	}
	if src.Credibility != nil {
		c = fmt.Sprint(int(*src.Credibility))
	}
	return r + c
}

// record is what audit events keep of a source: its editable fields.
func (src *Source) record() map[string]any {
	return map[string]any{
		"kind": src.Kind, "title": src.Title, "url": src.URL, "publisher": src.Publisher, "author": src.Author,
		"published_at": src.PublishedAt, "accessed_at": src.AccessedAt, "archived_url": src.ArchivedURL,
		"notes": src.Notes, "reliability": src.Reliability, "credibility": src.Credibility,
		"withheld": src.Withheld, "withheld_reason": src.WithheldReason,
	}
}

// NewSource is a source ready to be stored. URL and ArchivedURL must
// already be normalised (the business layer parses what people type).
type NewSource struct {
	Kind           SourceKind
	Title          string
	URL            string
	Publisher      string
	Author         string
	PublishedAt    *time.Time
	AccessedAt     *time.Time
	ArchivedURL    string
	Notes          string
	Reliability    *Reliability
	Credibility    *Credibility
	Withheld       bool
	WithheldReason string
}

// SourceChange is an edit of a source; nil fields stay as they are. A
// pointer to a zero value clears an optional field: "" for text, the zero
// time for dates, "" for Reliability and 0 for Credibility.
type SourceChange struct {
	Kind           *SourceKind
	Title          *string
	URL            *string
	Publisher      *string
	Author         *string
	PublishedAt    *time.Time
	AccessedAt     *time.Time
	ArchivedURL    *string
	Notes          *string
	Reliability    *Reliability
	Credibility    *Credibility
	Withheld       *bool
	WithheldReason *string
}

// apply writes the change onto src and checks the rules that tie fields
// together, so that an edit can never leave a source the database would
// refuse.
func (ch SourceChange) apply(src *Source) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	if ch.Kind != nil {
		src.Kind = *ch.Kind
	}
	set(&src.Title, ch.Title)
	set(&src.URL, ch.URL)
	set(&src.Publisher, ch.Publisher)
	set(&src.Author, ch.Author)
	set(&src.ArchivedURL, ch.ArchivedURL)
	set(&src.Notes, ch.Notes)
	set(&src.WithheldReason, ch.WithheldReason)
	setTime := func(dst **time.Time, v *time.Time) {
		if v == nil {
			return
		}
		if v.IsZero() {
			*dst = nil
			return
		}
		t := v.UTC().Truncate(time.Microsecond)
		*dst = &t
	}
	setTime(&src.PublishedAt, ch.PublishedAt)
	setTime(&src.AccessedAt, ch.AccessedAt)
	if ch.Reliability != nil {
		src.Reliability = nil
		if *ch.Reliability != "" {
			r := *ch.Reliability
			src.Reliability = &r
		}
	}
	if ch.Credibility != nil {
		src.Credibility = nil
		if *ch.Credibility != 0 {
			c := *ch.Credibility
			src.Credibility = &c
		}
	}
	if ch.Withheld != nil {
		src.Withheld = *ch.Withheld
	}
	return src.check()
}

// check enforces what the table's constraints enforce, with errors that
// name the field.
func (src *Source) check() error {
	switch {
	case !src.Kind.Valid():
		return FieldError("kind", "unknown kind %q; one of %s", src.Kind, kindList())
	case src.Title == "":
		return FieldError("title", "a source needs a title (or a URL to take it from)")
	case utf8.RuneCountInString(src.Title) > MaxSourceTitle:
		return FieldError("title", "a title may have at most %d characters", MaxSourceTitle)
	case src.Reliability != nil && !src.Reliability.Valid():
		return FieldError("reliability", "reliability is a grade from A to F, not %q", *src.Reliability)
	case src.Credibility != nil && !src.Credibility.Valid():
		return FieldError("credibility", "credibility is a grade from 1 to 6, not %d", *src.Credibility)
	case src.Withheld && src.WithheldReason == "":
		return FieldError("withheld_reason", "a withheld source needs the reason it is withheld")
	}
	if src.URL != "" {
		if n, err := urlnorm.Normalize(src.URL); err != nil || n != src.URL {
			return FieldError("url", "the URL must be a normalised http or https address")
		}
	}
	return nil
}

func kindList() string {
	names := make([]string, len(SourceKinds))
	for i, k := range SourceKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// CreateSource adds a source to the library with its audit event. When a
// source with the same (normalised) URL exists it stores nothing and
// returns that source with created false.
func (s *Store) CreateSource(ctx context.Context, actor Actor, ns NewSource) (src *Source, created bool, err error) {
	err = s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		src, created, err = s.findOrCreateSource(tx, actor, ns)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return src, created, nil
}

// findOrCreateSource is CreateSource inside tx.
func (s *Store) findOrCreateSource(tx *gorm.DB, actor Actor, ns NewSource) (*Source, bool, error) {
	src := &Source{CreatedBy: actor.ID}
	err := SourceChange{
		Kind: &ns.Kind, Title: &ns.Title, URL: &ns.URL, Publisher: &ns.Publisher, Author: &ns.Author,
		PublishedAt: ns.PublishedAt, AccessedAt: ns.AccessedAt, ArchivedURL: &ns.ArchivedURL, Notes: &ns.Notes,
		Reliability: ns.Reliability, Credibility: ns.Credibility, Withheld: &ns.Withheld, WithheldReason: &ns.WithheldReason,
	}.apply(src)
	if err != nil {
		return nil, false, err
	}
	if src.URL != "" {
		existing, err := s.sourceWithURL(tx, src.URL)
		if err != nil {
			return nil, false, err
		}
		if existing != nil {
			return existing, false, nil
		}
	}
	src.Version = 1
	if err := tx.Create(src).Error; err != nil {
		return nil, false, fmt.Errorf("create source: %w", err)
	}
	if err := tx.Create(versionOf(src, actor, src.CreatedAt)).Error; err != nil {
		return nil, false, fmt.Errorf("record version 1 of source %d: %w", src.ID, err)
	}
	if err := s.indexSource(tx, src); err != nil {
		return nil, false, err
	}
	err = s.appendEvent(tx, Event{Actor: actor, Action: "source.create", Entity: "source", EntityID: src.ID, After: src.record()})
	if err != nil {
		return nil, false, err
	}
	return src, true, nil
}

// sourceWithURL returns the source with the normalised url, or nil. On
// PostgreSQL it first takes a transaction lock on the URL, so that two
// people adding one page at the same moment get one source.
func (s *Store) sourceWithURL(tx *gorm.DB, url string) (*Source, error) {
	if s.db.dialect == migrations.Postgres {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtextextended(?, 1))`, "source-url:"+url).Error; err != nil {
			return nil, fmt.Errorf("lock source URL: %w", err)
		}
	}
	var found []Source
	if err := tx.Where("url = ?", url).Limit(1).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("look up source %s: %w", url, err)
	}
	if len(found) == 0 {
		return nil, nil
	}
	return &found[0], nil
}

// UpdateSource applies change to a source and records what changed. A URL
// that another source already has is an ECONFLICT naming that source; an
// edit that changes nothing writes no event.
func (s *Store) UpdateSource(ctx context.Context, actor Actor, id int64, change SourceChange) (*Source, error) {
	var src Source
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockSource(tx, id, &src); err != nil {
			return err
		}
		before := src.record()
		if err := change.apply(&src); err != nil {
			return err
		}
		after := src.record()
		oldVals, newVals := diffRecords(before, after)
		if len(newVals) == 0 {
			return nil
		}
		if _, ok := newVals["url"]; ok && src.URL != "" {
			other, err := s.sourceWithURL(tx, src.URL)
			if err != nil {
				return err
			}
			if other != nil && other.ID != id {
				return &Error{Code: ECONFLICT, Field: "url", Data: map[string]any{"source_id": other.ID},
					Message: fmt.Sprintf("source %d (%s) already has this URL", other.ID, other.Title)}
			}
		}
		src.UpdatedAt = tx.NowFunc()
		newVersion := false
		for _, f := range citableFields {
			if _, ok := newVals[f]; ok {
				newVersion = true
				break
			}
		}
		if newVersion {
			src.Version++
		}
		err := tx.Model(&Source{}).Where("id = ?", id).Updates(map[string]any{
			"kind": src.Kind, "title": src.Title, "url": src.URL, "publisher": src.Publisher, "author": src.Author,
			"published_at": src.PublishedAt, "accessed_at": src.AccessedAt, "archived_url": src.ArchivedURL,
			"notes": src.Notes, "reliability": src.Reliability, "credibility": src.Credibility,
			"withheld": src.Withheld, "withheld_reason": src.WithheldReason, "updated_at": src.UpdatedAt,
			"version": src.Version,
		}).Error
		if err != nil {
			return fmt.Errorf("update source %d: %w", id, err)
		}
		if newVersion {
			if err := tx.Create(versionOf(&src, actor, src.UpdatedAt)).Error; err != nil {
				return fmt.Errorf("record version %d of source %d: %w", src.Version, id, err)
			}
		}
		if err := s.indexSource(tx, &src); err != nil {
			return err
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "source.update", Entity: "source", EntityID: id,
			Before: oldVals, After: newVals})
	})
	if err != nil {
		return nil, err
	}
	return &src, nil
}

// lockSource reads a source into dst, locking its row on PostgreSQL.
func (s *Store) lockSource(tx *gorm.DB, id int64, dst *Source) error {
	q := tx
	if s.db.dialect == migrations.Postgres {
		q = tx.Clauses(lockForUpdate())
	}
	if err := q.First(dst, id).Error; err != nil {
		return notFound(err, "source %d", id)
	}
	return nil
}

// diffRecords returns the entries of before and after that differ.
func diffRecords(before, after map[string]any) (oldVals, newVals map[string]any) {
	oldVals, newVals = map[string]any{}, map[string]any{}
	for k, a := range after {
		b := before[k]
		if encodeSame(a, b) {
			continue
		}
		oldVals[k], newVals[k] = b, a
	}
	return oldVals, newVals
}

// encodeSame compares two record values by their audit encoding, which
// sees through pointers.
func encodeSame(a, b any) bool {
	ea, err1 := encodeValue(a)
	eb, err2 := encodeValue(b)
	return err1 == nil && err2 == nil && ea == eb
}

// Retrieval is what factdesk saw when it fetched a source's URL.
type Retrieval struct {
	At          time.Time
	HTTPStatus  int
	ContentType string
	SHA256      string // "" when no body was kept (an error status)
	FinalURL    string
}

// RecordRetrieval stores the record of a retrieval on a source, with its
// audit event.
func (s *Store) RecordRetrieval(ctx context.Context, actor Actor, id int64, r Retrieval) (*Source, error) {
	var src Source
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockSource(tx, id, &src); err != nil {
			return err
		}
		before := retrievalRecord(&src)
		at := r.At.UTC().Truncate(time.Microsecond)
		status := r.HTTPStatus
		src.RetrievedAt, src.HTTPStatus = &at, &status
		src.ContentType, src.SHA256, src.FinalURL = r.ContentType, r.SHA256, r.FinalURL
		src.UpdatedAt = tx.NowFunc()
		err := tx.Model(&Source{}).Where("id = ?", id).Updates(map[string]any{
			"retrieved_at": src.RetrievedAt, "http_status": status, "content_type": r.ContentType,
			"sha256": r.SHA256, "final_url": r.FinalURL, "updated_at": src.UpdatedAt,
		}).Error
		if err != nil {
			return fmt.Errorf("record retrieval of source %d: %w", id, err)
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "source.retrieve", Entity: "source", EntityID: id,
			Before: before, After: retrievalRecord(&src)})
	})
	if err != nil {
		return nil, err
	}
	return &src, nil
}

func retrievalRecord(src *Source) map[string]any {
	return map[string]any{"retrieved_at": src.RetrievedAt, "http_status": src.HTTPStatus,
		"content_type": src.ContentType, "sha256": src.SHA256, "final_url": src.FinalURL}
}

// SourceVersions returns every version of the given sources, by source id
// and in version order, in one query.
func (s *Store) SourceVersions(ctx context.Context, sourceIDs []int64) (map[int64][]SourceVersion, error) {
	out := make(map[int64][]SourceVersion, len(sourceIDs))
	if len(sourceIDs) == 0 {
		return out, nil
	}
	var vs []SourceVersion
	err := s.db.gorm.WithContext(ctx).Where("source_id IN ?", sourceIDs).Order("source_id, version").Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("load source versions: %w", err)
	}
	for _, v := range vs {
		out[v.SourceID] = append(out[v.SourceID], v)
	}
	return out, nil
}
