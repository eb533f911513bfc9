package zoom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// NewVerifier returns a fresh PKCE code verifier; keep it with the state.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// AuthCodeURL is the Zoom authorize URL for state with a PKCE S256 challenge.
// It carries no scope parameter.
func (c *Client) AuthCodeURL(state, verifier string) string {
	return c.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

// Exchange trades an authorization code for tokens.
func (c *Client) Exchange(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(c.oauthContext(ctx), c.attemptTimeout)
	defer cancel()
	tok, err := c.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, tokenError(err)
	}
	return tok, nil
}

// refresh asks the token endpoint for a new token with old's refresh token.
func (c *Client) refresh(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
	if old == nil || old.RefreshToken == "" {
		return nil, &TokenError{Code: "invalid_grant", Reason: "no refresh token stored"}
	}
	ctx, cancel := context.WithTimeout(c.oauthContext(ctx), c.attemptTimeout)
	defer cancel()
	// A token without an access token is never valid, so this always refreshes.
	tok, err := c.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: old.RefreshToken}).Token()
	if err != nil {
		return nil, tokenError(err)
	}
	return tok, nil
}

// Revoke revokes an access token at Zoom. Zoom treats this as uninstalling
// the app and then sends app_deauthorized, so the webhook must be idempotent.
func (c *Client) Revoke(ctx context.Context, accessToken string) error {
	ctx, cancel := context.WithTimeout(ctx, c.attemptTimeout)
	defer cancel()
	form := url.Values{"token": {accessToken}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.authURL+"/oauth/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.SetBasicAuth(url.QueryEscape(c.oauth.ClientID), url.QueryEscape(c.oauth.ClientSecret))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("zoom: revoke: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return parseTokenError(resp.StatusCode, body)
	}
	return nil
}

func (c *Client) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.http)
}

// GrantedScopes lists the scopes Zoom granted with tok (its "scope" field).
func GrantedScopes(tok *oauth2.Token) []string {
	if tok == nil {
		return nil
	}
	s, _ := tok.Extra("scope").(string)
	return strings.Fields(s)
}

// TokenError is an error answer from Zoom's token or revoke endpoint.
type TokenError struct {
	Status int
	// Code is the OAuth "error" field, e.g. invalid_grant.
	Code string
	// Reason is Zoom's "reason" field, e.g. "Invalid Token!".
	Reason string
}

func (e *TokenError) Error() string {
	s := fmt.Sprintf("zoom: token endpoint: %s", e.Code)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	return s
}

// Is makes errors.Is(err, ErrInvalidGrant) true for the answers Zoom gives
// to a used, revoked or otherwise dead grant.
func (e *TokenError) Is(target error) bool {
	return target == ErrInvalidGrant && (e.Code == "invalid_grant" || e.Code == "invalid_request")
}

func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		te := parseTokenError(status, re.Body)
		if te.Code == "" {
			te.Code = re.ErrorCode
		}
		if te.Reason == "" {
			te.Reason = re.ErrorDescription
		}
		return te
	}
	return fmt.Errorf("zoom: token endpoint: %w", err)
}

func parseTokenError(status int, body []byte) *TokenError {
	var b struct {
		Error       string `json:"error"`
		Reason      string `json:"reason"`
		Description string `json:"error_description"`
	}
	te := &TokenError{Status: status}
	if json.Unmarshal(body, &b) == nil {
		te.Code, te.Reason = b.Error, b.Reason
		if te.Reason == "" {
			te.Reason = b.Description
		}
	} else if q, err := url.ParseQuery(string(body)); err == nil && q.Get("error") != "" {
		te.Code, te.Reason = q.Get("error"), q.Get("reason")
	}
	if te.Code == "" {
		te.Code = http.StatusText(status)
	}
	return te
}
