package app

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"interviewplanner/config"
	"interviewplanner/demo"
	"interviewplanner/domain"
	"interviewplanner/secretbox"
	"interviewplanner/web/integrations"
	"interviewplanner/zoom"
	"interviewplanner/zoomconnect"
	"interviewplanner/zoomemu"
)

// zoomSyncInterval is how often Zoom users and rooms are re-read.
const zoomSyncInterval = time.Hour

// openZoom wires the Zoom integration: the client, the connection store,
// the Integrations pages, and in demo mode the built-in Zoom emulator.
func (m *Main) openZoom(ctx context.Context) error {
	cfg := m.Config
	m.Zoom = ConfiguredZoom(cfg, m.BaseURL)
	marketplace := ""
	if cfg.Demo {
		// The demo works with no Zoom settings at all, also against a
		// standalone emulator (interviewplanner zoom-emulator).
		m.Zoom = DemoZoomSettings(m.Zoom)
	}
	if cfg.Demo && !cfg.ZoomExplicit {
		url, err := m.startZoomEmulator()
		if err != nil {
			return err
		}
		marketplace = url
	}
	z := m.Zoom
	if z.ClientID == "" || z.ClientSecret == "" {
		m.Log.Info("Zoom is not configured (IP_ZOOM_CLIENT_ID / IP_ZOOM_CLIENT_SECRET); video conferencing is off")
		m.Video = zoomconnect.Unconfigured{}
		// The Integrations page stays, explaining how to configure Zoom.
		m.features.Integrations = &integrations.Feature{}
		return nil
	}
	keys, err := m.secretKeys()
	if err != nil {
		return err
	}
	client, err := zoom.New(zoom.Config{ClientID: z.ClientID, ClientSecret: z.ClientSecret, RedirectURL: z.RedirectURL,
		AuthURL: z.AuthURL, APIURL: z.APIURL, AttemptTimeout: cfg.ZoomAttemptTimeout, Logger: m.Log})
	if err != nil {
		return err
	}
	svc, err := zoomconnect.New(zoomconnect.Config{DB: m.DB, Keys: keys, Zoom: client, ClientID: z.ClientID,
		WebhookSecret: z.WebhookSecret, Log: m.Log})
	if err != nil {
		return err
	}
	if z.WebhookSecret == "" {
		m.Log.Warn("IP_ZOOM_WEBHOOK_SECRET is empty: uninstalls in Zoom's Marketplace cannot be verified and will be refused")
	}
	m.Video = svc.Provider()
	m.features.Integrations = &integrations.Feature{Service: svc, MarketplaceURL: marketplace, RedirectURL: z.RedirectURL}
	m.periodic = append(m.periodic, svc.Register(m.jobs, zoomSyncInterval))
	m.Log.Info("Zoom integration ready", "auth_url", z.AuthURL, "api_url", z.APIURL, "redirect_url", z.RedirectURL, "deauthorization_endpoint", z.DeauthorizeURL)
	return nil
}

// secretKeys reads IP_SECRET_KEY, or in demo mode a key generated into the
// data directory on first start.
func (m *Main) secretKeys() (*secretbox.Keyring, error) {
	raw := m.Config.SecretKey
	if raw == "" {
		if !m.Config.Demo {
			return nil, fmt.Errorf("IP_SECRET_KEY is required to store Zoom tokens encrypted (id:base64 of 32 random bytes, e.g. k1:$(openssl rand -base64 32))")
		}
		var err error
		if raw, err = secretbox.GenerateKeyFile(filepath.Join(m.Config.DataDir, "secret.key")); err != nil {
			return nil, err
		}
	}
	keys, err := secretbox.ParseKeys(raw)
	if err != nil {
		return nil, fmt.Errorf("IP_SECRET_KEY: %w", err)
	}
	return keys, nil
}

// The demo's Zoom app registration, shared by the app and the built-in
// emulator. They protect nothing: the emulator holds only demo data.
const (
	DemoZoomClientID      = "interviewplanner-demo"
	DemoZoomClientSecret  = "demo-client-secret"
	DemoZoomWebhookSecret = "demo-webhook-secret"
)

// demoMarketplacePath is the emulated Marketplace's "Installed Apps" page.
const demoMarketplacePath = "/marketplace/installed"

// demoZoomOmitted are demo interviewers without a Zoom user, so the demo
// shows the host falling back to the user who authorized Zoom.
var demoZoomOmitted = map[string]bool{"arjun@example.com": true, "fatima@example.com": true}

