package webhook_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"interviewplanner/zoom/webhook"
)

var secret = []byte("webhook-secret-token")

func signed(ts time.Time, body []byte) http.Header {
	h := http.Header{}
	s := strconv.FormatInt(ts.Unix(), 10)
	h.Set("x-zm-request-timestamp", s)
	h.Set("x-zm-signature", webhook.Sign(secret, s, body))
	return h
}

func TestSignKnownVector(t *testing.T) {
	// Computed independently: printf 'v0:1700000000:{"a":1}' | openssl dgst -sha256 -hmac webhook-secret-token
	got := webhook.Sign(secret, "1700000000", []byte(`{"a":1}`))
	if got != "v0=40726834e34f94f4fc420454ed5267aae6e25e6a596d47b8ff2bd2a44939bf3e" {
		t.Fatalf("Sign = %q", got)
	}
}

func TestVerify(t *testing.T) {
	now := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
	body := []byte(`{"event":"app_deauthorized","payload":{"account_id":"A1"}}`)
	tests := []struct {
		name   string
		header func() http.Header
		body   []byte
		want   error
	}{
		{"valid", func() http.Header { return signed(now, body) }, body, nil},
		{"valid at edge of window", func() http.Header { return signed(now.Add(-webhook.MaxSkew), body) }, body, nil},
		{"old timestamp", func() http.Header { return signed(now.Add(-webhook.MaxSkew-time.Second), body) }, body, webhook.ErrStale},
		{"future timestamp", func() http.Header { return signed(now.Add(webhook.MaxSkew+time.Second), body) }, body, webhook.ErrStale},
		{"body changed", func() http.Header { return signed(now, body) }, append([]byte(" "), body...), webhook.ErrBadSignature},
		{"re-serialised body", func() http.Header { return signed(now, body) }, []byte(`{"event": "app_deauthorized", "payload": {"account_id": "A1"}}`), webhook.ErrBadSignature},
		{"wrong secret", func() http.Header {
			h := signed(now, body)
			h.Set("x-zm-signature", webhook.Sign([]byte("other"), h.Get("x-zm-request-timestamp"), body))
			return h
		}, body, webhook.ErrBadSignature},
		{"timestamp swapped after signing", func() http.Header {
			h := signed(now, body)
			h.Set("x-zm-request-timestamp", strconv.FormatInt(now.Unix()+1, 10))
			return h
		}, body, webhook.ErrBadSignature},
		{"no signature", func() http.Header { h := signed(now, body); h.Del("x-zm-signature"); return h }, body, webhook.ErrUnsigned},
		{"no timestamp", func() http.Header { h := signed(now, body); h.Del("x-zm-request-timestamp"); return h }, body, webhook.ErrUnsigned},
		{"timestamp not a number", func() http.Header { h := signed(now, body); h.Set("x-zm-request-timestamp", "soon"); return h }, body, webhook.ErrStale},
		{"legacy authorization header only", func() http.Header { h := http.Header{}; h.Set("Authorization", "verification-token"); return h }, body, webhook.ErrUnsigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(secret, tt.header(), tt.body, now)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	if err := webhook.Verify(nil, signed(now, body), body, now); err == nil {
		t.Fatal("Verify with an empty secret succeeded")
	}
}

func TestURLValidationResponse(t *testing.T) {
	got := string(webhook.URLValidationResponse([]byte("secret"), "qgg8vlvZRS6UYooatFL8Aw"))
	// HMAC-SHA256("secret", "qgg8vlvZRS6UYooatFL8Aw"), computed with openssl.
	want := `{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"72cef096bfd47c0b8664df30d07721641e4abd7e885ba432204260db477a9a3e"}`
	if got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

func TestParseEvent(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		check   func(t *testing.T, ev webhook.Event)
		wantErr bool
	}{
		{"real 2025 deauthorization", `{"event":"app_deauthorized","event_ts":1740000000123,"payload":{"account_id":"AbCdEf","user_id":"z8yAAAAA","signature":"5f1b...","deauthorization_time":"2025-02-19T21:20:00.123Z","client_id":"CID","user_data_retention":null}}`,
			func(t *testing.T, ev webhook.Event) {
				d := ev.Deauthorization
				if d == nil || d.AccountID != "AbCdEf" || d.UserID != "z8yAAAAA" || d.ClientID != "CID" || d.Signature != "5f1b..." {
					t.Fatalf("deauth = %+v", d)
				}
				if !d.DeauthorizedAt.Equal(time.Date(2025, 2, 19, 21, 20, 0, 123e6, time.UTC)) {
					t.Fatalf("time = %v", d.DeauthorizedAt)
				}
				if ev.Time.UnixMilli() != 1740000000123 {
					t.Fatalf("event_ts = %v", ev.Time)
				}
			}, false},
		{"retention as string", `{"event":"app_deauthorized","payload":{"account_id":"A","user_data_retention":"false"}}`,
			func(t *testing.T, ev webhook.Event) {
				if ev.Deauthorization.AccountID != "A" {
					t.Fatal(ev)
				}
			}, false},
		{"retention as bool, ids as numbers", `{"event":"app_deauthorized","event_ts":"1740000000123","payload":{"account_id":12345,"user_id":678,"user_data_retention":true,"deauthorization_time":"garbage"}}`,
			func(t *testing.T, ev webhook.Event) {
				d := ev.Deauthorization
				if d.AccountID != "12345" || d.UserID != "678" || !d.DeauthorizedAt.IsZero() || ev.Time.UnixMilli() != 1740000000123 {
					t.Fatalf("deauth = %+v, time %v", d, ev.Time)
				}
			}, false},
		{"url validation", `{"event":"endpoint.url_validation","event_ts":1,"payload":{"plainToken":"pt"}}`,
			func(t *testing.T, ev webhook.Event) {
				if ev.PlainToken != "pt" || ev.Deauthorization != nil {
					t.Fatalf("ev = %+v", ev)
				}
			}, false},
		{"other event kept raw", `{"event":"meeting.started","payload":{"object":{"id":1}}}`,
			func(t *testing.T, ev webhook.Event) {
				if ev.Name != "meeting.started" || len(ev.Payload) == 0 {
					t.Fatalf("ev = %+v", ev)
				}
			}, false},
		{"url validation without token", `{"event":"endpoint.url_validation","payload":{}}`, nil, true},
		{"deauthorization without account", `{"event":"app_deauthorized","payload":{"user_id":"u"}}`, nil, true},
		{"no event", `{"payload":{}}`, nil, true},
		{"not json", `<xml/>`, nil, true},
		{"truncated", `{"event":"app_deauthorized","payload":{"account_id":"A"`, nil, true},
		{"payload wrong type", `{"event":"app_deauthorized","payload":[1,2]}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := webhook.ParseEvent([]byte(tt.body))
			if tt.wantErr {
				if !errors.Is(err, webhook.ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, ev)
		})
	}
}

func FuzzVerifyParse(f *testing.F) {
	f.Add([]byte(`{"event":"app_deauthorized","payload":{"account_id":"A","user_data_retention":"false"}}`), "1700000000", "v0=00")
	f.Add([]byte(`{"event":"endpoint.url_validation","payload":{"plainToken":"x"}}`), "", "")
	f.Add([]byte(`{"event":1}`), "-1", "v0=")
	now := time.Unix(1700000000, 0)
	f.Fuzz(func(t *testing.T, body []byte, ts, sig string) {
		h := http.Header{}
		h.Set("x-zm-request-timestamp", ts)
		h.Set("x-zm-signature", sig)
		if err := webhook.Verify(secret, h, body, now); err == nil && sig != webhook.Sign(secret, ts, body) {
			t.Fatalf("accepted signature %q that is not the HMAC", sig)
		}
		ev, err := webhook.ParseEvent(body)
		if err == nil {
			if ev.Name == "" {
				t.Fatal("parsed event without name")
			}
			if ev.Name == webhook.EventAppDeauthorized && (ev.Deauthorization == nil || ev.Deauthorization.AccountID == "") {
				t.Fatal("deauthorization without account id accepted")
			}
		}
	})
}
