package zoomconnect

import (
	"fmt"
	"time"

	"interviewplanner/secretbox"
	"interviewplanner/store/zoomstore"
)

// plainTokens are a connection's tokens in the clear; they live only in
// memory, for the duration of a call.
type plainTokens struct {
	Access  string
	Refresh string
	Expiry  time.Time
	Version int64
}

// sealer seals tokens bound to their account, so a row copied to another
// account does not open.
type sealer struct{ keys *secretbox.Keyring }

func tokenAD(accountID int64, kind string) []byte {
	return fmt.Appendf(nil, "interviewplanner/zoom/%d/%s", accountID, kind)
}

func (s sealer) seal(accountID int64, t plainTokens) (zoomstore.Tokens, error) {
	a, err := s.keys.Seal([]byte(t.Access), tokenAD(accountID, "access"))
	if err != nil {
		return zoomstore.Tokens{}, err
	}
	r, err := s.keys.Seal([]byte(t.Refresh), tokenAD(accountID, "refresh"))
	if err != nil {
		return zoomstore.Tokens{}, err
	}
	return zoomstore.Tokens{KeyID: s.keys.CurrentKeyID(), Access: []byte(a), Refresh: []byte(r), Expiry: t.Expiry}, nil
}

func (s sealer) open(accountID int64, t zoomstore.Tokens) (plainTokens, error) {
	a, err := s.keys.Open(string(t.Access), tokenAD(accountID, "access"))
	if err != nil {
		return plainTokens{}, fmt.Errorf("open access token: %w", err)
	}
	r, err := s.keys.Open(string(t.Refresh), tokenAD(accountID, "refresh"))
	if err != nil {
		return plainTokens{}, fmt.Errorf("open refresh token: %w", err)
	}
	return plainTokens{Access: string(a), Refresh: string(r), Expiry: t.Expiry, Version: t.Version}, nil
}
