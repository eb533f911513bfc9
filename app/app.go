// Package app wires InterviewPlanner together: configuration, database,
// web server, mail, Zoom and background work. Main has Run and Close so
// tests boot the real application on port 0 with a temporary database.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/config"
	"interviewplanner/demo"
	"interviewplanner/domain"
	"interviewplanner/googleconnect"
	"interviewplanner/mail"
	"interviewplanner/msconnect"
	"interviewplanner/password"
	"interviewplanner/store"
	"interviewplanner/web"
	"interviewplanner/web/calendarpages"
	"interviewplanner/web/routes"
)

// Main is one running application.
type Main struct {
	Config *config.Config // as parsed; never changed
	Log    *slog.Logger
	// BaseURL is the public URL: the configured one, or http:// and the
	// address actually bound (the port is known only once listening).
	BaseURL string
	// Zoom is the Zoom app registration in use: the configured one, the
	// demo's, and in demo mode the built-in emulator's URLs.
	Zoom ZoomSettings
	DB   *store.DB
	Web  *web.Server
	Mail mail.Sender
	// Video is the video-conferencing provider (Zoom) scheduling uses.
	Video domain.VideoProvider
	// Calendars reads interviewers' calendars into busy time.
	Calendars *calendars.Service

	// PasswordParams lets tests make argon2id cheap.
	PasswordParams password.Params
	// JobRetryBase lets tests retry failed jobs sooner (zero: the queue's
	// default, 2 s doubling).
	JobRetryBase time.Duration

	// Filled by the feature wiring (zoom.go, hiring.go) during Open.
	features routes.Features
	// testRoutes are extra routes a test mounts (AddTestRoutes).
	testRoutes []func(mux *http.ServeMux)
	seeders    []demo.Seeder
	// companyCalendars are the company-wide calendar connections
	// (Google Workspace, Microsoft 365) listed on Integrations → Calendars.
	companyCalendars []calendarpages.CompanyConnection
	// workers run in the background while the app serves (the job
	// queue); each returns when ctx is cancelled.
	workers []func(ctx context.Context) error
	// jobs are the queue's workers and periodic the queue's periodic
	// jobs, registered by the feature wiring before the queue is built.
	jobs *river.Workers
	// fresh are the calendar providers asked again at confirm.
	fresh []availability.Source
	// microsoft is the Microsoft 365 connection, nil when not configured.
	microsoft *msconnect.Service
	google    *googleconnect.Service
	periodic  []*river.PeriodicJob

	listener net.Listener
	http     *http.Server
	closers  []func() error
}

// NewLogger builds the slog logger the configuration asks for.
func NewLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// New returns an application for cfg; Open prepares it.
func New(cfg *config.Config, log *slog.Logger) *Main {
	return &Main{Config: cfg, Log: log, PasswordParams: password.Default}
}

// Open connects the database, applies migrations, seeds the demo and
// builds the web server.
func (m *Main) Open(ctx context.Context) error {
	if m.listener == nil {
		// The public URL, which links and the Zoom redirect carry, is
		// known once the address is bound.
		if err := m.Listen(); err != nil {
			return err
		}
	}
	db, err := store.Open(ctx, m.Config.DatabaseURL, m.Config.DataDir, m.Log)
	if err != nil {
		return err
	}
	m.DB = db
	m.closers = append(m.closers, db.Close)
	// The demo users' password hash costs a third of a second of CPU
	// (argon2id): compute it beside the migrations, and only when the demo
	// is not there yet.
	demoHash := make(chan hashResult, 1)
	if m.Config.Demo {
		if _, err := db.GetAccountByName(ctx, demo.AcmeName); err == nil {
			demoHash <- hashResult{}
		} else if m.Config.DemoPassword == demo.DefaultPassword && m.PasswordParams == password.Default {
			// The README's password: its hash ships with the program.
			demoHash <- hashResult{demo.DefaultPasswordHash, nil}
		} else {
			go func() {
				h, err := password.Hash(m.Config.DemoPassword, m.PasswordParams)
				demoHash <- hashResult{h, err}
			}()
		}
	}
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if m.Mail, err = mail.New(m.Config.SMTPURL, m.Config.MailFrom, m.Log); err != nil {
		return err
	}
	m.openOutbox()
	m.jobs = river.NewWorkers()
	m.periodic = append(m.periodic, registerSessionSweep(m.jobs, db, m.Log))
	if err := m.openZoom(ctx); err != nil {
		return err
	}
	if err := m.openCalendars(); err != nil {
		return err
	}
	if err := m.openMicrosoft(ctx); err != nil {
		return err
	}
	if err := m.openGoogle(ctx); err != nil {
		return err
	}
	if err := m.openHiring(ctx); err != nil {
		return err
	}
	if m.Config.Demo {
		hash := <-demoHash
		if hash.err != nil {
			return hash.err
		}
		created, err := demo.Seed(ctx, db, hash.hash, m.seeders...)
		if err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		if created {
			m.Log.Info("demo data seeded", "companies", "Acme, Globex")
		}
	}
	params := m.PasswordParams
	m.Web = &web.Server{DB: db, Log: m.Log, Mail: m.Mail, Config: m.Config, BaseURL: m.BaseURL,
		PasswordHash: func(pw string) (string, error) { return password.Hash(pw, params) }, Features: m.features.List()}
	mux := http.NewServeMux()
	routes.Mount(mux, m.Web, m.features)
	for _, add := range m.testRoutes {
		add(mux)
	}
	return m.Web.Init(mux)
}

