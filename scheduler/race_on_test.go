//go:build race

package scheduler_test

// raceEnabled shrinks the exhaustive searches, which the race detector slows tenfold.
const raceEnabled = true
