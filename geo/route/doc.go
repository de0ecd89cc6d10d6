// Package route is aimaq's road graph and network routing: it turns the road table
// into a compact graph, snaps settlements and facilities onto it, and answers "how far,
// in metres and seconds over the roads, is the nearest facility of a kind" for every
// node at once with one multi-source Dijkstra per facility kind.
//
// It is pure computation: no I/O, no database, no HTTP. Coordinates are WGS84
// longitude/latitude (orb.Point{lon, lat}); lengths are great-circle (haversine)
// metres on orb.EarthRadius; times are seconds.
//
// Direction. Every trip is counted from the settlement to the facility (a child
// walking to school, a patient driving to the clinic). The graph is therefore stored
// as incoming adjacency, and MultiSource runs Dijkstra backwards from the facilities:
// Field.Cost[v] is the cost of travelling from node v to its nearest facility, which
// is what one-way streets must respect.
//
// Memory. The graph keeps float32 weights and coordinates in flat arrays (compressed
// sparse rows, no pointers), about 26 bytes per directed edge with node arrays and
// road geometry included, so a country-scale network of a million nodes fits in tens
// of megabytes and stays in cache-friendly order. Path sums are float64, so costs
// computed here match another engine loaded with the same float32 weights (see
// Graph.EdgeList) to far better than 1e-6 relative.
package route
