//go:build race

package routes_test

// raceDetector is true in a -race build, where the server runs several
// times slower: absolute timing checks are left to the non-race run
// (make test's perf step).
const raceDetector = true
