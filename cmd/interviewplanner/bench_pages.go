package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"interviewplanner/app"
	"interviewplanner/config"
	"interviewplanner/store/scaleseed"
)

// benchPages measures the main pages and API calls through the real HTTP
// server, first on the demo data, then after seeding the demo company to
// the size of a large customer, and prints p50/p95 side by side, on SQLite
// and — when DATABASE_URL or TEST_DATABASE_URL names one — on PostgreSQL
// (in a schema of its own, dropped afterwards).
func benchPages(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench pages", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size := scaleseed.Large
	fs.IntVar(&size.Candidates, "candidates", size.Candidates, "candidates to seed")
	fs.IntVar(&size.Interviewers, "interviewers", size.Interviewers, "interviewers to seed")
	fs.IntVar(&size.Schedules, "schedules", size.Schedules, "schedules to seed (past and future)")
	fs.IntVar(&size.Interviews, "interviews", size.Interviews, "interviews across those schedules")
	fs.IntVar(&size.Meetings, "meetings", size.Meetings, "Zoom meetings (one per phone-screen schedule)")
	fs.IntVar(&size.CalendarEvents, "calendar-events", size.CalendarEvents, "calendar events per interviewer (one synced calendar each)")
	n := fs.Int("n", 40, "requests per page and size")
	only := fs.String("db", "", "sqlite or postgres (default: SQLite, and PostgreSQL when DATABASE_URL or TEST_DATABASE_URL is set)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the large size's requests to this file (suffixed with the database's name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 5 || *n > 10_000 {
		return errors.New("--n must be 5..10000")
	}
	if err := size.Check(); err != nil {
		return err
	}
	pg := getenv("DATABASE_URL")
	if !strings.HasPrefix(pg, "postgres") {
		pg = getenv("TEST_DATABASE_URL")
	}
	var dbs []struct{ name, url string }
	if *only == "" || *only == "sqlite" {
		dbs = append(dbs, struct{ name, url string }{"SQLite", ""})
	}
	if (*only == "" || *only == "postgres") && strings.HasPrefix(pg, "postgres") {
		dbs = append(dbs, struct{ name, url string }{"PostgreSQL", pg})
	}
	if len(dbs) == 0 {
		return errors.New("--db postgres needs DATABASE_URL or TEST_DATABASE_URL")
	}
	for _, d := range dbs {
		if err := benchPagesOnce(ctx, d.name, d.url, size, *n, *cpuProfile, stdout, stderr); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
	}
	return nil
}

// pageTarget is one page or call to measure; path may be filled per size.
type pageTarget struct {
	name   string
	as     string // "admin" or "interviewer"
	method string
	path   string
	// body builds a confirm's body for request i.
	body func(i int) string
	want int
}

