package importer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// Values of the boundary_source property that OSMBoundaries writes and
// Boundaries reads: where a unit's outline comes from.
const (
	BoundaryFromRelation     = "osm_relation"   // a boundary=administrative relation, rings assembled from its ways
	BoundaryFromExtractBound = "extract_bounds" // the extract's bounding box: a stand-in, not a border
)

// OSMBoundaryOptions configures OSMBoundaries.
type OSMBoundaryOptions struct {
	// AdminLevel is the admin_level of the relations wanted: 2 is a country,
	// 4 usually a region; the levels of each country are on the OSM wiki
	// page "Tag:boundary=administrative".
	AdminLevel int
	// BoundsFallback writes the extract's bounding box (the PBF header's
	// bbox) as the one unit when no relation of the level is complete in the
	// extract. The feature says so in boundary_source, and Boundaries warns.
	BoundsFallback bool
}

// OSMBoundaryResult is what OSMBoundaries found: the units, as a GeoJSON
// FeatureCollection that Boundaries reads, and the relations of the level
// it left out because the extract holds only part of them.
type OSMBoundaryResult struct {
	Features   *geojson.FeatureCollection
	Incomplete []string // "relation 2202162 (France): 1443 of 1467 member ways are not in the extract"
	FromBounds bool     // Features is the extract's bounding box (BoundsFallback)
}

