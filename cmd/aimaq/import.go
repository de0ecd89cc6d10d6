package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/internal/errs"
)

var _ importer.DB = (*postgis.Store)(nil)

// datasetArgs is every dataset `aimaq import` knows, with how many file
// arguments it takes (-1: optional directory).
var datasetArgs = map[string]int{"kz": -1, "boundaries": 1, "settlements": 1, "stats": 1, "groups": 0, "centres": 1, "osm": 1, "facilities": 1, "roads": 1}

const datasetNames = "kz, boundaries, settlements, stats, groups, centres, osm, facilities or roads"

func (a *app) importCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return errs.E(errs.Invalid, "import: which dataset? %s", datasetNames)
	}
	what, rest := args[0], args[1:]
	level := fs.String("level", "", "boundaries: country, oblast or district")
	codeField := fs.String("code-field", "", "boundaries: the property holding each unit's code (default: KATO, else code, ISO3166-2, ISO_3166_2, ISO3166-1 or ref)")
	parentField := fs.String("parent-field", "", "boundaries: the property holding the code of each unit's parent (default: by KATO, else the parent level's unit covering most of it)")
	stat := fs.String("stat", "", "stats: population, schools or medical_institutions (default: from the file name)")
	year := fs.Int("year", 0, "stats: year of the figures (default: from the header or file name)")
	roadClasses := fs.String("road-classes", strings.Join(importer.DefaultRoadClasses, ","), "osm: highway=* classes kept as roads, comma-separated")
	replaceRoads := fs.Bool("replace-roads", false, "osm: allow --road-classes to leave out classes of roads already imported, deleting those roads")
	asJSON := fs.Bool("json", false, "print the import reports as JSON")
	want, ok := datasetArgs[what]
	if !ok {
		return errs.E(errs.Invalid, "import %q: want %s", what, datasetNames)
	}
	pos, err := parse(fs, rest, want)
	if err != nil {
		return err
	}
	if what == "boundaries" && *level == "" {
		return errs.E(errs.Invalid, "import boundaries: --level country|oblast|district is required")
	}
	s, closeDB, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	im := importer.New(s, a.progress)
	start := time.Now()
	var reports []*importer.Report
	var r *importer.Report
	switch what {
	case "kz":
		dir := a.cfg.DataDir
		if len(pos) > 0 {
			dir = pos[0]
		}
		reports, err = im.KZ(ctx, dir)
	case "boundaries":
		r, err = im.BoundariesWith(ctx, pos[0], importer.BoundaryOptions{Level: *level, CodeField: *codeField, ParentField: *parentField})
	case "settlements":
		r, err = im.Settlements(ctx, pos[0])
	case "stats":
		r, err = im.Stats(ctx, pos[0], importer.StatsOptions{Stat: *stat, Year: *year})
	case "centres":
		r, err = im.Centres(ctx, pos[0])
	case "groups":
		r, err = im.Groups(ctx)
	case "osm":
		r, err = im.OSM(ctx, pos[0], importer.OSMOptions{RoadClasses: strings.Split(*roadClasses, ","), ReplaceRoads: *replaceRoads})
	case "facilities":
		r, err = im.Facilities(ctx, pos[0])
	case "roads":
		r, err = im.Roads(ctx, pos[0])
	}
	if r != nil {
		reports = append(reports, r)
	}
	a.printReports(reports, *asJSON)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "aimaq: import %s done in %v\n", what, time.Since(start).Round(time.Millisecond))
	return nil
}

// boundaryCmd writes the administrative boundaries of one admin_level of an
// OpenStreetMap extract as GeoJSON that `aimaq import boundaries` reads. It
// needs no database: the file can be looked at, or corrected, before import.
func (a *app) boundaryCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	adminLevel := fs.Int("admin-level", 2, "admin_level of the boundary=administrative relations (2: a country)")
	out := fs.String("o", "", "write the GeoJSON to this file (default: standard output)")
	fallback := fs.Bool("bounds-fallback", false, "when no relation of the level is complete in the extract, write the extract's bounding box instead, flagged boundary_source=extract_bounds")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	res, err := importer.OSMBoundaries(ctx, pos[0], importer.OSMBoundaryOptions{AdminLevel: *adminLevel, BoundsFallback: *fallback})
	if res != nil {
		for _, s := range res.Incomplete {
			fmt.Fprintf(a.stderr, "aimaq: boundary: left out, incomplete in the extract: %s\n", s)
		}
	}
	if err != nil {
		return err
	}
	b, err := json.Marshal(res.Features)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "" {
		_, err = a.stdout.Write(b)
	} else if err = os.WriteFile(*out, b, 0o644); err != nil {
		err = errs.Wrap(errs.Invalid, err, "boundary: -o %s", *out)
	}
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%d boundaries of admin_level %d", len(res.Features.Features), *adminLevel)
	if res.FromBounds {
		what = "the extract's bounding box (not an administrative boundary; flagged boundary_source=extract_bounds)"
	}
	dest := *out
	if dest == "" {
		dest = "standard output"
	}
	fmt.Fprintf(a.stderr, "aimaq: boundary: %s written to %s\n", what, dest)
	return nil
}

func (a *app) printReports(reports []*importer.Report, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(reports)
		return
	}
	for _, r := range reports {
		fmt.Fprintf(a.stdout, "%-26s %6d rows  %v  %s\n", r.Dataset, r.Rows, r.Duration.Round(time.Millisecond), r.File)
		if r.Clipped > 0 {
			fmt.Fprintf(a.stdout, "%26s %6d outside the country, left out\n", "", r.Clipped)
		}
		if r.Estimated > 0 {
			fmt.Fprintf(a.stdout, "%26s %6d populations estimated (marked population_estimated)\n", "", r.Estimated)
		}
		for _, s := range r.Repaired {
			fmt.Fprintf(a.stdout, "%26s repaired with ST_MakeValid: %s\n", "", s)
		}
		if len(r.Counts) > 0 {
			keys := make([]string, 0, len(r.Counts))
			for k := range r.Counts {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(a.stdout, "%26s %6d %s\n", "", r.Counts[k], strings.ReplaceAll(k, "_", " "))
			}
		}
		if m := r.Memory; m != nil {
			fmt.Fprintf(a.stdout, "%26s peak memory: heap in use %.1f MiB, from the OS %.1f MiB\n", "", m.HeapInuseMiB, m.SysMiB)
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(a.stdout, "%26s warning: %s\n", "", strings.TrimSpace(w))
		}
	}
}