// AddTestRoutes adds routes to the real server before Open, for tests
// that need a handler of their own (e.g. one that holds a request).
func (m *Main) AddTestRoutes(add func(mux *http.ServeMux)) { m.testRoutes = append(m.testRoutes, add) }

// Listen binds the configured address (port 0 picks a free one).
func (m *Main) Listen() error {
	if m.listener != nil {
		return nil // Open binds when nobody did before it
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	m.BaseURL = m.Config.BaseURL
	if m.BaseURL == "" {
		m.BaseURL = "http://" + ln.Addr().String()
	}
	return nil
}

// Addr is the address the listener is bound to.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// URL is where the application answers.
func (m *Main) URL() string { return m.BaseURL }

// Run serves until ctx is cancelled, then lets in-flight requests finish
// (up to ShutdownWait) before returning.
func (m *Main) Run(ctx context.Context) error {
	if m.listener == nil {
		if err := m.Listen(); err != nil {
			return err
		}
	}
	unused := &unusedConns{conns: map[net.Conn]bool{}}
	m.http = &http.Server{Handler: m.Web, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn), ConnState: unused.track}
	wctx, stopWorkers := context.WithCancel(context.Background())
	workersDone := make(chan struct{})
	go func() {
		defer close(workersDone)
		m.runWorkers(wctx)
	}()
	defer func() { stopWorkers(); <-workersDone }()
	errc := make(chan error, 1)
	go func() { errc <- m.http.Serve(m.listener) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Log.Info("shutting down: finishing in-flight requests", "wait", m.Config.ShutdownWait)
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownWait)
	defer cancel()
	// Shutdown waits up to 5 s for a connection a client opened but sent
	// nothing on (Go's transport dials spares). It carries no request, so
	// it is closed at once, as the closed listener refuses new ones.
	unused.closeAll()
	if err := m.http.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runWorkers runs the background workers until ctx ends, logging failures.
func (m *Main) runWorkers(ctx context.Context) {
	done := make(chan struct{}, len(m.workers))
	for _, w := range m.workers {
		go func() {
			defer func() { done <- struct{}{} }()
			if err := w(ctx); err != nil && ctx.Err() == nil {
				m.Log.Error("background worker stopped", "err", err)
			}
		}()
	}
	for range m.workers {
		<-done
	}
}

// Close releases everything Open acquired, in reverse order.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

type hashResult struct {
	hash string
	err  error
}

// unusedConns tracks the server's connections that have not begun a
// request yet (http.StateNew).
type unusedConns struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
	done  bool
}

func (u *unusedConns) track(c net.Conn, state http.ConnState) {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch {
	case state == http.StateNew && u.done:
		c.Close()
	case state == http.StateNew:
		u.conns[c] = true
	default:
		delete(u.conns, c)
	}
}

// closeAll closes the connections that never began a request, and any
// accepted from now on.
func (u *unusedConns) closeAll() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.done = true
	for c := range u.conns {
		c.Close()
	}
	clear(u.conns)
}
