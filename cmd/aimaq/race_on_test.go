//go:build race

package main

// raceEnabled: the race detector allows at most 8,128 goroutines at once.
const raceEnabled = true
