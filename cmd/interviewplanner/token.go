package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
	"interviewplanner/web"
)

// tokenCreate prints a new personal API token for a user:
//
//	interviewplanner token create --email sam@example.com [--name "ATS sync"]
func tokenCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var email, name string
	cfg, err := parse("token create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the user's email (required)")
		fs.StringVar(&name, "name", "Command line", "a name to recognise the token by")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New("token create needs --email")
	}
	db, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	token, hash := web.NewToken()
	u, err := hiringstore.New(db).CreateAPITokenForEmail(ctx, email, name, hash)
	if err != nil {
		return errors.New(domain.ErrorMessage(err))
	}
	fmt.Fprintf(stderr, "API token for %s (%s). Send it as \"Authorization: Bearer <token>\"; it is shown only now.\n", u.Email, u.Role.Label())
	fmt.Fprintln(stdout, token)
	return nil
}
