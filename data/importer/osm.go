package importer

import (
	"bufio"
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

var (
	sqlOSMStageSettlements = mustSQL("osm_stage_settlements.sql")
	sqlOSMKeepPopulation   = mustSQL("osm_keep_population.sql")
	sqlOSMClipSettlements  = mustSQL("osm_clip_settlements.sql")
	sqlOSMMergeSettlements = mustSQL("osm_merge_settlements.sql")
	sqlRoadsDroppedClasses = mustSQL("roads_dropped_classes.sql")
)

// OSMSource is the source of every row the OpenStreetMap import writes; ids are
// "node/<id>" and "way/<id>", as in the settlements GeoJSON.
const OSMSource = "osm"

// DefaultRoadClasses are the highway=* values the OpenStreetMap import keeps as
// roads: everything a car can use to reach a settlement, down to field tracks,
// which in the steppe are often the only way in, and ferries (route=ferry ways,
// class route.FerryClass). Footways, paths, cycleways and roads under
// construction are left out.
var DefaultRoadClasses = []string{
	"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
	"secondary", "secondary_link", "tertiary", "tertiary_link",
	"unclassified", "residential", "living_street", "service", "track", route.FerryClass,
}

// OSMOptions configures Importer.OSM.
type OSMOptions struct {
	// RoadClasses are the highway=* values kept as roads; empty means DefaultRoadClasses.
	RoadClasses []string
	// ReplaceRoads allows RoadClasses to leave out classes that roads already
	// imported from OpenStreetMap have, deleting those roads. Without it such
	// an import is refused: `--road-classes motorway` meant as a filter would
	// otherwise silently replace the whole network with the motorways.
	ReplaceRoads bool
}

// settlementPlaces are the place=* values imported as settlements, the same set
// the settlements GeoJSON holds. place=locality names an uninhabited spot and
// place=suburb/neighbourhood a part of a settlement: neither is a settlement.
var settlementPlaces = map[string]bool{"city": true, "town": true, "village": true, "hamlet": true, "isolated_dwelling": true}

// OSM imports an OpenStreetMap PBF extract (for Kazakhstan the Geofabrik file
// asia/kazakhstan-latest.osm.pbf: `aimaq import osm kazakhstan-latest.osm.pbf`)
// in one transaction:
//
//   - roads: highway=* ways of the kept classes (OSMOptions.RoadClasses) and
//     route=ferry ways (class route.FerryClass, never paved, counted) that are
//     open to cars (closedToCars: access=private|no and the like are left out
//     and counted), with class, surface, paved (SurfacePaved; assumed from the
//     class when the surface is not tagged, and stored as paved_assumed),
//     maxspeed_kmh from maxspeed (ParseMaxspeed; the graph caps it by the
//     class speed, route.Speeds), oneway (OSMOneway; oneway=-1 ways are stored
//     reversed, so a one-way road always runs in its digitised direction) and
//     node_ids, the OSM node id of every vertex, by which the graph joins
//     roads (route.Build);
//   - facilities: nodes, ways and multipolygon relations that ClassifyFacility
//     recognises (the ones it leaves out are counted by reason); a way becomes
//     the mean of its distinct node coordinates, a relation the mean of its
//     outer ways' distinct nodes. Objects of one kind that make one site are
//     one facility (dedupeSites: inside the same campus polygon, or within
//     sameSiteMetres with the same name); the report counts the merged ones.
//     Other facility relations (type=site and the like) are counted, not
//     imported. Facilities outside the country boundary, when there is one,
//     are left out;
//   - settlements: place=city|town|village|hamlet|isolated_dwelling nodes,
//     merged by OSM id with the settlements already imported (same source and
//     ids as Settlements): a known place keeps its id and takes the extract's
//     names, place type, location and tagged population (an untagged one keeps
//     its population); a new place inside the country is inserted, its missing
//     population estimated as Settlements does. Places absent from the extract
//     are kept, since an extract may cover only a region.
//
// Roads and facilities of source "osm" are replaced: the ones not in the file
// are deleted. Road classes that would leave out classes of roads already
// imported are refused unless OSMOptions.ReplaceRoads. The file is read twice
// and never held in memory: the first pass collects the ids of the nodes the
// kept ways use, the second keeps only those nodes' coordinates (16 bytes a
// node) and streams the roads into COPY. When the file has facility
// multipolygons, their member ways are read in a pass between the two (pass
// 1b, ways only), since relations come after the ways they use. The report
// gives the peak memory. A file that is not a PBF, or is truncated,
// is an errs.Invalid error naming it, and nothing changes.
func (im *Importer) OSM(ctx context.Context, file string, o OSMOptions) (*Report, error) {
	run, err := newOSMRun(im, file, o)
	if err != nil {
		return nil, err
	}
	// Checked before the long first pass, and again under the import lock.
	if err := im.checkRoadClasses(ctx, run); err != nil {
		return nil, err
	}
	if err := run.collect(ctx); err != nil {
		return nil, err
	}
	return im.inTx(ctx, "osm", file, nil, func(tx pgx.Tx, runID int64, rep *Report) error {
		// inTx hashes content it is given; a PBF is streamed, so its hash comes from pass 1.
		if _, err := tx.Exec(ctx, `UPDATE import_run SET sha256 = $2 WHERE id = $1`, runID, run.sha256); err != nil {
			return err
		}
		if err := run.checkDroppedClasses(ctx, tx); err != nil {
			return err
		}
		src := &osmRoadSource{run: run, ctx: ctx}
		if err := src.open(); err != nil {
			return err
		}
		defer src.close()
		roads, err := loadRoads(ctx, tx, runID, OSMSource, src)
		if src.err != nil {
			return src.err
		}
		if err != nil {
			return fmt.Errorf("import osm %s: roads: %w", file, err)
		}
		run.relationFacilities()
		run.mem.sample()
		run.ids, run.lat, run.lon = nil, nil, nil // the node coordinates are no longer needed
		im.logf("osm: %d roads written (%d ferries)\n", roads, run.ferries)
		found := len(run.facilities)
		byKind := map[string]int{}
		for _, f := range run.facilities {
			byKind[f.kind]++
		}
		run.facilities = dedupeSites(run.facilities, run.areas)
		run.areas = nil
		for _, f := range run.facilities {
			byKind[f.kind]--
		}
		facilities, clipped, err := loadFacilities(ctx, tx, runID, OSMSource, run.facilities, true)
		if err != nil {
			return fmt.Errorf("import osm %s: facilities: %w", file, err)
		}
		rep.Clipped += clipped
		im.logf("osm: %d facilities written, %d outside the country left out\n", facilities, clipped)
		places, err := run.mergeSettlements(ctx, tx, runID, rep)
		if err != nil {
			return fmt.Errorf("import osm %s: settlements: %w", file, err)
		}
		rep.Rows = roads + facilities + places
		rep.Warnings = append(rep.Warnings, run.warnings.list()...)
		rep.Counts = map[string]int{"roads": roads, "facilities": facilities, "settlements": places,
			"ferries": run.ferries, "facilities_found": found, "facilities_merged_same_site": found - len(run.facilities),
			"facility_multipolygons": run.multipolygons,
			"ways_missing_nodes":     run.truncatedWays, "facility_relations_skipped": run.skippedRelations, "node_coordinates_kept": run.nodesKept,
			"left_out_private_or_no_access_roads":    int(run.closedRoads.Load()),
			"roads_surface_not_tagged_assumed_paved": run.assumedPaved, "roads_surface_not_tagged_assumed_unpaved": run.assumedUnpaved}
		for kind, n := range byKind {
			if n > 0 {
				rep.Counts["facilities_merged_same_site_"+kind] = n
			}
		}
		for reason, n := range run.leftOutFacilities {
			rep.Counts["left_out_facilities_"+reason] = n
		}
		rep.Memory = &Memory{HeapInuseMiB: mib(run.mem.heapInuse), SysMiB: mib(run.mem.sys), LiveMiB: mib(run.mem.live)}
		return nil
	})
}

// checkRoadClasses runs checkDroppedClasses in a short transaction of its own.
func (im *Importer) checkRoadClasses(ctx context.Context, run *osmRun) error {
	if run.replaceRoads {
		return nil
	}
	tx, err := im.db.Begin(ctx)
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, "import osm: database")
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only
	return run.checkDroppedClasses(ctx, tx)
}

