package reviewers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"factdesk/attribution"
	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/reviewers/machine"
)

// BenchmarkImport imports the seed article and a generated article of
// about 5,000 sentences on both databases and reports the cost per
// sentence of the whole import: segmenting, the machine's attributions and
// suggestions, and storing it all in one transaction. Each runs with the
// learned reader (the default) and with the rules alone, the baseline the
// reader may at most double.
func BenchmarkImport(b *testing.B) {
	seed, err := os.ReadFile(shared.Path(b, "data", "seed-article.txt"))
	if err != nil {
		b.Fatal(err)
	}
	_, big := newsgen.Article(rand.New(rand.NewPCG(5, 5000)), 5000)
	for _, kind := range testdb.Kinds {
		for _, tc := range []struct{ name, body string }{{"seed", string(seed)}, {"newsgen5000", big}} {
			for _, reading := range readings() {
				b.Run(string(kind)+"/"+tc.name+"/"+reading.name, func(b *testing.B) {
					db := testdb.Open(b, kind)
					store := models.NewStore(db)
					svc := reviewers.New(store, reading.cfg, nil, nil)
					ctx := context.Background()
					u, err := store.CreateUser(ctx, models.System, models.NewUser{Email: "bench@test.example", Name: "Bench", Role: models.RoleChecker, PasswordHash: "x"})
					if err != nil {
						b.Fatal(err)
					}
					sentences, i := 0, 0
					for b.Loop() {
						i++
						// A distinct last paragraph makes every body new to the store.
						res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Body: tc.body + fmt.Sprintf("\n\nBenchmark run %d.", i)})
						if err != nil {
							b.Fatal(err)
						}
						if !res.Created {
							b.Fatal("not created")
						}
						sentences += res.Sentences
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(sentences), "ns/sentence")
				})
			}
		}
	}
}

// readings are the two ways import reads an article: the learned reader
// and reviewer (the default configuration) and the rules they replaced.
func readings() []struct {
	name string
	cfg  reviewers.Config
} {
	return []struct {
		name string
		cfg  reviewers.Config
	}{
		{"reader", reviewers.Config{}},
		{"rules", reviewers.Config{Extract: attribution.ExtractExcluding, Reviewer: machine.NewRules()}},
	}
}
