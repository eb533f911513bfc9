package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"interviewplanner/password"
	"interviewplanner/store"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestHelpListsEveryOption(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"help"}, env(nil), &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve", "migrate", "admin create", "admin reset-password", "token create", "zoom-emulator", "bench schedules", "bench pages",
		"--addr", "IP_ADDR", "--data", "IP_DATA_DIR", "DATABASE_URL", "--demo", "IP_DEMO", "IP_DEMO_PASSWORD", "IP_ZOOM_CLIENT_ID", "IP_SECRET_KEY", "IP_SMTP_URL", "IP_LOG_FORMAT"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %s", want)
		}
	}
}

func TestUnknownCommandAndBadFlags(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"frobnicate"}, env(nil), &out, &out); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
	if err := run(t.Context(), []string{"serve", "--log-format", "xml"}, env(nil), &out, &out); err == nil || !strings.Contains(err.Error(), "text or json") {
		t.Fatalf("bad log format: %v", err)
	}
	if err := run(t.Context(), []string{"serve"}, env(map[string]string{"IP_DEMO": "maybe"}), &out, &out); err == nil {
		t.Fatal("IP_DEMO=maybe accepted")
	}
}

func TestDatabaseThatDoesNotAnswerIsAOneLineError(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	// Port 1 on loopback refuses at once.
	err := run(ctx, []string{"migrate"}, env(map[string]string{"DATABASE_URL": "postgres://u:hunter2@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"}), &out, &out)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatal("the database password leaked into the error")
	}
	if err := run(ctx, []string{"migrate"}, env(map[string]string{"DATABASE_URL": "mysql://x"}), &out, &out); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("mysql URL: %v", err)
	}
}

func TestAdminCreateBootstrapsACompany(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	e := env(map[string]string{"IP_DATA_DIR": dir, "IP_DEMO": "false", "IP_ADMIN_PASSWORD": "a long password", "TZ": "Europe/Berlin"})
	if err := run(t.Context(), []string{"admin", "create", "--company", "Initech", "--email", "Boss@Initech.example", "--name", "Bill Lumbergh"}, e, &out, &out); err != nil {
		t.Fatal(err)
	}
	// The admin's zone defaults to this computer's, not UTC.
	if !strings.Contains(out.String(), `Created company "Initech"`) || !strings.Contains(out.String(), "boss@initech.example") ||
		!strings.Contains(out.String(), "time zone Europe/Berlin") {
		t.Fatalf("output %q", out.String())
	}
	// The same address again is refused with a clear message.
	err := run(t.Context(), []string{"admin", "create", "--company", "Initech 2", "--email", "boss@initech.example", "--name", "B"}, e, &out, &out)
	if err == nil || err.Error() != "A user with this email already exists." {
		t.Fatalf("duplicate: %v", err)
	}
	db, err := store.Open(t.Context(), "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetAccountByName(t.Context(), "Initech 2"); err == nil {
		t.Fatal("a refused admin left an empty company behind")
	}
	db.Close()
	err = run(t.Context(), []string{"admin", "create", "--company", "X", "--email", "x@x.example", "--name", "X", "--password", "short"}, e, &out, &out)
	if err == nil || err.Error() != "the password is refused: it has 5 characters and must have at least 10" {
		t.Fatalf("short password: %v", err)
	}
	noPassword := env(map[string]string{"IP_DATA_DIR": dir, "IP_DEMO": "false", "TZ": "Europe/Berlin"})
	err = run(t.Context(), []string{"admin", "create", "--company", "X", "--email", "x@x.example", "--name", "X"}, noPassword, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "needs a password: pass --password, or set IP_ADMIN_PASSWORD") {
		t.Fatalf("no password: %v", err)
	}
	err = run(t.Context(), []string{"admin", "create", "--company", "X", "--email", "x@x.example", "--name", "X", "--time-zone", "Mars/Olympus"}, e, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "not an IANA time zone") {
		t.Fatalf("bad zone: %v", err)
	}
	onUTC := env(map[string]string{"IP_DATA_DIR": dir, "IP_DEMO": "false", "IP_ADMIN_PASSWORD": "a long password", "TZ": "UTC"})
	if systemTimeZone(onUTC) != "" {
		t.Fatal("UTC taken as the admin's zone")
	}
	if err := run(t.Context(), []string{"admin", "create"}, e, &out, &out); err == nil {
		t.Fatal("missing flags accepted")
	}
}

func TestAdminResetPasswordEndsSessions(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	e := env(map[string]string{"IP_DATA_DIR": dir, "IP_DEMO": "false", "IP_ADMIN_PASSWORD": "a long password", "TZ": "America/Chicago"})
	if err := run(t.Context(), []string{"admin", "create", "--company", "Initech", "--email", "boss@initech.example", "--name", "Bill"}, e, &out, &out); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(t.Context(), "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _, err := db.GetUserForSignIn(t.Context(), "boss@initech.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(t.Context(), store.Session{TokenHash: "laptop", AccountID: u.AccountID, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(t.Context(), []string{"admin", "reset-password", "--email", "Boss@Initech.example", "--password", "another long password"}, e, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 sessions signed out") {
		t.Errorf("output %q", out.String())
	}
	if _, _, err := db.GetSessionUser(t.Context(), "laptop"); err == nil {
		t.Fatal("the session survived the password reset")
	}
	_, hash, _ := db.GetUserForSignIn(t.Context(), "boss@initech.example")
	if password.Verify("another long password", hash) != nil {
		t.Fatal("the new password does not work")
	}
	if err := run(t.Context(), []string{"admin", "reset-password", "--email", "nobody@initech.example"}, e, &out, &out); err == nil || !strings.Contains(err.Error(), "no user") {
		t.Fatalf("unknown address: %v", err)
	}
}
