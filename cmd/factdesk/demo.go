package main

import (
	"bufio"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"factdesk/auth"
	"factdesk/ingest"
	"factdesk/models"
	"factdesk/reviewers"
)

// seedArticle is the example article, embedded so that the demo needs
// nothing beside the binary.
//
//go:embed seed-article.txt
var seedArticle string

// demoUser is one of the demo's people.
type demoUser struct {
	email, name string
	role        models.Role
}

var demoUsers = []demoUser{
	{"admin@factdesk.example", "Ada Admin", models.RoleAdmin},
	{"editor@factdesk.example", "Eli Editor", models.RoleEditor},
	{"checker@factdesk.example", "Chris Checker", models.RoleChecker},
	{"checker2@factdesk.example", "Kim Checker", models.RoleChecker},
	{"viewer@factdesk.example", "Val Viewer", models.RoleViewer},
}

const demoUsage = `demo [flags]

Runs the full product on the embedded database (in --data) with the demo
users and the example article, and prints how to sign in. Running it again
keeps the data and the passwords.`

func runDemo(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("demo", demoUsage)
	cfg := p.serverFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := p.newLogger(cfg.logLevel, cfg.logFormat)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.db.data, 0o750); err != nil {
		return fmt.Errorf("create %s: %w", cfg.db.data, err)
	}
	db, err := cfg.db.open(ctx, log, true)
	if err != nil {
		return err
	}
	defer db.Close()
	store := models.NewStore(db)
	svc := reviewers.New(store, reviewers.Config{MaxBodyBytes: cfg.maxBodyBytes, MaxSentences: cfg.maxSentences}, nil, log)
	passwords, err := ensureDemoUsers(ctx, svc, filepath.Join(cfg.db.data, "demo-passwords.txt"))
	if err != nil {
		return err
	}
	checker, err := store.UserByEmail(ctx, demoUsers[2].email)
	if err != nil {
		return err
	}
	res, err := svc.Import(ctx, checker.Actor(), ingest.ArticleInput{
		Body: seedArticle, Format: "text", Outlet: "Example News", URL: "https://news.example/2017/07/31/755-us-diplomats-ousted",
		PublishedAt: "2017-07-31",
	})
	if err != nil {
		return fmt.Errorf("import the example article: %w", err)
	}
	if res.Created {
		log.Info("imported the example article", "article", res.Article.ID, "sentences", res.Sentences, "excluded", res.Excluded)
		// The editor hands it to the checker, so that My work and the
		// inbox have something to show.
		editor, err := store.UserByEmail(ctx, demoUsers[1].email)
		if err != nil {
			return err
		}
		due := store.Now().Add(48 * time.Hour).Truncate(time.Hour)
		if _, err := svc.Assign(ctx, editor.Actor(), []int64{res.Article.ID}, models.NewAssignment{UserID: checker.ID, DueAt: &due, Priority: models.PriorityHigh}); err != nil {
			return fmt.Errorf("assign the example article: %w", err)
		}
	}
	return p.serve(ctx, cfg, db, log, func(addr string) {
		fmt.Fprintf(p.Stdout, "\nfactdesk demo is running at http://%s/\n\nSign in as:\n", addr)
		for _, u := range demoUsers {
			fmt.Fprintf(p.Stdout, "  %-8s %-27s password %s\n", u.role, u.email, passwords[u.email])
		}
		fmt.Fprintf(p.Stdout, "\nData lives in %s. Press Ctrl-C to stop.\n\n", cfg.db.data)
	})
}

// ensureDemoUsers creates the demo users that are missing and returns
// everyone's password. Passwords are kept in a file of their own (mode
// 0600) so that restarts print the same ones; a user whose password is
// not in the file gets a new one.
func ensureDemoUsers(ctx context.Context, svc *reviewers.Service, file string) (map[string]string, error) {
	passwords, err := readPasswords(file)
	if err != nil {
		return nil, err
	}
	store := svc.Store()
	for _, du := range demoUsers {
		pw, known := passwords[du.email]
		u, err := store.UserByEmail(ctx, du.email)
		switch {
		case errors.Is(err, models.ErrNotFound):
			if !known {
				pw = auth.NewPassword()
			}
			if _, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: du.email, Name: du.name, Role: du.role, Password: pw}); err != nil {
				return nil, fmt.Errorf("create demo user %s: %w", du.email, err)
			}
		case err != nil:
			return nil, err
		case !known || auth.VerifyPassword(u.PasswordHash, pw) != nil:
			pw = auth.NewPassword()
			if _, err := svc.UpdateUser(ctx, models.System, u.ID, reviewers.UserUpdate{Password: &pw}); err != nil {
				return nil, fmt.Errorf("reset demo password of %s: %w", du.email, err)
			}
		}
		passwords[du.email] = pw
	}
	return passwords, writePasswords(file, passwords)
}

func readPasswords(file string) (map[string]string, error) {
	m := map[string]string{}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read demo passwords: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if email, pw, ok := strings.Cut(strings.TrimSpace(sc.Text()), " "); ok && !strings.HasPrefix(email, "#") {
			m[email] = strings.TrimSpace(pw)
		}
	}
	return m, sc.Err()
}

func writePasswords(file string, m map[string]string) error {
	var b strings.Builder
	b.WriteString("# factdesk demo sign-ins: e-mail password\n")
	for _, u := range demoUsers {
		fmt.Fprintf(&b, "%s %s\n", u.email, m[u.email])
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("write demo passwords: %w", err)
	}
	return nil
}
