package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every emulator command serves its emulator, says how to point the app at
// it, stops with its context and leaves its state in the data folder.
func TestEmulatorCommands(t *testing.T) {
	for _, c := range []struct {
		run   func(context.Context, []string, func(string) string, io.Writer, io.Writer) error
		point string // the setting the banner names
		state string
	}{
		{zoomEmulator, "IP_ZOOM_AUTH_URL=", "zoom-emulator.json"},
		{microsoftEmulator, "IP_MS_GRAPH_URL=", "microsoft-emulator.json"},
		{googleEmulator, "IP_GOOGLE_URL=", "google-emulator.json"},
	} {
		t.Run(c.state, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"IP_DATA_DIR": dir}
			ctx, cancel := context.WithCancel(t.Context())
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- c.run(ctx, []string{"--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, pw, io.Discard)
				pw.Close()
			}()
			sc := bufio.NewScanner(pr)
			var url, banner string
			for !strings.Contains(banner, "Point the app at it") && sc.Scan() {
				banner += sc.Text() + "\n"
				if m := regexp.MustCompile(`running at (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
					url = m[1]
				}
			}
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			if url == "" || !strings.Contains(banner, c.point+url) {
				t.Fatalf("banner does not name %s%s:\n%s", c.point, url, banner)
			}
			res, err := http.Get(url + "/")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Fatalf("GET /: %d", res.StatusCode)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, c.state)); err != nil {
				t.Errorf("state file: %v", err)
			}
		})
	}
}
