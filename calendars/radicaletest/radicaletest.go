// Package radicaletest runs a real CalDAV server (Radicale) on loopback for
// tests: a free port, a temporary storage folder, one user with a
// password. Without Radicale installed the test is skipped, loudly, and
// fails under CI=true, where it must be installed.
package radicaletest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Server is a running Radicale.
type Server struct {
	URL      string
	User     string
	Password string
	users    string
}

// Start runs Radicale until the test ends.
func Start(t *testing.T) *Server {
	t.Helper()
	bin, err := exec.LookPath("radicale")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("radicale is not installed (apt-get install radicale); CalDAV tests need it")
		}
		t.Skip("SKIPPING CalDAV tests against a real server: radicale is not installed (apt-get install radicale)")
	}
	dir := t.TempDir()
	s := &Server{User: "priya", Password: "app-password-1", users: filepath.Join(dir, "users")}
	s.SetPassword(t, s.Password)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--config", "",
		"--server-hosts", addr,
		"--storage-filesystem-folder", filepath.Join(dir, "collections"),
		"--auth-type", "htpasswd", "--auth-htpasswd-filename", s.users, "--auth-htpasswd-encryption", "plain",
		"--auth-delay", "0", "--logging-level", "warning")
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("radicale log:\n%s", log.String())
		}
	})
	s.URL = "http://" + addr
	// Ready when it answers; bounded by attempts, not by a clock.
	for i := 0; ; i++ {
		resp, err := http.Get(s.URL + "/.web/")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case <-done:
			t.Fatalf("radicale exited: %s", log.String())
		default:
		}
		if i == 200 {
			t.Fatalf("radicale did not start: %v\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// SetPassword replaces the user's password (Radicale reads the file on
// every login).
func (s *Server) SetPassword(t *testing.T, password string) {
	t.Helper()
	if err := os.WriteFile(s.users, []byte(s.User+":"+password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// MkCalendar creates a calendar collection.
func (s *Server) MkCalendar(t *testing.T, path, name string) {
	t.Helper()
	body := fmt.Sprintf(`<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>%s</D:displayname></D:prop></D:set></C:mkcalendar>`, name)
	req, _ := http.NewRequest("MKCALENDAR", s.URL+path, strings.NewReader(body))
	req.SetBasicAuth(s.User, s.Password)
	req.Header.Set("Content-Type", "application/xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("MKCALENDAR %s: %s", path, resp.Status)
	}
}
