package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"sort"
	"testing"
)

// numbered returns a copy of seed as article id.
func numbered(seed *Report, id int64) *Report {
	r := *seed
	r.Article.ID = id
	return &r
}

func TestJSONL(t *testing.T) {
	seed := seedReport(t)
	schema := reportSchema(t)
	var out bytes.Buffer
	b := NewJSONL(&out)
	for id := int64(1); id <= 5; id++ {
		if err := b.Add(numbered(seed, id)); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := b.Add(seed); !errors.Is(err, ErrClosed) {
		t.Errorf("Add after Close = %v, want ErrClosed", err)
	}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		n++
		if err := validateJSON(t, schema, sc.Bytes()); err != nil {
			t.Errorf("line %d does not validate: %v", n, err)
		}
		var r Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Article.ID != int64(n) {
			t.Errorf("line %d: article %d, err %v", n, r.Article.ID, err)
		}
	}
	if n != 5 || b.Count() != 5 {
		t.Errorf("%d lines, count %d, want 5", n, b.Count())
	}
}

func TestZip(t *testing.T) {
	seed := seedReport(t)
	formats := []string{FormatJSON, FormatCSV, FormatPDF, FormatClaimReview}
	var out bytes.Buffer
	b, err := NewZip(&out, formats)
	if err != nil {
		t.Fatal(err)
	}
	for id := int64(1); id <= 3; id++ {
		if err := b.Add(numbered(seed, id)); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatalf("open zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		files[f.Name] = data
	}
	var m Manifest
	if err := json.Unmarshal(files[ManifestName], &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m.Format != ManifestFormat || m.Articles != 3 || len(m.Files) != 12 || len(files) != 13 {
		t.Fatalf("manifest %s: %d articles, %d files, zip has %d entries; want 3, 12, 13", m.Format, m.Articles, len(m.Files), len(files))
	}
	var names []string
	for _, mf := range m.Files {
		data, ok := files[mf.Name]
		sum := sha256.Sum256(data)
		if !ok || hex.EncodeToString(sum[:]) != mf.SHA256 || int64(len(data)) != mf.Bytes {
			t.Errorf("%s: in zip %v, SHA-256 or size does not match the manifest", mf.Name, ok)
		}
		names = append(names, mf.Name)
	}
	if !sort.StringsAreSorted(names[:4]) && names[0] != "article-1-report.json" {
		t.Errorf("unexpected names %v", names[:4])
	}
	if !bytes.Equal(files["article-2-report.json"], render(t, FormatJSON, numbered(seed, 2))) {
		t.Errorf("zip's JSON differs from WriteJSON's")
	}
}

func TestZipRefuses(t *testing.T) {
	if _, err := NewZip(io.Discard, []string{"docx"}); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("NewZip(docx) = %v, want ErrUnknownFormat", err)
	}
	if _, err := NewZip(io.Discard, nil); err == nil {
		t.Errorf("NewZip without formats succeeded")
	}
	if _, err := NewZip(io.Discard, []string{FormatCSV, FormatCSV}); err == nil {
		t.Errorf("NewZip with a repeated format succeeded")
	}
	b, err := NewZip(io.Discard, []string{FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	seed := seedReport(t)
	if err := b.Add(seed); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(seed); err == nil {
		t.Errorf("adding the same article twice succeeded")
	}
}

// peakHeap adds n reports, built one at a time, to a fresh BulkWriter and
// returns the highest HeapInuse seen after an Add.
func peakHeap(t *testing.T, seed *Report, n int, newWriter func() *BulkWriter) uint64 {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	b := newWriter()
	for i := 0; i < n; i++ {
		if err := b.Add(numbered(seed, int64(i+1))); err != nil {
			t.Fatalf("Add: %v", err)
		}
		if i%10 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	return peak
}

// TestBulkMemoryFlat exports 2,000 articles and checks that the peak heap
// stays near that of a 200-article run: memory does not grow with the
// number of articles (beyond the manifest's few bytes a file).
func TestBulkMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short: exports 4,400 reports twice")
	}
	seed := seedReport(t) // 30 sentences, 50 kB of JSON: keeping them would add 100 MB
	for _, tc := range []struct {
		name string
		// perArticle is the bookkeeping a format must keep per article
		// until Close: for a zip, each file's central directory entry
		// and manifest line, about 1 kB a file.
		perArticle uint64
		new        func() *BulkWriter
	}{
		{"jsonl", 0, func() *BulkWriter { return NewJSONL(io.Discard) }},
		{"zip", 2 << 10, func() *BulkWriter {
			b, err := NewZip(io.Discard, []string{FormatJSON, FormatCSV})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			small := peakHeap(t, seed, 200, tc.new)
			large := peakHeap(t, seed, 2000, tc.new)
			t.Logf("peak heap in use: %d kB for 200 articles, %d kB for 2,000", small>>10, large>>10)
			// Flat means not ten times more: allow 50% and 2 MB of noise
			// from the garbage collector's timing, plus the bookkeeping.
			if limit := small + small/2 + 2<<20 + 1800*tc.perArticle; large > limit {
				t.Errorf("peak heap %d kB for 2,000 articles, over %d kB (200 articles: %d kB): memory grows with the export", large>>10, limit>>10, small>>10)
			}
		})
	}
}
