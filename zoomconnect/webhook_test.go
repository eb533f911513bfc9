package zoomconnect

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"interviewplanner/store"
	"interviewplanner/store/zoomstore"
)

func deauthBody(zoomAccount string) []byte {
	return deauthBodyAt(zoomAccount, "2026-11-24T10:00:00Z")
}

// deauthBodyAt is an app_deauthorized body with Zoom's deauthorization_time
// (none when at is empty).
func deauthBodyAt(zoomAccount, at string) []byte {
	deauthorized := ""
	if at != "" {
		deauthorized = `,"deauthorization_time":"` + at + `"`
	}
	return []byte(`{"event":"app_deauthorized","event_ts":1700000000000,"payload":{"account_id":"` + zoomAccount +
		`","user_id":"zu-9","client_id":"` + testClientID + `"` + deauthorized + `,"signature":"abc","user_data_retention":"false"}}`)
}

// fixClock sets the database's clock to at and returns a setter.
func fixClock(db *store.DB, at time.Time) func(time.Time) {
	db.Now = func() time.Time { return at }
	return func(t time.Time) { at = t }
}

func TestDeauthorizationWebhook(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	// Connected before Zoom's deauthorization_time in deauthBody, which
	// arrives just after it.
	setClock := fixClock(db, time.Date(2026, 11, 24, 9, 55, 0, 0, time.UTC))
	svc := MustService(t, db, "http://127.0.0.1:1", "http://127.0.0.1:1/v2")
	acme := mustAccount(t, db, "Acme", "ada@acme.test")
	globex := mustAccount(t, db, "Globex", "gina@globex.test")
	tok := plainTokens{Access: "access-plain-AAAA", Refresh: "refresh-plain-RRRR", Expiry: time.Now().Add(time.Hour)}
	mustStoreConnection(t, svc, acme, "ZACME", tok)
	mustStoreConnection(t, svc, globex, "ZGLOBEX", tok)
	setClock(time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC))
	now := db.Now()
	body := deauthBody("ZACME")

	refused := []struct {
		name   string
		header http.Header
		body   []byte
		want   int
	}{
		{"no signature", http.Header{"Content-Type": {"application/json"}}, body, http.StatusUnauthorized},
		{"bad signature", signed("wrong-secret", body, now), body, http.StatusUnauthorized},
		{"body changed after signing", signed(testWebhookSecret, body, now), bytes.Replace(body, []byte("ZACME"), []byte("ZGLOBEX"), 1), http.StatusUnauthorized},
		{"timestamp 6 minutes old", signed(testWebhookSecret, body, now.Add(-6*time.Minute)), body, http.StatusUnauthorized},
		{"timestamp 6 minutes ahead", signed(testWebhookSecret, body, now.Add(6*time.Minute)), body, http.StatusUnauthorized},
		{"malformed JSON, signed", signed(testWebhookSecret, []byte(`{"event":`), now), []byte(`{"event":`), http.StatusBadRequest},
		{"no account id, signed", signed(testWebhookSecret, []byte(`{"event":"app_deauthorized","payload":{}}`), now), []byte(`{"event":"app_deauthorized","payload":{}}`), http.StatusBadRequest},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			res := svc.HandleDeauthorization(t.Context(), tt.header, tt.body)
			if res.Status != tt.want {
				t.Fatalf("status = %d, want %d", res.Status, tt.want)
			}
			for _, u := range []int64{acme.AccountID, globex.AccountID} {
				c, err := svc.Connection(t.Context(), u)
				if err != nil || c.State != zoomstore.StateConnected {
					t.Fatalf("account %d changed: %+v %v", u, c, err)
				}
			}
		})
	}

	t.Run("url validation", func(t *testing.T) {
		b := []byte(`{"event":"endpoint.url_validation","event_ts":1700000000000,"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}`)
		res := svc.HandleDeauthorization(t.Context(), signed(testWebhookSecret, b, now), b)
		var out struct{ PlainToken, EncryptedToken string }
		if res.Status != http.StatusOK || json.Unmarshal(res.Body, &out) != nil || out.PlainToken != "qgg8vlvZRS6UYooatFL8Aw" || len(out.EncryptedToken) != 64 {
			t.Fatalf("url validation: %d %s", res.Status, res.Body)
		}
	})

	t.Run("valid uninstall, twice", func(t *testing.T) {
		for i := range 2 {
			res := svc.HandleDeauthorization(t.Context(), signed(testWebhookSecret, body, now), body)
			if res.Status != http.StatusOK {
				t.Fatalf("delivery %d: status %d", i, res.Status)
			}
		}
		c, _ := svc.Connection(t.Context(), acme.AccountID)
		if c.State != zoomstore.StateDisconnected || c.DisconnectReason != zoomstore.ReasonUninstalled || c.DisconnectedAt == nil {
			t.Fatalf("acme after uninstall: %+v", c)
		}
		if want := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC); !c.DisconnectedAt.Equal(want) {
			t.Fatalf("disconnected at %v, want Zoom's deauthorization_time %v", c.DisconnectedAt, want)
		}
		if tok, _, _ := svc.store.GetTokens(t.Context(), acme.AccountID); tok.Access != nil || tok.Refresh != nil {
			t.Fatal("tokens kept after uninstall")
		}
		if g, _ := svc.Connection(t.Context(), globex.AccountID); g.State != zoomstore.StateConnected {
			t.Fatalf("Globex changed by Acme's uninstall: %+v", g)
		}
		events, err := db.ListAuditEvents(t.Context(), acme.AccountID, 50)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Action == AuditUninstalled {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d uninstall audit events, want 1", n)
		}
	})
}

