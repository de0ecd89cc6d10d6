package importer_test

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// A SYNTHETIC extract: relation 1 ("Synthetic Land", admin_level 2) is a
// 4°×4° square at 10–14°E, 40–44°N drawn by three outer ways — way 12 runs
// against the ring, as member ways often do — with a 1°×1° lake (closed way
// 14, role inner) cut out. Relation 2 lists way 99, which the extract does
// not hold; relation 3's two ways do not meet, so its ring stays open.
const syntheticBoundaryOSM = `<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="aimaq test (SYNTHETIC)">
  <bounds minlat="39.5" minlon="9.5" maxlat="44.5" maxlon="14.5"/>
  <node id="1" version="1" lat="40" lon="10"/>
  <node id="2" version="1" lat="40" lon="14"/>
  <node id="3" version="1" lat="44" lon="14"/>
  <node id="4" version="1" lat="44" lon="10"/>
  <node id="5" version="1" lat="41" lon="11"/>
  <node id="6" version="1" lat="41" lon="12"/>
  <node id="7" version="1" lat="42" lon="12"/>
  <node id="8" version="1" lat="42" lon="11"/>
  <node id="9" version="1" lat="43" lon="13"/>
  <way id="11" version="1"><nd ref="1"/><nd ref="2"/></way>
  <way id="12" version="1"><nd ref="4"/><nd ref="3"/><nd ref="2"/></way>
  <way id="13" version="1"><nd ref="4"/><nd ref="1"/></way>
  <way id="14" version="1"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="5"/></way>
  <way id="15" version="1"><nd ref="1"/><nd ref="9"/></way>
  <way id="16" version="1"><nd ref="2"/><nd ref="3"/></way>
  <relation id="1" version="1">
    <member type="way" ref="11" role="outer"/><member type="way" ref="12" role="outer"/>
    <member type="way" ref="13" role="outer"/><member type="way" ref="14" role="inner"/>
    <member type="node" ref="9" role="admin_centre"/>
    <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="2"/>
    <tag k="name" v="Synthetic Land"/><tag k="name:ru" v="Синтетическая земля"/><tag k="ISO3166-1" v="XL"/>
  </relation>
  <relation id="2" version="1">
    <member type="way" ref="11" role="outer"/><member type="way" ref="99" role="outer"/>
    <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="2"/><tag k="name" v="Synthetic Cut"/>
  </relation>
  <relation id="3" version="1">
    <member type="way" ref="15" role="outer"/><member type="way" ref="16" role="outer"/>
    <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="2"/><tag k="name" v="Synthetic Open"/>
  </relation>
  <relation id="4" version="1">
    <member type="way" ref="14" role="outer"/>
    <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="4"/><tag k="name" v="Synthetic Lake Region"/>
  </relation>
</osm>
`