// checkDroppedClasses refuses, unless OSMOptions.ReplaceRoads, an import whose
// road classes leave out classes of roads already imported from OpenStreetMap:
// the import replaces the source's roads, so those roads would be deleted.
func (o *osmRun) checkDroppedClasses(ctx context.Context, tx pgx.Tx) error {
	if o.replaceRoads {
		return nil
	}
	kept := make([]string, 0, len(o.classes))
	for c := range o.classes {
		kept = append(kept, c)
	}
	rows, err := tx.Query(ctx, sqlRoadsDroppedClasses, OSMSource, kept)
	if err != nil {
		return err
	}
	var parts []string
	total := 0
	for rows.Next() {
		var class string
		var n int
		if err := rows.Scan(&class, &n); err != nil {
			rows.Close()
			return err
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, class))
		total += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if total == 0 {
		return nil
	}
	return invalid(o.file, "road classes (--road-classes) leave out roads imported earlier from OpenStreetMap: "+
		"the import would delete %d of them (%s); add --replace-roads to replace the road network with these classes only, "+
		"or keep those classes", total, strings.Join(parts, ", "))
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// osmRun is the state of one OpenStreetMap import between its two passes.
type osmRun struct {
	im      *Importer
	file    string
	size    int64
	classes map[string]bool
	sha256  string
	// replaceRoads is OSMOptions.ReplaceRoads.
	replaceRoads bool

	// ids is the sorted set of node ids the kept ways use; lat and lon are
	// their coordinates in 1e-7 degrees (OSM's own precision), noCoord until
	// seen. All three are dropped once the roads are written.
	ids       []int64
	lat, lon  []int32
	nodesKept int

	facilities []facilityRow
	// areas is the polygon of each facility mapped as a closed way or a
	// multipolygon, nil for the others: dedupeSites merges what lies inside.
	areas            []orb.MultiPolygon
	places           []placeRow
	skippedRelations int
	truncatedWays    int
	// relations are the facility multipolygons pass 1 found; memberNodes the
	// node ids of their member ways, read in pass 1b.
	relations     []facilityRelation
	memberNodes   map[int64][]int64
	multipolygons int
	ferries       int
	// closedRoads counts the ways of a kept class left out by closedToCars;
	// pass 1 counts them in the decoder goroutines.
	closedRoads atomic.Int64
	// leftOutFacilities counts the elements tagged as a school or health
	// facility that ClassifyFacility leaves out, by its reason.
	leftOutFacilities map[string]int
	// assumedPaved and assumedUnpaved count the roads whose paved flag
	// AssumedPaved assumed.
	assumedPaved, assumedUnpaved int
	warnings                     warnings
	mem                          memPeak
}

const noCoord = math.MinInt32

type placeRow struct {
	sourceID                string
	name, kk, ru, en, place string
	pop                     int
	pt                      orb.Point
	tags                    map[string]string
}

func newOSMRun(im *Importer, file string, o OSMOptions) (*osmRun, error) {
	classes := o.RoadClasses
	if len(classes) == 0 {
		classes = DefaultRoadClasses
	}
	run := &osmRun{im: im, file: file, classes: map[string]bool{}, replaceRoads: o.ReplaceRoads}
	for _, c := range classes {
		c = strings.TrimSpace(c)
		if c == "" {
			return nil, invalid(file, "road classes (--road-classes): empty class name in %q", strings.Join(classes, ","))
		}
		run.classes[c] = true
	}
	st, err := os.Stat(file)
	if err != nil {
		return nil, invalid(file, "%v", err)
	}
	run.size = st.Size()
	return run, nil
}

// isRoad reports whether a way is a kept road: a kept class, not an area, and
// open to cars (closedToCars). It runs in the decoder goroutines.
func (o *osmRun) isRoad(tags osm.Tags) bool {
	return o.isClassed(tags) && !closedToCars(tags)
}

// isClassed reports whether a way is of a kept road class and not an area.
func (o *osmRun) isClassed(tags osm.Tags) bool {
	c := roadClass(tags)
	return c != "" && o.classes[c] && tags.Find("area") != "yes"
}

// roadClass is the class of a way as a road: its highway=* value, else
// route.FerryClass for a route=ferry way, else "".
func roadClass(tags osm.Tags) string {
	if h := tags.Find("highway"); h != "" {
		return h
	}
	if tags.Find("route") == "ferry" {
		return route.FerryClass
	}
	return ""
}

// carAccessKeys are the OSM access keys that apply to a car, the most specific
// first: the first one tagged decides (the OSM wiki's access hierarchy,
// https://wiki.openstreetmap.org/wiki/Key:access#Transport_mode_restrictions,
// access > vehicle > motor_vehicle > motorcar).
var carAccessKeys = []string{"motorcar", "motor_vehicle", "vehicle", "access"}

// closedToCars reports whether a road is closed to the public in a car:
// the most specific of carAccessKeys that is tagged says no or private. Such
// roads (private driveways, closed gates, company and military roads) cannot
// be used to reach a school or a clinic, so routing over them would invent
// access. Only "no" and "private" close a road: destination, customers,
// delivery, permissive, agricultural and forestry are left open, because a
// field track tagged agricultural is often the only way into a village and
// leaving those out would cut villages off on evidence that is not about
// residents. A more specific key reopens a road: access=no with
// motor_vehicle=yes is open to cars.
func closedToCars(tags osm.Tags) bool {
	for _, k := range carAccessKeys {
		v := tags.Find(k)
		if v == "" {
			continue
		}
		v = strings.ToLower(strings.TrimSpace(v))
		if i := strings.IndexByte(v, ';'); i >= 0 { // "private;delivery": the first value
			v = v[:i]
		}
		return v == "no" || v == "private"
	}
	return false
}

// facilityTagged is a cheap pre-check before FacilityKind.
func facilityTagged(tags osm.Tags) bool {
	switch tags.Find("amenity") {
	case "school", "kindergarten", "hospital", "clinic", "doctors":
		return true
	}
	return tags.Find("healthcare") != ""
}

// sniffPBF checks that the file starts with an OSMHeader block, so that a file
// that is not a PBF at all is told apart from a truncated one.
func sniffPBF(file string, r io.Reader) error {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return invalid(file, "not an OSM PBF file: it is only a few bytes long")
	}
	n := binary.BigEndian.Uint32(size[:])
	const want = "\x0a\x09OSMHeader" // BlobHeader field 1 (type), a 9-byte string
	if n < uint32(len(want)) || n >= 64<<10 {
		return invalid(file, "not an OSM PBF file: it does not start with an OSMHeader block")
	}
	head := make([]byte, len(want))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != want {
		return invalid(file, "not an OSM PBF file: it does not start with an OSMHeader block")
	}
	return nil
}

