package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"

	"github.com/aimaq/aimaq/data/pgcluster"
	"github.com/aimaq/aimaq/internal/errs"
)

// dbCmd manages the embedded cluster: aimaq db start|stop|status|psql|url.
func (a *app) dbCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return errs.E(errs.Invalid, "db: want start, stop, status, psql or url")
	}
	sub := args[0]
	pos, err := parse(fs, args[1:], -1)
	if err != nil {
		return err
	}
	if a.cfg.DatabaseURL != "" && sub != "url" && sub != "psql" {
		return errs.E(errs.Invalid, "db %s: AIMAQ_DATABASE_URL is set, so there is no embedded cluster to manage", sub)
	}
	o := a.clusterOptions(true)
	switch sub {
	case "start":
		c, err := pgcluster.Ensure(ctx, o)
		if err != nil {
			return err
		}
		if c.Started() {
			fmt.Fprintf(a.stdout, "started PostgreSQL under %s\n", o.Home)
		} else {
			fmt.Fprintf(a.stdout, "PostgreSQL already running under %s\n", o.Home)
		}
		fmt.Fprintln(a.stdout, c.URL())
		return nil
	case "stop":
		return pgcluster.StopHome(ctx, o)
	case "status":
		st, err := pgcluster.GetStatus(o)
		if err != nil {
			return err
		}
		if st.Running {
			fmt.Fprintf(a.stdout, "running  pid %d\ndata     %s\nsocket   %s\nurl      %s\n", st.PID, st.DataDir, st.SocketDir, st.URL)
		} else {
			fmt.Fprintf(a.stdout, "stopped\ndata     %s\n", st.DataDir)
		}
		return nil
	case "url":
		url, err := a.dbURL()
		if err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, url)
		return nil
	case "psql":
		url, err := a.dbURL()
		if err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, "psql", append([]string{url}, pos...)...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, a.stdout, a.stderr
		return cmd.Run()
	}
	return errs.E(errs.Invalid, "db %q: want start, stop, status, psql or url", sub)
}

func (a *app) dbURL() (string, error) {
	if a.cfg.DatabaseURL != "" {
		return a.cfg.DatabaseURL, nil
	}
	st, err := pgcluster.GetStatus(a.clusterOptions(true))
	if err != nil {
		return "", err
	}
	if !st.Running {
		return "", errs.E(errs.Unavailable, "the embedded database under %s is not running: start it with `aimaq db start`", a.cfg.Home)
	}
	return st.URL, nil
}
