// Command interviewplanner runs InterviewPlanner. It only wires things
// together; the work happens in the packages it calls.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // exact time zones even on machines without tzdata

	"interviewplanner/app"
	"interviewplanner/config"
	"interviewplanner/domain"
	"interviewplanner/password"
	"interviewplanner/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "interviewplanner:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
		if (cmd == "admin" || cmd == "bench" || cmd == "token") && len(args) > 0 {
			cmd, args = cmd+" "+args[0], args[1:]
		}
	}
	if c, ok := commands[cmd]; ok {
		return c(ctx, args, getenv, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q; see --help", cmd)
}

// command runs one subcommand with the arguments after its name.
type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// commands are the subcommands by name; run picks "serve" when none is
// named.
var commands = map[string]command{
	"serve": serve,
	"migrate": func(ctx context.Context, args []string, getenv func(string) string, _, stderr io.Writer) error {
		return migrate(ctx, args, getenv, stderr)
	},
	"admin create":         adminCreate,
	"admin reset-password": adminResetPassword,
	"token create":         tokenCreate,
	"bench schedules":      benchSchedules,
	"bench pages":          benchPages,
	"bench scheduler": func(context.Context, []string, func(string) string, io.Writer, io.Writer) error {
		return errors.New("the engine's benchmark is its own command: go run ./cmd/ipbench scheduler")
	},
	"zoom-emulator":      zoomEmulator,
	"google-emulator":    googleEmulator,
	"microsoft-emulator": microsoftEmulator,
	"help": func(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) error {
		config.Usage(stdout, "interviewplanner")
		return nil
	},
}

func parse(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(fs *flag.FlagSet)) (*config.Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	cfg, rest, err := config.Parse(fs, args, getenv)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", rest)
	}
	return cfg, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parse("serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	m := app.New(cfg, app.NewLogger(cfg, stderr))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	if err := m.Listen(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nInterviewPlanner is running at %s\n", m.URL())
	if cfg.Demo {
		fmt.Fprintf(stdout, "Demo sign-in: admin@example.com / %s  (other company: admin@globex.example)\n", cfg.DemoPassword)
	}
	fmt.Fprintln(stdout, "Press Ctrl+C to stop.")
	return m.Run(ctx)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parse("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	return db.Close()
}

// openMigrated opens the configured database and brings its schema up to
// date, as every command that writes to it does first.
func openMigrated(ctx context.Context, cfg *config.Config, stderr io.Writer) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir, app.NewLogger(cfg, stderr))
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// adminCreate bootstraps a new company and its first admin when demo data
// is off.
func adminCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var company, email, name, pw, tz string
	cfg, err := parse("admin create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&company, "company", "", "company name (required)")
		fs.StringVar(&email, "email", "", "admin's email (required)")
		fs.StringVar(&name, "name", "", "admin's name (required)")
		fs.StringVar(&pw, "password", "", "admin's password; default: the IP_ADMIN_PASSWORD environment variable")
		fs.StringVar(&tz, "time-zone", "", "admin's IANA time zone, e.g. Europe/Berlin; default: this computer's zone")
	})
	if err != nil {
		return err
	}
	if company == "" || email == "" || name == "" {
		return errors.New("admin create needs --company, --email and --name")
	}
	if pw, err = checkPassword("admin create", pw, getenv); err != nil {
		return err
	}
	if tz == "" {
		if tz = systemTimeZone(getenv); tz == "" {
			return errors.New("admin create needs the admin's time zone and this computer does not name one (or is on UTC): pass --time-zone, e.g. --time-zone Europe/Berlin")
		}
	}
	if _, err := domain.CheckTimeZone(tz); err != nil {
		return fmt.Errorf("--time-zone %q is not an IANA time zone such as Europe/Berlin or America/New_York", tz)
	}
	db, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return err
	}
	acct, u, err := db.CreateAccountWithAdmin(ctx, company, store.NewUser{Email: email, Name: name, TimeZone: tz, PasswordHash: hash})
	if err != nil {
		return errors.New(sentences(err))
	}
	fmt.Fprintf(stdout, "Created company %q (id %d) with admin %s (id %d, time zone %s).\n", acct.Name, acct.ID, u.Email, u.ID, u.TimeZone)
	return nil
}

// adminResetPassword sets a user's password, for someone locked out of
// their account, and signs out every session they had.
func adminResetPassword(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var email, pw string
	cfg, err := parse("admin reset-password", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the user's email (required)")
		fs.StringVar(&pw, "password", "", "the new password; default: the IP_ADMIN_PASSWORD environment variable")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New("admin reset-password needs --email")
	}
	if pw, err = checkPassword("admin reset-password", pw, getenv); err != nil {
		return err
	}
	email, err = domain.NormalizeEmail(email)
	if err != nil {
		return errors.New(domain.ErrorMessage(err))
	}
	db, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	u, _, err := db.GetUserForSignIn(ctx, email)
	if err != nil {
		return fmt.Errorf("no user has the email %s", email)
	}
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return err
	}
	ended, err := db.UpdateUserPassword(ctx, u.AccountID, u.ID, hash, "")
	if err != nil {
		return err
	}
	_ = db.CreateAuditEvent(ctx, u.AccountID, nil, "user.password_reset", fmt.Sprintf("%s, from the command line; %d sessions signed out", u.Email, ended))
	fmt.Fprintf(stdout, "Password reset for %s; %d sessions signed out.\n", u.Email, ended)
	return nil
}

// checkPassword returns the password given with --password, else in
// IP_ADMIN_PASSWORD, and says plainly why it is refused.
func checkPassword(cmd, pw string, getenv func(string) string) (string, error) {
	if pw == "" {
		pw = getenv("IP_ADMIN_PASSWORD")
	}
	if pw == "" {
		return "", fmt.Errorf("%s needs a password: pass --password, or set IP_ADMIN_PASSWORD to keep it out of the shell history", cmd)
	}
	if len(pw) < domain.MinPassword {
		return "", fmt.Errorf("the password is refused: it has %d characters and must have at least %d", len(pw), domain.MinPassword)
	}
	if err := domain.CheckPassword(pw); err != nil {
		return "", fmt.Errorf("the password is refused: %s", domain.ErrorMessage(err))
	}
	return pw, nil
}

// sentences is an error as plain sentences: the message, then each field's
// message that says something more, in field order.
func sentences(err error) string {
	msg := domain.ErrorMessage(err)
	var de *domain.Error
	if !errors.As(err, &de) {
		return msg
	}
	out := []string{msg}
	for _, k := range slices.Sorted(maps.Keys(de.Fields)) {
		if f := de.Fields[k]; f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

// systemTimeZone is this computer's IANA zone: $TZ, else the target of
// /etc/localtime, else /etc/timezone; "" when none names a zone, or the zone
// is UTC, which on a server says nothing about where the admin is.
func systemTimeZone(getenv func(string) string) string {
	zone := localZoneName(getenv)
	switch zone {
	case "UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu", "GMT", "Etc/GMT":
		return ""
	}
	return zone
}

func localZoneName(getenv func(string) string) string {
	if tz := strings.TrimPrefix(getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil && tz != "Local" {
			return tz
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, zone, ok := strings.Cut(target, "zoneinfo/"); ok {
			if _, err := time.LoadLocation(zone); err == nil {
				return zone
			}
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		if zone := strings.TrimSpace(string(b)); zone != "" {
			if _, err := time.LoadLocation(zone); err == nil {
				return zone
			}
		}
	}
	return ""
}
