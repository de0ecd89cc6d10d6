package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/aimaq/aimaq/data/compute"
)

// computeCmd is `aimaq compute`: every indicator, as a new compute run.
func (a *app) computeCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print the run summary as JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	s, closeDB, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	res, err := a.compute(ctx, s)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(a.stdout, "compute run %d: %d settlements, %d facilities, %d roads (%d nodes, %d edges), %d routed, %d with straight-line values\n",
		res.RunID, res.Settlements, res.Facilities, res.Roads, res.Nodes, res.Edges, res.Routed, res.StraightLine)
	if len(res.Missing) > 0 {
		fmt.Fprintf(a.stdout, "not computable with the data loaded: %s\n  load an OpenStreetMap extract for them: aimaq import osm kazakhstan-latest.osm.pbf\n", strings.Join(res.Missing, ", "))
	}
	return nil
}

func (a *app) compute(ctx context.Context, db compute.Store) (*compute.Result, error) {
	o := compute.DefaultOptions()
	o.Progress = a.stderr
	start := time.Now()
	res, err := compute.Run(ctx, db, o)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(a.stderr, "aimaq: compute done in %v\n", time.Since(start).Round(time.Millisecond))
	return res, nil
}
