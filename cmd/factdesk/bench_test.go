package main

import (
	"encoding/json"
	"testing"

	"factdesk/internal/testdb"
)

// TestBenchQuickJSON runs "factdesk bench --quick --json" on a temporary
// SQLite file and on a PostgreSQL database of its own, and checks the
// object's shape: every figure with its floor and a positive ratio.
func TestBenchQuickJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("the quick bench takes a minute")
	}
	if raceDetector {
		// Under -race the run takes minutes and its figures mean nothing;
		// make test's perf step runs this test without it. The load's own
		// concurrency is race-checked by the server's concurrency tests.
		t.Skip("SKIP under -race: make test runs the quick bench in its perf step")
	}
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			args := []string{"bench", "--quick", "--json"}
			if kind == testdb.Postgres {
				testdb.PostgresDatabase(t) // skips, or fails in strict mode, without a server
				args = append(args, "--db", testdb.AdminURL())
			}
			code, out, errs := run(t, "", nil, args...)
			if code != 0 {
				t.Fatalf("bench: exit %d\n%s\n%s", code, errs, out)
			}
			var res map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("bench --json printed %q: %v", out, err)
			}
			want := map[string][]string{
				"segment":       {"mb_s", "floor_mb_s", "ratio"},
				"import":        {"sentences_s", "articles_s", "floor_sentences_s", "ratio"},
				"label":         {"rps", "p50_ms", "p99_ms", "floor_rps", "ratio", "mean_batch", "servers", "articles"},
				"label_shared":  {"rps", "p50_ms", "p99_ms", "floor_rps", "ratio", "mean_batch"},
				"label_servers": {"rps", "p50_ms", "p99_ms", "floor_rps", "ratio", "mean_batch", "conflicts"},
				"bulk":          {"sentences", "ms", "floor_ms", "ratio"},
				"page":          {"ms", "bytes", "floor_ms", "ratio", "api_ms", "api_bytes", "api_ratio"},
				"list":          {"first_ms", "deep_ms", "floor_ms", "ratio"},
				"export":        {"ms", "bytes", "floor_ms", "ratio"},
			}
			if kind == testdb.Postgres {
				want["import"] = append(want["import"], "copy_sentences_s", "copy_ratio")
			}
			// Every response of the compression figure in each coding,
			// the compressed ones at least 5:1.
			var comp struct {
				Rows []struct {
					Route, Coding string
					Bytes         int
					Ratio         float64
				}
			}
			if err := json.Unmarshal(res["compress"], &comp); err != nil || len(comp.Rows) < 9 {
				t.Errorf("compress: %s (%v), want 3 responses in 3 codings", res["compress"], err)
			}
			for _, r := range comp.Rows {
				if r.Bytes <= 0 || (r.Coding != "identity" && r.Ratio < 5) {
					t.Errorf("compress: %s in %s: %d bytes, %.1f:1", r.Route, r.Coding, r.Bytes, r.Ratio)
				}
			}
			for fig, keys := range want {
				var f map[string]any
				if err := json.Unmarshal(res[fig], &f); err != nil {
					t.Errorf("%s: %s: %v", fig, res[fig], err)
					continue
				}
				for _, k := range keys {
					v, ok := f[k].(float64)
					if !ok || v <= 0 {
						t.Errorf("%s.%s = %v, want a positive number (figure %s)", fig, k, f[k], res[fig])
					}
				}
			}
		})
	}
}
