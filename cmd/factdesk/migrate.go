package main

import (
	"context"
	"fmt"

	"factdesk/models"
)

const migrateUsage = `migrate up|down|status [flags]

up applies every pending migration; down rolls back the latest one;
status lists the migrations and whether each is applied.`

func runMigrate(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("migrate", migrateUsage)
	cfg := p.dbFlags(fs)
	if len(args) == 0 {
		fs.Usage()
		return usageError{"say up, down or status"}
	}
	verb := args[0]
	switch verb {
	case "-h", "-help", "--help":
		fs.Usage()
		return nil
	case "up", "down", "status":
	default:
		// Refused before the database is opened, which would create it.
		return usageError{fmt.Sprintf("unknown migrate verb %q: say up, down or status", verb)}
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("migrate %s takes no arguments", verb)}
	}
	db, err := models.Open(ctx, cfg.DSN(), models.Options{StatementTimeout: cfg.statementTimeout})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := db.Migrator()
	if err != nil {
		return err
	}
	switch verb {
	case "up":
		res, err := m.Up(ctx)
		if err != nil {
			return err
		}
		for _, r := range res {
			fmt.Fprintf(p.Stdout, "applied %05d %s\n", r.Version, r.Name)
		}
		if len(res) == 0 {
			fmt.Fprintln(p.Stdout, "nothing to apply: the schema is current")
		}
	case "down":
		r, err := m.Down(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(p.Stdout, "rolled back %05d %s\n", r.Version, r.Name)
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(p.Stdout, "%05d  %-8s %s\n", s.Version, state, s.Name)
		}
	}
	return nil
}
