package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"interviewplanner/app"
	"interviewplanner/config"
	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
)

// benchSchedules confirms schedules of 5 interviews on a Zoom stage against
// the built-in Zoom emulator (no added latency) and prints schedules per
// second and the time from confirm until every meeting exists, on SQLite
// and — when DATABASE_URL or TEST_DATABASE_URL names one — on PostgreSQL.
func benchSchedules(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench schedules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 40, "schedules to confirm")
	workers := fs.Int("concurrency", 4, "confirms in flight at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 2000 || *workers < 1 || *workers > 64 {
		return errors.New("--n must be 1..2000 and --concurrency 1..64")
	}
	dbs := []struct{ name, url string }{{"SQLite", ""}}
	pg := getenv("DATABASE_URL")
	if !strings.HasPrefix(pg, "postgres") {
		pg = getenv("TEST_DATABASE_URL")
	}
	if strings.HasPrefix(pg, "postgres") {
		dbs = append(dbs, struct{ name, url string }{"PostgreSQL", pg})
	}
	for _, d := range dbs {
		res, err := benchOnce(ctx, d.url, *n, *workers, stderr)
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		fmt.Fprintf(stdout, "%-10s  %d schedules × 5 interviews, Zoom on: %.1f schedules/s; confirm → all meetings created: p50 %s, p99 %s; confirm request p50 %s\n",
			d.name, *n, res.perSecond, res.p50.Round(time.Millisecond), res.p99.Round(time.Millisecond), res.confirmP50.Round(time.Millisecond))
		fmt.Fprintf(stdout, "%-10s  Zoom: %d meeting creates sent, %d answered 429; busiest second %d creates (Zoom Pro allows 20 Medium calls a second)\n",
			"", res.creates, res.tooMany, res.busiest)
	}
	return nil
}

type benchResult struct {
	perSecond  float64
	p50, p99   time.Duration
	confirmP50 time.Duration
	// What Zoom saw: meeting creates, 429 answers, and the most creates
	// in one second — what bounds the rate.
	creates, tooMany, busiest int
}

