// Package config declares every option of InterviewPlanner in one table.
// Each option is a command-line flag and an environment variable; a flag
// wins over the variable, the variable over the default. A secret may
// also come from a file named by the variable with _FILE appended (as
// container platforms mount secrets).
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"

	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"interviewplanner/secretbox"
)

// Config is the parsed configuration, passed explicitly (no globals). It
// holds what was given and is not changed after Parse: values derived
// from it (the public URL once the port is known, the demo's Zoom
// settings) live with the application.
type Config struct {
	Addr         string
	BaseURL      string // public URL of the app, e.g. https://interviews.example.com; empty: http://ADDR
	DataDir      string
	DatabaseURL  string
	Demo         bool
	DemoPassword string
	// DemoCalendars gives the demo interviewers their own calendars
	// (tests that book far ahead turn it off).
	DemoCalendars bool
	LogFormat     string // text or json
	LogLevel      string
	SMTPURL       string // smtp://user:pass@host:port
	MailFrom      string
	SecretKey     string // IP_SECRET_KEY: keys that encrypt tokens at rest
	ShutdownWait  time.Duration
	JobTimeout    time.Duration // a background job running longer is cancelled
	JobRescue     time.Duration // a job still "running" this long is retried (its process died)
	// CalendarSyncWorkers bounds the calendar reads running at once.
	CalendarSyncWorkers int

	ZoomClientID      string
	ZoomClientSecret  string
	ZoomRedirectURL   string // empty: BASE_URL/integrations/zoom/callback
	ZoomWebhookSecret string
	ZoomAuthURL       string
	ZoomAPIURL        string
	// ZoomAttemptTimeout bounds the wait for one answer from Zoom.
	ZoomAttemptTimeout time.Duration
	ZoomEmulatorAddr   string // demo: where the built-in Zoom emulator listens

	MSClientID     string
	MSClientSecret string
	MSLoginURL     string
	MSGraphURL     string
	MSEmulatorAddr string // demo: where the built-in Microsoft 365 emulator listens
	// MSExplicit is true when the Microsoft app registration came from a
	// flag or the environment: the demo then does not start its emulator.
	MSExplicit bool

	// ZoomExplicit is true when any Zoom setting came from a flag or the
	// environment: explicit settings always win over the demo's emulator.
	ZoomExplicit bool

	GoogleClientID     string
	GoogleClientSecret string
	GoogleRedirectURL  string // empty: BASE_URL/integrations/google/callback
	GoogleURL          string // empty: Google's own hosts; else one origin playing them all (an emulator)
	GoogleEmulatorAddr string // demo: where the built-in Google Workspace emulator listens
}

// Option is one row of the table.
type Option struct {
	Flag, Env, Default, Help string
	Secret                   bool
	set                      func(c *Config, v string) error
}

