package statefile

import (
	"encoding/json"
	"fmt"
	"sync"
)

// File is one emulator's state file. With no Path the emulator keeps its
// state in memory only, and Save and Load do nothing.
type File struct {
	Path string
	Name string // the emulator, as its errors name it

	mu sync.Mutex // one writer of the file at a time
}

// Save writes what snapshot returns. The caller takes its own lock inside
// snapshot, so marshalling does not wait behind a slow disk.
func (f *File) Save(snapshot func() ([]byte, error)) error {
	if f.Path == "" {
		return nil
	}
	b, err := snapshot()
	if err != nil {
		return fmt.Errorf("%s: save state: %w", f.Name, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := Write(f.Path, b); err != nil {
		return fmt.Errorf("%s: save state: %w", f.Name, err)
	}
	return nil
}

// Load decodes the file into v and checks that its top-level "version" is
// want; found is false when there is no file yet. A file of another
// version is refused rather than half read.
func (f *File) Load(v any, want int) (found bool, err error) {
	if f.Path == "" {
		return false, nil
	}
	b, err := Read(f.Path)
	if err != nil {
		return false, fmt.Errorf("%s: load state: %w", f.Name, err)
	}
	if b == nil {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("%s: load state %s: %w", f.Name, f.Path, err)
	}
	var saved struct {
		Version int `json:"version"`
	}
	_ = json.Unmarshal(b, &saved) // b decoded into v just above
	if saved.Version != want {
		return false, fmt.Errorf("%s: load state %s: version %d, want %d (delete the file to start over)", f.Name, f.Path, saved.Version, want)
	}
	return true, nil
}
