package newsgen_test

import (
	"fmt"
	"math/rand/v2"

	"factdesk/internal/newsgen"
)

// A benchmark reads the same ~10 MB of articles on every run.
func ExampleText() {
	text := newsgen.Text(1, 10<<20)
	fmt.Println(len(text) >= 10<<20)
	// Output: true
}

// A test compares a segmenter's sentences with the ones the generator
// wrote.
func ExampleNewStory() {
	r := rand.New(rand.NewPCG(1, 2))
	story := newsgen.NewStory(r, 12)
	text := story.Text()      // headline, blank line, paragraphs
	want := story.Sentences() // headline first, then every sentence
	fmt.Println(len(text) > 0, len(want) > 12)
	// Output: true true
}
