// Package disparity measures how unequal an indicator is across areas — districts or
// oblasts — the way regional economists measure it, and splits the inequality into
// the part between groups of areas (macroregions, agglomerations) and the part within
// them. It is pure computation: no I/O, no database, no HTTP.
//
// # Units, weights, groups
//
// Each Unit is one area with its indicator value y_i, its population w_i and its
// group. Every weighted index uses population shares p_i = w_i / Σw, so a district of
// 300,000 people counts thirty times as much as one of 10,000, and the weighted mean
// is μ = Σ p_i y_i. A unit whose value is NaN or ±Inf, or whose population is not a
// positive finite number, cannot enter a weighted index: the index functions reject
// it (an error or NaN), Compute and Groups skip it, and Compute says so in its notes.
//
// # The indices
//
// Theil T, GE(1) (Theil 1967):
//
//	T = Σ p_i (y_i/μ) ln(y_i/μ)           (a term with y_i = 0 is 0, its limit)
//
// Theil L, GE(0), the mean log deviation (Theil 1967):
//
//	L = Σ p_i ln(μ/y_i)                   (needs every y_i > 0)
//
// Both are additively decomposable (Shorrocks 1980; Bourguignon 1979). With groups g
// of population share P_g = Σ_{i∈g} p_i, weighted mean μ_g and share of the
// indicator's total s_g = P_g μ_g / μ:
//
//	T = Σ_g s_g T_g + Σ_g s_g ln(μ_g/μ)   (within + between)
//	L = Σ_g P_g L_g + Σ_g P_g ln(μ/μ_g)   (within + between)
//
// where T_g and L_g are the indices computed inside group g with its own mean. The
// between term is the inequality that would remain if every area had its group's
// mean; the within term is what is left. TheilT and TheilL compute Total directly
// from the units and Between and Within from the groups, so Total − (Between + Within)
// is only rounding (below 1e-12 in the tests).
//
// Gini, population-weighted (the mean absolute difference over all pairs of people,
// divided by twice the mean):
//
//	G = Σ_i Σ_j p_i p_j |y_i − y_j| / (2μ)
//
// computed in O(n log n) from the values in ascending order as
// G = Σ_i p_i y_i (P_<i − P_>i) / μ, where P_<i and P_>i are the population shares
// strictly before and after unit i; tied values cancel, so the order among ties does
// not matter. Without the small-sample correction n/(n−1), so it is unchanged when
// every unit is split into identical halves.
//
// Williamson's coefficient of variation (Williamson 1965), population-weighted:
//
//	V_w = sqrt(Σ p_i (y_i − μ)²) / μ
//
// Atkinson (Atkinson 1970), with inequality aversion ε ≥ 0:
//
//	A(ε) = 1 − (Σ p_i (y_i/μ)^(1−ε))^(1/(1−ε))   for ε ≠ 1
//	A(1) = 1 − exp(Σ p_i ln y_i) / μ = 1 − exp(−L)   (geometric over arithmetic mean)
//
// Report carries ε = 0.5 and ε = 1. ε ≥ 1 needs every y_i > 0; ε < 1 allows zeros.
//
// The unweighted coefficient of variation treats every area alike:
// CV = sqrt(Σ (y_i − ȳ)² / n) / ȳ with ȳ = Σ y_i / n — the population standard
// deviation (divide by n, not n−1), so that it too is unchanged by splitting units.
//
// MaxMin is max y_i / min y_i over the units: +Inf when the smallest value is 0 and
// the largest is not (a district at 0 km from a school next to one at 12 km is
// "infinitely" unequal by this ratio — read the other indices), 1 when every value is
// equal, NaN when a value is negative.
//
// All indices are 0 when every value is equal (MaxMin is then 1), even when the
// values are all 0; otherwise the relative indices are undefined when the mean is
// ≤ 0 (NaN, or an error from the functions that return one). They are all invariant
// to the scale of the values (km or m, per 1,000 or per 10,000) and to splitting a
// unit into parts with the same value (population replication).
//
// # Which way is better
//
// For some indicators higher is better (share of people within 3 km of a school,
// doctors per 10,000 people); for others lower is better (minutes to a clinic, km to a
// paved road). The indices do not care: they are computed on the value itself, so the
// inequality of a distance is the inequality of the distances, whichever way is
// better, and no value is inverted or subtracted from a maximum. Only the best/worst
// group comparison uses the direction: BestWorstRatio and Report.BestWorst take
// lowerIsBetter, name the best and worst groups accordingly and give the ratio so
// that it is always ≥ 1 and reads "the best group is this many times better".
//
// # References
//
//   - Atkinson, A. B. (1970). On the measurement of inequality. Journal of Economic
//     Theory 2(3), 244–263.
//   - Bourguignon, F. (1979). Decomposable income inequality measures. Econometrica
//     47(4), 901–920.
//   - Shorrocks, A. F. (1980). The class of additively decomposable inequality
//     measures. Econometrica 48(3), 613–625.
//   - Theil, H. (1967). Economics and Information Theory. North-Holland, Amsterdam.
//   - Williamson, J. G. (1965). Regional inequality and the process of national
//     development: a description of the patterns. Economic Development and Cultural
//     Change 13(4, part 2), 1–84.
package disparity
