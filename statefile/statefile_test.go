package statefile_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"interviewplanner/statefile"
)

func TestWriteReplacesAndReadFindsNothingBefore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "emulator.json")
	if b, err := statefile.Read(path); b != nil || err != nil {
		t.Fatalf("before the first write: %q, %v", b, err)
	}
	for _, want := range []string{`{"v":1}`, `{"v":2}`} {
		if err := statefile.Write(path, []byte(want)); err != nil {
			t.Fatal(err)
		}
		if b, err := statefile.Read(path); string(b) != want || err != nil {
			t.Fatalf("read %q, %v; want %q", b, err, want)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the state: %v", entries)
	}
}

type saved struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
}

func TestFileSavesAndLoadsItsVersion(t *testing.T) {
	f := &statefile.File{Path: filepath.Join(t.TempDir(), "emu.json"), Name: "testemu"}
	var got saved
	if found, err := f.Load(&got, 2); found || err != nil {
		t.Fatalf("before the first save: found %v, %v", found, err)
	}
	if err := f.Save(func() ([]byte, error) { return json.Marshal(saved{Version: 2, Name: "acme"}) }); err != nil {
		t.Fatal(err)
	}
	if found, err := f.Load(&got, 2); !found || err != nil || got.Name != "acme" {
		t.Fatalf("load: found %v, %v, %+v", found, err, got)
	}
	_, err := f.Load(&got, 3)
	if err == nil || !strings.Contains(err.Error(), "testemu: load state") || !strings.Contains(err.Error(), "version 2, want 3") {
		t.Fatalf("another version: %v", err)
	}
}

func TestFileWithoutPathKeepsNothing(t *testing.T) {
	var f statefile.File
	called := false
	if err := f.Save(func() ([]byte, error) { called = true; return nil, nil }); err != nil || called {
		t.Fatalf("save without a path: %v, snapshot taken %v", err, called)
	}
	if found, err := f.Load(&saved{}, 1); found || err != nil {
		t.Fatalf("load without a path: %v, %v", found, err)
	}
}

func TestFileRefusesABrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "emu.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &statefile.File{Path: path, Name: "testemu"}
	if _, err := f.Load(&saved{}, 1); err == nil || !strings.Contains(err.Error(), "testemu: load state "+path) {
		t.Fatalf("broken file: %v", err)
	}
}