// OSMBoundaries assembles the boundary=administrative relations of one
// admin_level in an OpenStreetMap PBF extract into polygons. The member ways
// of role outer (or no role, as older relations have) and inner are joined
// into rings where they share an end node — by node id, as OSM topology is,
// not by coordinates — and each inner ring goes into the outer ring that
// contains it. A relation whose ways or nodes are cut off by the extract, or
// whose rings do not close, cannot be a border: it is left out and listed.
//
// github.com/paulmach/osm/osmgeojson also builds multipolygons, but it joins
// by coordinates, drops rings that do not close without saying so, and wants
// the whole extract in memory as an osm.OSM; here the file is read three
// times (relations, then their ways, then their nodes) keeping only what the
// wanted relations use.
//
// Each feature has: name, name_en (name:en, else name), name_ru, name_kk
// (from name:ru, name:kk), code (ISO3166-1 for a country, else ISO3166-2,
// else ref, else "osm-relation-<id>"), ISO_3166_2, admin_level, osm_id and
// boundary_source.
func OSMBoundaries(ctx context.Context, file string, o OSMBoundaryOptions) (*OSMBoundaryResult, error) {
	if o.AdminLevel < 1 || o.AdminLevel > 12 {
		return nil, invalid(file, "admin level %d: want 1 to 12 (2 is a country)", o.AdminLevel)
	}
	level := strconv.Itoa(o.AdminLevel)
	// Pass 1: the relations of the level, and the header's bounding box.
	var rels []*osm.Relation
	var bounds *osm.Bounds
	err := scanPBF(ctx, file, func(sc *osmpbf.Scanner) {
		sc.SkipNodes, sc.SkipWays = true, true
	}, func(sc *osmpbf.Scanner) error {
		h, err := sc.Header()
		if err != nil {
			return err
		}
		bounds = h.Bounds
		return nil
	}, func(obj osm.Object) {
		r, ok := obj.(*osm.Relation)
		if !ok || r.Tags.Find("boundary") != "administrative" || r.Tags.Find("admin_level") != level {
			return
		}
		if t := r.Tags.Find("type"); t != "boundary" && t != "multipolygon" {
			return
		}
		rels = append(rels, r)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rels, func(a, b *osm.Relation) int { return int(a.ID - b.ID) })
	// Pass 2: the member ways, as node id lists. The scanner's filters run in
	// its decoding goroutines, so they read sets that nothing writes meanwhile.
	wantWays := map[osm.WayID]bool{}
	for _, r := range rels {
		for _, m := range r.Members {
			if ringRole(m) {
				wantWays[osm.WayID(m.Ref)] = true
			}
		}
	}
	ways := map[osm.WayID][]osm.NodeID{}
	if len(wantWays) > 0 {
		err = scanPBF(ctx, file, func(sc *osmpbf.Scanner) {
			sc.SkipNodes, sc.SkipRelations = true, true
			sc.FilterWay = func(w *osm.Way) bool { return wantWays[w.ID] }
		}, nil, func(obj osm.Object) {
			if w, ok := obj.(*osm.Way); ok {
				ids := make([]osm.NodeID, len(w.Nodes))
				for i, n := range w.Nodes {
					ids[i] = n.ID
				}
				ways[w.ID] = ids
			}
		})
		if err != nil {
			return nil, err
		}
	}
	// Pass 3: the coordinates of those ways' nodes.
	wantNodes := map[osm.NodeID]bool{}
	for _, ids := range ways {
		for _, id := range ids {
			wantNodes[id] = true
		}
	}
	coords := make(map[osm.NodeID]orb.Point, len(wantNodes))
	if len(wantNodes) > 0 {
		err = scanPBF(ctx, file, func(sc *osmpbf.Scanner) {
			sc.SkipWays, sc.SkipRelations = true, true
			sc.FilterNode = func(n *osm.Node) bool { return wantNodes[n.ID] }
		}, nil, func(obj osm.Object) {
			if n, ok := obj.(*osm.Node); ok {
				coords[n.ID] = orb.Point{n.Lon, n.Lat}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	res := &OSMBoundaryResult{Features: geojson.NewFeatureCollection()}
	for _, r := range rels {
		mp, err := assembleRelation(r, ways, coords)
		if err != nil {
			res.Incomplete = append(res.Incomplete, fmt.Sprintf("relation %d (%s): %v", r.ID, r.Tags.Find("name"), err))
			continue
		}
		res.Features.Append(relationFeature(r, mp))
	}
	if len(res.Features.Features) > 0 {
		return res, nil
	}
	why := fmt.Sprintf("no boundary=administrative relation of admin_level %d in the extract", o.AdminLevel)
	if len(rels) > 0 {
		why = fmt.Sprintf("none of the %d boundary=administrative relations of admin_level %d is complete in the extract (the extract cuts their member ways off)", len(rels), o.AdminLevel)
	}
	if !o.BoundsFallback {
		return res, invalid(file, "%s; ask for the extract's bounding box as a stand-in boundary with --bounds-fallback, or use a larger extract", why)
	}
	if bounds == nil {
		return res, invalid(file, "%s, and the file's header has no bounding box for --bounds-fallback", why)
	}
	res.FromBounds = true
	f := geojson.NewFeature(orb.Polygon{orb.Bound{Min: orb.Point{bounds.MinLon, bounds.MinLat}, Max: orb.Point{bounds.MaxLon, bounds.MaxLat}}.ToRing()})
	f.Properties["name"] = "extract bounds"
	f.Properties["name_en"] = "Extract bounds"
	f.Properties["code"] = "extract"
	f.Properties["boundary_source"] = BoundaryFromExtractBound
	f.Properties["note"] = why + "; this rectangle is the extract's bounding box, not an administrative boundary"
	res.Features.Append(f)
	return res, nil
}

// ringRole says whether a relation member is a way of the outline.
func ringRole(m osm.Member) bool {
	return m.Type == osm.TypeWay && (m.Role == "outer" || m.Role == "inner" || m.Role == "")
}

// scanPBF reads the file once with a scanner set up by setup; header, when not
// nil, is called before the first object.
func scanPBF(ctx context.Context, file string, setup func(*osmpbf.Scanner), header func(*osmpbf.Scanner) error, each func(osm.Object)) error {
	f, err := os.Open(file)
	if err != nil {
		return invalid(file, "%v", err)
	}
	defer f.Close()
	if err := sniffPBF(file, f); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return invalid(file, "%v", err)
	}
	sc := osmpbf.New(ctx, bufio.NewReaderSize(f, 1<<20), runtime.GOMAXPROCS(0))
	defer sc.Close()
	setup(sc)
	if header != nil {
		if err := header(sc); err != nil {
			return invalid(file, "OSM PBF header: %v", err)
		}
	}
	for sc.Scan() {
		each(sc.Object())
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return invalid(file, "truncated: the file ends inside a data block (an incomplete download?)")
		}
		return invalid(file, "corrupt OSM PBF data after byte %d: %v", sc.FullyScannedBytes(), err)
	}
	return nil
}

// assembleRelation joins a relation's outer and inner ways into polygons, or
// says why the extract does not hold the whole outline.
func assembleRelation(r *osm.Relation, ways map[osm.WayID][]osm.NodeID, coords map[osm.NodeID]orb.Point) (orb.MultiPolygon, error) {
	var outer, inner [][]osm.NodeID
	missing, total := 0, 0
	var firstMissing osm.WayID
	for _, m := range r.Members {
		if !ringRole(m) {
			continue
		}
		total++
		ids := ways[osm.WayID(m.Ref)]
		if len(ids) == 0 {
			if missing == 0 {
				firstMissing = osm.WayID(m.Ref)
			}
			missing++
			continue
		}
		if m.Role == "inner" {
			inner = append(inner, ids)
		} else {
			outer = append(outer, ids)
		}
	}
	switch {
	case total == 0:
		return nil, errors.New("no member ways of role outer or inner")
	case missing > 0:
		return nil, fmt.Errorf("%d of %d member ways are not in the extract (the first: way %d)", missing, total, firstMissing)
	case len(outer) == 0:
		return nil, errors.New("no outer ways, only inner ones")
	}
	outerRings, err := joinRings(outer, coords)
	if err != nil {
		return nil, fmt.Errorf("outer ways: %w", err)
	}
	innerRings, err := joinRings(inner, coords)
	if err != nil {
		return nil, fmt.Errorf("inner ways: %w", err)
	}
	mp := make(orb.MultiPolygon, len(outerRings))
	for i, ring := range outerRings {
		if ring.Orientation() != orb.CCW {
			ring.Reverse()
		}
		mp[i] = orb.Polygon{ring}
	}
	// The smallest outer ring that holds an inner one is its polygon: an
	// island inside a lake inside the country holds nothing of the lake.
	for i, ring := range innerRings {
		best := -1
		for j, p := range mp {
			if planar.RingContains(p[0], ring[0]) && (best < 0 || planar.Area(p[0]) < planar.Area(mp[best][0])) {
				best = j
			}
		}
		if best < 0 {
			return nil, fmt.Errorf("inner ring %d (from node %v) lies in no outer ring", i, ring[0])
		}
		if ring.Orientation() != orb.CW {
			ring.Reverse()
		}
		mp[best] = append(mp[best], ring)
	}
	return mp, nil
}

// joinRings joins ways into closed rings where they share an end node: a
// closed way is a ring by itself; an open one is extended, at its last node,
// by a way that starts or ends there (reversed when it ends there), until the
// ring returns to its first node.
func joinRings(ways [][]osm.NodeID, coords map[osm.NodeID]orb.Point) ([]orb.Ring, error) {
	ends := map[osm.NodeID][]int{} // end node -> ways that start or end there
	for i, w := range ways {
		ends[w[0]] = append(ends[w[0]], i)
		ends[w[len(w)-1]] = append(ends[w[len(w)-1]], i)
	}
	used := make([]bool, len(ways))
	var rings []orb.Ring
	for i := range ways {
		if used[i] {
			continue
		}
		used[i] = true
		chain := slices.Clone(ways[i])
		for chain[0] != chain[len(chain)-1] {
			last := chain[len(chain)-1]
			next := -1
			for _, j := range ends[last] {
				if !used[j] {
					next = j
					break
				}
			}
			if next < 0 {
				return nil, fmt.Errorf("ring does not close: it stops at node %d, which no other member way continues", last)
			}
			used[next] = true
			w := ways[next]
			if w[0] != last {
				w = slices.Clone(w)
				slices.Reverse(w)
			}
			chain = append(chain, w[1:]...)
		}
		if len(chain) < 4 {
			return nil, fmt.Errorf("ring through node %d has %d nodes: a ring needs at least 4", chain[0], len(chain))
		}
		ring := make(orb.Ring, len(chain))
		for k, id := range chain {
			p, ok := coords[id]
			if !ok {
				return nil, fmt.Errorf("node %d of the outline is not in the extract", id)
			}
			ring[k] = p
		}
		rings = append(rings, ring)
	}
	return rings, nil
}

// relationFeature is the GeoJSON feature of an assembled relation, with the
// properties Boundaries reads.
func relationFeature(r *osm.Relation, mp orb.MultiPolygon) *geojson.Feature {
	var g orb.Geometry = mp
	if len(mp) == 1 {
		g = mp[0]
	}
	f := geojson.NewFeature(g)
	t := r.Tags
	name := t.Find("name")
	set := func(k, v string) {
		if v != "" {
			f.Properties[k] = v
		}
	}
	set("name", name)
	en := t.Find("name:en")
	if en == "" {
		en = name
	}
	set("name_en", en)
	set("name_ru", t.Find("name:ru"))
	set("name_kk", t.Find("name:kk"))
	code := ""
	for _, k := range []string{"ISO3166-1", "ISO3166-1:alpha2", "ISO3166-2", "ref"} {
		if code = t.Find(k); code != "" {
			break
		}
	}
	if code == "" {
		code = fmt.Sprintf("osm-relation-%d", r.ID)
	}
	f.Properties["code"] = code
	set("ISO_3166_2", t.Find("ISO3166-2"))
	f.Properties["admin_level"] = t.Find("admin_level")
	f.Properties["osm_id"] = fmt.Sprintf("relation/%d", r.ID)
	f.Properties["boundary_source"] = BoundaryFromRelation
	return f
}
