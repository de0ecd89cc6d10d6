// Package access holds the accessibility rules of aimaq, free of I/O: the
// System of Regional Standards checks for one settlement, and the population-
// weighted statistics that turn settlement figures into area indicators.
//
// Sources of the rules (public): the health-facility network norms of 2022 by
// settlement population; the school-transport rule (pupils living more than
// 3 km from a school are entitled to free transport); paved access due to
// support villages and villages of more than 500 people. See DESIGN.md.
package access