func benchPagesOnce(ctx context.Context, dbName, pgURL string, size scaleseed.Size, n int, cpuProfile string, stdout, stderr io.Writer) error {
	dir, err := os.MkdirTemp("", "ip-bench-pages-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dbURL := ""
	if pgURL != "" {
		if dbURL, err = benchSchema(ctx, pgURL); err != nil {
			return err
		}
		defer dropBenchSchema(pgURL, dbURL)
	}
	env := map[string]string{"IP_ADDR": "127.0.0.1:0", "IP_DATA_DIR": dir, "IP_LOG_LEVEL": "error", "IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0",
		"DATABASE_URL": dbURL, "IP_DEMO_PASSWORD": "bench-password-1"}
	cfg, _, err := config.Parse(flag.NewFlagSet("bench", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: benchLogLevel})))
	defer m.Close()
	if err := m.Listen(); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(rctx) }()
	defer func() { stop(); <-done }()

	base := "http://" + m.Addr()
	admin := newBenchClient(base)
	if err := admin.signIn("admin@example.com", cfg.DemoPassword); err != nil {
		return err
	}
	if err := admin.connectZoom(m.Zoom.AuthURL); err != nil {
		return fmt.Errorf("connect Zoom: %w", err)
	}
	acct, err := m.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		return err
	}

	// Demo size: a phone-screen candidate with one schedule.
	r := m.DB.Reader()
	var demoStage, demoCand, demoIv, demoPool int64
	if err := r.QueryRowContext(ctx, `SELECT st.id, i.id, MIN(c.id) FROM stages st JOIN stage_interviews i ON i.stage_id = st.id
		JOIN candidates c ON c.stage_id = st.id WHERE st.account_id = $1 AND st.video = 'zoom' GROUP BY st.id, i.id ORDER BY st.id LIMIT 1`, acct.ID).
		Scan(&demoStage, &demoIv, &demoCand); err != nil {
		return fmt.Errorf("demo phone screen: %w", err)
	}
	if err := r.QueryRowContext(ctx, `SELECT MIN(user_id) FROM interview_pool WHERE account_id = $1 AND interview_id = $2`, acct.ID, demoIv).Scan(&demoPool); err != nil {
		return err
	}
	confirmBody := func(cands []int64, iv, who int64, tag string) func(i int) string {
		return func(i int) string {
			// A day of its own per confirm, so nobody is double booked.
			start := time.Date(2031, 1, 6, 15, 0, 0, 0, time.UTC).AddDate(0, 0, i)
			return fmt.Sprintf(`{"candidate_id":%d,"idempotency_key":"bench-%s-%d","accept_warnings":true,"items":[{"interview_id":%d,"start":%q,"interviewers":[%d]}]}`,
				cands[i%len(cands)], tag, i, iv, start.Format(time.RFC3339), who)
		}
	}
	var demoSchedule struct {
		ID int64 `json:"id"`
	}
	if err := admin.json("POST", "/api/v1/schedules", confirmBody([]int64{demoCand}, demoIv, demoPool, "demo-first")(900), 201, &demoSchedule); err != nil {
		return fmt.Errorf("demo schedule: %w", err)
	}
	var demoFresh []int64
	rows, err := r.QueryContext(ctx, `SELECT id FROM candidates WHERE account_id = $1 AND stage_id = $2 AND id <> $3 ORDER BY id`, acct.ID, demoStage, demoCand)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		demoFresh = append(demoFresh, id)
	}
	rows.Close()

	targets := func(cand, sched, iv, who int64, fresh []int64, rare, common, tag string) []pageTarget {
		return []pageTarget{
			{name: "candidates list", path: "/candidates"},
			{name: "candidates search (one match)", path: "/candidates?q=" + rare},
			{name: "candidates search (many)", path: "/candidates?q=" + common},
			{name: "API candidates search", path: "/api/v1/candidates?q=" + rare},
			{name: "a candidate", path: fmt.Sprintf("/candidates/%d", cand)},
			{name: "a schedule", path: fmt.Sprintf("/schedules/%d", sched)},
			{name: "schedule form", path: fmt.Sprintf("/candidates/%d/schedule", cand)},
			{name: "API a schedule", path: fmt.Sprintf("/api/v1/schedules/%d", sched)},
			{name: "Find times (page)", path: fmt.Sprintf("/candidates/%d/find-times", cand)},
			{name: "Find times (API)", path: fmt.Sprintf("/api/v1/candidates/%d/find-times", cand)},
			{name: "My interviews", as: "interviewer", path: "/my/interviews"},
			{name: "interviewers", path: "/interviewers"},
			{name: "API interviewers", path: "/api/v1/interviewers"},
			{name: "users", path: "/users"},
			{name: "API users", path: "/api/v1/users"},
			{name: "confirm (API, Zoom stage)", method: "POST", path: "/api/v1/schedules", body: confirmBody(fresh, iv, who, tag), want: 201},
		}
	}
	demoIvr := newBenchClient(base)
	if err := demoIvr.signIn("priya@example.com", cfg.DemoPassword); err != nil {
		return err
	}
	demoRes, err := measurePages(targets(demoCand, demoSchedule.ID, demoIv, demoPool, demoFresh, "candidate07", "nguyen", "demo"), map[string]*benchClient{"admin": admin, "interviewer": demoIvr}, n)
	if err != nil {
		return fmt.Errorf("demo size: %w", err)
	}

	var hash string
	if err := r.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE email = 'admin@example.com'`).Scan(&hash); err != nil {
		return err
	}
	t0 := time.Now()
	seeded, err := scaleseed.Seed(ctx, m.DB, acct.ID, size, hash, time.Now())
	if err != nil {
		return err
	}
	seedTime := time.Since(t0)
	// The statistics job runs every few minutes; run it now rather than
	// wait for it.
	if err := m.DB.Optimize(ctx); err != nil {
		return err
	}
	var largeIv, largePool int64
	if err := r.QueryRowContext(ctx, `SELECT i.id, MIN(p.user_id) FROM stage_interviews i JOIN interview_pool p ON p.interview_id = i.id
		WHERE i.account_id = $1 AND i.stage_id = $2 GROUP BY i.id`, acct.ID, seeded.PhoneStage).Scan(&largeIv, &largePool); err != nil {
		return err
	}
	ivr := newBenchClient(base)
	if err := ivr.signIn(seeded.InterviewerEmail, cfg.DemoPassword); err != nil {
		return err
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile + "." + strings.ToLower(dbName))
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	largeRes, err := measurePages(targets(seeded.Candidate, seeded.Schedule, largeIv, largePool, seeded.Fresh, seeded.SearchRare, seeded.SearchCommon, "large"),
		map[string]*benchClient{"admin": admin, "interviewer": ivr}, n)
	if err != nil {
		return fmt.Errorf("large size: %w", err)
	}

	fmt.Fprintf(stdout, "\n%s — %d candidates, %d interviewers with %d calendar events each, %d schedules, %d interviews, %d Zoom meetings (seeded in %s); %d requests each, one client\n",
		dbName, size.Candidates, size.Interviewers, size.CalendarEvents, size.Schedules, size.Interviews, size.Meetings, seedTime.Round(100*time.Millisecond), n)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page\tdemo p50\tdemo p95\tlarge p50\tlarge p95\tlarge/demo p95\tdemo CPU\tlarge CPU\t")
	for i, d := range demoRes {
		l := largeRes[i]
		if d.failed != "" || l.failed != "" {
			fmt.Fprintf(tw, "%s\t%s\t\t%s\t\t\t\t\t\n", d.name, cmp.Or(d.failed, ms(d.p50)), cmp.Or(l.failed, ms(l.p50)))
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.1f×\t%s\t%s\t\n", d.name, ms(d.p50), ms(d.p95), ms(l.p50), ms(l.p95), float64(l.p95)/float64(max(d.p95, time.Microsecond)), ms(d.cpu), ms(l.cpu))
	}
	return tw.Flush()
}

type pageResult struct {
	name     string
	p50, p95 time.Duration
	// cpu is this process's CPU time per request (the server and, on
	// SQLite, the database): less sensitive than latency to other
	// programs on a busy machine.
	cpu    time.Duration
	failed string // why the page did not answer as expected
}

// measurePages requests each target n times (after one warm-up) and
// returns the percentiles in target order.
func measurePages(targets []pageTarget, clients map[string]*benchClient, n int) ([]pageResult, error) {
	var out []pageResult
	for _, t := range targets {
		c := clients["admin"]
		if t.as != "" {
			c = clients[t.as]
		}
		method, want := t.method, t.want
		if method == "" {
			method, want = "GET", 200
		}
		lat := make([]time.Duration, 0, n)
		var cpu0 time.Duration
		for i := range n + 1 {
			if i == 1 {
				cpu0 = processCPU()
			}
			body, ct := "", ""
			if t.body != nil {
				body, ct = t.body(i), "application/json"
			}
			t0 := time.Now()
			res, b, err := c.do(method, t.path, ct, body)
			d := time.Since(t0)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			if res.StatusCode != want {
				fmt.Fprintf(os.Stderr, "%s: %s %s: status %d: %.300s\n", t.name, method, t.path, res.StatusCode, b)
				out = append(out, pageResult{name: t.name, failed: fmt.Sprintf("status %d", res.StatusCode)})
				break
			}
			if i > 0 {
				lat = append(lat, d)
			}
		}
		if len(lat) < n {
			continue
		}
		cpu := (processCPU() - cpu0) / time.Duration(n)
		slices.Sort(lat)
		pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
		out = append(out, pageResult{name: t.name, p50: pct(0.50), p95: pct(0.95), cpu: cpu})
	}
	return out, nil
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
