// Package shared locates the material that lives beside the repository in
// ../shared (the example article, its reference reading and the test suites
// written outside the project). Tests read it from there and never copy it.
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared relative to the module root,
// or the value of FACTDESK_SHARED when it is set. It fails the test when the
// directory cannot be found.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("FACTDESK_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared")
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("shared material not found at %s: %v", d, err)
	}
	return d
}

// Path joins elem to the shared directory: Path(t, "data", "seed-article.txt").
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}
