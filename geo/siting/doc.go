// Package siting proposes where to build new facilities: the sites, among a
// list of candidates, that bring the most people within a standard (maximal
// covering) or that make the population-weighted trip to the nearest facility
// shortest (p-median). It is pure computation over a route.Graph: no I/O, no
// database. A result is a list of scenario.Project values of kind
// open_facility (Result.Projects), so that it can be saved and evaluated as
// any other scenario. Candidates are the planner's list, or the settlements
// that lack the facility (SitesWithout).
//
// # Coverage and distances
//
// A demand point (a settlement) is covered by a site when the trip from it to
// the site is no longer than the standard (Standard.Limit, or the point's own
// Demand.Limit: the health norms give each settlement a radius by its size).
// Trips are measured as route measures them, from the settlement to the
// facility, over the roads: one search per candidate, run backwards from the
// candidate and stopped at the largest limit (route.Graph.MultiSourceWithin),
// so that its cost is that of the candidate's neighbourhood, not of the
// country. The search minimises the standard's own metric: road length for a
// distance standard, travel time for a time standard. (The compute run and
// scenario evaluation read a settlement's distance along its fastest route,
// which can be a little longer than the shortest; a site that covers a
// settlement here can therefore, rarely, fall just outside in an evaluation.)
//
// Straight-line rule. A pair has no network route when the settlement or the
// site is off the network (farther than access.Options.MaxSnapMetres from any
// road) or they lie on parts of the network that no road joins (different
// weakly connected components). Such a pair is measured by access's
// straight-line rule: the geodesic distance for a distance standard, the
// estimated time of access.Options.Fallback for a time standard. Each site
// says whether it is off the network and how many of its pairs used the rule
// (Pick.OffNetwork, Pick.StraightPairs), so that the result is flagged
// straight-line where it rests on it. Demand already covered by an existing
// facility, by the same rules, counts zero.
//
// # Maximal covering (MaxCover)
//
// Greedy with lazy evaluation: the candidates wait in a priority queue keyed
// by their last known marginal gain (population newly covered); the top is
// re-evaluated when popped and taken only if it still beats the next key.
// Marginal gains of a coverage function only shrink as sites are added
// (submodularity), so a stale key is an upper bound and lazy greedy picks
// exactly what plain greedy picks. For k sites the greedy cover is at least
// (1 − 1/e) ≈ 0.632 of the best possible cover of k sites (Nemhauser, Wolsey
// and Fisher, 1978), and no polynomial algorithm guarantees more unless P = NP
// (Feige, 1998).
//
// With a budget and a cost per site, greedy takes the affordable candidate of
// the highest gain per tenge until nothing more fits, and the answer is the
// better of that and the best single affordable site. This guarantees at least
// ½(1 − 1/e) ≈ 0.316 of the optimum (Khuller, Moss and Naor, 1999); their
// (1 − 1/e) version enumerates every triple of sites first, which is too slow
// at country scale and is not done here.
//
// # p-median (PMedian)
//
// Minimises Σ population × distance to the nearest of the existing facilities
// and the new sites, over k new sites: greedy addition (lazy, as above — the
// saving is submodular too), then vertex substitution in the manner of Teitz
// and Bart (1968): the best exchange of a chosen site for an unchosen
// candidate is made while it lowers the total, until no exchange does (a
// local optimum, with no worst-case guarantee). Exchanges are priced at once
// for every pair from each demand point's nearest and second-nearest open
// facility, as in Whitaker's fast interchange (1983).
//
// The distances come from searches bounded at Problem.Radius (unbounded when
// it is 0 or +Inf, which is exact and costs one full search per candidate).
// With a finite radius a trip longer than it counts as the radius itself: the
// objective is then the total of min(distance, radius), a lower bound of the
// true total that equals it when every settlement is within the radius of its
// facility. A settlement that no facility reaches at all also counts at the
// radius (or is left out of the total with an unbounded search, and counted in
// Result.Unserved).
//
// # Cost of meeting the standards (Cost, CostWithin)
//
// For each of the three standards a compute run checks (access.CheckSRS:
// a school within 3 km by road; a health facility of the level the
// settlement's population requires within its radius, access.LocalRadiusKm;
// a paved road within 1 km for villages of more than 500 people, towns and
// cities), Cost finds projects that bring every failing settlement that can
// be brought up, and the cheapest it can:
//
//   - Schools and health facilities: the candidates are the failing
//     settlements themselves (a school at each one of 50 people or more; a
//     health facility of each one's required level), each reaching, by the
//     bounded network searches MaxCover uses (straight-line where no network
//     joins, flagged), the failing settlements within their limit — a health
//     facility only those that require its level or a lower one. A school
//     costs its places (the table's school size, rural or city) times the
//     cost of a place; a health facility its level's cost.
//   - Roads: one project per failing settlement, paving its access to the
//     nearest paved road. The length is the settlement's paved_road_km, the
//     straight-line (geodesic) distance from the settlement to the nearest
//     paved road that the run measured: a lower bound of the road to pave,
//     which winds. It is priced per kilometre of paving an existing unpaved
//     road when the settlement lies on the network (a road within the
//     snapping distance), else of new asphalt road. Two villages on one
//     access road are priced twice.
//
// The projects are chosen by the greedy algorithm for weighted set cover
// (Chvátal, 1979): take the project of the least cost per newly met person
// until every settlement any project reaches is met. Counting each person as
// an element, the greedy cover costs at most H(m) ≤ 1 + ln m times the
// cheapest cover, m the most people one project brings up; no polynomial
// algorithm does better than (1 − o(1)) ln n unless P = NP (Feige, 1998).
// The standards share no element, so their plans are independent and add.
//
// Population left out, by reason: too small (the standard does not apply to
// the place and nothing is within its reach), no data (the figure cannot be
// measured), beyond reach (no candidate reaches it, not even one in the
// settlement: its trip onto the network and back exceeds the norm), no unit
// cost (the table prices no hospital).
//
// CostWithin spends a budget on the same projects: greedy by newly met
// population per tenge across the standards while projects fit, or the best
// single project when it brings up more — at least ½(1 − 1/e) of the best
// possible (Khuller, Moss and Naor, 1999). Population brought up is summed
// over the standards.
//
// Totals per area: a project's cost counts in the areas of the settlement it
// is at; a settlement brought up (or failing, or left out) in its own: its
// district, oblast, the district's macroregion or agglomeration, and the
// country.
package siting
