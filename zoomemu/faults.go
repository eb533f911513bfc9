package zoomemu

import (
	"net/http"
	"time"

	"interviewplanner/emuhttp"
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

func (f Fault) match() emuhttp.Match {
	return emuhttp.Match{Method: f.Method, PathPattern: f.PathPattern, Times: f.Times, Probability: f.Probability}
}

// InjectFault adds a fault; faults are tried in the order added.
func (e *Emulator) InjectFault(f Fault) { e.faults.Add(f, f.match()) }

// ClearFaults removes every fault.
func (e *Emulator) ClearFaults() { e.faults.Clear() }

// Faults lists active faults, each with the calls it has left.
func (e *Emulator) Faults() []Fault {
	pending := e.faults.List()
	out := make([]Fault, 0, len(pending))
	for _, p := range pending {
		c := p.Fault
		if c.Times > 0 {
			c.Times = p.Left
		}
		out = append(out, c)
	}
	return out
}

// applyFault reports whether a fault answered (or dropped) the request.
func (e *Emulator) applyFault(w *emuhttp.Recorder, r *http.Request) bool {
	f, ok := e.faults.Pick(r)
	if !ok {
		return false
	}
	if f.Latency > 0 && !emuhttp.Delay(r, f.Latency, e.Ctx.Done()) {
		return true
	}
	if f.Drop {
		emuhttp.Drop(w)
		return true
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
	e.Log.Debug("zoomemu: request", "method", r.Method, "path", r.URL.Path, "status", status)
	e.st.requests = append(e.st.requests, RecordedRequest{
		Time: e.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
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
