package ingest_test

import (
	"errors"
	"fmt"
	"strings"

	"factdesk/ingest"
	"factdesk/segment"
)

// The import path: decode the client's JSON, prepare the article, split it,
// check the sentence limit and mark the sentences that need no review.
func ExamplePrepare() {
	body := "Sanctions bite\n\nThe ministry announced new sanctions on Monday. Officials say the measures target energy firms.\n\n" +
		"Officials say the measures target energy firms. They take effect in March."
	in, err := ingest.DecodeArticle([]byte(fmt.Sprintf(`{"body":%q,"published_at":"2017-07-30"}`, body)))
	if err != nil {
		fmt.Println(err)
		return
	}
	limits := ingest.Limits{}
	art, err := ingest.Prepare(in, limits)
	if err != nil {
		fmt.Println(err)
		return
	}
	sentences := segment.Split(art.Body)
	if err := limits.CheckSentences(len(sentences)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(art.Title, art.PublishedAt.Format("2006-01-02"), len(sentences), "sentences")
	for _, e := range ingest.Exclusions(sentences) {
		fmt.Printf("sentence %d excluded (%s): %s\n", e.Index+1, e.Code, e.Reason)
	}
	// Output:
	// Sanctions bite 2017-07-30 5 sentences
	// sentence 4 excluded (duplicate): duplicate of sentence 3
}

// Import errors carry a kind for the caller to map to its status codes.
func ExampleError() {
	_, err := ingest.Convert(ingest.FormatText, []byte("caf\xe9"), ingest.Limits{})
	var e *ingest.Error
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.Field, e.Message)
	}
	_, err = ingest.Convert(ingest.FormatText, []byte(strings.Repeat("x", 11)), ingest.Limits{MaxBytes: 10})
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.Field)
	}
	// Output:
	// invalid body not valid UTF-8: byte 0xe9 at offset 3
	// too_large body
}
