package zoomemu

import (
	"math/rand/v2"
	"net/http"
	"path"
	"strings"
	"time"
)

// Fault makes matching requests misbehave before the emulator handles them.
type Fault struct {
	Method      string            `json:"method"`       // "" = any
	PathPattern string            `json:"path_pattern"` // path.Match glob; a trailing "/**" matches any suffix
	Status      int               `json:"status"`       // 0 = no canned answer (only latency or drop)
	Body        string            `json:"body"`         // "" with a 4xx/5xx status = a Zoom-style error body
	Header      map[string]string `json:"header"`
	Latency     time.Duration     `json:"latency"` // added before answering (JSON: nanoseconds)
	Drop        bool              `json:"drop"`    // close the connection without an answer
	Times       int               `json:"times"`   // > 0: only the next N matching calls
	Probability float64           `json:"probability"`
}

type faultState struct {
	Fault
	left int // for Times > 0
}

// InjectFault adds a fault; faults are tried in the order added.
func (e *Emulator) InjectFault(f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st.faults = append(e.st.faults, &faultState{Fault: f, left: f.Times})
}

// ClearFaults removes every fault.
func (e *Emulator) ClearFaults() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st.faults = nil
}

// Faults lists active faults.
func (e *Emulator) Faults() []Fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Fault, 0, len(e.st.faults))
	for _, f := range e.st.faults {
		c := f.Fault
		if c.Times > 0 {
			c.Times = f.left
		}
		out = append(out, c)
	}
	return out
}

func (f *Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	p := f.PathPattern
	if p == "" || p == "/**" {
		return true
	}
	if prefix, ok := strings.CutSuffix(p, "/**"); ok {
		return r.URL.Path == prefix || strings.HasPrefix(r.URL.Path, prefix+"/")
	}
	ok, err := path.Match(p, r.URL.Path)
	return err == nil && ok
}

// pickFault finds the fault for r and uses one of its calls.
func (e *Emulator) pickFault(r *http.Request) (Fault, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, f := range e.st.faults {
		if !f.matches(r) {
			continue
		}
		if f.Probability > 0 && rand.Float64() >= f.Probability {
			continue
		}
		if f.Times > 0 {
			f.left--
			if f.left <= 0 {
				e.st.faults = append(e.st.faults[:i:i], e.st.faults[i+1:]...)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// applyFault reports whether a fault answered (or dropped) the request.
func (e *Emulator) applyFault(w *recorder, r *http.Request) bool {
	f, ok := e.pickFault(r)
	if !ok {
		return false
	}
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		case <-e.ctx.Done():
			t.Stop()
		}
	}
	if f.Drop {
		w.status = -1
		if hj, ok := w.ResponseWriter.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		// Not hijackable (HTTP/2): abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	if f.Status == 0 {
		return false
	}
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	body := f.Body
	if body == "" && f.Status >= 400 {
		writeZoomError(w, f.Status, f.Status, http.StatusText(f.Status)+".")
		return true
	}
	if w.Header().Get("Content-Type") == "" && body != "" {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(body))
	return true
}

// RecordedRequest is one request the emulator received (control API calls
// under /_emulator/ are not recorded).
type RecordedRequest struct {
	Time   time.Time   `json:"time"`
	Method string      `json:"method"`
	Path   string      `json:"path"`
	Query  string      `json:"query"`
	Header http.Header `json:"header"`
	Body   string      `json:"body"`
	Status int         `json:"status"` // -1 = connection dropped
}

// maxRecorded bounds the request log; the oldest entries go first.
const maxRecorded = 10_000

func (e *Emulator) record(r *http.Request, body []byte, status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.st.requests) >= maxRecorded {
		// Drop the oldest tenth at once so that trimming stays cheap.
		e.st.requests = append(e.st.requests[:0], e.st.requests[maxRecorded/10:]...)
	}
	const maxRecordedBody = 64 << 10
	if len(body) > maxRecordedBody {
		body = body[:maxRecordedBody]
	}
	e.log.Debug("zoomemu: request", "method", r.Method, "path", r.URL.Path, "status", status)
	e.st.requests = append(e.st.requests, RecordedRequest{
		Time: e.now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: string(body), Status: status,
	})
}

// Requests lists the requests received, oldest first.
func (e *Emulator) Requests() []RecordedRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]RecordedRequest, len(e.st.requests))
	copy(out, e.st.requests)
	return out
}
