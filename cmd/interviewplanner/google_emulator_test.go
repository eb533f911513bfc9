package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The Google Workspace emulator runs on its own, seeds Acme's Workspace and
// keeps it in the data folder.
func TestGoogleEmulatorCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"IP_DATA_DIR": dir}
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- googleEmulator(ctx, []string{"--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	url := ""
	for url == "" && sc.Scan() {
		if m := regexp.MustCompile(`running at (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if url == "" {
		t.Fatal("no URL printed")
	}
	res, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !regexp.MustCompile(`Acme \(example.com\)`).Match(b) {
		t.Errorf("home page: %s", b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "google-emulator.json")); err != nil {
		t.Errorf("state file: %v", err)
	}
}
