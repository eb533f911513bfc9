package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/app"
	"interviewplanner/app/apptest"
	"interviewplanner/googleconnect"
	"interviewplanner/googleemu"
)

// BenchmarkGoogleInitialSync is the load: a Google Workspace of
// 2,000 interviewers with 300 events each over 60 days (five meetings a
// day) in the emulator with no added latency. The admin uploads the
// service account key (domain-wide delegation) on the Integrations page,
// and on the real app (queue, workers, database) it measures:
//
//   - sync-s: from the upload until every interviewer's calendar is read
//     (events.list, busy cache, push channel);
//
//   - page-p50-ms, page-p99-ms: the Find times page, loaded every 50 ms by
//     a scheduler meanwhile (idle-page-p99-ms: the same page before);
//
//   - push-s: a meeting added in Google Calendar afterwards, until Find
//     times stops offering its slot (push notification → sync → cache);
//
//   - cpu-s: CPU time of the whole process (app and emulator).
//
//     go test ./app -run '^$' -bench GoogleInitialSync -benchtime 1x -timeout 30m
//
// IP_BENCH_PEOPLE makes the Workspace smaller or larger.
func BenchmarkGoogleInitialSync(b *testing.B) {
	people := 2000
	if n, err := strconv.Atoi(os.Getenv("IP_BENCH_PEOPLE")); err == nil && n > 0 {
		people = n
	}
	const days, perDay = 60, 5
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	emu, err := googleemu.New(googleemu.Config{ClientID: app.DemoGoogleClientID, ClientSecret: app.DemoGoogleClientSecret, AllowHTTPPush: true})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	b.Cleanup(func() { srv.Close(); emu.Close() })
	emu.AddCustomer("globex.example", "Globex")
	if _, err := emu.AddUser(googleemu.NewUser{Email: "admin@globex.example", GivenName: "Gloria", FamilyName: "Bex", Admin: true}); err != nil {
		b.Fatal(err)
	}
	day0 := time.Now().UTC().Truncate(24 * time.Hour)
	emails := make([]string, people)
	for i := range people {
		emails[i] = fmt.Sprintf("i%04d@globex.example", i)
		if _, err := emu.AddUser(googleemu.NewUser{Email: emails[i], GivenName: "Interviewer", FamilyName: fmt.Sprintf("%04d", i)}); err != nil {
			b.Fatal(err)
		}
		for d := range days {
			for k := range perDay {
				s := day0.AddDate(0, 0, d).Add(time.Duration(9+2*k+(i+d)%2) * time.Hour)
				if err := emu.PutEvent(emails[i], benchEvent(fmt.Sprintf("m%02d%d", d, k), "Meeting", s, s.Add(45*time.Minute))); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	key, err := emu.CreateServiceAccountKey(srv.URL, "globex-scheduling", "interviewplanner")
	if err != nil {
		b.Fatal(err)
	}
	var kf googleemu.KeyFile
	_ = json.Unmarshal(key, &kf)
	if err := emu.GrantDWD("globex.example", kf.ClientID, googleconnect.Scopes); err != nil {
		b.Fatal(err)
	}

	a := apptest.Start(b, apptest.Options{Env: benchEnv(map[string]string{"IP_ADDR": addr, "IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0", "IP_MS_EMULATOR_ADDR": "127.0.0.1:0",
		"IP_GOOGLE_CLIENT_ID": app.DemoGoogleClientID, "IP_GOOGLE_CLIENT_SECRET": app.DemoGoogleClientSecret, "IP_GOOGLE_URL": srv.URL})})
	l := startLoadBench(b, a, emails)

	for b.Loop() {
		admin := a.SignIn(b, "admin@globex.example")
		stop := l.loadPages(b, 50*time.Millisecond)
		cpu0, start := cpuTime(), time.Now()
		if r := uploadKey(admin, key, "admin@globex.example"); r.StatusCode != http.StatusSeeOther {
			b.Fatalf("key upload: %d %s", r.StatusCode, r.Body)
		}
		l.waitSynced(b, "google", people)
		syncTook, cpu := time.Since(start), cpuTime()-cpu0
		pages := stop()
		pct := func(p int) time.Duration { return percentile(pages, p) }

		// A meeting added in Google Calendar over the best slot Find times offers.
		first := findTimesFirst(b, l.hugo, l.cand)
		email := ""
		for i, id := range l.pool {
			if id == first.who {
				email = emails[i]
			}
		}
		changed := time.Now()
		if err := emu.PutEvent(email, benchEvent("justbooked", "Just booked in Google Calendar", first.start, first.start.Add(time.Hour))); err != nil {
			b.Fatal(err)
		}
		for findTimesFirst(b, l.hugo, l.cand) == first {
			if time.Since(changed) > time.Minute {
				b.Fatal("the Google Calendar meeting never reached Find times")
			}
			time.Sleep(20 * time.Millisecond)
		}
		push := time.Since(changed)
		b.ReportMetric(syncTook.Seconds(), "sync-s")
		b.ReportMetric(float64(syncTook.Milliseconds())/float64(people), "ms/person")
		b.ReportMetric(cpu.Seconds(), "cpu-s")
		b.ReportMetric(float64(pct(50).Microseconds())/1000, "page-p50-ms")
		b.ReportMetric(float64(pct(99).Microseconds())/1000, "page-p99-ms")
		b.ReportMetric(float64(percentile(l.idle, 99).Microseconds())/1000, "idle-page-p99-ms")
		b.ReportMetric(push.Seconds(), "push-s")
		b.Logf("%d calendars × %d events: synced in %v (CPU %v), %d Find times pages meanwhile p50 %v p99 %v (idle before: p50 %v p99 %v), pushed change in Find times after %v",
			people, days*perDay, syncTook.Round(time.Millisecond), cpu.Round(time.Millisecond), len(pages), pct(50), pct(99), percentile(l.idle, 50), percentile(l.idle, 99),
			push.Round(time.Millisecond))
	}
}

func benchEvent(id, summary string, start, end time.Time) *calendar.Event {
	return &calendar.Event{Id: id, Summary: summary,
		Start: &calendar.EventDateTime{DateTime: start.Format(time.RFC3339)}, End: &calendar.EventDateTime{DateTime: end.Format(time.RFC3339)}}
}

// uploadKey posts a service account key file on Integrations → Google Workspace.
func uploadKey(c *apptest.Client, key []byte, adminEmail string) apptest.Response {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("key", "key.json")
	_, _ = fw.Write(key)
	_ = w.WriteField("admin_email", adminEmail)
	_ = w.Close()
	return c.Do(http.MethodPost, "/integrations/google/service-account", &body, http.Header{"Content-Type": {w.FormDataContentType()}})
}
