package export

import (
	"encoding/json"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user and system CPU time so far. On a
// shared machine it says more about a benchmark's cost than wall time.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU milliseconds per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// Benchmarks of a 5,000-sentence article (with 5,000 audit events). The
// baseline, in the same run, is plain encoding/json of the sentences alone:
// it shows what the report formats cost above merely serialising the data.
// Targets: JSON and HTML under 200 ms, PDF under 2 s on a 2-core machine.
//
//	go test ./export -run '^$' -bench . -benchtime 5x

const benchSentences = 5000

func benchReport(b *testing.B) *Report {
	b.Helper()
	return largeReport(b, benchSentences)
}

func BenchmarkBaselineMarshalSentences(b *testing.B) {
	r := benchReport(b)
	b.ResetTimer()
	start := cpuTime(b)
	for b.Loop() {
		if err := json.NewEncoder(io.Discard).Encode(r.Sentences); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func benchFormat(b *testing.B, format string) {
	r := benchReport(b)
	cw := &countWriter{w: io.Discard}
	b.ResetTimer()
	start := cpuTime(b)
	for b.Loop() {
		if err := Write(cw, format, r); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
	b.ReportMetric(float64(cw.n)/float64(b.N)/1e6, "MB/report")
}

func BenchmarkWriteJSON(b *testing.B)        { benchFormat(b, FormatJSON) }
func BenchmarkWriteHTML(b *testing.B)        { benchFormat(b, FormatHTML) }
func BenchmarkWritePDF(b *testing.B)         { benchFormat(b, FormatPDF) }
func BenchmarkWriteMarkdown(b *testing.B)    { benchFormat(b, FormatMarkdown) }
func BenchmarkWriteCSV(b *testing.B)         { benchFormat(b, FormatCSV) }
func BenchmarkWriteAnnotations(b *testing.B) { benchFormat(b, FormatAnnotations) }

// BenchmarkBulkJSONL measures bulk export throughput with the 30-sentence
// example article, in articles per second.
func BenchmarkBulkJSONL(b *testing.B) {
	seed := seedReport(b)
	bw := NewJSONL(io.Discard)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := bw.Add(numbered(seed, int64(i))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkBulkZip is BenchmarkBulkJSONL for a zip, without and with
// the PDF (whose fonts are embedded anew in every file).
func BenchmarkBulkZip(b *testing.B) {
	seed := seedReport(b)
	for _, formats := range [][]string{{FormatJSON, FormatCSV}, {FormatJSON, FormatCSV, FormatPDF}} {
		b.Run(strings.Join(formats, "+"), func(b *testing.B) {
			bw, err := NewZip(io.Discard, formats)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				if err := bw.Add(numbered(seed, int64(i))); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
