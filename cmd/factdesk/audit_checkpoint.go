package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"factdesk/models"
)

const auditKeygenUsage = `audit keygen FILE

Writes a new Ed25519 key for signing audit checkpoints to FILE (PEM, mode
0600; an existing file is never overwritten) and prints its public key.
Keep the key out of reach of whoever administers the database, and the
public key where checkpoints are verified (audit verify --audit-pubkey
takes what this prints).`

const auditCheckpointUsage = `audit checkpoint --audit-key FILE [-o FILE] [--every DURATION --dir DIR] [flags]

Reads the head of every audit chain (every article's and the global one) in
one snapshot, signs them with the key and writes the checkpoint as JSON to
standard output or -o. With --every it takes one every DURATION into DIR,
each file named by its time, until interrupted. Keep checkpoints where
whoever can write the database cannot rewrite them; "audit verify
--checkpoint" then proves that no chain lost its tail since.`

// runAuditKeygen writes a new signing key.
func runAuditKeygen(p *Program, args []string) error {
	fs := p.flags("audit keygen", auditKeygenUsage)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"audit keygen takes the file to write the key to"}
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("generate a key: %w", err)
	}
	pemKey, err := models.MarshalAuditKey(key)
	if err != nil {
		return err
	}
	pemPub, err := models.MarshalAuditPublicKey(pub)
	if err != nil {
		return err
	}
	if err := writeNewFile(fs.Arg(0), pemKey, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(p.Stdout, "ed25519 public key %s\n%s", models.EncodePublicKey(pub), pemPub)
	fmt.Fprintf(p.Stderr, "wrote the private key to %s; keep the public key above where checkpoints are verified\n", fs.Arg(0))
	return nil
}

// writeNewFile writes data to a file that must not exist yet, with mode
// perm, and removes it again when the write fails.
func writeNewFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists: refusing to overwrite it", path)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// runAuditCheckpoint takes one checkpoint, or one every --every.
func runAuditCheckpoint(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("audit checkpoint", auditCheckpointUsage)
	cfg := p.dbFlags(fs)
	keyFile := fs.String("audit-key", p.env("FACTDESK_AUDIT_KEY", ""), "the private key to sign with, written by audit keygen (env FACTDESK_AUDIT_KEY)")
	out := fs.String("o", "", "write the checkpoint to this file instead of standard output")
	every := fs.Duration("every", 0, "take a checkpoint every DURATION into --dir until interrupted")
	dir := fs.String("dir", "", "the directory --every writes checkpoints to")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("audit checkpoint takes no arguments, not %q", fs.Arg(0))}
	case *keyFile == "":
		return usageError{"audit checkpoint needs --audit-key FILE (made with audit keygen)"}
	case *every < 0:
		return usageError{"--every must be positive"}
	case *every > 0 && *dir == "":
		return usageError{"--every needs --dir, where the checkpoints go"}
	case *every > 0 && *out != "":
		return usageError{"--every writes into --dir: -o is for a single checkpoint"}
	case *every == 0 && *dir != "":
		return usageError{"--dir goes with --every; for one checkpoint say -o FILE"}
	}
	key, err := readAuditKey(p, *keyFile)
	if err != nil {
		return err
	}
	db, err := cfg.open(ctx, slog.New(slog.DiscardHandler), false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	if *every > 0 {
		return checkpointEvery(ctx, p, store, key, *every, *dir)
	}
	cp, err := store.TakeCheckpoint(ctx, key)
	if err != nil {
		return err
	}
	data, err := cp.Encode()
	if err != nil {
		return err
	}
	if *out == "" {
		_, err := p.Stdout.Write(data)
		return err
	}
	if err := writeFileAtomic(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(p.Stderr, "wrote %s: %d chains, taken %s\n", *out, len(cp.Heads), cp.TakenAt.Format(time.RFC3339))
	return nil
}

// readAuditKey reads the signing key, warning when others may read it.
func readAuditKey(p *Program, path string) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the audit key: %w", err)
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(p.Stderr, "warning: %s can be read by others (mode %04o); the key must stay private\n", path, info.Mode().Perm())
	}
	key, err := models.ParseAuditKey(data)
	if err != nil {
		return nil, fmt.Errorf("the audit key %s: %w", path, err)
	}
	return key, nil
}