// ZoomSettings is the Zoom app registration the application uses.
type ZoomSettings struct {
	ClientID, ClientSecret, WebhookSecret string
	AuthURL, APIURL                       string
	RedirectURL                           string // OAuth redirect registered with Zoom
	DeauthorizeURL                        string // where Zoom sends uninstalls
}

// ConfiguredZoom is the Zoom registration the configuration gives, with
// the redirect URL defaulting to the app's callback under baseURL.
func ConfiguredZoom(cfg *config.Config, baseURL string) ZoomSettings {
	z := ZoomSettings{ClientID: cfg.ZoomClientID, ClientSecret: cfg.ZoomClientSecret, WebhookSecret: cfg.ZoomWebhookSecret,
		AuthURL: cfg.ZoomAuthURL, APIURL: cfg.ZoomAPIURL, RedirectURL: cfg.ZoomRedirectURL, DeauthorizeURL: baseURL + zoomconnect.DeauthorizePath}
	if z.RedirectURL == "" {
		z.RedirectURL = baseURL + zoomconnect.CallbackPath
	}
	return z
}

// DemoZoomSettings returns z with empty credentials filled with the demo's.
func DemoZoomSettings(z ZoomSettings) ZoomSettings {
	z.ClientID = cmp.Or(z.ClientID, DemoZoomClientID)
	z.ClientSecret = cmp.Or(z.ClientSecret, DemoZoomClientSecret)
	z.WebhookSecret = cmp.Or(z.WebhookSecret, DemoZoomWebhookSecret)
	return z
}

// DemoZoomStateFile is where the demo's Zoom emulator keeps its state, in
// the data folder, so a restarted demo is still connected and its meetings
// still exist.
const DemoZoomStateFile = "zoom-emulator.json"

// demoStateFile is a demo emulator's state file, name, in the data folder;
// none without one (an emulator built in code, as tests do).
func demoStateFile(dataDir, name string) string {
	if dataDir == "" {
		return ""
	}
	return filepath.Join(dataDir, name)
}

// NewDemoZoomEmulator builds a Zoom emulator registered with the app's
// redirect and deauthorization URLs. It loads its state from the data
// folder, or on first start seeds the demo's Zoom account (Acme's
// interviewers, except demoZoomOmitted).
func NewDemoZoomEmulator(z ZoomSettings, dataDir string, log *slog.Logger) (*zoomemu.Emulator, error) {
	emu, err := zoomemu.New(zoomemu.Config{ClientID: z.ClientID, ClientSecret: z.ClientSecret,
		RedirectURLs: []string{z.RedirectURL}, WebhookSecret: z.WebhookSecret,
		DeauthorizationURL: z.DeauthorizeURL, Logger: log, StateFile: demoStateFile(dataDir, DemoZoomStateFile)})
	if err != nil {
		return nil, err
	}
	if emu.HasState() {
		return emu, nil
	}
	var members []zoomemu.UserSpec
	for _, p := range demo.Acme {
		if p.Role != domain.RoleInterviewer || demoZoomOmitted[p.Email] {
			continue
		}
		first, last, _ := strings.Cut(p.Name, " ")
		members = append(members, zoomemu.UserSpec{Email: p.Email, FirstName: first, LastName: last, Timezone: p.TimeZone})
	}
	// The article's role is left for the admin to create on Zoom Roles.
	emu.SeedDemo(zoomemu.Demo{Members: members, WithoutRole: true})
	if err := emu.Save(); err != nil {
		emu.Close()
		return nil, err
	}
	return emu, nil
}

// startZoomEmulator runs the built-in Zoom emulator on its own listener and
// points the Zoom settings at it; it returns the emulated Marketplace URL.
func (m *Main) startZoomEmulator() (string, error) {
	url, err := m.serveEmulator("Zoom", m.Config.ZoomEmulatorAddr, func() (demoEmulator, error) {
		return NewDemoZoomEmulator(m.Zoom, m.Config.DataDir, m.Log.With("component", "zoomemu"))
	})
	if err != nil {
		return "", err
	}
	m.Zoom.AuthURL, m.Zoom.APIURL = url, url+"/v2"
	m.Log.Info("Zoom emulator running (demo)", "url", url, "marketplace", url+demoMarketplacePath)
	return url + demoMarketplacePath, nil
}
