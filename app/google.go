package app

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"

	"interviewplanner/config"
	"interviewplanner/demo"
	"interviewplanner/domain"
	"interviewplanner/googleconnect"
	"interviewplanner/googleemu"
	"interviewplanner/web/googleworkspace"
)

// googleDirectoryEvery is how often Workspace users and rooms are re-read.
const googleDirectoryEvery = time.Hour

// googleResponsesEvery is how often attendees' answers are read back from
// the scheduling calendars.
const googleResponsesEvery = time.Minute

// The demo's Google OAuth client, registered with the built-in emulator.
const (
	DemoGoogleClientID     = "interviewplanner-demo.apps.googleusercontent.com"
	DemoGoogleClientSecret = "demo-google-secret"
	// DemoGoogleStateFile keeps the emulator's state in the data folder.
	DemoGoogleStateFile = "google-emulator.json"
)

// GoogleSettings is the Google registration in use.
type GoogleSettings struct {
	ClientID, ClientSecret, RedirectURL string
	URL                                 string // "" = Google's own hosts
}

// ConfiguredGoogle is what the configuration gives, the redirect URL
// defaulting to the app's callback.
func ConfiguredGoogle(cfg *config.Config, baseURL string) GoogleSettings {
	return GoogleSettings{ClientID: cfg.GoogleClientID, ClientSecret: cfg.GoogleClientSecret, URL: cfg.GoogleURL,
		RedirectURL: cmp.Or(cfg.GoogleRedirectURL, baseURL+googleconnect.CallbackPath)}
}

// openGoogle wires Google Workspace: the connection service (also the
// calendar layer's provider of kind google), its page, the directory
// refresh, and in the demo the built-in emulator.
func (m *Main) openGoogle(ctx context.Context) error {
	if m.Calendars == nil {
		return errors.New("google: the calendar layer must be opened first")
	}
	g := ConfiguredGoogle(m.Config, m.BaseURL)
	emulatorURL := ""
	if m.Config.Demo {
		g.ClientID = cmp.Or(g.ClientID, DemoGoogleClientID)
		g.ClientSecret = cmp.Or(g.ClientSecret, DemoGoogleClientSecret)
		if g.URL == "" {
			url, err := m.startGoogleEmulator(g)
			if err != nil {
				return err
			}
			g.URL, emulatorURL = url, url
		}
	}
	keys, err := m.secretKeys()
	if err != nil {
		m.Log.Info("Google Workspace is off until IP_SECRET_KEY is set", "err", err)
		return nil
	}
	ep := googleconnect.GoogleEndpoints
	if g.URL != "" {
		ep = googleconnect.EndpointsAt(g.URL)
	}
	svc, err := googleconnect.New(googleconnect.Config{DB: m.DB, Keys: keys, Calendars: m.Calendars, Log: m.Log.With("component", "google"),
		ClientID: g.ClientID, ClientSecret: g.ClientSecret, RedirectURL: g.RedirectURL, Endpoints: ep, PushURL: m.BaseURL + googleconnect.PushPath,
		BaseURL: m.BaseURL})
	if err != nil {
		return err
	}
	page := &googleworkspace.Feature{Service: svc, EmulatorURL: emulatorURL}
	m.features.Google = page
	m.companyCalendars = append(m.companyCalendars, page)
	m.fresh = append(m.fresh, svc.Fresh())
	m.periodic = append(m.periodic, svc.Register(m.jobs, googleDirectoryEvery), svc.ResponsesJob(googleResponsesEvery))
	m.google = svc
	m.Log.Info("Google Workspace integration ready", "google_url", cmp.Or(g.URL, "Google"), "redirect_url", g.RedirectURL)
	return nil
}

// NewDemoGoogleEmulator builds the Google Workspace emulator registered
// with the app's redirect URL; on first start (no state file) it seeds
// Acme's Workspace: its people with realistic calendars, and two rooms.
func NewDemoGoogleEmulator(g GoogleSettings, dataDir string, log *slog.Logger) (*googleemu.Emulator, error) {
	emu, err := googleemu.New(googleemu.Config{ClientID: g.ClientID, ClientSecret: g.ClientSecret, RedirectURLs: []string{g.RedirectURL},
		Logger: log, AllowHTTPPush: true, StateFile: demoStateFile(dataDir, DemoGoogleStateFile)})
	if err != nil {
		return nil, err
	}
	if emu.HasState() {
		return emu, nil
	}
	var people []googleemu.DemoPerson
	for _, p := range demo.Acme {
		people = append(people, googleemu.DemoPerson{Email: p.Email, Name: p.Name, TimeZone: p.TimeZone, Admin: p.Role == domain.RoleAdmin})
	}
	if err := emu.SeedDemo("example.com", "Acme", people, time.Now()); err != nil {
		emu.Close()
		return nil, err
	}
	if err := emu.Save(); err != nil {
		emu.Close()
		return nil, err
	}
	return emu, nil
}

func (m *Main) startGoogleEmulator(g GoogleSettings) (string, error) {
	url, err := m.serveEmulator("Google", m.Config.GoogleEmulatorAddr, func() (demoEmulator, error) {
		return NewDemoGoogleEmulator(g, m.Config.DataDir, m.Log.With("component", "googleemu"))
	})
	if err != nil {
		return "", err
	}
	m.Log.Info("Google Workspace emulator running (demo)", "url", url, "console", url+"/console")
	return url, nil
}