func benchOnce(ctx context.Context, pgURL string, n, workers int, stderr io.Writer) (*benchResult, error) {
	dir, err := os.MkdirTemp("", "ip-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	dbURL := ""
	if pgURL != "" {
		if dbURL, err = benchSchema(ctx, pgURL); err != nil {
			return nil, err
		}
		defer dropBenchSchema(pgURL, dbURL)
	}
	env := map[string]string{"IP_ADDR": "127.0.0.1:0", "IP_DATA_DIR": dir, "IP_LOG_LEVEL": "error", "IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0",
		"DATABASE_URL": dbURL, "IP_DEMO_PASSWORD": "bench-password-1"}
	cfg, _, err := config.Parse(flag.NewFlagSet("bench", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: benchLogLevel})))
	defer m.Close()
	if err := m.Listen(); err != nil {
		return nil, err
	}
	if err := m.Open(ctx); err != nil {
		return nil, err
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(rctx) }()
	defer func() { stop(); <-done }()

	c := newBenchClient("http://" + m.Addr())
	if err := c.signIn("admin@example.com", cfg.DemoPassword); err != nil {
		return nil, err
	}
	if err := c.connectZoom(m.Zoom.AuthURL); err != nil {
		return nil, fmt.Errorf("connect Zoom: %w", err)
	}
	// A job whose one stage has Zoom on and 5 interviews open to anyone.
	var job struct {
		ID int64 `json:"id"`
	}
	if err := c.json("POST", "/api/v1/jobs", `{"title":"Benchmark"}`, 201, &job); err != nil {
		return nil, err
	}
	var stage struct {
		ID         int64 `json:"id"`
		Interviews []struct {
			ID int64 `json:"id"`
		} `json:"interviews"`
	}
	ivs := make([]string, 5)
	for i := range ivs {
		ivs[i] = fmt.Sprintf(`{"name":"Interview %d","duration_minutes":45,"interviewers_needed":1,"pool":[],"room_required":false,"position":%d}`, i+1, i+1)
	}
	if err := c.json("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", job.ID), `{"name":"Loop","position":1,"video":"zoom","meeting_mode":"per_interview","buffer_minutes":0,`+
		`"allowed_start":"00:00","allowed_end":"24:00","earliest_day_offset":0,"latest_day_offset":365,"interviews":[`+strings.Join(ivs, ",")+`]}`, 201, &stage); err != nil {
		return nil, err
	}
	var people struct {
		Interviewers []struct {
			ID   int64  `json:"id"`
			Role string `json:"role"`
		} `json:"interviewers"`
	}
	if err := c.json("GET", "/api/v1/interviewers", "", 200, &people); err != nil {
		return nil, err
	}
	var interviewers []int64
	for _, p := range people.Interviewers {
		if p.Role == "interviewer" {
			interviewers = append(interviewers, p.ID)
		}
	}
	candidates := make([]int64, n)
	for i := range candidates {
		var cand struct {
			ID int64 `json:"id"`
		}
		body := fmt.Sprintf(`{"name":"Bench %d","email":"bench%d@example.net","time_zone":"UTC","job_id":%d,"stage_id":%d}`, i, i, job.ID, stage.ID)
		if err := c.json("POST", "/api/v1/candidates", body, 201, &cand); err != nil {
			return nil, err
		}
		candidates[i] = cand.ID
	}
	acct, err := m.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		return nil, err
	}
	hs := hiringstore.New(m.DB)
	latencies := make([]time.Duration, n)
	confirms := make([]time.Duration, n)
	errs := make(chan error, n)
	jobsCh := make(chan int)
	var wg sync.WaitGroup
	begin := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobsCh {
				// One day per schedule, interviews back to back, so no
				// interviewer or Zoom host is double booked.
				day := time.Date(2031, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i)
				items := make([]string, 5)
				for k := range items {
					items[k] = fmt.Sprintf(`{"interview_id":%d,"start":%q,"interviewers":[%d]}`, stage.Interviews[k].ID,
						day.Add(time.Duration(k)*time.Hour).Format(time.RFC3339), interviewers[(i+k)%len(interviewers)])
				}
				body := fmt.Sprintf(`{"candidate_id":%d,"idempotency_key":"bench-%d","accept_warnings":true,"items":[%s]}`, candidates[i], i, strings.Join(items, ","))
				t0 := time.Now()
				var sc struct {
					ID int64 `json:"id"`
				}
				if err := c.json("POST", "/api/v1/schedules", body, 201, &sc); err != nil {
					errs <- err
					continue
				}
				confirms[i] = time.Since(t0)
				for {
					s, err := hs.GetSchedule(ctx, acct.ID, sc.ID)
					if err != nil {
						errs <- err
						break
					}
					all := true
					for _, it := range s.Items {
						all = all && it.Meeting.State == domain.MeetingCreated
					}
					if all {
						latencies[i] = time.Since(t0)
						break
					}
					if time.Since(t0) > 5*time.Minute {
						errs <- fmt.Errorf("schedule %d: meetings not created within 5 minutes", sc.ID)
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
		}()
	}
	for i := range n {
		jobsCh <- i
	}
	close(jobsCh)
	wg.Wait()
	elapsed := time.Since(begin)
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	slices.Sort(latencies)
	slices.Sort(confirms)
	pct := func(xs []time.Duration, p float64) time.Duration { return xs[min(len(xs)-1, int(float64(len(xs))*p))] }
	res := &benchResult{perSecond: float64(n) / elapsed.Seconds(), p50: pct(latencies, 0.50), p99: pct(latencies, 0.99), confirmP50: pct(confirms, 0.50)}
	var calls []struct {
		Time   time.Time `json:"time"`
		Method string    `json:"method"`
		Path   string    `json:"path"`
		Status int       `json:"status"`
	}
	if err := newBenchClient(m.Zoom.AuthURL).json("GET", "/_emulator/requests", "", 200, &calls); err != nil {
		return nil, fmt.Errorf("the Zoom emulator's request log: %w", err)
	}
	perSecond := map[int64]int{}
	for _, c := range calls {
		if c.Method != "POST" || !strings.HasSuffix(c.Path, "/meetings") {
			continue
		}
		res.creates++
		if c.Status == http.StatusTooManyRequests {
			res.tooMany++
			continue
		}
		perSecond[c.Time.Unix()]++
	}
	for _, k := range perSecond {
		res.busiest = max(res.busiest, k)
	}
	return res, nil
}

