package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/aimaq/aimaq/data/pgcluster"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/internal/config"
	"github.com/aimaq/aimaq/internal/errs"
)

// app carries the configuration and output streams of one command.
type app struct {
	cfg            *config.Config
	stdout, stderr io.Writer
	progress       io.Writer // nil: quiet
	// supervise keeps the embedded cluster running while this process uses
	// it (aimaq serve and run): restarted with backoff when postgres dies.
	supervise bool
	pmtiles   string // aimaq serve --pmtiles: archives served at /pmtiles/
}

func (a *app) clusterOptions(detach bool) pgcluster.Options {
	home, _ := filepath.Abs(a.cfg.Home)
	return pgcluster.Options{Home: home, Port: a.cfg.DBPort, Log: a.stderr, Detach: detach}
}

// open connects to AIMAQ_DATABASE_URL, or starts (or joins) the embedded
// cluster, and migrates the schema. close stops the cluster if this process
// started it and closes the pool.
func (a *app) open(ctx context.Context) (s *postgis.Store, close func(), err error) {
	url := a.cfg.DatabaseURL
	var cluster *pgcluster.Cluster
	if url == "" {
		cluster, err = pgcluster.Ensure(ctx, a.clusterOptions(false))
		if err != nil {
			return nil, nil, errs.Wrap(errs.Unavailable, err, "embedded database under %s", a.cfg.Home)
		}
		url = cluster.URL()
		if cluster.Started() {
			fmt.Fprintf(a.stderr, "aimaq: started the embedded PostgreSQL under %s\n", a.cfg.Home)
		}
	}
	var sv *pgcluster.Supervisor
	if cluster != nil && a.supervise {
		sv = pgcluster.Supervise(cluster, a.clusterOptions(false), func(format string, args ...any) {
			fmt.Fprintf(a.stderr, "aimaq: "+format+"\n", args...)
		})
	}
	stopCluster := func() {
		// The caller's context may be cancelled already (Ctrl-C): leave with a
		// fresh one. The cluster stops when no other aimaq process uses it.
		var err error
		switch {
		case sv != nil:
			err = sv.Stop(context.Background())
		case cluster != nil:
			err = cluster.Stop(context.Background())
		}
		if err != nil {
			fmt.Fprintf(a.stderr, "aimaq: stop embedded database: %v\n", err)
		}
	}
	s, err = postgis.Open(ctx, url)
	if err != nil {
		stopCluster()
		return nil, nil, errs.Wrap(errs.Unavailable, err, "connect to the database")
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		s.Close()
		stopCluster()
		return nil, nil, err
	}
	for _, m := range applied {
		fmt.Fprintf(a.stderr, "aimaq: applied migration %s\n", m)
	}
	return s, func() { s.Close(); stopCluster() }, nil
}

func (a *app) migrate(ctx context.Context) error {
	_, closeDB, err := a.open(ctx)
	if err != nil {
		return err
	}
	closeDB()
	return nil
}
