package httpstatus

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRecorderKeepsFirstStatusAndCountsBytes(t *testing.T) {
	w := httptest.NewRecorder()
	rec := &Recorder{ResponseWriter: w}
	rec.WriteHeader(http.StatusCreated)
	rec.WriteHeader(http.StatusTeapot)
	if _, err := rec.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if rec.Status != http.StatusCreated || rec.Bytes != 5 {
		t.Errorf("status %d, bytes %d; want 201, 5", rec.Status, rec.Bytes)
	}
	if w.Body.String() != "hello" {
		t.Errorf("client got %q", w.Body.String())
	}
}

func TestRecorderWriteWithoutHeaderIsOK(t *testing.T) {
	rec := &Recorder{ResponseWriter: httptest.NewRecorder()}
	_, _ = rec.Write([]byte("x"))
	if rec.Status != http.StatusOK {
		t.Errorf("status %d, want 200", rec.Status)
	}
}

func TestRecorderDiscardServesButSendsNothing(t *testing.T) {
	w := httptest.NewRecorder()
	rec := &Recorder{ResponseWriter: w, Discard: true}
	rec.WriteHeader(http.StatusAccepted)
	n, err := rec.Write([]byte("lost"))
	if err != nil || n != 4 {
		t.Fatalf("Write = %d, %v; want 4, nil", n, err)
	}
	if rec.Status != http.StatusAccepted {
		t.Errorf("status %d, want 202", rec.Status)
	}
	if w.Body.Len() != 0 || rec.Bytes != 0 {
		t.Errorf("client got %q (%d bytes counted); want nothing", w.Body.String(), rec.Bytes)
	}
}
