package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// emulatorAccounts reads the demo Zoom emulator's accounts through its
// control API.
func emulatorAccounts(t *testing.T, a *apptest.App) []map[string]any {
	t.Helper()
	base := strings.TrimSuffix(a.Zoom.APIURL, "/v2")
	res, err := http.Get(base + "/_emulator/accounts")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The demo's Zoom emulator keeps its state in the data folder: a restarted
// demo finds the same Zoom account with the changes made before.
func TestDemoZoomEmulatorSurvivesRestart(t *testing.T) {
	data := t.TempDir()
	var accountID string
	t.Run("first start", func(t *testing.T) {
		a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_DATA_DIR": data}})
		accts := emulatorAccounts(t, a)
		if len(accts) != 1 {
			t.Fatalf("accounts = %d, want the demo account", len(accts))
		}
		accountID = accts[0]["id"].(string)
		base := strings.TrimSuffix(a.Zoom.APIURL, "/v2")
		req, _ := http.NewRequest(http.MethodPut, base+"/_emulator/accounts/"+accountID+"/preapproval", strings.NewReader(`{"on":true}`))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("pre-approve: %v %v", res, err)
		}
		res.Body.Close()
	})
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_DATA_DIR": data}})
	accts := emulatorAccounts(t, a)
	if len(accts) != 1 || accts[0]["id"] != accountID {
		var ids []any
		for _, a := range accts {
			ids = append(ids, a["id"])
		}
		t.Fatalf("after restart account ids = %v, want only %s", ids, accountID)
	}
	if app, _ := accts[0]["app"].(map[string]any); app["pre_approved"] != true {
		t.Fatalf("after restart app = %v, want pre-approved", accts[0]["app"])
	}
}