// checkpointEvery writes a checkpoint into dir now and every interval
// until ctx ends. A checkpoint that fails is reported and the next one is
// taken on time: a database that is down for a while must not end the
// schedule.
func checkpointEvery(ctx context.Context, p *Program, store *models.Store, key ed25519.PrivateKey, every time.Duration, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		path, n, err := checkpointInto(ctx, store, key, dir)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			fmt.Fprintf(p.Stderr, "factdesk audit checkpoint: %v\n", err)
		default:
			fmt.Fprintf(p.Stdout, "wrote %s: %d chains\n", path, n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// checkpointFileTime names checkpoint files: sorted by name, they are
// sorted by time.
const checkpointFileTime = "20060102T150405.000000000Z"

// checkpointInto takes a checkpoint and writes it into dir, named by its
// time; it returns the file and the number of chains.
func checkpointInto(ctx context.Context, store *models.Store, key ed25519.PrivateKey, dir string) (string, int, error) {
	cp, err := store.TakeCheckpoint(ctx, key)
	if err != nil {
		return "", 0, err
	}
	data, err := cp.Encode()
	if err != nil {
		return "", 0, err
	}
	path := filepath.Join(dir, "checkpoint-"+cp.TakenAt.UTC().Format(checkpointFileTime)+".json")
	return path, len(cp.Heads), writeFileAtomic(path, data)
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so that a reader never sees half a checkpoint.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// keptCheckpoint is a checkpoint read from a file, with the outcome of its
// signature check.
type keptCheckpoint struct {
	path   string
	cp     *models.Checkpoint
	key    ed25519.PublicKey // the key that signed it
	pinned bool
	err    error // the checkpoint is malformed or its signature fails
}

// readCheckpoints reads the checkpoint files and directories and checks
// each one's signature, against the key in pubkeyFile when it is given.
func readCheckpoints(paths []string, pubkeyFile string) ([]keptCheckpoint, error) {
	var pinned ed25519.PublicKey
	if pubkeyFile != "" {
		data, err := os.ReadFile(pubkeyFile)
		if err != nil {
			return nil, fmt.Errorf("read the audit public key: %w", err)
		}
		if pinned, err = models.ParseAuditPublicKey(data); err != nil {
			return nil, fmt.Errorf("the audit public key %s: %w", pubkeyFile, err)
		}
	}
	files, err := checkpointFiles(paths)
	if err != nil {
		return nil, err
	}
	kept := make([]keptCheckpoint, 0, len(files))
	for _, f := range files {
		k := keptCheckpoint{path: f, pinned: pinned != nil}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read the checkpoint: %w", err)
		}
		if k.cp, k.err = models.DecodeCheckpoint(data); k.err == nil {
			k.key, k.err = k.cp.VerifySignature(pinned)
		}
		kept = append(kept, k)
	}
	return kept, nil
}

// checkpointFiles lists the files of paths, a directory standing for the
// .json files in it in name (so time) order.
func checkpointFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read the checkpoint: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("read the checkpoints: %w", err)
		}
		var in []string
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
				in = append(in, filepath.Join(p, e.Name()))
			}
		}
		if len(in) == 0 {
			// An emptied directory must not pass for a clean check.
			return nil, fmt.Errorf("no checkpoints (*.json) in %s", p)
		}
		sort.Strings(in)
		files = append(files, in...)
	}
	return files, nil
}

// verifyCheckpoints checks that every chain extends the heads of each
// kept checkpoint whose signature holds (limited to the chains in only
// when it is set), prints what it finds, and returns how many checkpoints
// failed.
func verifyCheckpoints(ctx context.Context, p *Program, store *models.Store, kept []keptCheckpoint, only map[int64]bool) (int, error) {
	failed := 0
	for _, k := range kept {
		if k.err != nil {
			fmt.Fprintf(p.Stdout, "checkpoint %s: FAILED\n  - %v\n", k.path, k.err)
			failed++
			continue
		}
		signer := "signed by the pinned key"
		if !k.pinned {
			signer = fmt.Sprintf("signed by key %s, the checkpoint's own (not pinned: pass --audit-pubkey to require yours)", models.EncodePublicKey(k.key))
		}
		res, err := store.VerifyCheckpoint(ctx, k.cp, only)
		if err != nil {
			return failed, err
		}
		taken := k.cp.TakenAt.Format(time.RFC3339)
		if res.OK() {
			fmt.Fprintf(p.Stdout, "checkpoint %s: ok (taken %s, %s; %d chains extend their checkpointed heads)\n", k.path, taken, signer, res.Chains)
			continue
		}
		failed++
		fmt.Fprintf(p.Stdout, "checkpoint %s: FAILED (taken %s, %s; %d of %d chains do not extend their checkpointed heads)\n",
			k.path, taken, signer, len(res.Problems), res.Chains)
		for _, pr := range res.Problems {
			fmt.Fprintf(p.Stdout, "  - %s\n", pr.Message)
		}
	}
	return failed, nil
}
