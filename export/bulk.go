package export

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// ManifestName is the name of the manifest in a zip export.
const ManifestName = "manifest.json"

// ManifestFormat names the shape of the manifest.
const ManifestFormat = "factdesk-export-manifest/1"

// ErrClosed is returned by Add after Close.
var ErrClosed = errors.New("bulk export already closed")

// BulkWriter streams many articles' reports into one output: JSON Lines
// (one complete JSON report per line) or a zip (one file per article and
// format, then a manifest with each file's SHA-256). It holds one report
// at a time, so memory stays flat whatever the number of articles; only
// the manifest's list of names and hashes grows, by about a hundred bytes
// a file. A BulkWriter is not safe for concurrent use.
type BulkWriter struct {
	jsonl   *bufio.Writer
	zip     *zip.Writer
	formats []string
	opts    []Option
	files   []ManifestFile
	names   map[string]bool
	reports int
	err     error
	closed  bool
}

// Manifest lists the files of a zip export.
type Manifest struct {
	Format   string         `json:"format"`
	Articles int            `json:"articles"`
	Formats  []string       `json:"formats"`
	Files    []ManifestFile `json:"files"`
}

// ManifestFile is one file of a zip export.
type ManifestFile struct {
	Name      string `json:"name"`
	ArticleID int64  `json:"article_id"`
	Format    string `json:"format"`
	Bytes     int64  `json:"bytes"`
	SHA256    string `json:"sha256"`
}

// NewJSONL returns a BulkWriter that writes one compact JSON report per
// line to w.
func NewJSONL(w io.Writer) *BulkWriter {
	return &BulkWriter{jsonl: bufio.NewWriterSize(w, 64<<10)}
}

// NewZip returns a BulkWriter that writes a zip archive to w with, for
// every report added, one file per format (named by FileName), and at
// Close the manifest. formats must be of Formats, without repeats; opts
// are passed to Write for every file.
func NewZip(w io.Writer, formats []string, opts ...Option) (*BulkWriter, error) {
	if len(formats) == 0 {
		return nil, errors.New("zip export: no format asked for")
	}
	for i, f := range formats {
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("zip export as %q: %w", f, ErrUnknownFormat)
		}
		if slices.Contains(formats[:i], f) {
			return nil, fmt.Errorf("zip export: format %q asked for twice", f)
		}
	}
	return &BulkWriter{zip: zip.NewWriter(w), formats: slices.Clone(formats), opts: opts, names: map[string]bool{}}, nil
}

// Add writes r's report. After an error the BulkWriter refuses more.
func (b *BulkWriter) Add(r *Report) error {
	switch {
	case b.closed:
		return ErrClosed
	case b.err != nil:
		return b.err
	}
	if b.jsonl != nil {
		b.err = b.addJSONL(r)
	} else {
		b.err = b.addZip(r)
	}
	if b.err == nil {
		b.reports++
	}
	return b.err
}

// Count returns how many reports were added.
func (b *BulkWriter) Count() int { return b.reports }

func (b *BulkWriter) addJSONL(r *Report) error {
	enc := json.NewEncoder(b.jsonl)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(prepare(r)); err != nil {
		return fmt.Errorf("add article %d to JSON Lines export: %w", r.Article.ID, err)
	}
	return nil
}

func (b *BulkWriter) addZip(r *Report) error {
	for _, format := range b.formats {
		name := FileName(r, format)
		if b.names[name] {
			return fmt.Errorf("add article %d to zip export: %s is already in it", r.Article.ID, name)
		}
		b.names[name] = true
		size, sum, err := b.zipFile(name, format, r)
		if err != nil {
			return fmt.Errorf("add article %d to zip export: %w", r.Article.ID, err)
		}
		b.files = append(b.files, ManifestFile{Name: name, ArticleID: r.Article.ID, Format: format, Bytes: size, SHA256: sum})
	}
	return nil
}

func (b *BulkWriter) zipFile(name, format string, r *Report) (int64, string, error) {
	method := zip.Deflate
	if format == FormatPDF {
		method = zip.Store // already compressed
	}
	fw, err := b.zip.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: zipTime(r.Generated.At)})
	if err != nil {
		return 0, "", fmt.Errorf("create %s: %w", name, err)
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(fw, h)}
	if err := Write(cw, format, r, b.opts...); err != nil {
		return 0, "", err
	}
	return cw.n, hex.EncodeToString(h.Sum(nil)), nil
}

// zipTime keeps zip entries deterministic: the report's own time, or the
// zip epoch when it has none.
func zipTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.UTC()
}

// Close finishes the output: it flushes the JSON Lines, or writes the zip's
// manifest and central directory. It does not close the underlying writer.
func (b *BulkWriter) Close() error {
	if b.closed {
		return ErrClosed
	}
	b.closed = true
	if b.jsonl != nil {
		if err := b.jsonl.Flush(); err != nil {
			return fmt.Errorf("finish JSON Lines export: %w", err)
		}
		return b.err
	}
	if b.err == nil {
		b.err = b.writeManifest()
	}
	if err := b.zip.Close(); err != nil && b.err == nil {
		b.err = fmt.Errorf("finish zip export: %w", err)
	}
	return b.err
}

func (b *BulkWriter) writeManifest() error {
	fw, err := b.zip.CreateHeader(&zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: zipTime(time.Time{})})
	if err != nil {
		return fmt.Errorf("create zip manifest: %w", err)
	}
	m := Manifest{Format: ManifestFormat, Articles: b.reports, Formats: b.formats, Files: orEmpty(b.files)}
	enc := json.NewEncoder(fw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("write zip manifest: %w", err)
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
