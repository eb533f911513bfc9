// Package zoom is the adapter to Zoom's OAuth and REST APIs: authorization
// (PKCE, no scope parameter), token refresh that survives rotation across
// several instances, typed calls for users, meetings and rooms, Zoom's error
// bodies as typed errors, retries with backoff on idempotent calls and a
// client-side rate limit.
package zoom

import (
	"cmp"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"
)

// Defaults for Config.
const (
	DefaultAuthURL        = "https://zoom.us"
	DefaultAPIURL         = "https://api.zoom.us/v2"
	DefaultAttemptTimeout = 15 * time.Second
	DefaultMaxAttempts    = 4
)

// expiryMargin is how long before expiry a token counts as stale, so a call
// never starts with a token that dies in flight (Zoom's own SDK uses 60 s).
const expiryMargin = 60 * time.Second

// Config configures a Client. Zero values get the defaults above.
type Config struct {
	ClientID     string
	ClientSecret string
	RedirectURL  string
	// AuthURL is the OAuth host (authorize, token, revoke live under /oauth/).
	AuthURL string
	// APIURL is the REST base including /v2.
	APIURL     string
	HTTPClient *http.Client
	// RateLimit, when set, replaces Zoom's per-category rates with one rate
	// per account and category (tests); rate.Inf disables limiting. Unset,
	// each Zoom account gets Zoom's quotas per category (ProQuotas), adjusted
	// to the X-RateLimit-* headers Zoom sends.
	RateLimit rate.Limit
	Burst     int
	Logger    *slog.Logger
	// AttemptTimeout bounds each HTTP attempt (the caller's context still bounds the whole call).
	AttemptTimeout time.Duration
	// MaxAttempts bounds retries of idempotent calls (1 = no retries).
	MaxAttempts int
	// MaxRetryWait is the longest Retry-After the client sleeps through; longer
	// waits (Zoom's daily limits say "until 00:00 UTC") are returned as errors.
	MaxRetryWait time.Duration
}

// LogValue keeps the client secret out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.Any("client_secret", Secret(c.ClientSecret)),
		slog.String("redirect_url", c.RedirectURL),
		slog.String("auth_url", c.AuthURL),
		slog.String("api_url", c.APIURL),
	)
}

// Client is safe for concurrent use by many connections.
type Client struct {
	oauth          oauth2.Config
	authURL        string
	apiURL         string
	http           *http.Client
	rateLimit      rate.Limit
	burst          int
	log            *slog.Logger
	attemptTimeout time.Duration
	maxAttempts    int
	maxRetryWait   time.Duration
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("zoom: client id and secret are required")
	}
	authURL := strings.TrimRight(cmp.Or(cfg.AuthURL, DefaultAuthURL), "/")
	apiURL := strings.TrimRight(cmp.Or(cfg.APIURL, DefaultAPIURL), "/")
	for _, u := range []string{authURL, apiURL} {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, errors.New("zoom: invalid base URL " + u)
		}
	}
	c := &Client{
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			RedirectURL:  cfg.RedirectURL,
			Endpoint: oauth2.Endpoint{
				AuthURL:   authURL + "/oauth/authorize",
				TokenURL:  authURL + "/oauth/token",
				AuthStyle: oauth2.AuthStyleInHeader,
			},
			// No Scopes: Zoom rejects a scope parameter; scopes come from the app's configuration.
		},
		authURL:        authURL,
		apiURL:         apiURL,
		http:           cmp.Or(cfg.HTTPClient, http.DefaultClient),
		log:            cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		attemptTimeout: cmp.Or(cfg.AttemptTimeout, DefaultAttemptTimeout),
		maxAttempts:    cmp.Or(cfg.MaxAttempts, DefaultMaxAttempts),
		maxRetryWait:   cmp.Or(cfg.MaxRetryWait, time.Minute),
	}
	c.rateLimit, c.burst = cfg.RateLimit, cfg.Burst
	return c, nil
}

// Secret is a string that never appears in logs.
type Secret string

// LogValue redacts the secret.
func (Secret) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// String redacts the secret in fmt output too; use string(s) to read it.
func (Secret) String() string { return "REDACTED" }
