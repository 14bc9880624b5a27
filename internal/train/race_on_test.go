//go:build race

package main

// raceDetector is true in a -race build, where training takes minutes:
// the reproduction test is left to the non-race run (make test's perf
// step).
const raceDetector = true
