package similar

// Threshold is the least TrigramSimilarity at which a sentence of another
// article counts as the same claim. The tests show why 0.5: the example
// article's claims repeated with small wording changes score 0.8 and more,
// while 99.99% of pairs of unrelated news sentences score under 0.4 (the
// median is 0.11) and the few pairs above 0.5 are one article repeating
// itself. On PostgreSQL it is the pg_trgm.similarity_threshold under which
// the % operator uses the trigram index.
const Threshold = 0.5

// Compare scores b as a restatement of a: their TrigramSimilarity, and
// whether it counts as the same claim — both have at least MinWords words
// and the score reaches Threshold.
func Compare(a, b string) (score float64, same bool) {
	if !Eligible(a) || !Eligible(b) {
		return 0, false
	}
	score = TrigramSimilarity(a, b)
	return score, score >= Threshold
}
