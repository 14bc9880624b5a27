package segment_test

import (
	"fmt"

	"factdesk/segment"
)

func ExampleSplit() {
	text := "755 US diplomats ousted\n\n" +
		"MOSCOW (Reuters) - Putin said the U.S. Congress had gone too far. " +
		"“We waited. It will not be soon. We will respond,” he said."
	for _, s := range segment.Split(text) {
		fmt.Printf("%d %d %-6s %s\n", s.Paragraph, s.Index, s.Quote, s.Text)
	}
	// Output:
	// 0 0 none   755 US diplomats ousted
	// 1 1 none   MOSCOW (Reuters) - Putin said the U.S. Congress had gone too far.
	// 1 2 open   “We waited.
	// 1 3 inside It will not be soon.
	// 1 4 close  We will respond,” he said.
}

func ExampleOffsets() {
	text := "“Tschüß,” she said. Bye."
	o := segment.NewOffsets(text)
	for _, s := range segment.Split(text) {
		r := o.Record(s)
		fmt.Printf("bytes [%d,%d) code points [%d,%d) %s\n", s.Start, s.End, r.Start, r.End, r.Text)
	}
	// Output:
	// bytes [0,25) code points [0,19) “Tschüß,” she said.
	// bytes [26,30) code points [20,24) Bye.
}
