package emuhttp_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"interviewplanner/emuhttp"
)

func TestFaultsPickInOrderAndUseUpTheirCalls(t *testing.T) {
	var fs emuhttp.Faults[string]
	fs.Add("twice", emuhttp.Match{Method: "post", PathPattern: "/v2/users/*/meetings", Times: 2})
	fs.Add("subtree", emuhttp.Match{PathPattern: "/v2/**"})
	post := httptest.NewRequest(http.MethodPost, "/v2/users/me/meetings", nil)
	for i, want := range []string{"twice", "twice", "subtree"} {
		if got, ok := fs.Pick(post); !ok || got != want {
			t.Fatalf("call %d: %q, %v; want %q", i, got, ok, want)
		}
	}
	if got, ok := fs.Pick(httptest.NewRequest(http.MethodGet, "/v2", nil)); !ok || got != "subtree" {
		t.Errorf("the prefix itself: %q, %v", got, ok)
	}
	if _, ok := fs.Pick(httptest.NewRequest(http.MethodGet, "/v2x", nil)); ok {
		t.Error("a sibling of the prefix matched")
	}
	if l := fs.List(); len(l) != 1 || l[0].Fault != "subtree" || l[0].Left != 0 {
		t.Errorf("left: %+v", l)
	}
	fs.Clear()
	if _, ok := fs.Pick(post); ok {
		t.Error("a fault answered after Clear")
	}
}

func TestFaultsListCallsLeft(t *testing.T) {
	var fs emuhttp.Faults[int]
	fs.Add(1, emuhttp.Match{Times: 3})
	fs.Pick(httptest.NewRequest(http.MethodGet, "/", nil))
	if l := fs.List(); len(l) != 1 || l[0].Left != 2 {
		t.Errorf("left: %+v", l)
	}
}

func TestFaultsMatchAPartOfThePath(t *testing.T) {
	var fs emuhttp.Faults[string]
	fs.Add("events", emuhttp.Match{PathContains: "/events", Times: 1})
	if _, ok := fs.Pick(httptest.NewRequest(http.MethodGet, "/v1.0/users/u1/calendarView", nil)); ok {
		t.Error("a path without the part matched")
	}
	if got, ok := fs.Pick(httptest.NewRequest(http.MethodPost, "/v1.0/users/u1/events/e1/cancel", nil)); !ok || got != "events" {
		t.Errorf("a path with the part: %q, %v", got, ok)
	}
	if _, ok := fs.Pick(httptest.NewRequest(http.MethodPost, "/v1.0/users/u1/events", nil)); ok {
		t.Error("a fault answered after its one call")
	}
}

func TestFaultsWithNoChanceNeverAnswer(t *testing.T) {
	var fs emuhttp.Faults[int]
	fs.Add(1, emuhttp.Match{Probability: 1e-300})
	for range 100 {
		if _, ok := fs.Pick(httptest.NewRequest(http.MethodGet, "/", nil)); ok {
			t.Fatal("a fault of negligible probability answered")
		}
	}
}

func TestRecorderKeepsTheFirstStatusAndCanDiscard(t *testing.T) {
	w := httptest.NewRecorder()
	rec := &emuhttp.Recorder{ResponseWriter: w}
	_, _ = rec.Write([]byte("x"))
	rec.WriteHeader(http.StatusTeapot)
	if rec.Status != http.StatusOK || w.Body.String() != "x" {
		t.Errorf("status %d, body %q", rec.Status, w.Body)
	}
	lost := httptest.NewRecorder()
	rec = &emuhttp.Recorder{ResponseWriter: lost, Discard: true}
	rec.WriteHeader(http.StatusCreated)
	_, _ = rec.Write([]byte("gone"))
	if rec.Status != http.StatusCreated || lost.Body.Len() != 0 || lost.Code != http.StatusOK {
		t.Errorf("discarded answer reached the client: %d %q (recorded %d)", lost.Code, lost.Body, rec.Status)
	}
}

func TestReadBodyRefusesTooLarge(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("a", emuhttp.MaxBody+1)))
	if _, tooBig, err := emuhttp.ReadBody(r); !tooBig || err != nil {
		t.Fatalf("tooBig %v, %v", tooBig, err)
	}
	r = httptest.NewRequest(http.MethodPost, "/", strings.NewReader("hello"))
	body, tooBig, err := emuhttp.ReadBody(r)
	if string(body) != "hello" || tooBig || err != nil {
		t.Fatalf("%q %v %v", body, tooBig, err)
	}
	if got := emuhttp.Body(emuhttp.WithBody(r, body)); string(got) != "hello" {
		t.Errorf("Body = %q", got)
	}
}

func TestRecoverAnswersAPanic(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/boom", nil)
	func() {
		defer emuhttp.Recover(nopLogger(), "testemu", r, func() { w.WriteHeader(http.StatusInternalServerError) })
		panic("bug")
	}()
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d", w.Code)
	}
}

func nopLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestPKCEMatchesTheRFCExample(t *testing.T) {
	// RFC 7636 appendix B.
	const verifier, challenge = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	if !emuhttp.PKCEMatches("S256", challenge, verifier) {
		t.Error("S256: the RFC's verifier does not answer its challenge")
	}
	if emuhttp.PKCEMatches("S256", challenge, verifier+"x") {
		t.Error("S256: another verifier answers")
	}
	if emuhttp.PKCEMatches("plain", challenge, verifier) {
		t.Error("plain: a verifier unlike the challenge answers")
	}
	if !emuhttp.PKCEMatches("plain", verifier, verifier) {
		t.Error("plain: the challenge itself does not answer")
	}
}
