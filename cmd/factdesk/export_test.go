package main

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/internal/shared"
	"factdesk/internal/testdb"
)

func TestExportCommand(t *testing.T) {
	dsn := testdb.DSN(t, testdb.SQLite)
	run(t, "", nil, "migrate", "up", "--db", dsn)
	if code, _, errs := run(t, "", nil, "user", "add", "--db", dsn, "--email", "a@news.example", "--name", "A", "--role", "admin"); code != 0 {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	bulk := filepath.Join(dir, "bulk.jsonl")
	var lines []string
	for i := 0; i < 12; i++ {
		lines = append(lines, `{"title":"Story `+string(rune('A'+i))+`","body":"Story `+string(rune('A'+i))+` happened on Monday. Officials said it mattered."}`)
	}
	os.WriteFile(bulk, []byte(strings.Join(lines, "\n")), 0o600)
	if code, out, _ := run(t, "", nil, "import", "--db", dsn, bulk, shared.Path(t, "data", "seed-article.txt")); code != 0 {
		t.Fatalf("import: %s", out)
	}
	code, out, errs := run(t, "", nil, "export", "--db", dsn, "--article", "13", "--format", "json")
	if code != 0 {
		t.Fatalf("export json: %d %s", code, errs)
	}
	var rep struct {
		Article   struct{ Title string }
		Sentences []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Article.Title != "755 US diplomats ousted" || len(rep.Sentences) != 30 {
		t.Errorf("json report: %v %q %d", err, rep.Article.Title, len(rep.Sentences))
	}
	pdf := filepath.Join(dir, "r.pdf")
	if code, _, errs := run(t, "", nil, "export", "--db", dsn, "--article", "13", "--format", "pdf", "-o", pdf); code != 0 {
		t.Fatal(errs)
	}
	if b, _ := os.ReadFile(pdf); !strings.HasPrefix(string(b), "%PDF-") {
		t.Error("not a PDF")
	}
	// Bulk JSON Lines: one report a line.
	jl := filepath.Join(dir, "all.jsonl")
	if code, _, errs := run(t, "", nil, "export", "--db", dsn, "--format", "jsonl", "-o", jl); code != 0 {
		t.Fatal(errs)
	}
	f, _ := os.Open(jl)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	n := 0
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			t.Errorf("line %d is not JSON", n+1)
		}
		n++
	}
	f.Close()
	if n != 13 {
		t.Errorf("jsonl lines: %d, want 13", n)
	}
	// Bulk zip with two formats and a manifest.
	zp := filepath.Join(dir, "all.zip")
	if code, _, errs := run(t, "", nil, "export", "--db", dsn, "--format", "zip", "--formats", "json,csv", "--since", "2000-01-01", "-o", zp); code != 0 {
		t.Fatal(errs)
	}
	zr, err := zip.OpenReader(zp)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	if len(zr.File) != 27 || !names["manifest.json"] {
		t.Errorf("zip: %d files, manifest %v", len(zr.File), names["manifest.json"])
	}
	// Nothing matches a future date: an empty, valid export.
	if code, _, _ := run(t, "", nil, "export", "--db", dsn, "--format", "jsonl", "--since", "2999-01-01", "-o", filepath.Join(dir, "none.jsonl")); code != 0 {
		t.Error("empty bulk export failed")
	}
	if code, _, _ := run(t, "", nil, "export", "--db", dsn, "--article", "13", "--format", "docx"); code == 0 {
		t.Error("unknown format accepted")
	}
	if code, _, _ := run(t, "", nil, "export", "--db", dsn, "--format", "zip"); code != 2 {
		t.Error("zip without -o accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "r.pdf.tmp")); err == nil {
		t.Error("a temporary file was left behind")
	}
}
