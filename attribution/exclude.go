package attribution

import "factdesk/segment"

// Exclusion marks a sentence that is excluded from review because it is
// not a claim of the article of its own: a truncated teaser, a duplicate
// (see ingest.Exclusions, whose Index and Of these are).
type Exclusion struct {
	// Index is the excluded sentence's segment.Sentence.Index.
	Index int
	// Of is the Index of the sentence it copies: an earlier one for a
	// duplicate, a later one for a truncated teaser, -1 for none.
	Of int
}

// ExtractExcluding is Extract for an article some of whose sentences are
// excluded from review. An excluded sentence gets no attribution and
// lends none of its own: its words (the speaker it names, the people it
// mentions) are not read, and no From names it.
//
// What a checker expects of the sentences after it decides the rest. An
// excluded sentence is an artefact of how the page was cut or assembled
// (a teaser cut off mid-sentence, a paragraph or pull quote printed
// twice) standing between sentences the writer wrote together, so:
//
//   - a truncated teaser, and any excluded sentence that copies nothing
//     earlier, is passed over as if it were not in the text, quotation
//     marks included: a continuation after it continues the last sentence
//     before it in the paragraph ("According to police, he fled.
//     [teaser] He was caught in Leeds." is the police's claim, from the
//     first sentence);
//   - a duplicate repeats an earlier sentence that the checker does review
//     (its kept copy), so the claim it restates is that sentence's: a
//     continuation after it continues the kept copy's attribution, with
//     From naming the kept copy or the sentence where the kept copy's
//     speaker is stated, never the duplicate. When the kept copy carries no
//     attribution the duplicate is passed over like a teaser, so that it
//     does not cut a claim around it short.
//
// The kept copy's attribution is the one it has when the article is read
// without any excluded sentence. excluded entries whose Index is not
// among the sentences are ignored.
func ExtractExcluding(sentences []segment.Sentence, excluded []Exclusion) []Attribution {
	if len(excluded) == 0 {
		return Extract(sentences)
	}
	skip, copyOf := excludedAt(sentences, excluded)

	// First reading: the article without its excluded sentences.
	var kept []int
	for i := range sentences {
		if !skip[i] {
			kept = append(kept, i)
		}
	}
	first := make([]Attribution, len(sentences))
	for k, a := range extract(subset(sentences, kept), nil) {
		first[kept[k]] = a
	}

	// Second reading: each duplicate of a sentence with an attribution
	// back in its place, standing for that attribution.
	var view []int
	pinned := map[int]Attribution{}
	for i := range sentences {
		switch k := copyOf[i]; {
		case !skip[i]:
			view = append(view, i)
		case k >= 0 && !skip[k] && !first[k].IsZero():
			pinned[len(view)] = first[k]
			view = append(view, i)
		}
	}
	out := make([]Attribution, len(sentences))
	for i := range out {
		out[i] = Attribution{From: -1}
	}
	if len(pinned) == 0 {
		for _, i := range kept {
			out[i] = first[i]
		}
		return out
	}
	for k, a := range extract(subset(sentences, view), pinned) {
		if _, ok := pinned[k]; !ok {
			out[view[k]] = a
		}
	}
	return out
}

// excludedAt places the exclusions among the sentences: skip tells the
// excluded positions, copyOf the position of the earlier sentence each
// one copies (-1 for none).
func excludedAt(sentences []segment.Sentence, excluded []Exclusion) (skip []bool, copyOf []int) {
	pos := make(map[int]int, len(sentences)) // Index → position
	for i, s := range sentences {
		pos[s.Index] = i
	}
	skip = make([]bool, len(sentences))
	copyOf = make([]int, len(sentences))
	for i := range copyOf {
		copyOf[i] = -1
	}
	for _, e := range excluded {
		p, ok := pos[e.Index]
		if !ok {
			continue
		}
		skip[p] = true
		if k, ok := pos[e.Of]; ok && k < p {
			copyOf[p] = k
		}
	}
	return skip, copyOf
}

// subset returns the sentences at the given positions, in order.
func subset(sentences []segment.Sentence, at []int) []segment.Sentence {
	out := make([]segment.Sentence, len(at))
	for k, i := range at {
		out[k] = sentences[i]
	}
	return out
}
