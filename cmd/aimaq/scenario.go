package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"text/tabwriter"

	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
)

// scenarioCmd is `aimaq scenario import|list`.
func (a *app) scenarioCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return errs.E(errs.Invalid, "aimaq scenario: want import --scenario NAME FILE.csv or list")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "import":
		name := fs.String("scenario", "", "the scenario to add the projects to (made when it does not exist)")
		pos, err := parse(fs, rest, 1)
		if err != nil {
			return err
		}
		if *name == "" {
			return errs.E(errs.Invalid, "aimaq scenario import: --scenario is required")
		}
		f, err := os.Open(pos[0])
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "%s: cannot open", pos[0])
		}
		defer f.Close()
		s, closeDB, err := a.open(ctx)
		if err != nil {
			return err
		}
		defer closeDB()
		who := scenario.Write{Token: "cli:" + osUser(), Method: "CLI", Path: "aimaq scenario import " + filepath.Base(pos[0]), Local: true}
		m, err := s.ScenarioByName(ctx, *name)
		if errs.KindOf(err) == errs.NotFound {
			m, err = s.CreateScenario(ctx, who, *name, "imported from "+filepath.Base(pos[0]))
			if err == nil {
				fmt.Fprintf(a.stderr, "aimaq: created scenario %q (id %d)\n", m.Name, m.ID)
			}
		}
		if err != nil {
			return err
		}
		ps, err := s.ImportProgramme(ctx, who, m.ID, f, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "imported %d projects into scenario %q (id %d)\n", len(ps), m.Name, m.ID)
		return nil
	case "list":
		if _, err := parse(fs, rest, 0); err != nil {
			return err
		}
		s, closeDB, err := a.open(ctx)
		if err != nil {
			return err
		}
		defer closeDB()
		ms, err := s.Scenarios(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tPROJECTS\tCREATED BY\tUPDATED")
		for _, m := range ms {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\n", m.ID, m.Name, m.Projects, m.CreatedBy, m.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"))
		}
		return tw.Flush()
	}
	return errs.E(errs.Invalid, "aimaq scenario %s: unknown; want import or list", sub)
}

// osUser names who runs a command, for the write log.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}
