package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/aimaq/aimaq/tiles/pmtiles"
)

var _ pmtiles.TileSource = (*postgis.Store)(nil)

// defaultExportMaxZoom is where `aimaq export pmtiles` stops unless told:
// districts are crisp at z10 and maps overzoom the last level beyond it;
// z10 over Kazakhstan is some ten thousand tiles per layer.
const defaultExportMaxZoom = 10

// thinnedLayers leave features out at low zoom that a higher zoom shows
// away from any feature of the lower one (settlements: hamlets from z9), so
// the export cuts every tile of theirs over the bounds.
var thinnedLayers = map[string]bool{"settlements": true}

// exportCmd is `aimaq export pmtiles FILE`.
func (a *app) exportCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 || args[0] != "pmtiles" {
		return errs.E(errs.Invalid, "export: want pmtiles (aimaq export pmtiles [--layers L,...] [--minzoom N] [--maxzoom N] FILE.pmtiles)")
	}
	cat := tiles.NewCatalogue()
	var all []string
	for _, l := range cat.Layers() {
		all = append(all, l.Name)
	}
	layerList := fs.String("layers", strings.Join(all, ","), "export pmtiles: comma-separated layers, in the order their MVT layers take in each tile")
	minZoom := fs.Uint("minzoom", 0, "export pmtiles: first zoom")
	maxZoom := fs.Uint("maxzoom", defaultExportMaxZoom, "export pmtiles: last zoom (at most the layers' maxzoom)")
	pos, err := parse(fs, args[1:], 1)
	if err != nil {
		return err
	}
	file := pos[0]
	var layers []pmtiles.Layer
	seen := map[string]bool{}
	for _, name := range strings.Split(*layerList, ",") {
		name = strings.TrimSpace(name)
		l, ok := cat.Layer(name)
		switch {
		case name == "":
			continue
		case !ok:
			return errs.E(errs.Invalid, "export pmtiles: --layers: no layer %q (want some of %s)", name, strings.Join(all, ","))
		case seen[name]:
			return errs.E(errs.Invalid, "export pmtiles: --layers: %s named twice", name)
		}
		seen[name] = true
		if *maxZoom > uint(l.MaxZoom) {
			return errs.E(errs.Invalid, "export pmtiles: --maxzoom %d: layer %s has no tiles above z=%d", *maxZoom, name, l.MaxZoom)
		}
		layers = append(layers, pmtiles.Layer{Layer: l, Thinned: thinnedLayers[name]})
	}
	switch {
	case len(layers) == 0:
		return errs.E(errs.Invalid, "export pmtiles: --layers names no layer (want some of %s)", strings.Join(all, ","))
	case *minZoom > *maxZoom:
		return errs.E(errs.Invalid, "export pmtiles: --minzoom %d is above --maxzoom %d", *minZoom, *maxZoom)
	}
	if !strings.HasSuffix(file, ".pmtiles") {
		return errs.E(errs.Invalid, "export pmtiles: %s: the file name must end in .pmtiles", file)
	}
	s, closeDB, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	st, err := exportPMTiles(ctx, s, layers, tiles.Zoom(*minZoom), tiles.Zoom(*maxZoom), file, a.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "aimaq: wrote %s: %d tiles (%d unique, %d directory entries; %d cut), %d bytes, z%d–z%d, %s in %.1f s\n",
		file, st.Tiles, st.Unique, st.Entries, st.Cut, st.Bytes, *minZoom, *maxZoom, joinNames(layers), st.Seconds)
	return nil
}

// exportStats are the figures of one export.
type exportStats struct {
	pmtiles.Stats
	Cut     int // tiles asked of the database
	Seconds float64
}

