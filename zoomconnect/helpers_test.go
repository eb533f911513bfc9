package zoomconnect

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/storetest"
	"interviewplanner/store/zoomstore"
	"interviewplanner/zoom"
	"interviewplanner/zoom/webhook"
)

const (
	testClientID      = "test-client-id"
	testClientSecret  = "test-client-secret"
	testWebhookSecret = "test-webhook-secret"
)

// MustKeys returns a fresh key ring.
func MustKeys(tb testing.TB) *secretbox.Keyring {
	tb.Helper()
	raw, err := secretbox.GenerateKeyFile(tb.TempDir() + "/secret.key")
	if err != nil {
		tb.Fatal(err)
	}
	keys, err := secretbox.ParseKeys(raw)
	if err != nil {
		tb.Fatal(err)
	}
	return keys
}

// MustService returns a service on db talking to the Zoom at authURL/apiURL.
func MustService(tb testing.TB, db *store.DB, authURL, apiURL string) *Service {
	tb.Helper()
	return mustServiceWith(tb, db, MustKeys(tb), testClientID, testClientSecret, authURL, apiURL)
}

// testRedirectURL is the callback the tests register with the emulator.
const testRedirectURL = "http://app.test/integrations/zoom/callback"

func mustServiceWith(tb testing.TB, db *store.DB, keys *secretbox.Keyring, clientID, secret, authURL, apiURL string) *Service {
	tb.Helper()
	client, err := zoom.New(zoom.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: testRedirectURL,
		AuthURL: authURL, APIURL: apiURL, MaxRetryWait: 2 * time.Second, RateLimit: 70, Burst: 70})
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := New(Config{DB: db, Keys: keys, Zoom: client, ClientID: clientID, WebhookSecret: testWebhookSecret})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// mustAccount creates an account with an admin.
func mustAccount(tb testing.TB, db *store.DB, name, email string) *domain.User {
	tb.Helper()
	_, u, err := db.CreateAccountWithAdmin(tb.Context(), name, store.NewUser{Email: email, Name: "Admin of " + name, Role: domain.RoleAdmin})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// mustStoreConnection stores a live connection as a successful connect would.
func mustStoreConnection(tb testing.TB, svc *Service, u *domain.User, zoomAccount string, tok plainTokens) {
	tb.Helper()
	sealed, err := svc.sealer.seal(u.AccountID, tok)
	if err != nil {
		tb.Fatal(err)
	}
	err = svc.store.WriteTx(tb.Context(), func(tx *zoomstore.Tx) error {
		_, err := tx.CreateConnection(tb.Context(), u.AccountID, zoomstore.NewConnection{ZoomAccountID: zoomAccount, ZoomUserID: "zu-1",
			ZoomUserEmail: "owner@zoom.test", ZoomUserRole: "Owner", ConnectedBy: u.ID, Tokens: sealed})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// signed returns headers Zoom would send with body at instant at.
func signed(secret string, body []byte, at time.Time) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	return http.Header{"X-Zm-Signature": {webhook.Sign([]byte(secret), ts, body)}, "X-Zm-Request-Timestamp": {ts},
		"Content-Type": {"application/json"}}
}

func mustDB(tb testing.TB) *store.DB {
	tb.Helper()
	return storetest.MustOpen(tb)
}
