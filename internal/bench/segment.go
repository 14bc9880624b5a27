package bench

import (
	"bytes"
	"time"

	"factdesk/internal/newsgen"
	"factdesk/segment"
)

// SegmentFigure is the segmenter's speed on generated news text, next to
// one bytes.IndexByte pass over the same bytes.
type SegmentFigure struct {
	Bytes     int     `json:"bytes"`
	Sentences int     `json:"sentences"`
	MBs       float64 `json:"mb_s"`
	FloorMBs  float64 `json:"floor_mb_s"`
	Ratio     float64 `json:"ratio"`
	Error     string  `json:"error,omitempty"`
}

func measureSegment(size int) SegmentFigure {
	text := newsgen.Text(1, size)
	raw := []byte(text)
	f := SegmentFigure{Bytes: len(text)}
	segTime := best(3, func() { f.Sentences = len(segment.Split(text)) })
	// The floor reads every byte once: a search for a byte news text
	// never holds.
	found := 0
	floor := best(3, func() { found = bytes.IndexByte(raw, 0) })
	if found >= 0 {
		f.Error = "generated text holds a NUL byte"
	}
	f.MBs = float64(len(text)) / 1e6 / segTime.Seconds()
	f.FloorMBs = float64(len(text)) / 1e6 / floor.Seconds()
	f.Ratio = ratio(f.MBs, f.FloorMBs)
	return f
}

// best runs f n times and returns its fastest time.
func best(n int, f func()) time.Duration {
	var min time.Duration
	for i := range n {
		t := time.Now()
		f()
		d := time.Since(t)
		if i == 0 || d < min {
			min = d
		}
	}
	return max(min, time.Microsecond)
}