// A correctly signed deauthorization delivered again, or one older than
// the connection, does not end a connection made after it.
func TestDeauthorizationReplay(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	setClock := fixClock(db, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	svc := MustService(t, db, "http://127.0.0.1:1", "http://127.0.0.1:1/v2")
	acme := mustAccount(t, db, "Acme", "ada@acme.test")
	tok := plainTokens{Access: "access-plain-AAAA", Refresh: "refresh-plain-RRRR", Expiry: time.Now().Add(time.Hour)}
	mustStoreConnection(t, svc, acme, "ZACME", tok)
	state := func() string {
		t.Helper()
		c, err := svc.Connection(t.Context(), acme.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		return c.State
	}
	deliver := func(h http.Header, body []byte) {
		t.Helper()
		if res := svc.HandleDeauthorization(t.Context(), h, body); res.Status != http.StatusOK {
			t.Fatalf("delivery: %d", res.Status)
		}
	}

	// Uninstalled at 10:00, reconnected at 10:02.
	setClock(time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC))
	body := deauthBodyAt("ZACME", "2026-11-24T10:00:00Z")
	header := signed(testWebhookSecret, body, db.Now())
	deliver(header, body)
	if s := state(); s != zoomstore.StateDisconnected {
		t.Fatalf("after the uninstall: %s", s)
	}
	setClock(time.Date(2026, 11, 24, 10, 2, 0, 0, time.UTC))
	mustStoreConnection(t, svc, acme, "ZACME", tok)

	// The same signed request, replayed while its signature is valid.
	deliver(header, body)
	if s := state(); s != zoomstore.StateConnected {
		t.Fatalf("a replayed deauthorization ended the newer connection: %s", s)
	}
	// A freshly signed deauthorization from before the connection.
	late := bytes.Replace(body, []byte("1700000000000"), []byte("1700000000001"), 1)
	deliver(signed(testWebhookSecret, late, db.Now()), late)
	if s := state(); s != zoomstore.StateConnected {
		t.Fatalf("a deauthorization older than the connection ended it: %s", s)
	}

	// Without Zoom's time, the delivery time counts; its replay after a
	// reconnection is still recognised.
	setClock(time.Date(2026, 11, 24, 10, 3, 0, 0, time.UTC))
	untimed := deauthBodyAt("ZACME", "")
	untimedHeader := signed(testWebhookSecret, untimed, db.Now())
	deliver(untimedHeader, untimed)
	if s := state(); s != zoomstore.StateDisconnected {
		t.Fatalf("after the second uninstall: %s", s)
	}
	mustStoreConnection(t, svc, acme, "ZACME", tok)
	deliver(untimedHeader, untimed)
	if s := state(); s != zoomstore.StateConnected {
		t.Fatalf("a replayed deauthorization without a time ended the newer connection: %s", s)
	}
	// Once the signature has expired, the request is refused outright.
	setClock(time.Date(2026, 11, 24, 10, 9, 0, 0, time.UTC))
	if res := svc.HandleDeauthorization(t.Context(), untimedHeader, untimed); res.Status != http.StatusUnauthorized {
		t.Fatalf("an expired signature: %d", res.Status)
	}
}

func TestTokensSealedAtRest(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	svc := MustService(t, db, "http://127.0.0.1:1", "http://127.0.0.1:1/v2")
	acme := mustAccount(t, db, "Acme", "ada@acme.test")
	mustStoreConnection(t, svc, acme, "ZACME", plainTokens{Access: "access-plain-AAAA", Refresh: "refresh-plain-RRRR", Expiry: time.Now().Add(time.Hour)})

	var keyID string
	var access, refresh []byte
	err := db.Reader().QueryRowContext(t.Context(), `SELECT key_id, access_token, refresh_token FROM zoom_connections WHERE account_id = $1`,
		acme.AccountID).Scan(&keyID, &access, &refresh)
	if err != nil {
		t.Fatal(err)
	}
	if keyID == "" {
		t.Fatal("no key id stored")
	}
	for _, raw := range [][]byte{access, refresh} {
		if bytes.Contains(raw, []byte("plain")) || len(raw) < 20 {
			t.Fatalf("token stored in the clear: %q", raw)
		}
	}
	// The row opens only for its own account.
	tok, err := svc.TokenStore(acme.AccountID).LoadToken(t.Context())
	if err != nil || tok.AccessToken != "access-plain-AAAA" {
		t.Fatalf("load: %v %v", tok, err)
	}
	sealed, _, _ := svc.store.GetTokens(t.Context(), acme.AccountID)
	if _, err := svc.sealer.open(acme.AccountID+1, sealed); err == nil {
		t.Fatal("tokens opened for another account id")
	}
}
