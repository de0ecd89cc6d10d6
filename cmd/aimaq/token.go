package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
)

// tokenCmd is `aimaq token create|list|revoke`: the tokens that API writes
// need (issue 12.4). Only a token's hash is stored; create shows it once.
func (a *app) tokenCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return errs.E(errs.Invalid, "aimaq token: want create --name NAME, list or revoke NAME")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "create":
		name := fs.String("name", "", "the token's name: who or what uses it (letters, digits, . _ @ -)")
		if _, err := parse(fs, rest, 0); err != nil {
			return err
		}
		if *name == "" {
			return errs.E(errs.Invalid, "aimaq token create: --name is required")
		}
		s, closeDB, err := a.open(ctx)
		if err != nil {
			return err
		}
		defer closeDB()
		token, err := s.CreateToken(ctx, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, token)
		fmt.Fprintf(a.stderr, "aimaq: token %q created; it is shown this once (only its hash is kept). Send it as Authorization: Bearer <token>.\n", *name)
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
		ts, err := s.Tokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCREATED\tLAST USED\tREVOKED")
		when := func(t *time.Time) string {
			if t == nil {
				return "-"
			}
			return t.UTC().Format(time.RFC3339)
		}
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, when(&t.CreatedAt), when(t.LastUsedAt), when(t.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		pos, err := parse(fs, rest, 1)
		if err != nil {
			return err
		}
		s, closeDB, err := a.open(ctx)
		if err != nil {
			return err
		}
		defer closeDB()
		if err := s.RevokeToken(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "token %q revoked\n", pos[0])
		return nil
	}
	return errs.E(errs.Invalid, "aimaq token %s: unknown; want create, list or revoke", sub)
}