// exportPMTiles writes the pyramid of layers to file through file.tmp-*,
// renamed over file only when complete: a failure leaves a previous file as
// it was. Progress goes to progress, one line per zoom.
func exportPMTiles(ctx context.Context, s *postgis.Store, layers []pmtiles.Layer, minZoom, maxZoom tiles.Zoom, file string, progress io.Writer) (exportStats, error) {
	start := time.Now()
	var st exportStats
	ext, ok, err := s.CountryExtent(ctx)
	if err != nil {
		return st, err
	}
	if !ok {
		return st, errs.E(errs.Invalid, "export pmtiles: no country imported: nothing to export (aimaq import kz first)")
	}
	bounds := [4]float64{ext.Min[0], ext.Min[1], ext.Max[0], ext.Max[1]}
	gen, err := s.Generation(ctx)
	if err != nil {
		return st, err
	}
	runs, err := s.Runs(ctx)
	if err != nil {
		return st, err
	}
	dir := filepath.Dir(file)
	w, err := pmtiles.NewWriter(dir)
	if err != nil {
		return st, errs.Wrap(errs.Invalid, err, "export pmtiles: %s", file)
	}
	defer w.Close()
	// Cut from memory: the generation is loaded once, then no tile asks the
	// database (tiles/cut; TileAt falls back to SQL should the load fail).
	if err := s.TileMemoryReady(ctx, gen); err != nil {
		if ctx.Err() != nil {
			return st, err
		}
		fmt.Fprintf(progress, "aimaq: tiles not loaded into memory (%v): cutting them in the database\n", err)
	}
	prog, err := pmtiles.Export(ctx, generationTiles{s, gen}, layers, w, pmtiles.Options{
		MinZoom: minZoom, MaxZoom: maxZoom, Bounds: bounds, Workers: 2,
		Progress: func(z tiles.Zoom, p pmtiles.Progress) {
			fmt.Fprintf(progress, "aimaq: export z%d done: %d tiles cut, %d with data, %d bytes, %.1f s\n",
				z, p.Cut, p.WithData, p.Bytes, time.Since(start).Seconds())
		},
	})
	if err != nil {
		return st, fmt.Errorf("export pmtiles %s: %w", file, err)
	}
	st.Cut = prog.Cut
	// One archive, one data generation: an import or compute run finished
	// during the export would mix old and new tiles.
	if after, err := s.Generation(ctx); err != nil {
		return st, err
	} else if after != gen {
		return st, errs.E(errs.Unavailable, "export pmtiles %s: the data changed during the export (generation %d, now %d): run it again", file, gen, after)
	}
	center := [3]float64{(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, float64(max(minZoom, min(4, maxZoom)))}
	meta := exportMetadata(layers, minZoom, maxZoom, bounds, center, gen, runs)
	tmp, err := os.CreateTemp(dir, filepath.Base(file)+".tmp-*")
	if err != nil {
		return st, errs.Wrap(errs.Invalid, err, "export pmtiles: %s", file)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	st.Stats, err = w.WriteTo(tmp, pmtiles.Archive{
		MinZoom: minZoom, MaxZoom: maxZoom, Bounds: bounds,
		Center:   center,
		Metadata: meta,
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		return st, fmt.Errorf("export pmtiles %s: %w", file, err)
	}
	st.Seconds = time.Since(start).Seconds()
	return st, nil
}

// exportMetadata is the archive's JSON metadata: the TileJSON fields of the
// layers together, and the data generation and compute run the tiles show.
func exportMetadata(layers []pmtiles.Layer, minZoom, maxZoom tiles.Zoom, bounds [4]float64, center [3]float64, gen int64, runs []access.Run) map[string]any {
	var names, descs, attrs []string
	var vls []tiles.VectorLayer
	for _, l := range layers {
		names = append(names, l.Name)
		descs = append(descs, l.Name+": "+l.Description)
		if !slices.Contains(attrs, l.Attribution) {
			attrs = append(attrs, l.Attribution)
		}
		vls = append(vls, tiles.VectorLayer{ID: l.Name, Description: l.Description,
			MinZoom: max(l.MinZoom, minZoom), MaxZoom: maxZoom, Fields: l.Fields})
	}
	m := map[string]any{
		"name":            "aimaq " + strings.Join(names, ","),
		"description":     strings.Join(descs, "\n"),
		"attribution":     strings.Join(attrs, "; "),
		"type":            "overlay",
		"format":          "pbf",
		"version":         "1",
		"minzoom":         minZoom,
		"maxzoom":         maxZoom,
		"bounds":          bounds,
		"center":          center,
		"vector_layers":   vls,
		"data_generation": gen,
		"exported_at":     time.Now().UTC().Format(time.RFC3339),
	}
	for _, r := range runs {
		if r.Status == "done" {
			m["compute_run"] = map[string]any{"id": r.ID, "finished_at": r.FinishedAt, "data_generation": r.DataGeneration, "stale": r.Stale}
			break
		}
	}
	if _, ok := m["compute_run"]; !ok {
		m["compute_run"] = nil // no finished run: the tiles carry no indicator values
	}
	return m
}

func joinNames(layers []pmtiles.Layer) string {
	var names []string
	for _, l := range layers {
		names = append(names, l.Name)
	}
	return strings.Join(names, ",")
}

// pmtilesFS is what `aimaq serve --pmtiles PATH` serves at
// /pmtiles/{name}.pmtiles: the .pmtiles archives of a directory, or one
// archive file.
func pmtilesFS(path string) (fs.FS, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "--pmtiles %s", path)
	}
	if fi.IsDir() {
		return os.DirFS(path), nil
	}
	if !fi.Mode().IsRegular() || !strings.HasSuffix(fi.Name(), ".pmtiles") {
		return nil, errs.E(errs.Invalid, "--pmtiles %s: want a directory or a .pmtiles file", path)
	}
	return oneFile{dir: os.DirFS(filepath.Dir(path)), name: fi.Name()}, nil
}

// oneFile is a directory's file system showing only the file name.
type oneFile struct {
	dir  fs.FS
	name string
}

func (o oneFile) Open(name string) (fs.File, error) {
	if name == o.name {
		return o.dir.Open(name)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (o oneFile) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	fi, err := fs.Stat(o.dir, o.name)
	if err != nil {
		return nil, err
	}
	return []fs.DirEntry{fs.FileInfoToDirEntry(fi)}, nil
}

// generationTiles cuts the tiles of one data generation (postgis.Store.TileAt).
type generationTiles struct {
	s   *postgis.Store
	gen int64
}

func (g generationTiles) Tile(ctx context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error) {
	return g.s.TileAt(ctx, l, t, g.gen)
}
