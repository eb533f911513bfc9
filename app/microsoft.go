package app

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"interviewplanner/config"
	"interviewplanner/msconnect"
	"interviewplanner/msemu"
	"interviewplanner/msgraph"
	"interviewplanner/store"
	"interviewplanner/web/microsoft"
)

// msDirectoryEvery is how often connected tenants' directories are re-read.
const msDirectoryEvery = 6 * time.Hour

// Demo app registration of the built-in Microsoft 365 emulator.
const (
	DemoMSClientID     = "5f1c0a4e-9d2b-4c8e-a7f3-1b2c3d4e5f60"
	DemoMSClientSecret = "demo~microsoft~secret"
	DemoMSStateFile    = "microsoft-emulator.json"
)

// MSSettings is the Microsoft app registration in use.
type MSSettings struct {
	ClientID, ClientSecret string
	LoginURL, GraphURL     string
	RedirectURL            string
}

// ConfiguredMS reads the registration from the configuration; the demo
// fills in its emulator's.
func ConfiguredMS(cfg *config.Config, baseURL string) MSSettings {
	s := MSSettings{ClientID: cfg.MSClientID, ClientSecret: cfg.MSClientSecret, LoginURL: cfg.MSLoginURL, GraphURL: cfg.MSGraphURL,
		RedirectURL: baseURL + msconnect.CallbackPath}
	if cfg.Demo {
		// A standalone emulator (IP_MS_LOGIN_URL set) has the demo's
		// registration unless one is given.
		s.ClientID, s.ClientSecret = cmp.Or(s.ClientID, DemoMSClientID), cmp.Or(s.ClientSecret, DemoMSClientSecret)
	}
	return s
}

// openMicrosoft builds the Microsoft 365 connection (and, in the demo, its
// emulator) after the calendar layer.
func (m *Main) openMicrosoft(ctx context.Context) error {
	cfg := m.Config
	s := ConfiguredMS(cfg, m.BaseURL)
	emulatorURL := ""
	if cfg.Demo && !cfg.MSExplicit {
		url, err := m.startMSEmulator(s)
		if err != nil {
			return err
		}
		emulatorURL, s.LoginURL, s.GraphURL = url, url, url+"/v1.0"
	}
	if s.ClientID == "" || s.ClientSecret == "" {
		m.features.Microsoft = &microsoft.Feature{RedirectURL: s.RedirectURL}
		m.companyCalendars = append(m.companyCalendars, m.features.Microsoft)
		return nil
	}
	keys, err := m.secretKeys()
	if err != nil {
		return err
	}
	svc, err := msconnect.New(msconnect.Config{DB: m.DB, Keys: keys, Calendars: m.Calendars, Log: m.Log.With("component", "microsoft"),
		RedirectURL: s.RedirectURL, BaseURL: m.BaseURL, Graph: msgraph.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, LoginURL: s.LoginURL, GraphURL: s.GraphURL}})
	if err != nil {
		return err
	}
	m.features.Microsoft = &microsoft.Feature{Service: svc, EmulatorURL: emulatorURL, RedirectURL: s.RedirectURL}
	m.companyCalendars = append(m.companyCalendars, m.features.Microsoft)
	m.periodic = append(m.periodic, svc.Register(m.jobs, msDirectoryEvery)...)
	m.fresh = append(m.fresh, svc.Fresh())
	m.microsoft = svc
	m.Log.Info("Microsoft 365 integration ready", "login_url", s.LoginURL, "graph_url", s.GraphURL, "redirect_url", s.RedirectURL)
	return nil
}

// NewDemoMSEmulator is Globex's Microsoft 365 tenant, seeded on first start
// and kept in DATA/microsoft-emulator.json.
func NewDemoMSEmulator(s MSSettings, dataDir string, log *slog.Logger) (*msemu.Emulator, error) {
	emu, err := msemu.New(msemu.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURLs: []string{s.RedirectURL},
		TenantDomain: "globex.example", AllowHTTPNotifications: true, Logger: log, StateFile: demoStateFile(dataDir, DemoMSStateFile)})
	if err != nil {
		return nil, err
	}
	if emu.HasState() {
		return emu, nil
	}
	seedGlobexTenant(emu, time.Now())
	return emu, emu.Save()
}

