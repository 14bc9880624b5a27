package reviewers

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"factdesk/internal/newsgen"
	"factdesk/internal/shared"
	"factdesk/models"
	"factdesk/segment"
)

// BenchmarkMachineReading measures what import adds per sentence before
// storing: extracting the attributions, asking the machine reviewer and
// building the rows (the bar: under 1 ms a sentence).
func BenchmarkMachineReading(b *testing.B) {
	seed, err := os.ReadFile(shared.Path(b, "data", "seed-article.txt"))
	if err != nil {
		b.Fatal(err)
	}
	_, big := newsgen.Article(rand.New(rand.NewPCG(5, 5000)), 5000)
	s := New(nil, Config{}, nil, nil)
	for _, tc := range []struct{ name, body string }{{"seed", string(seed)}, {"newsgen5000", big}} {
		b.Run(tc.name, func(b *testing.B) {
			segs := segment.Split(tc.body)
			rows := make([]models.Sentence, len(segs))
			for i, st := range segs {
				rows[i] = models.Sentence{Index: st.Index, Paragraph: st.Paragraph, StartByte: st.Start, EndByte: st.End, Text: st.Text, Quote: st.Quote}
			}
			body := newBodyOffsets(tc.body)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := s.machineReading(context.Background(), body, rows); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/sentence")
		})
	}
}
