package zoom_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"testing"

	"interviewplanner/zoom"
)

func TestAuthCodeURL(t *testing.T) {
	f := newFakeZoom(t)
	c := mustClient(t, f, "https://zoom.example")
	verifier := zoom.NewVerifier()
	u, err := url.Parse(c.AuthCodeURL("state-123", verifier))
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme+"://"+u.Host+u.Path != "https://zoom.example/oauth/authorize" {
		t.Fatalf("authorize endpoint = %s", u)
	}
	q := u.Query()
	sum := sha256.Sum256([]byte(verifier))
	want := map[string]string{
		"response_type":         "code",
		"client_id":             testClientID,
		"redirect_uri":          testRedirect,
		"state":                 "state-123",
		"code_challenge":        base64.RawURLEncoding.EncodeToString(sum[:]),
		"code_challenge_method": "S256",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("scope") {
		t.Errorf("authorize URL carries scope=%q; Zoom rejects it", q.Get("scope"))
	}
	if q.Has("code_verifier") || q.Has("client_secret") {
		t.Errorf("authorize URL leaks a secret: %s", u)
	}
}

func TestExchange(t *testing.T) {
	f := newFakeZoom(t)
	c := mustClient(t, f, f.mustLoopback(t))
	verifier := zoom.NewVerifier()
	challenge := func(v string) string {
		s := sha256.Sum256([]byte(v))
		return base64.RawURLEncoding.EncodeToString(s[:])
	}

	t.Run("success", func(t *testing.T) {
		code := f.authorize(challenge(verifier))
		tok, err := c.Exchange(t.Context(), code, verifier)
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Expiry.IsZero() {
			t.Fatalf("token = %+v", tok)
		}
		if got := zoom.GrantedScopes(tok); !slices.Equal(got, []string{"user:read:user:admin", "user:read:list_users:admin", "meeting:write:meeting:admin"}) {
			t.Fatalf("GrantedScopes = %v", got)
		}
		// The code is single use.
		_, err = c.Exchange(t.Context(), code, verifier)
		if !errors.Is(err, zoom.ErrInvalidGrant) {
			t.Fatalf("reused code: err = %v, want ErrInvalidGrant", err)
		}
	})
	t.Run("wrong verifier", func(t *testing.T) {
		code := f.authorize(challenge(verifier))
		_, err := c.Exchange(t.Context(), code, zoom.NewVerifier())
		var te *zoom.TokenError
		if !errors.Is(err, zoom.ErrInvalidGrant) || !errors.As(err, &te) || te.Reason != "Invalid authorization code "+code || te.Status != 400 {
			t.Fatalf("err = %#v, want invalid_grant keeping Zoom's reason", err)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		bad := mustClient(t, f, f.mustLoopback(t), func(c *zoom.Config) { c.ClientSecret = "wrong" })
		_, err := bad.Exchange(t.Context(), f.authorize(challenge(verifier)), verifier)
		var te *zoom.TokenError
		if !errors.As(err, &te) || te.Code != "invalid_client" || errors.Is(err, zoom.ErrInvalidGrant) {
			t.Fatalf("err = %v, want invalid_client", err)
		}
	})
	if _, _, withoutBasic := f.counts(); withoutBasic != 0 {
		t.Fatalf("%d token requests without Basic client auth", withoutBasic)
	}
}

func TestRevoke(t *testing.T) {
	f := newFakeZoom(t)
	c := mustClient(t, f, f.mustLoopback(t))
	tok := f.issueToken()
	if err := c.Revoke(t.Context(), tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	revoked := slices.Clone(f.revoked)
	f.mu.Unlock()
	if !slices.Equal(revoked, []string{tok.AccessToken}) {
		t.Fatalf("revoked = %v", revoked)
	}
	// The token is gone now; Zoom answers invalid_request.
	err := c.Revoke(t.Context(), tok.AccessToken)
	var te *zoom.TokenError
	if !errors.As(err, &te) || te.Code != "invalid_request" || te.Reason != "Invalid Token!" {
		t.Fatalf("second revoke: %v", err)
	}
	if _, _, withoutBasic := f.counts(); withoutBasic != 0 {
		t.Fatalf("%d revoke requests without Basic client auth", withoutBasic)
	}
	// Calls with the revoked token fail with 124 and the dead refresh token makes the connection dead.
	store := zoom.NewMemoryTokenStore(tok)
	if _, err := c.API(store).Me(t.Context()); !errors.Is(err, zoom.ErrConnectionDead) {
		t.Fatalf("Me after revoke: %v, want ErrConnectionDead", err)
	}
}