// seedGlobexTenant gives Globex's people realistic Outlook calendars for
// the next weeks: a daily stand-up (a series, paged last), 1:1s, focus
// time shown as free, a tentative invitation, a private appointment, a
// declined meeting, a day out of office and one working from home.
func seedGlobexTenant(emu *msemu.Emulator, now time.Time) {
	emu.AddUser(msemu.User{DisplayName: "Gloria Bex", Mail: "admin@globex.example", GlobalAdmin: true, JobTitle: "IT Director"})
	emu.AddUser(msemu.User{DisplayName: "Hugo Ring", Mail: "hiring@globex.example", JobTitle: "Recruiting Coordinator"})
	emu.AddUser(msemu.User{DisplayName: "Kai Nakamura", Mail: "kai@globex.example", JobTitle: "Staff Engineer"})
	emu.AddUser(msemu.User{DisplayName: "Recruiting", Mail: "recruiting@globex.example"})
	emu.AddUser(msemu.User{DisplayName: "Lena Vogel", Mail: "lena@globex.example", JobTitle: "Designer"})
	emu.AddRoom(msemu.Room{DisplayName: "Spree", Email: "spree@globex.example", Building: "Berlin HQ", Floor: 3, Capacity: 8})
	emu.AddRoom(msemu.Room{DisplayName: "Tokyo Bay", Email: "tokyobay@globex.example", Building: "Tokyo Office", Floor: 12, Capacity: 4})
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	day := func(loc *time.Location, d, h, m int) time.Time {
		t := now.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day()+d, h, m, 0, 0, loc)
	}
	add := func(n msemu.NewEvent) { _, _ = emu.AddEvent(n) }
	kai := "kai@globex.example"
	add(msemu.NewEvent{Mailbox: kai, Subject: "Team stand-up", Start: day(tokyo, 0, 10, 0), End: day(tokyo, 0, 10, 15), Every: 1, Count: 40})
	for d := 1; d < 28; d += 7 {
		add(msemu.NewEvent{Mailbox: kai, Subject: "1:1 with Gloria", Start: day(tokyo, d, 16, 0), End: day(tokyo, d, 16, 30)})
		add(msemu.NewEvent{Mailbox: kai, Subject: "Focus time", Start: day(tokyo, d+1, 13, 0), End: day(tokyo, d+1, 15, 0), ShowAs: "free"})
		add(msemu.NewEvent{Mailbox: kai, Subject: "Architecture review", Start: day(tokyo, d+2, 11, 0), End: day(tokyo, d+2, 12, 30)})
		add(msemu.NewEvent{Mailbox: kai, Subject: "Vendor demo", Start: day(tokyo, d+3, 14, 0), End: day(tokyo, d+3, 15, 0), ShowAs: "tentative", Response: "tentativelyAccepted"})
		add(msemu.NewEvent{Mailbox: kai, Subject: "Doctor", Start: day(tokyo, d+3, 9, 0), End: day(tokyo, d+3, 10, 0), Sensitivity: "private"})
		add(msemu.NewEvent{Mailbox: kai, Subject: "All-hands (declined)", Start: day(tokyo, d+4, 17, 0), End: day(tokyo, d+4, 18, 0), Response: "declined"})
	}
	add(msemu.NewEvent{Mailbox: kai, Subject: "Out of office", Start: day(tokyo, 9, 0, 0), End: day(tokyo, 10, 0, 0), ShowAs: "oof", AllDay: true})
	add(msemu.NewEvent{Mailbox: kai, Subject: "Working from home", Start: day(tokyo, 5, 9, 0), End: day(tokyo, 5, 18, 0), ShowAs: "workingElsewhere"})
	add(msemu.NewEvent{Mailbox: "hiring@globex.example", Subject: "Recruiting sync", Start: day(berlin, 1, 10, 0), End: day(berlin, 1, 11, 0), Every: 7, Count: 6})
	add(msemu.NewEvent{Mailbox: "spree@globex.example", Subject: "Board meeting", Start: day(berlin, 2, 9, 0), End: day(berlin, 2, 12, 0)})
}

func (m *Main) startMSEmulator(s MSSettings) (string, error) {
	url, err := m.serveEmulator("Microsoft 365", m.Config.MSEmulatorAddr, func() (demoEmulator, error) {
		return NewDemoMSEmulator(s, m.Config.DataDir, m.Log.With("component", "msemu"))
	})
	if err != nil {
		return "", err
	}
	m.Log.Info("Microsoft 365 emulator running (demo)", "url", url)
	return url, nil
}

// outlookEvents is Microsoft 365 as a company calendar of the scheduling
// workflow: it queues a changed schedule's Outlook events (in the same
// transaction) when the tenant is connected. Our own invitations still go
// out.
type outlookEvents struct{ s *msconnect.Service }

func (o outlookEvents) QueueEvents(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) (bool, error) {
	return false, o.s.QueueEvents(ctx, tx, accountID, scheduleID)
}