// benchSchema makes an empty schema so the benchmark never touches data.
func benchSchema(ctx context.Context, base string) (string, error) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer db.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func dropBenchSchema(base, withSchema string) {
	u, err := url.Parse(withSchema)
	if err != nil {
		return
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer db.Close()
	_, _ = db.Exec(`DROP SCHEMA ` + u.Query().Get("search_path") + ` CASCADE`)
}

// benchClient is a signed-in browser for the benchmark.
type benchClient struct {
	base string
	http *http.Client
}

func newBenchClient(base string) *benchClient {
	jar, _ := cookiejar.New(nil)
	return &benchClient{base: base, http: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *benchClient) do(method, target, contentType, body string) (*http.Response, []byte, error) {
	if !strings.HasPrefix(target, "http") {
		target = c.base + target
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != "GET" {
		u, _ := url.Parse(target)
		req.Header.Set("Origin", u.Scheme+"://"+u.Host)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, b, err
}

func (c *benchClient) json(method, path, body string, want int, out any) error {
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	res, b, err := c.do(method, path, ct, body)
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

func (c *benchClient) signIn(email, pw string) error {
	res, _, err := c.do("POST", "/signin", "application/x-www-form-urlencoded", url.Values{"email": {email}, "password": {pw}}.Encode())
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign in: status %d", res.StatusCode)
	}
	return nil
}

// connectZoom authorizes the app in the emulator as its Owner.
func (c *benchClient) connectZoom(emu string) error {
	res, _, err := c.do("POST", "/integrations/zoom/authorize", "application/x-www-form-urlencoded", "")
	if err != nil {
		return err
	}
	authorize := res.Header.Get("Location")
	var accts []struct {
		Users []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"users"`
	}
	zc := newBenchClient(emu)
	if err := zc.json("GET", "/_emulator/accounts", "", 200, &accts); err != nil {
		return err
	}
	owner := ""
	for _, a := range accts {
		for _, u := range a.Users {
			if u.Email == "admin@example.com" {
				owner = u.ID
			}
		}
	}
	if _, _, err := zc.do("POST", "/signin", "application/x-www-form-urlencoded", url.Values{"user_id": {owner}, "next": {"/"}}.Encode()); err != nil {
		return err
	}
	_, page, err := zc.do("GET", authorize, "", "")
	if err != nil {
		return err
	}
	form := url.Values{"decision": {"allow"}}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], strings.NewReplacer("&amp;", "&", "&#43;", "+").Replace(m[2]))
	}
	back, _, err := zc.do("POST", "/oauth/authorize", "application/x-www-form-urlencoded", form.Encode())
	if err != nil {
		return err
	}
	loc, err := url.Parse(back.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		return fmt.Errorf("the emulator did not return a code (status %d)", back.StatusCode)
	}
	res, b, err := c.do("GET", loc.RequestURI(), "", "")
	if err != nil {
		return err
	}
	if res.StatusCode >= 400 {
		return fmt.Errorf("callback: %d %s", res.StatusCode, b)
	}
	return nil
}

// benchLogLevel keeps the benchmark's output to its figures.
const benchLogLevel = slog.LevelWarn
