package app_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"interviewplanner/app"
	"interviewplanner/app/apptest"
	"interviewplanner/msconnect"
	"interviewplanner/msemu"
	"interviewplanner/msgraph"
)

// BenchmarkMicrosoftInitialSync is the load: a Microsoft 365
// tenant of 2,000 interviewers with 300 events each over 60 days (a daily
// stand-up series, paged last, and four meetings a day) in the emulator
// with no added latency. It connects the tenant through the consent walk
// and measures, on the real app (queue, workers, database):
//
//   - sync-s: from the consent callback until every Outlook calendar is
//     read (Outlook's four requests per mailbox kept: max-inflight);
//
//   - page-p50-ms, page-p99-ms: the Find times page, loaded every 100 ms
//     by a scheduler meanwhile (idle-page-p99-ms: the same page before);
//
//   - notify-s: a meeting added in Outlook afterwards, until Find times
//     stops offering its slot (change notification → sync → cache);
//
//   - cpu-s: CPU time of the whole process (app and emulator).
//
//     go test ./app -run '^$' -bench MicrosoftInitialSync -benchtime 1x
//
// IP_BENCH_PEOPLE makes the tenant smaller or larger.
func BenchmarkMicrosoftInitialSync(b *testing.B) {
	people := 2000
	if n, err := strconv.Atoi(os.Getenv("IP_BENCH_PEOPLE")); err == nil && n > 0 {
		people = n
	}
	const days, perDay = 60, 4 // + one stand-up a day = 300 events
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	emu, err := msemu.New(msemu.Config{ClientID: app.DemoMSClientID, ClientSecret: app.DemoMSClientSecret, TenantDomain: "globex.example",
		RedirectURLs: []string{"http://" + addr + msconnect.CallbackPath}, AllowHTTPNotifications: true})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	b.Cleanup(func() { srv.Close(); emu.Close() })
	add := func(n msemu.NewEvent) {
		if _, err := emu.AddEvent(n); err != nil {
			b.Fatal(err)
		}
	}
	gloria := emu.AddUser(msemu.User{DisplayName: "Gloria Bex", Mail: "admin@globex.example", GlobalAdmin: true})
	day0 := time.Now().UTC().Truncate(24 * time.Hour)
	mailboxes := make([]string, people)
	for i := range people {
		id := emu.AddUser(msemu.User{DisplayName: fmt.Sprintf("Interviewer %04d", i), Mail: fmt.Sprintf("i%04d@globex.example", i)})
		mailboxes[i] = id
		at := func(d, h, m int) time.Time {
			return day0.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
		}
		add((msemu.NewEvent{Mailbox: id, Subject: "Stand-up", Start: at(0, 9, 0), End: at(0, 9, 15), Every: 1, Count: days}))
		for d := range days {
			for k := range perDay {
				h := 10 + 2*k + (i+d)%2
				add((msemu.NewEvent{Mailbox: id, Subject: fmt.Sprintf("Meeting %d", k), Start: at(d, h, 0), End: at(d, h, 45)}))
			}
		}
	}

	a := apptest.Start(b, apptest.Options{Env: benchEnv(map[string]string{"IP_ADDR": addr, "IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0", "IP_GOOGLE_EMULATOR_ADDR": "127.0.0.1:0",
		"IP_MS_CLIENT_ID": app.DemoMSClientID, "IP_MS_CLIENT_SECRET": app.DemoMSClientSecret, "IP_MS_LOGIN_URL": srv.URL, "IP_MS_GRAPH_URL": srv.URL + "/v1.0"})})
	emails := make([]string, people)
	for i := range emails {
		emails[i] = fmt.Sprintf("i%04d@globex.example", i)
	}
	l := startLoadBench(b, a, emails)

	for b.Loop() {
		admin := a.SignIn(b, "admin@globex.example")
		consent, err := url.Parse(admin.PostForm("/integrations/microsoft/connect", nil).Header.Get("Location"))
		if err != nil {
			b.Fatal(err)
		}
		q := consent.Query()
		resp, err := admin.HTTP.PostForm(srv.URL+consent.Path, url.Values{"client_id": {q.Get("client_id")}, "state": {q.Get("state")},
			"redirect_uri": {q.Get("redirect_uri")}, "user": {gloria}, "action": {"accept"}})
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		callback, _ := url.Parse(resp.Header.Get("Location"))

		// A busy scheduler: a page every 100 ms.
		stop := l.loadPages(b, 100*time.Millisecond)
		cpu0, start := cpuTime(), time.Now()
		if r := admin.Get(callback.RequestURI()); r.StatusCode != http.StatusSeeOther {
			b.Fatalf("callback: %d %s", r.StatusCode, r.Body)
		}
		l.waitSynced(b, "microsoft", people)
		syncTook, cpu := time.Since(start), cpuTime()-cpu0
		pages := stop()
		pct := func(p int) time.Duration { return percentile(pages, p) }
		peak := 0
		for _, m := range mailboxes {
			peak = max(peak, emu.PeakInFlight(m))
		}
		if peak > msgraph.MailboxConcurrency {
			b.Fatalf("%d requests in flight to one mailbox", peak)
		}

		// A meeting added in Outlook over the best slot Find times offers.
		first := findTimesFirst(b, l.hugo, l.cand)
		mailbox := ""
		for i, id := range l.pool {
			if id == first.who {
				mailbox = mailboxes[i]
			}
		}
		changed := time.Now()
		add((msemu.NewEvent{Mailbox: mailbox, Subject: "Just booked in Outlook", Start: first.start, End: first.start.Add(time.Hour)}))
		for findTimesFirst(b, l.hugo, l.cand) == first {
			if time.Since(changed) > time.Minute {
				b.Fatal("the Outlook meeting never reached Find times")
			}
			time.Sleep(20 * time.Millisecond)
		}
		notify := time.Since(changed)
		b.ReportMetric(syncTook.Seconds(), "sync-s")
		b.ReportMetric(cpu.Seconds(), "cpu-s")
		b.ReportMetric(float64(pct(50).Microseconds())/1000, "page-p50-ms")
		b.ReportMetric(float64(pct(99).Microseconds())/1000, "page-p99-ms")
		b.ReportMetric(float64(percentile(l.idle, 99).Microseconds())/1000, "idle-page-p99-ms")
		b.ReportMetric(notify.Seconds(), "notify-s")
		b.ReportMetric(float64(peak), "max-inflight")
		b.Logf("%d calendars × %d events: synced in %v (CPU %v), %d Find times pages meanwhile p50 %v p99 %v (idle before: p50 %v p99 %v), notified change in Find times after %v, at most %d requests in flight per mailbox",
			people, days*(perDay+1), syncTook.Round(time.Millisecond), cpu.Round(time.Millisecond), len(pages), pct(50), pct(99), percentile(l.idle, 50), percentile(l.idle, 99),
			notify.Round(time.Millisecond), peak)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type slot struct {
	who   int64
	start time.Time
}

// findTimesFirst is Find times' best option: its interviewer and start.
func findTimesFirst(tb testing.TB, c *apptest.Client, candidateID int64) slot {
	tb.Helper()
	r := c.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", candidateID))
	var out struct {
		Options []struct {
			Items []struct {
				Start        time.Time `json:"start"`
				Interviewers []int64   `json:"interviewer_ids"`
			} `json:"items"`
		} `json:"options"`
	}
	if r.StatusCode != http.StatusOK || json.Unmarshal([]byte(r.Body), &out) != nil || len(out.Options) == 0 || len(out.Options[0].Items[0].Interviewers) == 0 {
		tb.Fatalf("find times: %d %s", r.StatusCode, r.Body)
	}
	it := out.Options[0].Items[0]
	return slot{who: it.Interviewers[0], start: it.Start}
}
