package googleemu_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"interviewplanner/googleemu"
	"interviewplanner/googleemu/googleemutest"
)

// The control API seeds a workspace over HTTP: each call decodes its
// body strictly, answers what it made as JSON (or 204), and refuses what
// the emulator refuses with 400.
func TestControlCallsOverHTTP(t *testing.T) {
	srv := googleemutest.Start(t, googleemu.Config{ClientID: "web-client", ClientSecret: "web-secret", RedirectURLs: []string{redirect}})
	call := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	if code, _ := call("POST", "/_emulator/customers", `{"Domain":"example.com","Name":"Acme"}`); code != http.StatusOK {
		t.Fatalf("customer: %d", code)
	}
	code, u := call("POST", "/_emulator/users", `{"email":"olivia@example.com","given_name":"Olivia","family_name":"Ng"}`)
	if code != http.StatusOK || u == nil {
		t.Fatalf("user: %d %v", code, u)
	}
	if code, _ := call("POST", "/_emulator/users", `{"email":"olivia@nowhere.example"}`); code != http.StatusBadRequest {
		t.Errorf("a user without a workspace: %d, want 400", code)
	}
	if code, _ := call("POST", "/_emulator/users", `{"email":"x@example.com","shoe_size":9}`); code != http.StatusBadRequest {
		t.Errorf("an unknown field: %d, want 400", code)
	}
	if code, _ := call("PATCH", "/_emulator/users/olivia@example.com", `{"Suspended":true}`); code != http.StatusNoContent {
		t.Errorf("suspend: %d, want 204", code)
	}
	if code, _ := call("PATCH", "/_emulator/users/nobody@example.com", `{"Suspended":true}`); code != http.StatusBadRequest {
		t.Errorf("suspend a stranger: %d, want 400", code)
	}
	if code, room := call("POST", "/_emulator/rooms", `{"domain":"example.com","name":"Boardroom","capacity":8}`); code != http.StatusOK || room == nil {
		t.Errorf("room: %d %v", code, room)
	}
	if code, _ := call("PUT", "/_emulator/dwd", `{"Domain":"nowhere.example","ClientID":"1","Scopes":["x"]}`); code != http.StatusBadRequest {
		t.Errorf("delegation in no workspace: %d, want 400", code)
	}
}
