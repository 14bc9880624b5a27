package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"factdesk/models"
)

const backupUsage = `backup --to FILE [flags]

Writes a consistent copy of the embedded database to FILE while factdesk
keeps serving (SQLite's VACUUM INTO reads one snapshot; writers go on),
then opens the copy and checks it before it takes FILE's name: SQLite's
integrity check and the whole audit trail (every
article's hash chain and replay, and the users' and tokens' chain), as
"factdesk audit verify" does. A backup that fails a check is removed and
the command exits 1. FILE must not exist.

A PostgreSQL database is backed up with pg_dump; run "factdesk audit
verify --db …" on the restored copy.`

func runBackup(ctx context.Context, p *Program, args []string) error {
	flags := p.flags("backup", backupUsage)
	cfg := p.dbFlags(flags)
	to := flags.String("to", "", "the backup file to write (must not exist)")
	verify := flags.Bool("verify", true, "check the copy before keeping it (integrity, audit trail)")
	if err := parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 || *to == "" {
		flags.Usage()
		return usageError{"say where: --to FILE"}
	}
	if !strings.HasPrefix(cfg.DSN(), "sqlite:") {
		return models.ErrBackupNeedsSQLite // checked before opening: pg_dump's job
	}
	db, err := cfg.open(ctx, slog.New(slog.DiscardHandler), false)
	if err != nil {
		return err
	}
	defer db.Close()
	// The copy is written beside the backup under a name of its own and
	// renamed once checked, so that FILE is only ever a whole, checked
	// backup.
	final, err := filepath.Abs(*to)
	if err != nil {
		return err
	}
	if err := models.NewBackupTarget(final); err != nil {
		return err
	}
	partial := final + ".partial"
	removeCopy(partial)
	start := time.Now()
	if err := db.BackupTo(ctx, partial); err != nil {
		return err
	}
	wrote := time.Since(start)
	// The copy holds password hashes and token digests: its owner's alone.
	if err := os.Chmod(partial, 0o600); err != nil {
		removeCopy(partial)
		return fmt.Errorf("backup: %w", err)
	}
	if *verify {
		if err := checkBackup(ctx, p, partial); err != nil {
			removeCopy(partial)
			return err
		}
	}
	if err := os.Rename(partial, final); err != nil {
		removeCopy(partial)
		return fmt.Errorf("backup: %w", err)
	}
	info, err := os.Stat(final)
	if err != nil {
		return err
	}
	checked := "not checked (--verify=false)"
	if *verify {
		checked = fmt.Sprintf("checked in %.1f s", (time.Since(start) - wrote).Seconds())
	}
	fmt.Fprintf(p.Stdout, "backup %s: %.1f MB written in %.1f s, %s\n", final, float64(info.Size())/(1<<20), wrote.Seconds(), checked)
	return nil
}

// checkBackup opens the copy at path as factdesk would and checks it: the
// file's integrity and its audit trail. (Its schema is the source's, which
// was opened only at the current version.) It reports
// what failed on p.Stdout.
func checkBackup(ctx context.Context, p *Program, path string) error {
	db, err := models.Open(ctx, "sqlite:"+path, models.Options{})
	if err != nil {
		return fmt.Errorf("open the backup: %w", err)
	}
	// Closing the last connection folds the copy's write-ahead log back
	// into the file, which is then whole on its own.
	defer db.Close()
	problems, err := db.IntegrityCheck(ctx)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		for _, pr := range problems {
			fmt.Fprintf(p.Stdout, "backup integrity: %s\n", pr)
		}
		return errors.New("the backup fails SQLite's integrity check; it was removed")
	}
	store := models.NewStore(db)
	ids, err := store.ArticleIDs(ctx)
	if err != nil {
		return err
	}
	failed, err := verifyTrail(ctx, store, ids, true, func(id int64, v *models.Verification) {
		if !v.OK {
			printFailure(p, id, v)
		}
	}, func(problems []models.ChainProblem, _ int) {
		if len(problems) > 0 {
			printGlobalFailure(p, problems)
		}
	})
	if err != nil {
		return fmt.Errorf("verify the backup: %w", err)
	}
	if failed > 0 {
		return errors.New("the backup's audit trail does not verify; it was removed")
	}
	fmt.Fprintf(p.Stdout, "backup verified: integrity ok, audit trails ok (%d articles, users and tokens)\n", len(ids))
	return nil
}

// removeCopy removes an unfinished backup and its SQLite side files.
func removeCopy(path string) {
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
}
