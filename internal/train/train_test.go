package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/internal/shared"
)

// TestTrainReproducesEmbeddedWeights trains every model from ../shared
// as "make train" does and checks that the weights the binary embeds are
// exactly what the corpora give: nobody edited them by hand, and the
// training is deterministic. It takes about a minute, so it runs in make
// test's perf step, without the race detector.
func TestTrainReproducesEmbeddedWeights(t *testing.T) {
	if raceDetector || testing.Short() {
		t.Skip("training takes minutes under the race detector; make test's perf step runs this test")
	}
	var report strings.Builder
	files, err := Train(shared.Dir(t), &report)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(report.String())
	if len(files) != 4 {
		t.Errorf("%d weights files, want 4", len(files))
	}
	for _, f := range files {
		have, err := os.ReadFile(filepath.Join("..", "..", f.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, f.Data) {
			t.Errorf("%s: the embedded weights (%d bytes) differ from a fresh training (%d bytes); run make train", f.Path, len(have), len(f.Data))
		}
	}
}
