package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Program is the factdesk command with its standard streams and
// environment, so that tests can run the real thing in-process.
type Program struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ready, when set, receives the address a server listens on once it
	// accepts connections (tests use it with --addr 127.0.0.1:0).
	Ready func(addr string)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, p *Program, args []string) error
}

func (p *Program) commands() map[string]command {
	cs := []command{
		{"demo", "run the full product on the embedded database with the example article and demo users", runDemo},
		{"serve", "run the web server and API", runServe},
		{"migrate", "apply, roll back or list schema migrations (up|down|status)", runMigrate},
		{"user", "manage users and API tokens (add|list|passwd|token|disable)", runUser},
		{"import", "import articles from files or standard input", runImport},
		{"segment", "split text into sentences, as JSON lines or text", runSegment},
		{"suggest", "compute an article's label suggestions again, or score the machine reviewer on a gold file", runSuggest},
		{"export", "write audit reports: one article in any format, or many in bulk (jsonl, zip)", runExport},
		{"backup", "write a checked copy of the embedded database while it serves", runBackup},
		{"audit", "verify the audit trail (hash chains, a replay, signed checkpoints); keygen, checkpoint", runAudit},
		{"search", "search the archive from the command line, or build the search index again (--reindex)", runSearch},
		{"similar", "find a sentence's claim in other articles, or index older sentences for it (--reindex)", runSimilar},
		{"bench", "measure factdesk against its floors on a fresh database (--quick, --json, --scale)", runBench},
	}
	m := make(map[string]command, len(cs))
	for _, c := range cs {
		m[c.name] = c
	}
	return m
}

// errUsage marks an error in how a command was called (exit status 2).
var errUsage = errors.New("usage")

// usageError is a mistake in the command line, reported with exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Run runs the command line and returns the exit status: 0 on success, 1
// when the command failed, 2 when it was called wrongly.
func (p *Program) Run(ctx context.Context, args []string) int {
	if p.Getenv == nil {
		p.Getenv = os.Getenv
	}
	cmds := p.commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := cmds[args[1]]; ok {
				return p.Run(ctx, []string{c.name, "-h"})
			}
		}
		p.help(cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(p.Stdout, "factdesk", version)
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(p.Stderr, "factdesk: unknown command %q; run \"factdesk help\"\n", args[0])
		return 2
	}
	err := c.run(ctx, p, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue), errors.Is(err, errUsage):
		fmt.Fprintf(p.Stderr, "factdesk %s: %v\n", c.name, err)
		return 2
	default:
		fmt.Fprintf(p.Stderr, "factdesk %s: %v\n", c.name, err)
		return 1
	}
}

func (p *Program) help(cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(p.Stdout, "factdesk — fact-check and source-attribution workbench")
	fmt.Fprintln(p.Stdout, "\nUsage: factdesk COMMAND [flags]\n\nCommands:")
	for _, n := range names {
		fmt.Fprintf(p.Stdout, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(p.Stdout, "\nRun \"factdesk COMMAND -h\" for a command's flags.")
}

// flags returns a flag set that prints its usage to the program's stderr.
func (p *Program) flags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("factdesk "+name, flag.ContinueOnError)
	fs.SetOutput(p.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(p.Stderr, "Usage: factdesk %s\n\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// env returns the environment variable or the fallback.
func (p *Program) env(name, fallback string) string {
	if v := p.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// envBool reads a boolean environment variable ("1", "true", "0",
// "false" …) as a flag's default; unset or unreadable is false.
func (p *Program) envBool(name string) bool {
	v, err := strconv.ParseBool(strings.TrimSpace(p.Getenv(name)))
	return err == nil && v
}

// envFalse reports whether the environment variable is set to false (for
// flags that default to true).
func (p *Program) envFalse(name string) bool {
	v, err := strconv.ParseBool(strings.TrimSpace(p.Getenv(name)))
	return err == nil && !v
}

// newLogger builds the one logger of the process.
func (p *Program) newLogger(level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q: want debug, info, warn or error", level)}
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(p.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(p.Stderr, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("--log-format %q: want text or json", format)}
}