func str(p func(c *Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func boolean(p func(c *Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) (err error) { *p(c), err = strconv.ParseBool(v); return err }
}

func integer(p func(c *Config) *int) func(*Config, string) error {
	return func(c *Config, v string) (err error) { *p(c), err = strconv.Atoi(v); return err }
}

func duration(p func(c *Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) (err error) { *p(c), err = time.ParseDuration(v); return err }
}

// Options is the table. --help prints it.
var Options = []Option{
	{Flag: "addr", Env: "IP_ADDR", Default: "127.0.0.1:8080", Help: "address to listen on", set: str(func(c *Config) *string { return &c.Addr })},
	{Flag: "base-url", Env: "IP_BASE_URL", Help: "public URL of the app (default http://ADDR, with the port chosen when ADDR ends in :0); https:// makes cookies Secure", set: str(func(c *Config) *string { return &c.BaseURL })},
	{Flag: "data", Env: "IP_DATA_DIR", Default: "data", Help: "directory for the SQLite file and the demo secret key", set: str(func(c *Config) *string { return &c.DataDir })},
	{Flag: "database-url", Env: "DATABASE_URL", Help: "postgres://… for PostgreSQL; empty for SQLite in the data directory", Secret: true, set: str(func(c *Config) *string { return &c.DatabaseURL })},
	{Flag: "demo", Env: "IP_DEMO", Default: "true", Help: "seed demo companies and run the built-in Zoom emulator", set: boolean(func(c *Config) *bool { return &c.Demo })},
	{Flag: "demo-calendars", Env: "IP_DEMO_CALENDARS", Default: "true", Help: "demo: give the demo interviewers their own calendars (standups, 1:1s, out of office)", set: boolean(func(c *Config) *bool { return &c.DemoCalendars })},
	{Flag: "demo-password", Env: "IP_DEMO_PASSWORD", Default: "interviewplanner", Help: "password of every demo user", set: str(func(c *Config) *string { return &c.DemoPassword })},
	{Flag: "log-format", Env: "IP_LOG_FORMAT", Default: "text", Help: "text or json", set: func(c *Config, v string) error {
		if v != "text" && v != "json" {
			return fmt.Errorf("must be text or json")
		}
		c.LogFormat = v
		return nil
	}},
	{Flag: "log-level", Env: "IP_LOG_LEVEL", Default: "info", Help: "debug, info, warn or error", set: str(func(c *Config) *string { return &c.LogLevel })},
	{Flag: "smtp-url", Env: "IP_SMTP_URL", Help: "smtp://user:password@host:port for emails; empty: links are shown and logged", Secret: true, set: str(func(c *Config) *string { return &c.SMTPURL })},
	{Flag: "mail-from", Env: "IP_MAIL_FROM", Default: "InterviewPlanner <no-reply@interviewplanner.local>", Help: "sender of emails", set: str(func(c *Config) *string { return &c.MailFrom })},
	{Flag: "secret-key", Env: "IP_SECRET_KEY", Help: "keys encrypting Zoom tokens at rest: id:base64(32 bytes)[,older…]; demo generates DATA/secret.key", Secret: true, set: str(func(c *Config) *string { return &c.SecretKey })},
	{Flag: "shutdown-wait", Env: "IP_SHUTDOWN_WAIT", Default: "20s", Help: "how long SIGTERM waits for in-flight requests", set: duration(func(c *Config) *time.Duration { return &c.ShutdownWait })},
	{Flag: "job-timeout", Env: "IP_JOB_TIMEOUT", Default: "2m", Help: "a background job (e.g. a Zoom call) running longer is cancelled", set: duration(func(c *Config) *time.Duration { return &c.JobTimeout })},
	{Flag: "job-rescue-after", Env: "IP_JOB_RESCUE_AFTER", Default: "3m", Help: "a job still running this long (its process died) is retried; must exceed --job-timeout", set: duration(func(c *Config) *time.Duration { return &c.JobRescue })},
	{Flag: "calendar-sync-workers", Env: "IP_CALENDAR_SYNC_WORKERS", Default: "4", Help: "calendar reads running at once in each instance (a company's first sync queues one per interviewer); the pages and other jobs keep the rest of the machine", set: integer(func(c *Config) *int { return &c.CalendarSyncWorkers })},
	{Flag: "zoom-client-id", Env: "IP_ZOOM_CLIENT_ID", Help: "Zoom OAuth app client id", set: str(func(c *Config) *string { return &c.ZoomClientID })},
	{Flag: "zoom-client-secret", Env: "IP_ZOOM_CLIENT_SECRET", Help: "Zoom OAuth app client secret", Secret: true, set: str(func(c *Config) *string { return &c.ZoomClientSecret })},
	{Flag: "zoom-redirect-url", Env: "IP_ZOOM_REDIRECT_URL", Help: "OAuth redirect URL registered with Zoom (default BASE_URL/integrations/zoom/callback)", set: str(func(c *Config) *string { return &c.ZoomRedirectURL })},
	{Flag: "zoom-webhook-secret", Env: "IP_ZOOM_WEBHOOK_SECRET", Help: "Zoom app secret token that signs webhooks", Secret: true, set: str(func(c *Config) *string { return &c.ZoomWebhookSecret })},
	{Flag: "zoom-auth-url", Env: "IP_ZOOM_AUTH_URL", Default: "https://zoom.us", Help: "Zoom OAuth base URL", set: str(func(c *Config) *string { return &c.ZoomAuthURL })},
	{Flag: "zoom-api-url", Env: "IP_ZOOM_API_URL", Default: "https://api.zoom.us/v2", Help: "Zoom REST API base URL", set: str(func(c *Config) *string { return &c.ZoomAPIURL })},
	{Flag: "zoom-attempt-timeout", Env: "IP_ZOOM_ATTEMPT_TIMEOUT", Default: "15s", Help: "longest wait for one answer from Zoom; a request still unanswered is abandoned and retried", set: duration(func(c *Config) *time.Duration { return &c.ZoomAttemptTimeout })},
	{Flag: "ms-client-id", Env: "IP_MS_CLIENT_ID", Help: "Microsoft Entra app (client) id for Microsoft 365", set: func(c *Config, v string) error {
		c.MSClientID = v
		c.MSExplicit = c.MSExplicit || v != ""
		return nil
	}},
	{Flag: "ms-client-secret", Env: "IP_MS_CLIENT_SECRET", Help: "Microsoft Entra app client secret (value, not id)", Secret: true, set: str(func(c *Config) *string { return &c.MSClientSecret })},
	{Flag: "ms-login-url", Env: "IP_MS_LOGIN_URL", Default: "https://login.microsoftonline.com", Help: "Microsoft identity platform base URL", set: func(c *Config, v string) error {
		c.MSLoginURL = v
		c.MSExplicit = c.MSExplicit || v != "https://login.microsoftonline.com"
		return nil
	}},
	{Flag: "ms-graph-url", Env: "IP_MS_GRAPH_URL", Default: "https://graph.microsoft.com/v1.0", Help: "Microsoft Graph base URL", set: func(c *Config, v string) error {
		c.MSGraphURL = v
		c.MSExplicit = c.MSExplicit || v != "https://graph.microsoft.com/v1.0"
		return nil
	}},
	{Flag: "ms-emulator-addr", Env: "IP_MS_EMULATOR_ADDR", Default: "127.0.0.1:8082", Help: "demo: address of the built-in Microsoft 365 emulator", set: str(func(c *Config) *string { return &c.MSEmulatorAddr })},
	{Flag: "zoom-emulator-addr", Env: "IP_ZOOM_EMULATOR_ADDR", Default: "127.0.0.1:8081", Help: "demo: address of the built-in Zoom emulator", set: str(func(c *Config) *string { return &c.ZoomEmulatorAddr })},
	{Flag: "google-client-id", Env: "IP_GOOGLE_CLIENT_ID", Help: "Google OAuth web client id (Connect with Google)", set: str(func(c *Config) *string { return &c.GoogleClientID })},
	{Flag: "google-client-secret", Env: "IP_GOOGLE_CLIENT_SECRET", Help: "Google OAuth web client secret", Secret: true, set: str(func(c *Config) *string { return &c.GoogleClientSecret })},
	{Flag: "google-redirect-url", Env: "IP_GOOGLE_REDIRECT_URL", Help: "OAuth redirect URI registered with Google (default BASE_URL/integrations/google/callback)", set: str(func(c *Config) *string { return &c.GoogleRedirectURL })},
	{Flag: "google-url", Env: "IP_GOOGLE_URL", Help: "one origin serving every Google endpoint, e.g. a standalone Google Workspace emulator (default: Google's own hosts; the demo starts its emulator)", set: str(func(c *Config) *string { return &c.GoogleURL })},
	{Flag: "google-emulator-addr", Env: "IP_GOOGLE_EMULATOR_ADDR", Default: "127.0.0.1:8083", Help: "demo: address of the built-in Google Workspace emulator", set: str(func(c *Config) *string { return &c.GoogleEmulatorAddr })},
}

var zoomEnv = map[string]bool{"IP_ZOOM_CLIENT_ID": true, "IP_ZOOM_CLIENT_SECRET": true, "IP_ZOOM_AUTH_URL": true, "IP_ZOOM_API_URL": true, "IP_ZOOM_WEBHOOK_SECRET": true}

// Parse reads the environment (via getenv) and args, then validates the
// result. Extra flags for a subcommand may be added to fs before calling;
// the remaining positional arguments are returned.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) (*Config, []string, error) {
	c := &Config{}
	values := map[string]*string{}
	for _, o := range Options {
		v := o.Default
		e, err := envValue(o, getenv)
		if err != nil {
			return nil, nil, err
		}
		if e != "" {
			v = e
			if zoomEnv[o.Env] {
				c.ZoomExplicit = true
			}
		}
		values[o.Flag] = fs.String(o.Flag, v, o.Help+" (env "+o.Env+")")
	}
	fs.Usage = func() { Usage(fs.Output(), fs.Name()) }
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	fs.Visit(func(f *flag.Flag) {
		if zoomEnv["IP_"+strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))] {
			c.ZoomExplicit = true
		}
	})
	for _, o := range Options {
		if err := o.set(c, *values[o.Flag]); err != nil {
			return nil, nil, fmt.Errorf("--%s / %s: %w", o.Flag, o.Env, err)
		}
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	return c, fs.Args(), nil
}