// scanErr turns a scanner error into a message about the file.
func (o *osmRun) scanErr(ctx context.Context, err error, sc *osmpbf.Scanner) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return invalid(o.file, "truncated at byte %d: the file ends inside a data block (an incomplete download?)", o.size)
	}
	return invalid(o.file, "corrupt OSM PBF data after byte %d: %v", sc.FullyScannedBytes(), err)
}

func (o *osmRun) openScanner(ctx context.Context, h io.Writer) (*osmpbf.Scanner, *os.File, error) {
	f, err := os.Open(o.file)
	if err != nil {
		return nil, nil, invalid(o.file, "%v", err)
	}
	if err := sniffPBF(o.file, f); err != nil {
		f.Close()
		return nil, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	var r io.Reader = bufio.NewReaderSize(f, 1<<20)
	if h != nil {
		r = io.TeeReader(r, h)
	}
	return osmpbf.New(ctx, r, runtime.GOMAXPROCS(0)), f, nil
}

// collect is pass 1: it validates the whole file, hashes it and collects the
// ids of the nodes that kept ways use, before any transaction starts.
func (o *osmRun) collect(ctx context.Context) error {
	h := sha256.New()
	sc, f, err := o.openScanner(ctx, h)
	if err != nil {
		return err
	}
	defer f.Close()
	var nWays, nRels atomic.Int64
	sc.SkipNodes = true
	sc.FilterWay = func(w *osm.Way) bool {
		nWays.Add(1)
		if o.isClassed(w.Tags) && closedToCars(w.Tags) {
			o.closedRoads.Add(1)
		}
		return o.isRoad(w.Tags) || facilityTagged(w.Tags)
	}
	sc.FilterRelation = func(r *osm.Relation) bool {
		nRels.Add(1)
		return facilityTagged(r.Tags)
	}
	p := o.progress("pass 1/2", nil, &nWays, &nRels)
	var ids idSet
	for sc.Scan() {
		switch e := sc.Object().(type) {
		case *osm.Way:
			for _, n := range e.Nodes {
				ids.add(int64(n.ID))
			}
		case *osm.Relation:
			o.relation(e)
		}
		if p.tick() {
			o.mem.sample()
		}
	}
	err = sc.Err()
	sc.Close() // waits for the reading goroutine, so the hash is complete
	if err != nil {
		return o.scanErr(ctx, err, sc)
	}
	p.done()
	o.mem.sample()
	runtime.GC() // the decoder's buffers (32 MiB and more) are garbage now: keep them out of pass 2's peak
	if err := o.readMembers(ctx, &ids); err != nil {
		return err
	}
	o.ids = ids.sorted()
	o.nodesKept = len(o.ids)
	o.sha256 = hex.EncodeToString(h.Sum(nil))
	o.mem.sample()
	return nil
}

// facilityRelation is a facility mapped as a multipolygon relation: its tags
// and the ids of its outer member ways.
type facilityRelation struct {
	id    int64
	tags  osm.Tags
	outer []int64
}

// relation keeps a facility multipolygon for pass 1b; another relation that
// is a facility (type=site, say) is counted as skipped.
func (o *osmRun) relation(r *osm.Relation) {
	if r.Tags.Find("type") != "multipolygon" {
		if _, ok := FacilityKind(r.Tags.Map()); ok {
			o.skippedRelations++
		}
		return
	}
	fr := facilityRelation{id: int64(r.ID), tags: slices.Clone(r.Tags)}
	for _, m := range r.Members {
		// An outer ring is role "outer"; old multipolygons leave the role empty.
		if m.Type == osm.TypeWay && (m.Role == "outer" || m.Role == "") {
			fr.outer = append(fr.outer, m.Ref)
		}
	}
	o.relations = append(o.relations, fr)
}

// readMembers is pass 1b: it reads the node ids of the facility
// multipolygons' member ways, which pass 1 saw before it knew it needed them,
// and adds them to the node ids whose coordinates pass 2 keeps. Only ways are
// decoded; it stops at the first relation.
func (o *osmRun) readMembers(ctx context.Context, ids *idSet) error {
	if len(o.relations) == 0 {
		return nil
	}
	want := map[int64]bool{}
	for _, r := range o.relations {
		for _, w := range r.outer {
			want[w] = true
		}
	}
	sc, f, err := o.openScanner(ctx, nil)
	if err != nil {
		return err
	}
	defer f.Close()
	defer sc.Close()
	var nWays atomic.Int64
	sc.SkipNodes = true
	sc.FilterWay = func(w *osm.Way) bool {
		nWays.Add(1)
		return want[int64(w.ID)] // read only: safe in the decoder goroutines
	}
	sc.FilterRelation = func(*osm.Relation) bool { return true }
	p := o.progress("pass 1b/2", nil, &nWays, nil)
	o.memberNodes = map[int64][]int64{}
scan:
	for sc.Scan() {
		switch e := sc.Object().(type) {
		case *osm.Way:
			nodes := make([]int64, len(e.Nodes))
			for i, n := range e.Nodes {
				nodes[i] = int64(n.ID)
				ids.add(int64(n.ID))
			}
			o.memberNodes[int64(e.ID)] = nodes
		case *osm.Relation:
			break scan // the ways are all read
		}
		if p.tick() {
			o.mem.sample()
		}
	}
	if err := sc.Err(); err != nil {
		return o.scanErr(ctx, err, sc)
	}
	p.done()
	o.mem.sample()
	return nil
}

// relationFacilities turns the facility multipolygons into facilities, once
// pass 2 has read the coordinates of their member ways' nodes: the point is the
// mean of the outer ways' distinct located nodes, and the outer rings, when
// the member ways close into rings, are the campus polygon dedupeSites uses
// (holes are not subtracted: a building in a campus's courtyard is still on
// the site).
func (o *osmRun) relationFacilities() {
	for _, r := range o.relations {
		elem := fmt.Sprintf("relation %d", r.id)
		seen := map[int64]bool{}
		var sx, sy float64
		n := 0
		var ways [][]int64
		for _, w := range r.outer {
			nodes, ok := o.memberNodes[w]
			if !ok {
				continue // outside the extract
			}
			ways = append(ways, nodes)
			for _, id := range nodes {
				if seen[id] {
					continue
				}
				seen[id] = true
				if pt, ok := o.coord(osm.NodeID(id)); ok {
					sx, sy, n = sx+pt[0], sy+pt[1], n+1
				}
			}
		}
		if n == 0 {
			o.warnings.add("geometry", "%s: multipolygon facility without located outer nodes; left out", elem)
			continue
		}
		var area orb.MultiPolygon
		for _, ring := range assembleRings(ways) {
			if lr, ok := o.ringCoords(ring); ok {
				area = append(area, orb.Polygon{lr})
			}
		}
		if o.facility(elem, fmt.Sprintf("relation/%d", r.id), r.tags, orb.Point{sx / float64(n), sy / float64(n)}, area) {
			o.multipolygons++
		}
	}
	o.relations, o.memberNodes = nil, nil
}

// ringCoords is a closed ring of node ids as coordinates; false when a node
// is not located (the extract cut it off).
func (o *osmRun) ringCoords(ids []int64) (orb.Ring, bool) {
	r := make(orb.Ring, 0, len(ids))
	for _, id := range ids {
		pt, ok := o.coord(osm.NodeID(id))
		if !ok {
			return nil, false
		}
		r = append(r, pt)
	}
	return r, len(r) >= 4
}

// assembleRings joins ways (node id lists) end to end into closed rings, as
// a multipolygon's outer ways are drawn: a way may be a ring itself or a piece
// of one, in either direction. Pieces that close no ring are left out.
func assembleRings(ways [][]int64) [][]int64 {
	var rings [][]int64
	used := make([]bool, len(ways))
	for i, w := range ways {
		if used[i] || len(w) < 2 {
			continue
		}
		used[i] = true
		ring := slices.Clone(w)
		for ring[0] != ring[len(ring)-1] {
			end := ring[len(ring)-1]
			found := false
			for j, x := range ways {
				if used[j] || len(x) < 2 {
					continue
				}
				switch end {
				case x[0]:
					ring = append(ring, x[1:]...)
				case x[len(x)-1]:
					for k := len(x) - 2; k >= 0; k-- {
						ring = append(ring, x[k])
					}
				default:
					continue
				}
				used[j], found = true, true
				break
			}
			if !found {
				break
			}
		}
		if ring[0] == ring[len(ring)-1] && len(ring) >= 4 {
			rings = append(rings, ring)
		}
	}
	return rings
}

// idSet collects node ids in chunks of idChunk, each sorted and deduplicated
// when full, and merges them at the end: every id is sorted once, and the
// peak is the deduplicated chunks plus the merged set, never a slice caught
// in the middle of growing.
type idSet struct {
	chunks [][]int64
	cur    []int64
}

const idChunk = 1 << 16 // 512 KiB: the heap merge takes any number of chunks

func (s *idSet) add(id int64) {
	if len(s.cur) == cap(s.cur) {
		s.flush()
		s.cur = make([]int64, 0, idChunk)
	}
	s.cur = append(s.cur, id)
}

func (s *idSet) flush() {
	if len(s.cur) == 0 {
		return
	}
	slices.Sort(s.cur)
	s.chunks = append(s.chunks, slices.Clip(slices.Compact(s.cur)))
	s.cur = nil
}

// sorted returns the merged, deduplicated ids. It merges twice, first only
// counting, so that the result is allocated at its exact size: many nodes are
// shared by ways that land in different chunks.
func (s *idSet) sorted() []int64 {
	s.flush()
	if len(s.chunks) == 1 {
		return s.chunks[0]
	}
	n := 0
	mergeChunks(s.chunks, func(int64) { n++ })
	out := make([]int64, 0, n)
	mergeChunks(s.chunks, func(id int64) { out = append(out, id) })
	s.chunks = nil
	return out
}

// mergeChunks calls emit for every distinct id of the sorted chunks, in order.
func mergeChunks(chunks [][]int64, emit func(int64)) {
	h := make(chunkHeap, 0, len(chunks))
	for _, c := range chunks {
		if len(c) > 0 {
			h = append(h, c)
		}
	}
	heap.Init(&h)
	first, last := true, int64(0)
	for len(h) > 0 {
		if id := h[0][0]; first || id != last {
			emit(id)
			first, last = false, id
		}
		if h[0] = h[0][1:]; len(h[0]) == 0 {
			heap.Pop(&h)
		} else {
			heap.Fix(&h, 0)
		}
	}
}

// chunkHeap orders sorted chunks by their first id.
type chunkHeap [][]int64

func (h chunkHeap) Len() int           { return len(h) }
func (h chunkHeap) Less(i, j int) bool { return h[i][0] < h[j][0] }
func (h chunkHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *chunkHeap) Push(x any)        { *h = append(*h, x.([]int64)) }
func (h *chunkHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// osmRoadSource is pass 2 as a pgx.CopyFromSource: it reads nodes (keeping the
// needed coordinates, settlements and facilities) and yields one row per road
// way, so roads go to COPY without being held in memory.
type osmRoadSource struct {
	run    *osmRun
	ctx    context.Context
	sc     *osmpbf.Scanner
	f      *os.File
	p      *progress
	sawWay bool
	row    []any
	err    error
	nodes  atomic.Int64
	ways   atomic.Int64
}

func (s *osmRoadSource) open() error {
	o := s.run
	o.lat = make([]int32, len(o.ids))
	o.lon = make([]int32, len(o.ids))
	for i := range o.lat {
		o.lat[i] = noCoord
	}
	sc, f, err := o.openScanner(s.ctx, nil)
	if err != nil {
		return err
	}
	s.sc, s.f = sc, f
	sc.SkipRelations = true
	sc.FilterNode = func(n *osm.Node) bool {
		s.nodes.Add(1)
		if _, ok := slices.BinarySearch(o.ids, int64(n.ID)); ok {
			return true
		}
		return len(n.Tags) > 0 && (settlementPlaces[n.Tags.Find("place")] || facilityTagged(n.Tags))
	}
	sc.FilterWay = func(w *osm.Way) bool {
		s.ways.Add(1)
		return o.isRoad(w.Tags) || facilityTagged(w.Tags)
	}
	s.p = o.progress("pass 2/2", &s.nodes, &s.ways, nil)
	return nil
}

func (s *osmRoadSource) close() {
	if s.sc != nil {
		s.sc.Close()
		s.f.Close()
	}
}

func (s *osmRoadSource) Next() bool {
	o := s.run
	for s.sc.Scan() {
		if s.p.tick() {
			o.mem.sample()
		}
		switch e := s.sc.Object().(type) {
		case *osm.Node:
			if s.sawWay {
				s.err = invalid(o.file, "node %d comes after ways: the file is not sorted (sort it with `osmium sort`)", e.ID)
				return false
			}
			o.node(e)
		case *osm.Way:
			s.sawWay = true
			if row, ok := o.way(e); ok {
				s.row = row
				return true
			}
		}
	}
	if err := s.sc.Err(); err != nil {
		s.err = o.scanErr(s.ctx, err, s.sc)
		return false
	}
	s.p.done()
	o.mem.sample()
	return false
}

func (s *osmRoadSource) Values() ([]any, error) { return s.row, nil }
func (s *osmRoadSource) Err() error             { return s.err }

func (o *osmRun) coord(id osm.NodeID) (orb.Point, bool) {
	i, ok := slices.BinarySearch(o.ids, int64(id))
	if !ok || o.lat[i] == noCoord {
		return orb.Point{}, false
	}
	return orb.Point{float64(o.lon[i]) / 1e7, float64(o.lat[i]) / 1e7}, true
}

func (o *osmRun) node(n *osm.Node) {
	if i, ok := slices.BinarySearch(o.ids, int64(n.ID)); ok {
		o.lat[i] = int32(math.Round(n.Lat * 1e7))
		o.lon[i] = int32(math.Round(n.Lon * 1e7))
	}
	if len(n.Tags) == 0 {
		return
	}
	id := fmt.Sprintf("node/%d", n.ID)
	pt := orb.Point{n.Lon, n.Lat}
	if place := n.Tags.Find("place"); settlementPlaces[place] {
		r := placeRow{sourceID: id, name: n.Tags.Find("name"), kk: n.Tags.Find("name:kk"), ru: n.Tags.Find("name:ru"),
			en: n.Tags.Find("name:en"), place: place, pt: pt, tags: n.Tags.Map()}
		if raw := n.Tags.Find("population"); raw != "" {
			p, err := osmPopulation(raw)
			if err != nil {
				o.warnings.add("population", "node %d: field population: %q %v; left out, estimated or kept instead", n.ID, raw, err)
			}
			r.pop = p
		}
		o.places = append(o.places, r)
	}
	if facilityTagged(n.Tags) {
		o.facility(fmt.Sprintf("node %d", n.ID), id, n.Tags, pt, nil)
	}
}

// osmPopulation reads a population tag as readPopulation does, and also a
// number in exponent form ("1e30", "2.5E3"), which readPopulation would cut at
// the "e": such a tag is refused as too large, negative or zero by its value,
// or read when it is a whole number of people.
func osmPopulation(raw string) (int, error) {
	t := strings.TrimSpace(raw)
	if strings.ContainsAny(t, "eE") {
		if v, err := strconv.ParseFloat(t, 64); err == nil {
			switch {
			case v < 0:
				return 0, errPopulationNegative
			case v == 0:
				return 0, errPopulationZero
			case v > MaxPopulation:
				return 0, errPopulationTooLarge
			case v == math.Trunc(v):
				return int(v), nil
			}
			return 0, errPopulationNaN
		}
	}
	return readPopulation(raw)
}

// facility keeps a facility that ClassifyFacility recognises, with its polygon
// when it is mapped as an area, and reports whether it did.
func (o *osmRun) facility(elem, sourceID string, tags osm.Tags, pt orb.Point, area orb.MultiPolygon) bool {
	m := tags.Map()
	kind, leftOut := ClassifyFacility(m)
	if leftOut != "" {
		if o.leftOutFacilities == nil {
			o.leftOutFacilities = map[string]int{}
		}
		o.leftOutFacilities[leftOut]++
	}
	if kind == "" {
		return false
	}
	r := facilityRow{sourceID: sourceID, kind: kind, name: facilityName(m), pt: pt, tags: m}
	if raw := m["capacity"]; raw != "" {
		c, ok := ParsePopulation(raw)
		if ok {
			r.capacity = c
		} else {
			o.warnings.add("capacity", "%s: field capacity: %q is not a number; left empty", elem, raw)
		}
	}
	o.facilities = append(o.facilities, r)
	o.areas = append(o.areas, area)
	return true
}

// facilityName is the name shown for a facility: name, else the Russian, else the Kazakh one.
func facilityName(tags map[string]string) string {
	for _, k := range []string{"name", "name:ru", "name:kk"} {
		if v := strings.TrimSpace(tags[k]); v != "" {
			return v
		}
	}
	return ""
}

// way returns the COPY row of a road way; a facility way is kept aside.
func (o *osmRun) way(w *osm.Way) ([]any, bool) {
	if facilityTagged(w.Tags) {
		o.facilityWay(w)
	}
	if !o.isRoad(w.Tags) {
		return nil, false
	}
	elem := fmt.Sprintf("way %d", w.ID)
	line, nodes, missing := o.longestRun(w.Nodes)
	if missing {
		o.truncatedWays++
	}
	if len(line) < 2 || !slices.ContainsFunc(line[1:], func(p orb.Point) bool { return p != line[0] }) {
		o.warnings.add("geometry", "%s: fewer than 2 distinct located nodes; road left out", elem)
		return nil, false
	}
	class := roadClass(w.Tags)
	oneway, reverse := OSMOneway(w.Tags.Map())
	if reverse {
		line.Reverse()
		slices.Reverse(nodes)
	}
	surface := w.Tags.Find("surface")
	var paved any
	p, known, assumed := roadPaved(surface, class)
	if known {
		paved = p
	}
	if assumed {
		if p {
			o.assumedPaved++
		} else {
			o.assumedUnpaved++
		}
	}
	if class == route.FerryClass {
		o.ferries++
	}
	var maxspeed any
	if raw := w.Tags.Find("maxspeed"); raw != "" {
		if v, ok := ParseMaxspeed(raw); ok {
			maxspeed = v
		} else if !noNumericMaxspeed[strings.ToLower(raw)] {
			o.warnings.add("maxspeed", "%s: field maxspeed: %q is not a speed; left empty", elem, raw)
		}
	}
	g, err := ewkb.Marshal(line, 4326)
	if err != nil {
		o.warnings.add("geometry", "%s: %v", elem, err)
		return nil, false
	}
	return []any{fmt.Sprintf("way/%d", w.ID), class, nullable(surface), paved, assumed, nil, maxspeed, oneway, nullable(w.Tags.Find("name")), nodes, g}, true
}

// longestRun is the way's geometry and the node id of each of its vertices. A
// way cut by the edge of an extract lacks some nodes; it keeps the longest
// stretch of consecutive located nodes rather than joining the pieces with a
// straight line that does not exist. A node repeated in a row is kept once;
// two distinct nodes at one coordinate are both kept, since another road may
// meet either.
func (o *osmRun) longestRun(wn osm.WayNodes) (best orb.LineString, bestIDs []int64, missing bool) {
	var cur orb.LineString
	var ids []int64
	for _, n := range wn {
		pt, ok := o.coord(n.ID)
		if !ok {
			missing = true
			if len(cur) > len(best) {
				best, bestIDs = cur, ids
			}
			cur, ids = nil, nil
			continue
		}
		if len(ids) > 0 && ids[len(ids)-1] == int64(n.ID) {
			continue
		}
		cur = append(cur, pt)
		ids = append(ids, int64(n.ID))
	}
	if len(cur) > len(best) {
		best, bestIDs = cur, ids
	}
	return best, bestIDs, missing
}

// facilityWay keeps a facility mapped as a way at the mean of its distinct
// nodes: the centre of a building or grounds, good enough for distances of
// hundreds of metres and more, and cheap to compute while streaming.
func (o *osmRun) facilityWay(w *osm.Way) {
	nodes := w.Nodes
	if len(nodes) > 1 && nodes[0].ID == nodes[len(nodes)-1].ID {
		nodes = nodes[:len(nodes)-1] // a closed way repeats its first node
	}
	var sx, sy float64
	n := 0
	for _, wn := range nodes {
		if pt, ok := o.coord(wn.ID); ok {
			sx, sy, n = sx+pt[0], sy+pt[1], n+1
		}
	}
	if n == 0 {
		o.warnings.add("geometry", "way %d: facility without located nodes; left out", w.ID)
		return
	}
	var area orb.MultiPolygon
	if len(w.Nodes) >= 4 && w.Nodes[0].ID == w.Nodes[len(w.Nodes)-1].ID {
		ids := make([]int64, len(w.Nodes))
		for i, wn := range w.Nodes {
			ids[i] = int64(wn.ID)
		}
		if r, ok := o.ringCoords(ids); ok {
			area = orb.MultiPolygon{{r}}
		}
	}
	o.facility(fmt.Sprintf("way %d", w.ID), fmt.Sprintf("way/%d", w.ID), w.Tags, orb.Point{sx / float64(n), sy / float64(n)}, area)
}

// mergeSettlements writes the place nodes: known places (same OSM id) are
// updated, new ones inside the country inserted, none deleted.
func (o *osmRun) mergeSettlements(ctx context.Context, tx pgx.Tx, runID int64, rep *Report) (int, error) {
	if len(o.places) == 0 {
		return 0, nil
	}
	// The staging table of Settlements plus tags, so estimatePopulation serves both.
	if _, err := tx.Exec(ctx, sqlOSMStageSettlements); err != nil {
		return 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_settlement"}, []string{"idx", "source_id", "name", "name_kk", "name_ru", "name_en", "place", "population", "g", "tags"},
		pgx.CopyFromSlice(len(o.places), func(i int) ([]any, error) {
			r := o.places[i]
			g, err := ewkb.Marshal(r.pt, 4326)
			if err != nil {
				return nil, err
			}
			var pop any
			if r.pop > 0 {
				pop = r.pop
			}
			return []any{i, r.sourceID, nullable(r.name), nullable(r.kk), nullable(r.ru), nullable(r.en), r.place, pop, g, r.tags}, nil
		})); err != nil {
		return 0, err
	}
	var haveCountry bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM area WHERE level = 'country')`).Scan(&haveCountry); err != nil {
		return 0, err
	}
	// A known place without a population tag keeps the population it has.
	if _, err := tx.Exec(ctx, sqlOSMKeepPopulation, OSMSource); err != nil {
		return 0, err
	}
	// New places are clipped to the country, as Settlements does.
	tag, err := tx.Exec(ctx, sqlOSMClipSettlements, OSMSource)
	if err != nil {
		return 0, err
	}
	if n := int(tag.RowsAffected()); n > 0 {
		rep.Clipped += n
		if !haveCountry {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("settlements: no country boundary to clip to, so %d new places were not imported: import boundaries --level country first", n))
		}
	}
	if _, err := tx.Exec(ctx, sqlSettlementsStageOblasts); err != nil {
		return 0, err
	}
	if err := o.im.estimatePopulation(ctx, tx, rep); err != nil {
		return 0, err
	}
	var inserted, updated int
	err = tx.QueryRow(ctx, sqlOSMMergeSettlements, OSMSource, runID).Scan(&inserted, &updated)
	if err != nil {
		return 0, err
	}
	o.im.logf("osm: settlements: %d updated, %d new, %d populations estimated\n", updated, inserted, rep.Estimated)
	return inserted + updated, nil
}

// warnings collects repeated warnings by topic: a count and the first few examples.
type warnings struct {
	order []string
	n     map[string]int
	ex    map[string][]string
}

const maxExamples = 5

func (w *warnings) add(topic, format string, args ...any) {
	if w.n == nil {
		w.n, w.ex = map[string]int{}, map[string][]string{}
	}
	if w.n[topic] == 0 {
		w.order = append(w.order, topic)
	}
	w.n[topic]++
	if len(w.ex[topic]) < maxExamples {
		w.ex[topic] = append(w.ex[topic], fmt.Sprintf(format, args...))
	}
}

func (w *warnings) list() []string {
	var out []string
	for _, t := range w.order {
		out = append(out, w.ex[t]...)
		if more := w.n[t] - len(w.ex[t]); more > 0 {
			out = append(out, fmt.Sprintf("%s: %d more like these", t, more))
		}
	}
	return out
}

// memPeak records the peak memory seen at the sampling points: the live heap
// (what the import holds), the heap in use (live plus garbage not yet
// collected, up to GOGC more) and the memory obtained from the OS.
type memPeak struct{ live, heapInuse, sys uint64 }

func (m *memPeak) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() == metrics.KindUint64 {
		m.live = max(m.live, live[0].Value.Uint64())
	}
	m.heapInuse = max(m.heapInuse, ms.HeapInuse)
	m.sys = max(m.sys, ms.Sys)
}

// progress prints element counts and rates on a terminal, at most 4 times a second.
type progress struct {
	im                *Importer
	pass              string
	start, last       time.Time
	nodes, ways, rels *atomic.Int64
	calls             int
}

func (o *osmRun) progress(pass string, nodes, ways, rels *atomic.Int64) *progress {
	now := time.Now()
	return &progress{im: o.im, pass: pass, start: now, last: now, nodes: nodes, ways: ways, rels: rels}
}

// tick is called per element; it reports true every 65,536 elements, when it
// is also time to sample memory.
func (p *progress) tick() bool {
	p.calls++
	if p.calls&0xffff != 0 {
		return false
	}
	if p.im.progress != nil && time.Since(p.last) > 250*time.Millisecond {
		p.last = time.Now()
		p.im.logf("\r%s", p.line())
	}
	return true
}

func (p *progress) done() {
	p.im.logf("\r%s\n", p.line())
}

func (p *progress) line() string {
	secs := max(time.Since(p.start).Seconds(), 1e-3)
	var parts []string
	for _, c := range []struct {
		name string
		n    *atomic.Int64
	}{{"nodes", p.nodes}, {"ways", p.ways}, {"relations", p.rels}} {
		if c.n != nil {
			n := c.n.Load()
			parts = append(parts, fmt.Sprintf("%s %d (%.0f/s)", c.name, n, float64(n)/secs))
		}
	}
	return fmt.Sprintf("osm %s: %s", p.pass, strings.Join(parts, ", "))
}

// OSMOneway reads a way's direction: oneway=yes|1|true is one-way,
// oneway=-1|reverse is one-way against the way's direction (reverse is true),
// oneway=no|false|0 is two-way. Without the tag, motorways, motorway links and
// roundabouts (junction=roundabout|circular) are one-way, as OSM implies;
// other values (reversible, alternating) are treated as two-way.
func OSMOneway(tags map[string]string) (oneway, reverse bool) {
	switch strings.ToLower(strings.TrimSpace(tags["oneway"])) {
	case "yes", "1", "true":
		return true, false
	case "-1", "reverse":
		return true, true
	case "":
		switch {
		case tags["highway"] == "motorway", tags["highway"] == "motorway_link",
			tags["junction"] == "roundabout", tags["junction"] == "circular":
			return true, false
		}
	}
	return false, false
}

// pavedSurfaces and unpavedSurfaces classify OSM surface=* values, following
// the OSM wiki's paved/unpaved grouping.
var (
	pavedSurfaces = map[string]bool{
		"paved": true, "asphalt": true, "chipseal": true, "concrete": true, "concrete:plates": true,
		"concrete:lanes": true, "paving_stones": true, "paving_stones:lanes": true, "sett": true,
		"cobblestone": true, "unhewn_cobblestone": true, "bricks": true, "metal": true, "metal_grid": true, "wood": true,
	}
	unpavedSurfaces = map[string]bool{
		"unpaved": true, "compacted": true, "fine_gravel": true, "gravel": true, "pebblestone": true,
		"rock": true, "ground": true, "dirt": true, "earth": true, "grass": true, "grass_paver": true,
		"mud": true, "sand": true, "woodchips": true, "clay": true, "salt": true, "snow": true, "ice": true,
	}
	// assumedPavedClasses and assumedUnpavedClasses are the classes whose paved
	// flag AssumedPaved assumes when the surface is not tagged.
	assumedPavedClasses = map[string]bool{
		"motorway": true, "motorway_link": true, "trunk": true, "trunk_link": true,
		"primary": true, "primary_link": true, "secondary": true, "secondary_link": true,
		"tertiary": true, "tertiary_link": true,
	}
	assumedUnpavedClasses = map[string]bool{
		"unclassified": true, "residential": true, "living_street": true, "service": true,
		"track": true, "road": true,
	}
)

// AssumedPaved is the paved flag of a road whose surface is not tagged (or
// tagged with a value SurfaceTagged does not know), assumed from its class;
// known is false for a class this rule does not cover (stored as NULL).
//
// The rule is an assumption, not a measurement (DESIGN.md, Trust rules: the
// figures built on it say "assumed"):
//
//   - motorway, trunk, primary, secondary and tertiary (and their links) are
//     paved. Mapped the usual way for the post-Soviet road classes (the OSM
//     wiki's Highway:International equivalence: republican roads trunk or
//     primary, oblast roads secondary, district roads, the ones linking
//     villages to the district centre, tertiary), these classes are the
//     public road network that is built with asphalt or black-top, and
//     mappers tag the surface of such a road mostly when it is not paved.
//     The class mapping has not been checked against Kazakh mapping notes;
//     the report counts the roads the rule decided, so its weight is known.
//   - unclassified, residential, living_street, service, track and road are
//     unpaved: local and village streets, yards and field tracks, of earth or
//     gravel outside the cities. This is the conservative side for the
//     "distance to a paved road" indicator: a village is never said to have
//     a paved road because of a street nobody surveyed, while in a city the
//     nearest paved road is a tertiary or larger road anyway.
//
// Before this rule tertiary and smaller roads without a surface tag had no
// paved flag and counted as unpaved: on a real extract 79 % of road length,
// which put 18 % of places "more than 1 km from a paved road" next to an
// untagged district road.
func AssumedPaved(class string) (paved, known bool) {
	switch {
	case assumedPavedClasses[class]:
		return true, true
	case assumedUnpavedClasses[class]:
		return false, true
	}
	return false, false
}

// SurfaceTagged classifies an OSM surface=* value. Paved: asphalt, chipseal,
// concrete*, paved, paving_stones*, sett, cobblestone, bricks, metal, wood.
// Unpaved: unpaved, compacted, fine_gravel, gravel, pebblestone, rock,
// ground, dirt, earth, grass, grass_paver, mud, sand, woodchips, clay, salt,
// snow, ice. A list ("asphalt;gravel") is read by its first value; known is
// false for a missing or unknown value.
func SurfaceTagged(surface string) (paved, known bool) {
	s := strings.ToLower(strings.TrimSpace(surface))
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	switch {
	case pavedSurfaces[s] || strings.HasPrefix(s, "concrete"):
		return true, true
	case unpavedSurfaces[s]:
		return false, true
	}
	return false, false
}

// SurfacePaved says whether a road of the given class and surface=* value is
// paved: from the surface (SurfaceTagged), else assumed from the class
// (AssumedPaved). known is false (stored as NULL) only for a road of a class
// AssumedPaved does not cover and no surface SurfaceTagged knows.
func SurfacePaved(surface, class string) (paved, known bool) {
	paved, known, _ = roadPaved(surface, class)
	return paved, known
}

// roadPaved is SurfacePaved that also says whether the flag was assumed. A
// ferry is never a paved road, whatever its tags.
func roadPaved(surface, class string) (paved, known, assumed bool) {
	if class == route.FerryClass {
		return false, true, false
	}
	if p, ok := SurfaceTagged(surface); ok {
		return p, true, false
	}
	if p, ok := AssumedPaved(class); ok {
		return p, true, true
	}
	return false, false, false
}

// zoneSpeeds are the implicit maxspeed values (km/h) that occur in Kazakhstan
// and around it. RU: the Russian traffic rules (urban 60, rural 90, motorway
// 110). KZ: the Kazakh traffic rules for cars (urban 60, outside settlements
// 110, motorway 140).
var zoneSpeeds = map[string]float64{
	"ru:urban": 60, "ru:rural": 90, "ru:motorway": 110, "ru:living_street": 20,
	"kz:urban": 60, "kz:rural": 110, "kz:motorway": 140, "kz:living_street": 20,
	"walk": 5,
}

// noNumericMaxspeed are valid maxspeed values without a number: stored as
// NULL without a warning.
var noNumericMaxspeed = map[string]bool{"none": true, "signals": true, "variable": true, "implicit": true, "unknown": true}

// ParseMaxspeed reads an OSM maxspeed=* value in km/h: "60", "60 km/h",
// "40 mph", "10 knots", the implicit values of zoneSpeeds ("RU:rural" = 90,
// "KZ:urban" = 60, …), zones like "RU:zone30", and lists "60;90" (the lowest).
// It reports false for "none", "signals", "variable" and anything else it
// cannot read, which the caller stores as NULL.
func ParseMaxspeed(s string) (float64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, ";") {
		best, found := 0.0, false
		for part := range strings.SplitSeq(s, ";") {
			if v, ok := ParseMaxspeed(part); ok && (!found || v < best) {
				best, found = v, true
			}
		}
		return best, found
	}
	if v, ok := zoneSpeeds[s]; ok {
		return v, true
	}
	if i := strings.Index(s, ":zone"); i > 0 {
		s = s[i+len(":zone"):]
	}
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	if err != nil {
		return 0, false
	}
	switch strings.TrimSpace(s[end:]) {
	case "", "km/h", "kmh", "kph", "км/ч":
	case "mph":
		v *= 1.609344
	case "knots":
		v *= 1.852
	default:
		return 0, false
	}
	if v <= 0 || v > 300 {
		return 0, false
	}
	return v, true
}

// sameSiteMetres is how close two objects of one kind with the same name must
// be to count as one site: a hospital's wards, a school's buildings and its
// grounds mapped apart lie within a block of each other, while two schools of
// one name (a "School No. 1" in each village) lie kilometres apart.
const sameSiteMetres = 150

// dedupeSites merges the facilities that are one site: objects of one kind
// where one lies inside the other's polygon (a hospital campus and its
// buildings, a school's grounds and the school), or within sameSiteMetres of
// each other with the same name (normalisedName, never an empty one). Merging
// is transitive. A site keeps the object with the largest polygon (the campus),
// else the first one in the file; its name, else the first name among the
// merged; its capacity, else the largest among them (capacities of objects
// that describe one site are not added up: the campus and a building often
// both carry the hospital's beds). areas holds each row's polygon or nil.
func dedupeSites(rows []facilityRow, areas []orb.MultiPolygon) []facilityRow {
	n := len(rows)
	if n < 2 {
		return rows
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	// Points by kind in a grid of cellDeg cells, for the polygons to search.
	const cellDeg = 0.01
	type cell struct {
		kind string
		x, y int
	}
	cellOf := func(kind string, p orb.Point) cell {
		return cell{kind, int(math.Floor(p[0] / cellDeg)), int(math.Floor(p[1] / cellDeg))}
	}
	grid := map[cell][]int{}
	for i, r := range rows {
		c := cellOf(r.kind, r.pt)
		grid[c] = append(grid[c], i)
	}
	for i, a := range areas {
		if len(a) == 0 {
			continue
		}
		b := a.Bound()
		lo, hi := cellOf(rows[i].kind, b.Min), cellOf(rows[i].kind, b.Max)
		for x := lo.x; x <= hi.x; x++ {
			for y := lo.y; y <= hi.y; y++ {
				for _, j := range grid[cell{rows[i].kind, x, y}] {
					if j != i && b.Contains(rows[j].pt) && planar.MultiPolygonContains(a, rows[j].pt) {
						union(i, j)
					}
				}
			}
		}
	}
	// Same kind and name, within sameSiteMetres: sorted by latitude, each
	// object is compared with the ones less than that distance north of it.
	type named struct {
		key string
		i   int
	}
	var byName []named
	for i, r := range rows {
		if k := normalisedName(r.name); k != "" {
			byName = append(byName, named{r.kind + "\x00" + k, i})
		}
	}
	slices.SortFunc(byName, func(a, b named) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmpFloat(rows[a.i].pt[1], rows[b.i].pt[1])
	})
	const dLat = sameSiteMetres / 111_000.0 // metres in a degree of latitude, rounded down
	for a := range byName {
		for b := a + 1; b < len(byName) && byName[b].key == byName[a].key; b++ {
			pa, pb := rows[byName[a].i].pt, rows[byName[b].i].pt
			if pb[1]-pa[1] > dLat {
				break
			}
			if geo.Distance(pa, pb) <= sameSiteMetres {
				union(byName[a].i, byName[b].i)
			}
		}
	}
	// The kept object of each site: the largest polygon, else the first.
	keep := make([]int, n)
	for i := range keep {
		keep[i] = -1
	}
	areaOf := func(i int) float64 {
		if len(areas) <= i || len(areas[i]) == 0 {
			return 0
		}
		return planar.Area(areas[i])
	}
	for i := range rows {
		r := find(i)
		if k := keep[r]; k < 0 || areaOf(i) > areaOf(k) {
			keep[r] = i
		}
	}
	members := map[int][]int{} // root → the other members, only for merged sites
	for i := range rows {
		if r := find(i); keep[r] != i {
			members[r] = append(members[r], i)
		}
	}
	out := make([]facilityRow, 0, n)
	for i := range rows {
		r := find(i)
		if i != r {
			continue // the site is written at its root, its first object
		}
		k := keep[r]
		site := rows[k]
		for _, j := range members[r] {
			if site.name == "" {
				site.name = rows[j].name
			}
			if rows[k].capacity <= 0 {
				site.capacity = max(site.capacity, rows[j].capacity)
			}
		}
		out = append(out, site)
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// normalisedName is a facility name reduced to compare two mappings of one
// site: lower case, letters and digits only, one space between words
// ("ГКП «Поликлиника №3»" and "гкп поликлиника 3" are the same).
func normalisedName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	return b.String()
}
