// Package classify cuts an indicator's values into the classes of a choropleth map
// and picks the colours for them. It is pure computation: no I/O, no database, no
// HTTP.
//
// # Classes
//
// Every method returns Classes: k+1 ascending Bounds, Bounds[0] the smallest value
// and Bounds[k] the largest, class i holding the values v with
// Bounds[i] ≤ v < Bounds[i+1] (the last class also holds Bounds[k]). Class(v) finds
// a value's class. Counts, SDCM and GVF describe the fit:
//
//	SDAM = Σ_v (v − mean)²                   squared deviations from the array mean
//	SDCM = Σ_classes Σ_{v∈class} (v − class mean)²
//	GVF  = 1 − SDCM/SDAM                      goodness of variance fit (Jenks 1977)
//
// Values that are NaN or ±Inf are ignored by every method (an area without a value
// is drawn as "no data", not classified). Every method needs at least two distinct
// values.
//
// # Methods
//
// Jenks — Fisher–Jenks natural breaks: the partition of the sorted values into k
// contiguous classes with the smallest SDCM, found exactly by dynamic programming
// (Fisher 1958; Jenks 1977). The recurrence over the m distinct values x_1 < … < x_m
// with multiplicities c_j is
//
//	D(1, j) = SSD(1..j)
//	D(q, j) = min_{q ≤ i ≤ j} D(q−1, i−1) + SSD(i..j)
//
// with SSD(i..j) = Σ c (x − x̄)² of x_i..x_j taken in O(1) from prefix sums of c, c·x
// and c·x² (of x minus the median, against cancellation). The optimal i is
// non-decreasing in j because SSD satisfies the quadrangle (concave Monge)
// inequality (Grønlund et al. 2017), so each row is filled by divide and conquer in
// O(m log m): O(k·m·log m) time in all, O(k·m) memory for the back-pointers, and
// still exact — the tests compare it with the plain O(k·m²) recurrence and with
// brute force. Working on distinct values means equal values never straddle a break.
// If there are fewer distinct values than classes Jenks returns ErrTooFewValues,
// naming both counts, rather than quietly drawing fewer classes than the legend and
// colour ramp were built for; the caller can retry with that many classes.
//
// Quantile — each class holds as near n/k values as the ties allow. Going up the
// sorted values, each inner bound is the value at rank s + ⌊(n−s)/r⌋, where s values
// are already in lower classes and r classes remain: the values left are shared
// equally among the classes left, so without ties class sizes differ by at most one,
// and a tie that swallows more than one class's share does not starve the others.
// A tie that would make a bound equal to the one below moves it up to the next
// distinct value (always keeping k non-empty classes); fewer distinct values than
// classes is ErrTooFewValues.
//
// EqualInterval — k classes of equal width (max − min)/k; classes may be empty.
//
// HeadTail — head/tail breaks for heavy-tailed data (Jiang 2013): split at the mean;
// if the head (the values at or above the mean) is under 40% of the values, repeat on
// the head; stop when the head reaches 40% or maxClasses classes are made. The
// number of classes is the data's own. Values at or above the mean form the head so
// that the head is exactly the class above the break. Data whose first head is 40%
// or more of the values are not heavy-tailed: ErrNotHeavyTailed.
//
// Manual — the user's inner breaks, which must be finite, strictly ascending and
// strictly inside (min, max) of the values, so that every class is a real interval
// of the data; the error names the first bad break (ErrBadBreak). Breaks outside the
// data are refused rather than silently extended, so that a legend never shows a
// class no area can fall in without the planner having asked for it knowingly.
//
// Classify dispatches on a Method name and enforces the map's limits: 3 to 9 classes
// for jenks, quantile and equal; at most 2 to 9 for headtail; 1 to 8 breaks (2 to 9
// classes) for manual.
//
// # Colours
//
// Ramp gives the ColorBrewer schemes (Brewer & Harrower; Harrower & Brewer 2003)
// that colorbrewer2.org marks colour-blind safe for every k from 3 to 9 — sequential
// YlGnBu, OrRd, YlOrBr, PuBu, Blues and diverging PuOr, BrBG, RdBu — as "#rrggbb",
// light to dark for the sequential ones. A name with the suffix "_r" is the same ramp
// reversed; k = 2 (a head/tail or manual map can have two classes) takes the two ends
// of the 3-class scheme.
//
// RampFor chooses by the indicator's direction, with one convention for every map a
// planner reads for gaps: the darker and warmer a class, the worse it is.
//
//	"lower-better"  (km, minutes)           OrRd:   high values dark red
//	"higher-better" (shares, per 10,000)    OrRd_r: low values dark red
//	"neutral"       (population density)    YlGnBu: high values dark blue, no judgement
//	"diverging"     (ratio to a reference)  PuOr:   orange below, purple above, both
//	                                        ends equally strong, no side marked bad
//
// # References
//
//   - Brewer, C. A., Harrower, M. and The Pennsylvania State University.
//     ColorBrewer 2.0, https://colorbrewer2.org. Colour specifications and designs
//     developed by Cynthia Brewer; Apache-style licence, which asks for this
//     acknowledgement: "This product includes color specifications and designs
//     developed by Cynthia Brewer (http://colorbrewer.org/)."
//   - Fisher, W. D. (1958). On grouping for maximum homogeneity. Journal of the
//     American Statistical Association 53(284), 789–798.
//   - Grønlund, A., Larsen, K. G., Mathiasen, A., Nielsen, J. S., Schneider, S. and
//     Song, M. (2017). Fast exact k-means, k-medians and Bregman divergence
//     clustering in 1D. arXiv:1701.07204.
//   - Harrower, M. and Brewer, C. A. (2003). ColorBrewer.org: an online tool for
//     selecting colour schemes for maps. The Cartographic Journal 40(1), 27–37.
//   - Jenks, G. F. (1977). Optimal data classification for choropleth maps.
//     Occasional paper no. 2, Department of Geography, University of Kansas.
//   - Jiang, B. (2013). Head/tail breaks: a new classification scheme for data with
//     a heavy-tailed distribution. The Professional Geographer 65(3), 482–494.
package classify