// envValue reads an option's variable, or for a secret the file that
// VAR_FILE names (one trailing newline dropped). Setting both is refused.
func envValue(o Option, getenv func(string) string) (string, error) {
	v := getenv(o.Env)
	if !o.Secret {
		return v, nil
	}
	path := getenv(o.Env + "_FILE")
	if path == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("%s and %s_FILE are both set; use one", o.Env, o.Env)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", o.Env, err)
	}
	v = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if v == "" {
		return "", fmt.Errorf("%s_FILE: %s is empty", o.Env, path)
	}
	return v, nil
}

// Validate refuses values the application could not run with, naming the
// option and what is wrong, so a bad setting stops the start rather than
// surfacing later.
func (c *Config) Validate() error {
	var errs []error
	bad := func(flag, env, format string, args ...any) {
		errs = append(errs, fmt.Errorf("--%s / %s: %s", flag, env, fmt.Sprintf(format, args...)))
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		bad("log-level", "IP_LOG_LEVEL", "%q is not a log level (debug, info, warn or error)", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "IP_LOG_FORMAT", "%q must be text or json", c.LogFormat)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", "IP_ADDR", "%q is not host:port", c.Addr)
	}
	if c.BaseURL != "" && !httpURL(c.BaseURL) {
		bad("base-url", "IP_BASE_URL", "%q is not an http(s) URL", c.BaseURL)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		// The URL holds a password: say what is wrong, not what it is.
		bad("database-url", "DATABASE_URL", "must start with postgres:// or sqlite:")
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			bad("smtp-url", "IP_SMTP_URL", "must look like smtp://user:password@host:587 or smtps://user:password@host:465")
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("mail-from", "IP_MAIL_FROM", "%q is not an email address: %v", c.MailFrom, err)
	}
	if c.SecretKey != "" {
		if _, err := secretbox.ParseKeys(c.SecretKey); err != nil {
			bad("secret-key", "IP_SECRET_KEY", "%v (want id:base64 of 32 bytes, comma-separated, newest first)", err)
		}
	}
	if c.ShutdownWait < 0 {
		bad("shutdown-wait", "IP_SHUTDOWN_WAIT", "%s is negative", c.ShutdownWait)
	}
	if c.JobTimeout <= 0 {
		bad("job-timeout", "IP_JOB_TIMEOUT", "%s must be positive", c.JobTimeout)
	}
	if c.JobRescue <= c.JobTimeout {
		bad("job-rescue-after", "IP_JOB_RESCUE_AFTER", "%s must be longer than --job-timeout (%s), or a job still running would be started twice", c.JobRescue, c.JobTimeout)
	}
	if c.ZoomAttemptTimeout <= 0 {
		bad("zoom-attempt-timeout", "IP_ZOOM_ATTEMPT_TIMEOUT", "%s must be positive", c.ZoomAttemptTimeout)
	}
	if c.CalendarSyncWorkers < 1 {
		bad("calendar-sync-workers", "IP_CALENDAR_SYNC_WORKERS", "%d must be at least 1", c.CalendarSyncWorkers)
	}
	if c.ZoomRedirectURL != "" && !httpURL(c.ZoomRedirectURL) {
		bad("zoom-redirect-url", "IP_ZOOM_REDIRECT_URL", "%q is not an http(s) URL", c.ZoomRedirectURL)
	}
	if _, _, err := net.SplitHostPort(c.MSEmulatorAddr); err != nil {
		bad("ms-emulator-addr", "IP_MS_EMULATOR_ADDR", "%q is not host:port", c.MSEmulatorAddr)
	}
	if !httpURL(c.MSLoginURL) {
		bad("ms-login-url", "IP_MS_LOGIN_URL", "%q is not an http(s) URL", c.MSLoginURL)
	}
	if !httpURL(c.MSGraphURL) {
		bad("ms-graph-url", "IP_MS_GRAPH_URL", "%q is not an http(s) URL", c.MSGraphURL)
	}
	if !httpURL(c.ZoomAuthURL) {
		bad("zoom-auth-url", "IP_ZOOM_AUTH_URL", "%q is not an http(s) URL", c.ZoomAuthURL)
	}
	if !httpURL(c.ZoomAPIURL) {
		bad("zoom-api-url", "IP_ZOOM_API_URL", "%q is not an http(s) URL", c.ZoomAPIURL)
	}
	if c.GoogleURL != "" && !httpURL(c.GoogleURL) {
		bad("google-url", "IP_GOOGLE_URL", "%q is not an http(s) URL", c.GoogleURL)
	}
	if c.GoogleRedirectURL != "" && !httpURL(c.GoogleRedirectURL) {
		bad("google-redirect-url", "IP_GOOGLE_REDIRECT_URL", "%q is not an http(s) URL", c.GoogleRedirectURL)
	}
	if _, _, err := net.SplitHostPort(c.GoogleEmulatorAddr); err != nil {
		bad("google-emulator-addr", "IP_GOOGLE_EMULATOR_ADDR", "%q is not host:port", c.GoogleEmulatorAddr)
	}
	if _, _, err := net.SplitHostPort(c.ZoomEmulatorAddr); err != nil {
		bad("zoom-emulator-addr", "IP_ZOOM_EMULATOR_ADDR", "%q is not host:port", c.ZoomEmulatorAddr)
	}
	return errors.Join(errs...)
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Command is one of the program's commands, for the help text.
type Command struct{ Name, Help string }

// Commands are every command the program runs; `help` lists them.
var Commands = []Command{
	{"serve", "run the web app (the default command)"},
	{"migrate", "apply database migrations and exit"},
	{"admin create", "create a company and its first admin (--company, --email, --name, --password, --time-zone)"},
	{"admin reset-password", "set a user's password and sign out their sessions (--email, --password)"},
	{"token create", "create a personal API token for a user (--email)"},
	{"zoom-emulator", "run the Zoom emulator on its own (--addr)"},
	{"google-emulator", "run the Google Workspace emulator on its own (--addr)"},
	{"bench schedules", "measure saving schedules against the database"},
	{"bench pages", "measure the main pages and API calls at a large customer's size"},
	{"help", "show this help"},
}

// Usage prints the commands and the options table.
func Usage(w io.Writer, name string) {
	fmt.Fprintf(w, "Usage: interviewplanner [command] [flags]\n\nCommands:\n")
	ctw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range Commands {
		fmt.Fprintf(ctw, "  %s\t%s\n", c.Name, c.Help)
	}
	ctw.Flush()
	fmt.Fprintf(w, "\nOptions (flag, environment variable, default):\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, o := range Options {
		def := o.Default
		if o.Secret && def != "" {
			def = "(secret)"
		}
		fmt.Fprintf(tw, "  --%s\t%s\t%s\t%s\n", o.Flag, o.Env, def, o.Help)
	}
	tw.Flush()
}
