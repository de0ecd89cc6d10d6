// Package geo is aimaq's pure spatial analytics: no I/O, no database, no HTTP.
// It holds the rules that turn raw data into figures a planner can trust:
// population estimates, and later routing, accessibility and disparity indices.
package geo
