package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"interviewplanner/zoom"
)

func parse(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c, _, err := Parse(fs, args, func(k string) string { return env[k] })
	return c, err
}

func TestDefaultsAreValid(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "" || c.ZoomRedirectURL != "" {
		t.Errorf("derived values written into the parsed config: base %q, redirect %q", c.BaseURL, c.ZoomRedirectURL)
	}
	if c.ZoomAttemptTimeout != zoom.DefaultAttemptTimeout {
		t.Errorf("Zoom attempt timeout %s by default, want the client's %s", c.ZoomAttemptTimeout, zoom.DefaultAttemptTimeout)
	}
}

func TestValidateRefusesBadValues(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"IP_LOG_LEVEL": "verbose"}, "IP_LOG_LEVEL: \"verbose\" is not a log level"},
		{map[string]string{"IP_JOB_TIMEOUT": "2m", "IP_JOB_RESCUE_AFTER": "2m"}, "IP_JOB_RESCUE_AFTER: 2m0s must be longer than --job-timeout"},
		{map[string]string{"IP_SECRET_KEY": "k1:not-base64"}, "IP_SECRET_KEY:"},
		{map[string]string{"IP_SECRET_KEY": "k1"}, "IP_SECRET_KEY:"},
		{map[string]string{"IP_SMTP_URL": "http://mail.example.com"}, "IP_SMTP_URL: must look like smtp://"},
		{map[string]string{"IP_BASE_URL": "interviews.example.com"}, "IP_BASE_URL: \"interviews.example.com\" is not an http(s) URL"},
		{map[string]string{"DATABASE_URL": "mysql://u:hunter2@db/x"}, "DATABASE_URL: must start with postgres:// or sqlite:"},
		{map[string]string{"IP_MAIL_FROM": "not an address"}, "IP_MAIL_FROM:"},
		{map[string]string{"IP_ADDR": "8080"}, "IP_ADDR: \"8080\" is not host:port"},
		{map[string]string{"IP_ZOOM_ATTEMPT_TIMEOUT": "0s"}, "IP_ZOOM_ATTEMPT_TIMEOUT: 0s must be positive"},
	} {
		_, err := parse(t, tt.env)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("env %v: err = %v, want it to contain %q", tt.env, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error repeats a secret: %v", err)
		}
	}
	// Every problem is reported at once.
	_, err := parse(t, map[string]string{"IP_LOG_LEVEL": "loud", "IP_JOB_RESCUE_AFTER": "1s"})
	if err == nil || !strings.Contains(err.Error(), "IP_LOG_LEVEL") || !strings.Contains(err.Error(), "IP_JOB_RESCUE_AFTER") {
		t.Errorf("two bad values: %v", err)
	}
}

func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := "k1:" + strings.Repeat("A", 43) + "="
	c, err := parse(t, map[string]string{
		"IP_SECRET_KEY_FILE":          write("key", key+"\n"),
		"IP_ZOOM_CLIENT_SECRET_FILE":  write("zcs", "zoom-secret\n"),
		"IP_ZOOM_WEBHOOK_SECRET_FILE": write("zws", "webhook-secret"),
		"IP_SMTP_URL_FILE":            write("smtp", "smtps://u:p@mail.example.com:465\r\n"),
		"DATABASE_URL_FILE":           write("db", "postgres://u:p@db/app\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.SecretKey != key || c.ZoomClientSecret != "zoom-secret" || c.ZoomWebhookSecret != "webhook-secret" ||
		c.SMTPURL != "smtps://u:p@mail.example.com:465" || c.DatabaseURL != "postgres://u:p@db/app" {
		t.Errorf("secrets from files = %+v", c)
	}
	if !c.ZoomExplicit {
		t.Error("a Zoom secret from a file does not count as explicit Zoom settings")
	}
	if _, err := parse(t, map[string]string{"IP_SECRET_KEY": key, "IP_SECRET_KEY_FILE": write("key2", key)}); err == nil || !strings.Contains(err.Error(), "both set") {
		t.Errorf("variable and file both set: %v", err)
	}
	if _, err := parse(t, map[string]string{"IP_SMTP_URL_FILE": filepath.Join(dir, "missing")}); err == nil || !strings.Contains(err.Error(), "IP_SMTP_URL_FILE") {
		t.Errorf("missing file: %v", err)
	}
	// Only secrets are read from files.
	if c, err := parse(t, map[string]string{"IP_LOG_LEVEL_FILE": write("lvl", "debug")}); err != nil || c.LogLevel != "info" {
		t.Errorf("IP_LOG_LEVEL_FILE was read: %v %v", c, err)
	}
}

// The Microsoft client secret may come from a file, like the other secrets.
func TestMicrosoftSecretFromFile(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/ms"
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"IP_MS_CLIENT_SECRET_FILE": file, "IP_MS_CLIENT_ID": "app"}
	cfg, _, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	if err != nil || cfg.MSClientSecret != "from-file" || !cfg.MSExplicit {
		t.Fatalf("cfg = %q %v, %v", cfg.MSClientSecret, cfg.MSExplicit, err)
	}
}
