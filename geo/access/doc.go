// Package access is aimaq's accessibility engine, in memory and free of I/O.
// Compute takes settlements, facilities, roads and areas (Input) and returns
// every settlement's figures — the nearest school, health facility and
// hospital, the own district and oblast centre, the nearest paved road and
// town, the System of Regional Standards checks — and every area's
// aggregates: population-weighted means and medians, shares within the
// standards' thresholds, two-step floating catchments, facilities per 10,000
// people and density. Nearby answers the same question for any point.
//
// Every search runs over the road network (geo/route) where the settlement
// and its target are connected, and otherwise falls back to the one
// straight-line rule, Options.Fallback; every figure says which (Network,
// StraightLine, Mixed). Facility kinds are searched in parallel.
//
// Sources of the rules (public): the health-facility network norms of 2022 by
// settlement population; the school-transport rule (pupils living more than
// 3 km from a school are entitled to free transport); paved access due to
// support villages and villages of more than 500 people; the two-step
// floating catchment of Luo & Wang (2003). See DESIGN.md.
package access
