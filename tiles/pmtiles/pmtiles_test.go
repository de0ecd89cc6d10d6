package pmtiles_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/tiles"
	"github.com/aimaq/aimaq/tiles/pmtiles"
	pm "github.com/protomaps/go-pmtiles/pmtiles"
)

// archive is a PMTiles file decoded with go-pmtiles alone.
type archive struct {
	data   []byte
	header pm.HeaderV3
	meta   map[string]any
}

func decode(t *testing.T, data []byte) archive {
	t.Helper()
	h, err := pm.DeserializeHeader(data[:pm.HeaderV3LenBytes])
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	meta, err := pm.DeserializeMetadata(bytes.NewReader(data[h.MetadataOffset:h.MetadataOffset+h.MetadataLength]), h.InternalCompression)
	if err != nil {
		t.Fatalf("metadata: %v", err)
	}
	return archive{data: data, header: h, meta: meta}
}

// tile returns the stored bytes of z/x/y, nil when the archive has none.
func (a archive) tile(z uint8, x, y uint32) []byte {
	id := pm.ZxyToID(z, x, y)
	off, n := a.header.RootOffset, a.header.RootLength
	for range 4 {
		dir := pm.DeserializeEntries(bytes.NewBuffer(a.data[off:off+n]), a.header.InternalCompression)
		e, ok := pm.FindTile(dir, id)
		if !ok {
			return nil
		}
		if e.RunLength > 0 {
			start := a.header.TileDataOffset + e.Offset
			return a.data[start : start+uint64(e.Length)]
		}
		off, n = a.header.LeafDirectoryOffset+e.Offset, uint64(e.Length)
	}
	return nil
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = io.WriteString(zw, s)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Identical tiles are stored once, consecutive ones as one run, and every
// tile reads back with go-pmtiles as it was added.
func TestWriterDeduplicates(t *testing.T) {
	// SYNTHETIC tile bodies: the writer does not look inside them.
	sea, land := gz(t, "SYNTHETIC sea"), gz(t, "SYNTHETIC land")
	add := map[tiles.Tile][]byte{
		{Z: 0}:             land,
		{Z: 1, X: 0, Y: 0}: sea, // z1 in Hilbert order: (0,0) (0,1) (1,1) (1,0)
		{Z: 1, X: 0, Y: 1}: sea,
		{Z: 1, X: 1, Y: 1}: sea,
		{Z: 1, X: 1, Y: 0}: land,
		{Z: 2, X: 3, Y: 3}: nil, // empty: not stored
	}
	w, err := pmtiles.NewWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for tl, b := range add {
		if err := w.Add(tl, b); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	st, err := w.WriteTo(&out, pmtiles.Archive{MaxZoom: 2, Bounds: [4]float64{-10, -10, 10, 10}, Metadata: map[string]any{"name": "SYNTHETIC"}})
	if err != nil {
		t.Fatal(err)
	}
	want := pmtiles.Stats{Tiles: 5, Entries: 3, Unique: 2, Bytes: int64(out.Len())}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
	a := decode(t, out.Bytes())
	h := a.header
	if h.TileType != pm.Mvt || h.TileCompression != pm.Gzip || !h.Clustered || h.AddressedTilesCount != 5 || h.TileContentsCount != 2 || h.TileEntriesCount != 3 {
		t.Errorf("header = %+v", h)
	}
	if h.TileDataLength != uint64(len(sea)+len(land)) {
		t.Errorf("tile data %d bytes, want %d: each content once", h.TileDataLength, len(sea)+len(land))
	}
	if h.MinLonE7 != -100000000 || h.MaxLatE7 != 100000000 || h.MaxZoom != 2 {
		t.Errorf("header bounds/zoom = %d %d z%d", h.MinLonE7, h.MaxLatE7, h.MaxZoom)
	}
	if a.meta["name"] != "SYNTHETIC" {
		t.Errorf("metadata = %v", a.meta)
	}
	for tl, b := range add {
		if got := a.tile(uint8(tl.Z), tl.X, tl.Y); !bytes.Equal(got, b) {
			t.Errorf("tile %s = %q, want %q", tl, got, b)
		}
	}
}

func TestWriterRefuses(t *testing.T) {
	w, err := pmtiles.NewWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Add(tiles.Tile{Z: 1}, []byte("plain MVT")); err == nil || !strings.Contains(err.Error(), "1/0/0") {
		t.Errorf("uncompressed tile: err = %v, want one naming the tile", err)
	}
	if _, err := w.WriteTo(io.Discard, pmtiles.Archive{}); err == nil {
		t.Error("an archive without tiles was written")
	}
	b := gz(t, "SYNTHETIC")
	_ = w.Add(tiles.Tile{Z: 3, X: 2, Y: 1}, b)
	_ = w.Add(tiles.Tile{Z: 3, X: 2, Y: 1}, b)
	if _, err := w.WriteTo(io.Discard, pmtiles.Archive{}); err == nil || !strings.Contains(err.Error(), "3/2/1") {
		t.Errorf("a tile added twice: err = %v, want one naming it", err)
	}
}

// source is a SYNTHETIC tile source: layer "area" has data in the tiles that
// hold the point (lon 0.5, lat 0.5) and nowhere else; layer "points" has one
// point feature in every tile from z2 but none below (a thinned layer).
type source struct {
	mu    sync.Mutex
	asked map[string][]tiles.Tile
	fail  tiles.Tile
}

func (s *source) Tile(_ context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error) {
	s.mu.Lock()
	s.asked[l.Name] = append(s.asked[l.Name], t)
	s.mu.Unlock()
	if t == s.fail && t.Z > 0 {
		return nil, errors.New("SYNTHETIC failure")
	}
	switch l.Name {
	case "area":
		n := uint32(1) << t.Z
		if t.Z == 0 || t.X == n/2 && t.Y == n/2-1 { // the tile holding (0.5, 0.5)
			return []byte("[area " + t.String() + "]"), nil
		}
	case "tiny": // a small country: too small to draw below z3
		n := uint32(1) << t.Z
		if t.Z >= 3 && t.X == n/2 && t.Y == n/2-1 {
			return []byte("[tiny " + t.String() + "]"), nil
		}
	case "points":
		if t.Z >= 2 {
			return []byte("[points " + t.String() + "]"), nil
		}
	}
	return nil, nil
}

func TestExport(t *testing.T) {
	area := pmtiles.Layer{Layer: tiles.Layer{Name: "area", MaxZoom: 14}}
	points := pmtiles.Layer{Layer: tiles.Layer{Name: "points", MinZoom: 1, MaxZoom: 14}, Thinned: true}
	src := &source{asked: map[string][]tiles.Tile{}}
	w, err := pmtiles.NewWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var zooms []tiles.Zoom
	// Bounds over four z1 tiles around (0, 0): 2×2 at z1, 4×4 at z2, …
	bounds := [4]float64{-100, -60, 100, 60}
	prog, err := pmtiles.Export(context.Background(), src, []pmtiles.Layer{points, area}, w, pmtiles.Options{
		MaxZoom: 4, Bounds: bounds,
		Progress: func(z tiles.Zoom, _ pmtiles.Progress) { zooms = append(zooms, z) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(zooms, []tiles.Zoom{0, 1, 2, 3, 4}) {
		t.Errorf("progress at zooms %v", zooms)
	}
	// Over the bounds: z1 2×2 tiles, z2 4×2, z3 6×4, z4 10×8. The area
	// layer is asked at z0, then only under its one tile with data: z1 its
	// four children, z2 two (the other two lie outside the bounds), z3 and
	// z4 four.
	if n := len(src.asked["area"]); n != 1+4+2+4+4 {
		t.Errorf("area asked for %d tiles, want 15: %v", n, src.asked["area"])
	}
	// The thinned layer is asked everywhere over the bounds from its MinZoom,
	// although z1 had nothing.
	if n := len(src.asked["points"]); n != 4+8+24+80 {
		t.Errorf("points asked for %d tiles, want 116 (every tile over the bounds, z1–z4)", n)
	}
	if want := (pmtiles.Progress{Cut: 1 + 116, WithData: 1 + 1 + 8 + 24 + 80}); prog.Cut != want.Cut || prog.WithData != want.WithData || prog.Bytes <= 0 {
		t.Errorf("progress = %+v, want %+v and bytes", prog, want)
	}
	var out bytes.Buffer
	if _, err := w.WriteTo(&out, pmtiles.Archive{MaxZoom: 4, Bounds: bounds}); err != nil {
		t.Fatal(err)
	}
	a := decode(t, out.Bytes())
	// A tile of both layers holds them in the order asked, concatenated.
	got := gunzip(t, a.tile(3, 4, 3))
	if want := "[points 3/4/3][area 3/4/3]"; got != want {
		t.Errorf("tile 3/4/3 = %q, want %q", got, want)
	}
	if got := gunzip(t, a.tile(3, 1, 2)); got != "[points 3/1/2]" {
		t.Errorf("tile 3/1/2 = %q", got)
	}
	if b := a.tile(1, 0, 0); b != nil {
		t.Errorf("empty tile 1/0/0 stored: %q", b)
	}
}

// A partition layer with no data at all at a zoom (every unit smaller than
// a pixel) is cut over the whole bounds at the next zoom, not skipped.
func TestExportFindsASmallCountry(t *testing.T) {
	src := &source{asked: map[string][]tiles.Tile{}}
	w, err := pmtiles.NewWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tiny := pmtiles.Layer{Layer: tiles.Layer{Name: "tiny", MaxZoom: 14}}
	if _, err := pmtiles.Export(context.Background(), src, []pmtiles.Layer{tiny}, w, pmtiles.Options{MaxZoom: 4, Bounds: [4]float64{-100, -60, 100, 60}}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st, err := w.WriteTo(&out, pmtiles.Archive{MaxZoom: 4})
	if err != nil {
		t.Fatal(err)
	}
	if st.Tiles != 2 {
		t.Errorf("%d tiles with data, want 2 (z3 and z4)", st.Tiles)
	}
	if got := gunzip(t, decode(t, out.Bytes()).tile(4, 8, 7)); got != "[tiny 4/8/7]" {
		t.Errorf("tile 4/8/7 = %q", got)
	}
	// z0 1 tile, z1 4, z2 8, z3 24 (nothing before), z4 only the 4 children.
	if n := len(src.asked["tiny"]); n != 1+4+8+24+4 {
		t.Errorf("asked for %d tiles, want 41", n)
	}
}

func TestExportStopsAtTheFirstError(t *testing.T) {
	src := &source{asked: map[string][]tiles.Tile{}, fail: tiles.Tile{Z: 2, X: 2, Y: 1}}
	w, err := pmtiles.NewWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = pmtiles.Export(context.Background(), src, []pmtiles.Layer{{Layer: tiles.Layer{Name: "area", MaxZoom: 14}}}, w, pmtiles.Options{MaxZoom: 5, Bounds: [4]float64{-100, -60, 100, 60}})
	if err == nil || !strings.Contains(err.Error(), "2/2/1") || !strings.Contains(err.Error(), "area") {
		t.Fatalf("err = %v, want the failing tile and layer named", err)
	}
	for _, tl := range src.asked["area"] {
		if tl.Z > 2 {
			t.Fatalf("tile %s asked after the failure at z2", tl)
		}
	}
	_, err = pmtiles.Export(context.Background(), src, []pmtiles.Layer{{Layer: tiles.Layer{Name: "area", MaxZoom: 6}}}, w, pmtiles.Options{MaxZoom: 7})
	if err == nil || !strings.Contains(err.Error(), "z=6") {
		t.Errorf("maxzoom above the layer's: err = %v", err)
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	if b == nil {
		return ""
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
