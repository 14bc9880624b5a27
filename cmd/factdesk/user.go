package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"factdesk/auth"
	"factdesk/models"
	"factdesk/reviewers"
)

const userUsage = `user add|list|passwd|token|disable [flags]

  add     --email E --name N --role R [--password-stdin]   create a user; prints the password unless read from stdin
  list                                                      list users
  passwd  --email E [--password-stdin]                      set a new password; prints it unless read from stdin
  token   --email E --name N                                make an API token; prints it alone on stdout
  disable --email E                                         disable a user, end their sessions, revoke their tokens`

func runUser(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("user", userUsage)
	cfg := p.dbFlags(fs)
	email := fs.String("email", "", "the user's e-mail address")
	name := fs.String("name", "", "the user's name (add), or the token's name (token)")
	role := fs.String("role", "", "admin, editor, checker or viewer")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fs.Usage()
			return nil
		}
		fs.Usage()
		return usageError{"say add, list, passwd, token or disable"}
	}
	verb := args[0]
	switch verb {
	case "add", "list", "passwd", "token", "disable":
	default:
		// Refused before the database is opened, which would create it.
		return usageError{fmt.Sprintf("unknown user verb %q: say add, list, passwd, token or disable", verb)}
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	log := slog.New(slog.DiscardHandler)
	db, err := cfg.open(ctx, log, false)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	svc := reviewers.New(store, reviewers.Config{}, nil, log)
	readPassword := func() (string, error) {
		if !*stdin {
			return "", nil
		}
		line, err := bufio.NewReader(p.Stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read password: %w", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", usageError{"--password-stdin: standard input holds no password"}
		}
		return pw, nil
	}
	need := func(flags ...string) error {
		for _, f := range flags {
			if fs.Lookup(f).Value.String() == "" {
				return usageError{fmt.Sprintf("user %s needs --%s", verb, f)}
			}
		}
		return nil
	}
	switch verb {
	case "add":
		if err := need("email", "name", "role"); err != nil {
			return err
		}
		pw, err := readPassword()
		if err != nil {
			return err
		}
		u, generated, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: *email, Name: *name, Role: models.Role(*role), Password: pw})
		if err != nil {
			return err
		}
		fmt.Fprintf(p.Stderr, "created %s (%s, id %d)\n", u.Email, u.Role, u.ID)
		if pw == "" {
			fmt.Fprintln(p.Stdout, generated)
		}
	case "list":
		us, err := store.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(p.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATE")
		for _, u := range us {
			state := "active"
			if u.Disabled() {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, state)
		}
		return tw.Flush()
	case "passwd":
		if err := need("email"); err != nil {
			return err
		}
		u, err := store.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		pw, err := readPassword()
		if err != nil {
			return err
		}
		shown := pw == ""
		if shown {
			pw = auth.NewPassword()
		}
		_, revoked, err := svc.SetPassword(ctx, models.System, u.ID, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(p.Stderr, "new password set for %s; %s\n", u.Email, reviewers.PasswordSetNote(revoked))
		if shown {
			fmt.Fprintln(p.Stdout, pw)
		}
	case "token":
		if err := need("email", "name"); err != nil {
			return err
		}
		u, err := store.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		_, tok, err := svc.CreateToken(ctx, models.System, u.ID, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(p.Stdout, tok)
	case "disable":
		if err := need("email"); err != nil {
			return err
		}
		u, err := store.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		yes := true
		if _, err := svc.UpdateUser(ctx, models.System, u.ID, reviewers.UserUpdate{Disabled: &yes}); err != nil {
			return err
		}
		fmt.Fprintf(p.Stderr, "disabled %s\n", u.Email)
	}
	return nil
}
