// Package httpstatus records what a handler answered — its status and how
// many body bytes it wrote — for request logs and metrics.
package httpstatus

import "net/http"

// Recorder wraps a ResponseWriter and keeps the status of the answer and
// the size of its body.
type Recorder struct {
	http.ResponseWriter
	// Status is the answer's status: 0 until the handler writes, -1 when
	// the connection was dropped without an answer.
	Status int
	// Bytes counts the body bytes written to the client.
	Bytes int
	// Discard loses the answer: the request is served, the client never
	// hears of it.
	Discard bool
}

// WriteHeader records the first status written and passes it on unless
// the answer is discarded.
func (r *Recorder) WriteHeader(code int) {
	if r.Status == 0 {
		r.Status = code
	}
	if !r.Discard {
		r.ResponseWriter.WriteHeader(code)
	}
}

// Write records an implicit 200 and passes b on unless the answer is
// discarded.
func (r *Recorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	if r.Discard {
		return len(b), nil
	}
	n, err := r.ResponseWriter.Write(b)
	r.Bytes += n
	return n, err
}

// Unwrap gives http.ResponseController the wrapped writer.
func (r *Recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