func syntheticPBF(t *testing.T) string {
	t.Helper()
	osmium := testenv.Command(t, "osmium", "osmium-tool")
	dir := t.TempDir()
	xml, pbf := filepath.Join(dir, "synthetic.osm"), filepath.Join(dir, "synthetic.osm.pbf")
	if err := os.WriteFile(xml, []byte(syntheticBoundaryOSM), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(osmium, "cat", xml, "-o", pbf).CombinedOutput(); err != nil {
		t.Fatalf("osmium: %v\n%s", err, out)
	}
	return pbf
}

func TestOSMBoundariesSynthetic(t *testing.T) {
	pbf := syntheticPBF(t)
	ctx := context.Background()
	res, err := importer.OSMBoundaries(ctx, pbf, importer.OSMBoundaryOptions{AdminLevel: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Features.Features) != 1 {
		t.Fatalf("features = %d, want 1 (relations 2 and 3 are incomplete)", len(res.Features.Features))
	}
	f := res.Features.Features[0]
	poly, ok := f.Geometry.(orb.Polygon)
	if !ok || len(poly) != 2 {
		t.Fatalf("geometry = %#v, want a polygon with one hole", f.Geometry)
	}
	if a := planar.Area(poly); math.Abs(a-15) > 1e-9 {
		t.Errorf("area = %g square degrees, want 16 - 1 = 15", a)
	}
	if poly[0].Orientation() != orb.CCW || poly[1].Orientation() != orb.CW {
		t.Errorf("orientation outer %v inner %v, want counter-clockwise and clockwise (RFC 7946)", poly[0].Orientation(), poly[1].Orientation())
	}
	if len(poly[0]) != 5 {
		t.Errorf("outer ring has %d positions, want 5 (three ways joined at shared nodes, none repeated)", len(poly[0]))
	}
	for k, want := range map[string]string{"code": "XL", "name": "Synthetic Land", "name_en": "Synthetic Land", "name_ru": "Синтетическая земля", "osm_id": "relation/1", "boundary_source": "osm_relation"} {
		if got, _ := f.Properties[k].(string); got != want {
			t.Errorf("property %s = %q, want %q", k, got, want)
		}
	}
	incomplete := strings.Join(res.Incomplete, "\n")
	for _, want := range []string{"relation 2 (Synthetic Cut): 1 of 2 member ways are not in the extract (the first: way 99)", "relation 3 (Synthetic Open)", "does not close"} {
		if !strings.Contains(incomplete, want) {
			t.Errorf("incomplete = %q, want it to mention %q", incomplete, want)
		}
	}

	// No relation of level 3: an error that offers the fallback; with the
	// fallback, the header's box, flagged.
	_, err = importer.OSMBoundaries(ctx, pbf, importer.OSMBoundaryOptions{AdminLevel: 3})
	if err == nil || errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "admin_level 3") || !strings.Contains(err.Error(), "--bounds-fallback") {
		t.Errorf("level 3: err = %v, want an input error naming the level and offering --bounds-fallback", err)
	}
	res, err = importer.OSMBoundaries(ctx, pbf, importer.OSMBoundaryOptions{AdminLevel: 3, BoundsFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.FromBounds || len(res.Features.Features) != 1 || res.Features.Features[0].Properties["boundary_source"] != importer.BoundaryFromExtractBound {
		t.Fatalf("fallback = %+v, want one feature flagged extract_bounds", res)
	}
	if b := res.Features.Features[0].Geometry.Bound(); math.Abs(b.Min[0]-9.5)+math.Abs(b.Min[1]-39.5)+math.Abs(b.Max[0]-14.5)+math.Abs(b.Max[1]-44.5) > 1e-6 {
		t.Errorf("fallback box = %v, want the header's 9.5–14.5°E, 39.5–44.5°N", b)
	}

	// A closed way alone is a ring.
	res, err = importer.OSMBoundaries(ctx, pbf, importer.OSMBoundaryOptions{AdminLevel: 4})
	if err != nil || len(res.Features.Features) != 1 || planar.Area(res.Features.Features[0].Geometry) != 1 {
		t.Errorf("level 4 = %+v, %v; want the 1°×1° lake region", res, err)
	}
	if code := res.Features.Features[0].Properties["code"]; code != "osm-relation-4" {
		t.Errorf("code without ISO or ref tags = %v, want osm-relation-4", code)
	}
}

func TestOSMBoundariesNotPBF(t *testing.T) {
	p := writeFile(t, t.TempDir(), "x.osm.pbf", `{"type":"FeatureCollection","features":[]}`)
	_, err := importer.OSMBoundaries(context.Background(), p, importer.OSMBoundaryOptions{AdminLevel: 2})
	if err == nil || errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "x.osm.pbf") {
		t.Errorf("err = %v, want an input error naming the file", err)
	}
}

// andorraPBF is the real extract of ../shared/data/osm (see SOURCES.md there).
func andorraPBF(t *testing.T) string {
	t.Helper()
	p, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data", "osm", "andorra.osm.pbf"))
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "real OSM extract not found at %s", p)
	}
	return p
}

func TestOSMBoundariesAndorra(t *testing.T) {
	pbf := andorraPBF(t)
	ctx := context.Background()
	res, err := importer.OSMBoundaries(ctx, pbf, importer.OSMBoundaryOptions{AdminLevel: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Andorra is whole in its own extract; France and Spain are cut off.
	if len(res.Features.Features) != 1 {
		t.Fatalf("countries = %d, want Andorra only", len(res.Features.Features))
	}
	f := res.Features.Features[0]
	if f.Properties["code"] != "AD" || f.Properties["name_en"] != "Andorra" {
		t.Errorf("properties = %v, want code AD, name Andorra", f.Properties)
	}
	b := f.Geometry.Bound()
	if b.Min[0] < 1.40 || b.Min[0] > 1.43 || b.Max[0] < 1.77 || b.Max[0] > 1.80 || b.Min[1] < 42.42 || b.Min[1] > 42.44 || b.Max[1] < 42.64 || b.Max[1] > 42.67 {
		t.Errorf("Andorra's box = %v, want about 1.41–1.79°E, 42.43–42.66°N", b)
	}
	// Geodesic area of Andorra is about 468 km²: planar square degrees × 82 km × 111 km at 42.5°N.
	if km2 := planar.Area(f.Geometry) * 82.0 * 111.2; km2 < 440 || km2 > 500 {
		t.Errorf("area ≈ %.0f km², want about 468", km2)
	}
	incomplete := strings.Join(res.Incomplete, "\n")
	for _, want := range []string{"(France)", "(España)"} {
		if !strings.Contains(incomplete, want) {
			t.Errorf("incomplete = %q, want it to list %s", incomplete, want)
		}
	}
	// The seven parishes (admin_level 7) are whole too, with ISO 3166-2 codes.
	res, err = importer.OSMBoundaries(ctx, pbf, importer.OSMBoundaryOptions{AdminLevel: 7})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range res.Features.Features {
		codes = append(codes, f.Properties["code"].(string))
	}
	if got := strings.Join(codes, " "); got != "AD-07 AD-02 AD-03 AD-08 AD-04 AD-05 AD-06" {
		t.Errorf("parishes = %s, want the seven AD-0n codes by relation id", got)
	}
}
