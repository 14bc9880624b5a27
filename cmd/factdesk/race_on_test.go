//go:build race

package main

// raceDetector is true in a -race build, where the bench runs several
// times slower: the quick bench's own test is left to the non-race run
// (make test's perf step).
const raceDetector = true
