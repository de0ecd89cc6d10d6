package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	pm "github.com/protomaps/go-pmtiles/pmtiles"
)

// pmArchive is a PMTiles file decoded with go-pmtiles alone.
type pmArchive struct {
	data   []byte
	header pm.HeaderV3
	meta   map[string]any
}

func readPMTiles(t *testing.T, path string) pmArchive {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pm.DeserializeHeader(data[:pm.HeaderV3LenBytes])
	if err != nil {
		t.Fatalf("%s: header: %v", path, err)
	}
	meta, err := pm.DeserializeMetadata(bytes.NewReader(data[h.MetadataOffset:h.MetadataOffset+h.MetadataLength]), h.InternalCompression)
	if err != nil {
		t.Fatalf("%s: metadata: %v", path, err)
	}
	return pmArchive{data: data, header: h, meta: meta}
}

// tile is the stored (gzip-compressed) bytes of t, nil when absent.
func (a pmArchive) tile(t maptile.Tile) []byte {
	id := pm.ZxyToID(uint8(t.Z), t.X, t.Y)
	off, n := a.header.RootOffset, a.header.RootLength
	for range 4 {
		e, ok := pm.FindTile(pm.DeserializeEntries(bytes.NewBuffer(a.data[off:off+n]), a.header.InternalCompression), id)
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

func gunzipT(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestE2EExportPMTiles exports the pyramid of a real country (Andorra, from
// the OSM extract: its parishes as first-level units and its places) with
// the real binary, decodes the archive with go-pmtiles, compares its tiles
// with what the server answers at /tiles, reads one with GDAL, and serves
// the archive back with range requests that go-pmtiles reads over HTTP.
func TestE2EExportPMTiles(t *testing.T) {
	pbf := andorraExtract(t)
	bin := aimaqBin(t)
	dbURL := postgistest.NewURL(t)
	dir := t.TempDir()
	aimaq := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return stdout.String() + stderr.String(), code
	}
	must := func(args ...string) string {
		t.Helper()
		out, code := aimaq(args...)
		if code != 0 {
			t.Fatalf("aimaq %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
		return out
	}
	archives := filepath.Join(dir, "archives")
	if err := os.Mkdir(archives, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(archives, "andorra.pmtiles")

	// Before a country is imported there is nothing to export.
	if out, code := aimaq("export", "pmtiles", file); code != 65 || !strings.Contains(out, "no country imported") {
		t.Errorf("export of an empty database: exit %d, want 65 and why:\n%s", code, out)
	}
	country, parishes := filepath.Join(dir, "andorra.geojson"), filepath.Join(dir, "parishes.geojson")
	must("boundary", pbf, "--admin-level", "2", "-o", country)
	must("boundary", pbf, "--admin-level", "7", "-o", parishes)
	must("import", "boundaries", country, "--level", "country")
	must("import", "boundaries", parishes, "--level", "oblast")
	must("import", "osm", pbf)
	must("compute")

	out := must("export", "pmtiles", "--layers", "oblasts,settlements", "--maxzoom", "14", file)
	t.Logf("export:\n%s", out)
	m := regexp.MustCompile(`wrote .*: (\d+) tiles \((\d+) unique`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "export z14 done") {
		t.Fatalf("export output lacks the progress and figures:\n%s", out)
	}
	a := readPMTiles(t, file)
	h := a.header
	if h.TileType != pm.Mvt || h.TileCompression != pm.Gzip || h.MinZoom != 0 || h.MaxZoom != 14 {
		t.Errorf("header: type %d, compression %d, zooms %d–%d; want MVT, gzip, 0–14", h.TileType, h.TileCompression, h.MinZoom, h.MaxZoom)
	}
	// Andorra's box, about 1.41–1.79°E, 42.43–42.66°N.
	if h.MinLonE7 < 14_000_000 || h.MaxLonE7 > 18_000_000 || h.MinLatE7 < 424_000_000 || h.MaxLatE7 > 427_000_000 || h.CenterLonE7 < h.MinLonE7 || h.CenterLonE7 > h.MaxLonE7 {
		t.Errorf("header bounds %d %d %d %d, centre %d: want Andorra's box", h.MinLonE7, h.MinLatE7, h.MaxLonE7, h.MaxLatE7, h.CenterLonE7)
	}
	// Identical tiles (the inside of a parish at z14) are stored once.
	if fmt.Sprint(h.AddressedTilesCount) != m[1] || fmt.Sprint(h.TileContentsCount) != m[2] || h.TileContentsCount >= h.AddressedTilesCount {
		t.Errorf("header: %d tiles, %d contents; printed %s and %s: want fewer contents than tiles", h.AddressedTilesCount, h.TileContentsCount, m[1], m[2])
	}
	// TileJSON fields, and what the tiles show.
	for _, k := range []string{"name", "description", "attribution", "vector_layers", "minzoom", "maxzoom", "bounds", "center", "data_generation", "compute_run"} {
		if _, ok := a.meta[k]; !ok {
			t.Errorf("metadata lacks %s: %v", k, a.meta)
		}
	}
	if !strings.Contains(fmt.Sprint(a.meta["attribution"]), "OpenStreetMap") {
		t.Errorf("metadata attribution = %v", a.meta["attribution"])
	}
	if run, _ := a.meta["compute_run"].(map[string]any); run == nil || run["id"] == nil {
		t.Errorf("metadata compute_run = %v, want the run of the compute above", a.meta["compute_run"])
	}
	vls, _ := a.meta["vector_layers"].([]any)
	var ids []string
	for _, v := range vls {
		vl, _ := v.(map[string]any)
		ids = append(ids, fmt.Sprint(vl["id"]))
		if f, _ := vl["fields"].(map[string]any); len(f) == 0 {
			t.Errorf("vector layer %v has no fields", vl["id"])
		}
	}
	if strings.Join(ids, ",") != "oblasts,settlements" {
		t.Errorf("vector_layers = %v, want oblasts,settlements", ids)
	}

	base := servePMTiles(t, bin, dbURL, archives)

	// Every tile is what the server cuts: the layers' MVTs, concatenated.
	centre := [2]float64{1.5218, 42.5063} // Andorra la Vella
	for _, z := range []maptile.Zoom{4, 10, 12, 14} {
		tl := maptile.At(centre, z)
		var want []byte
		for _, layer := range []string{"oblasts", "settlements"} {
			resp, body := get(t, fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, layer, tl.Z, tl.X, tl.Y))
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
				t.Fatalf("GET %s %v: %d %s", layer, tl, resp.StatusCode, body)
			}
			want = append(want, body...)
		}
		stored := a.tile(tl)
		if stored == nil {
			t.Errorf("archive lacks tile %v", tl)
			continue
		}
		if got := gunzipT(t, stored); !bytes.Equal(got, want) {
			t.Errorf("tile %v: archive %d bytes, server %d bytes: want the same", tl, len(got), len(want))
		}
	}

	// GDAL 3.6 has no PMTiles driver (it came in 3.8): its MVT driver reads
	// a tile taken out of the archive.
	testenv.Command(t, "ogrinfo", "gdal-bin")
	tl := maptile.At(centre, 12)
	pbfTile := filepath.Join(dir, "tile.pbf")
	body := gunzipT(t, a.tile(tl))
	if err := os.WriteFile(pbfTile, body, 0o644); err != nil {
		t.Fatal(err)
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	gdal, err := exec.Command("ogrinfo", "-ro", "-al", "-so", "-oo", fmt.Sprintf("X=%d", tl.X), "-oo", fmt.Sprintf("Y=%d", tl.Y), "-oo", fmt.Sprintf("Z=%d", tl.Z), pbfTile).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, gdal)
	}
	for _, l := range layers {
		for _, w := range []string{"Layer name: " + l.Name, fmt.Sprintf("Feature Count: %d", len(l.Features))} {
			if !strings.Contains(string(gdal), w) {
				t.Errorf("ogrinfo output lacks %q:\n%s", w, gdal)
			}
		}
	}
	if len(layers) != 2 {
		t.Errorf("tile %v layers %v, want oblasts and settlements", tl, layerNames(layers))
	}

	// The archive served: listed, in ranges, never re-compressed.
	var index struct {
		Archives []struct {
			Name  string `json:"name"`
			URL   string `json:"url"`
			Bytes int64  `json:"bytes"`
		} `json:"archives"`
	}
	getJSON(t, base+"/pmtiles", &index)
	if len(index.Archives) != 1 || index.Archives[0].Name != "andorra" || index.Archives[0].Bytes != int64(len(a.data)) || !strings.HasSuffix(index.Archives[0].URL, "/pmtiles/andorra.pmtiles") {
		t.Errorf("GET /pmtiles = %+v", index)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/pmtiles/andorra.pmtiles", nil)
	req.Header.Set("Range", "bytes=100-16483")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Origin", "https://maps.example.org")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	end := min(16484, len(a.data))
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(got, a.data[100:end]) || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("range request: %d, %d bytes, Content-Encoding %q; want 206 with bytes 100–%d as stored", resp.StatusCode, len(got), resp.Header.Get("Content-Encoding"), end-1)
	}
	if resp.Header.Get("ETag") == "" || resp.Header.Get("Access-Control-Allow-Origin") == "" || !strings.HasPrefix(resp.Header.Get("Content-Range"), "bytes 100-") {
		t.Errorf("range request headers: %v", resp.Header)
	}
	for _, name := range []string{"missing", "..%2Fandorra", ".hidden"} {
		if resp, _ := get(t, base+"/pmtiles/"+name+".pmtiles"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /pmtiles/%s.pmtiles: %d, want 404", name, resp.StatusCode)
		}
	}

	// go-pmtiles reads a tile over HTTP from the served archive.
	bucket, err := pm.OpenBucket(context.Background(), base+"/pmtiles", "")
	if err != nil {
		t.Fatal(err)
	}
	reader, err := pm.NewServerWithBucket(bucket, "", log.New(io.Discard, "", 0), 16, "")
	if err != nil {
		t.Fatal(err)
	}
	reader.Start()
	status, _, data := reader.Get(context.Background(), fmt.Sprintf("/andorra/%d/%d/%d.mvt", tl.Z, tl.X, tl.Y))
	if status != http.StatusOK || !bytes.Equal(data, a.tile(tl)) {
		t.Errorf("go-pmtiles over HTTP: tile %v status %d, %d bytes; want 200 and the stored %d bytes", tl, status, len(data), len(a.tile(tl)))
	}

	// The map reads the archive in a browser (?pmtiles=andorra).
	if chromium := cmp.Or(os.Getenv("CHROMIUM"), "/usr/bin/chromium"); fileExists(chromium) && fileExists("../../web/ui/node_modules/pmtiles") {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "node", "../../web/ui/test/pmtiles.test.mjs", base+"/", "andorra").CombinedOutput()
		t.Logf("browser: %s", out)
		if err != nil {
			t.Errorf("the map on the archive: %v", err)
		}
	} else {
		t.Log("no chromium or npm packages: the map on the archive is not checked")
	}

	// A failed export leaves the previous archive as it was, and no
	// temporary file behind.
	if out, code := aimaq("export", "pmtiles", "--layers", "oblasts", "--maxzoom", "15", file); code != 65 || !strings.Contains(out, "z=14") {
		t.Errorf("--maxzoom 15: exit %d, want 65 naming the layers' maxzoom:\n%s", code, out)
	}
	if out, code := aimaq("export", "pmtiles", "--layers", "oblasts,roads", file); code != 65 || !strings.Contains(out, `"roads"`) {
		t.Errorf("--layers roads: exit %d, want 65 naming it:\n%s", code, out)
	}
	after, err := os.ReadFile(file)
	if err != nil || !bytes.Equal(after, a.data) {
		t.Errorf("the previous archive changed after failed exports (err %v)", err)
	}
	if entries, _ := os.ReadDir(archives); len(entries) != 1 {
		t.Errorf("files left beside the archive: %v", entries)
	}
}

// servePMTiles is `aimaq serve --pmtiles dir` on the database at dbURL.
func servePMTiles(t *testing.T, bin, dbURL, dir string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "--pmtiles", dir)
	cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL)
	base, err := serveURL(cmd, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopServer(cmd) })
	return base
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// --pmtiles takes a directory (its archives) or one archive (only it).
func TestPMTilesFS(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.pmtiles", "b.pmtiles"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("SYNTHETIC"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names := func(path string) string {
		t.Helper()
		fsys, err := pmtilesFS(path)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			if _, err := fs.Stat(fsys, e.Name()); err != nil {
				t.Errorf("%s listed but not opened: %v", e.Name(), err)
			}
			out = append(out, e.Name())
		}
		return strings.Join(out, ",")
	}
	if got := names(dir); got != "a.pmtiles,b.pmtiles" {
		t.Errorf("directory: %s", got)
	}
	if got := names(filepath.Join(dir, "a.pmtiles")); got != "a.pmtiles" {
		t.Errorf("one file: %s", got)
	}
	fsys, _ := pmtilesFS(filepath.Join(dir, "a.pmtiles"))
	if _, err := fsys.Open("b.pmtiles"); err == nil {
		t.Error("one file: its neighbour opens too")
	}
	for _, bad := range []string{filepath.Join(dir, "missing"), filepath.Join(dir, "notes.txt")} {
		_ = os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
		if _, err := pmtilesFS(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("pmtilesFS(%s): err = %v, want one naming it", bad, err)
		}
	}
}
