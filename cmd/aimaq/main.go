// Command aimaq is the geospatial analytics and map tile server for regional
// development planning in Kazakhstan. One binary: it runs its own PostGIS (or
// uses AIMAQ_DATABASE_URL), imports data, and serves tiles, API and the web map.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/aimaq/aimaq/internal/config"
	"github.com/aimaq/aimaq/internal/errs"
)

const usage = `aimaq — regional development analytics and map tile server for Kazakhstan

Usage:
  aimaq run                 start or connect to the database, migrate, import the data set if
                            the database is empty, compute if the data changed since the last
                            run, and serve on AIMAQ_ADDR (default :8080)
  aimaq serve               serve only (no import); --pmtiles DIR_OR_FILE (AIMAQ_PMTILES) also serves
                            PMTiles archives at /pmtiles/{name}.pmtiles, listed at /pmtiles
  aimaq import kz [DIR]     import the whole Kazakhstan data set (default AIMAQ_DATA_DIR)
  aimaq import boundaries FILE --level country|oblast|district [--code-field F] [--parent-field F]
                            administrative units; outside Kazakhstan, without KATO codes: the code from
                            --code-field (or code, ISO3166-2, ISO3166-1, ref), the parent from
                            --parent-field or else the unit of the level above that covers most of it
  aimaq boundary FILE.osm.pbf [--admin-level 2] [-o FILE] [--bounds-fallback]
                            administrative boundaries of one admin_level assembled from an OSM extract,
                            as GeoJSON for import boundaries (needs no database)
  aimaq import settlements FILE
  aimaq import stats FILE [--stat population|schools|medical_institutions] [--year YYYY]
  aimaq import groups       macroregions and agglomerations from data/reference/groups.csv
  aimaq import centres FILE administrative centres of the oblasts (points with ISO_3166_2)
  aimaq import osm FILE.osm.pbf [--road-classes motorway,trunk,... [--replace-roads]]
                            roads, schools, health facilities and places from an OSM extract
                            (Geofabrik asia/kazakhstan-latest.osm.pbf: aimaq import osm kazakhstan-latest.osm.pbf)
  aimaq import facilities FILE
                            schools and health facilities: GeoJSON points or CSV kind,name,capacity,lon,lat[,id]
  aimaq import roads FILE   roads from GeoJSON lines (class, surface/paved, speed_kmh/maxspeed, oneway, name, id)
  aimaq compute             compute every accessibility indicator as a new run
  aimaq export pmtiles [--layers oblasts,districts,groups,settlements] [--minzoom 0] [--maxzoom 10] FILE.pmtiles
                            the tile pyramid as one PMTiles archive, for object storage behind a CDN
  aimaq token create --name NAME | list | revoke NAME
                            the tokens API writes need: create prints a new one once (only its hash is
                            kept); list shows names and use, never tokens; revoke refuses it from then on
  aimaq scenario import --scenario NAME FILE.csv | list
                            add a programme's projects (CSV: kind, name, facility_kind, …; see README) to a
                            scenario, all rows or none; list the scenarios
  aimaq migrate             apply the schema migrations
  aimaq db start|stop|status|psql|url
                            manage the embedded PostgreSQL cluster under AIMAQ_HOME

Every command takes the flags below (or the environment variables in brackets);
put flags after the command, e.g. "aimaq run -addr :9090".
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "aimaq:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 2
	case errs.KindOf(err) == errs.Invalid:
		return 65 // EX_DATAERR: the input was at fault
	case errs.KindOf(err) == errs.Unavailable:
		return 69 // EX_UNAVAILABLE
	}
	return 1
}

// run dispatches a command line; it is main without the process around it, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("aimaq "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, os.LookupEnv)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "configuration")
	}
	a := &app{cfg: cfg, stdout: stdout, stderr: stderr, progress: progressWriter(stderr)}
	switch cmd {
	case "run", "serve":
		fs.StringVar(&a.pmtiles, "pmtiles", os.Getenv("AIMAQ_PMTILES"), "a directory of .pmtiles archives, or one, served at /pmtiles/{name}.pmtiles (AIMAQ_PMTILES)")
		if _, err := parse(fs, rest, 0); err != nil {
			return err
		}
		return a.serve(ctx, cmd == "run")
	case "import":
		return a.importCmd(ctx, fs, rest)
	case "migrate":
		if _, err := parse(fs, rest, 0); err != nil {
			return err
		}
		return a.migrate(ctx)
	case "db":
		return a.dbCmd(ctx, fs, rest)
	case "compute":
		return a.computeCmd(ctx, fs, rest)
	case "boundary":
		return a.boundaryCmd(ctx, fs, rest)
	case "export":
		return a.exportCmd(ctx, fs, rest)
	case "token":
		return a.tokenCmd(ctx, fs, rest)
	case "scenario":
		return a.scenarioCmd(ctx, fs, rest)
	}
	return errs.E(errs.Invalid, "unknown command %q (see aimaq help)", cmd)
}

// parse parses flags that may come before or after positional arguments and
// checks the count of positional arguments (-1: any).
func parse(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if want >= 0 && len(pos) != want {
		return nil, errs.E(errs.Invalid, "%s: want %d argument(s), got %d: %q", fs.Name(), want, len(pos), pos)
	}
	return pos, nil
}

// progressWriter returns w when it is a terminal and we are not in CI, else nil:
// long imports show progress to a person and stay quiet in logs.
func progressWriter(w io.Writer) io.Writer {
	if os.Getenv("CI") == "true" {
		return nil
	}
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}
