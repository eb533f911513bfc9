package emuhttp

import (
	"math/rand/v2"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

// Match says which requests a fault applies to, and how often.
type Match struct {
	Method       string  // "" = any
	PathPattern  string  // path.Match glob; a trailing "/**" matches any suffix
	PathContains string  // "" = any; else a part the path must contain
	Times        int     // > 0: only the next N matching calls
	Probability  float64 // > 0: only this share of the matching calls
}

func (m Match) matches(r *http.Request) bool {
	if m.Method != "" && !strings.EqualFold(m.Method, r.Method) {
		return false
	}
	if !strings.Contains(r.URL.Path, m.PathContains) {
		return false
	}
	p := m.PathPattern
	if p == "" || p == "/**" {
		return true
	}
	if prefix, ok := strings.CutSuffix(p, "/**"); ok {
		return r.URL.Path == prefix || strings.HasPrefix(r.URL.Path, prefix+"/")
	}
	ok, err := path.Match(p, r.URL.Path)
	return err == nil && ok
}

// Faults holds an emulator's injected faults, F being the emulator's own
// description of what a fault answers. They are tried in the order added.
// The zero value is empty and ready; it is safe for concurrent use.
type Faults[F any] struct {
	mu   sync.Mutex
	list []*fault[F]
}

type fault[F any] struct {
	f    F
	m    Match
	left int // calls left, when m.Times > 0
}

// Add injects f for the requests m matches.
func (fs *Faults[F]) Add(f F, m Match) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = append(fs.list, &fault[F]{f: f, m: m, left: m.Times})
}

// Clear removes every fault.
func (fs *Faults[F]) Clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = nil
}

// Pending is an injected fault and the calls it has left (0 = no limit).
type Pending[F any] struct {
	Fault F
	Left  int
}

// List returns the faults still injected, in the order they are tried.
func (fs *Faults[F]) List() []Pending[F] {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Pending[F], 0, len(fs.list))
	for _, f := range fs.list {
		left := 0
		if f.m.Times > 0 {
			left = f.left
		}
		out = append(out, Pending[F]{Fault: f.f, Left: left})
	}
	return out
}

// Pick finds the first fault for r and uses one of its calls; a fault
// whose calls are used up is removed.
func (fs *Faults[F]) Pick(r *http.Request) (F, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if !f.m.matches(r) || (f.m.Probability > 0 && rand.Float64() >= f.m.Probability) {
			continue
		}
		if f.m.Times > 0 {
			f.left--
			if f.left <= 0 {
				fs.list = slices.Delete(fs.list, i, i+1)
			}
		}
		return f.f, true
	}
	var none F
	return none, false
}

// Delay waits d before a fault answers. It reports false when the client
// gave up meanwhile (there is no one left to answer); stop, when not nil,
// ends the wait early (the emulator is closing).
func Delay(r *http.Request, d time.Duration, stop <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		return false
	case <-stop:
	}
	return true
}

// Drop closes the connection without an answer and records it as
// status -1. Over HTTP/2, where a connection cannot be taken over, it
// aborts the stream instead (by panicking with http.ErrAbortHandler).
func Drop(w *Recorder) {
	w.Status = -1
	if hj, ok := w.ResponseWriter.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
