package statefile_test

import (
	"os"
	"path/filepath"
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
