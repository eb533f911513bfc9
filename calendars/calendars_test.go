package calendars_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/storetest"
)

type fixture struct {
	svc          *calendars.Service
	db           *store.DB
	acme         int64
	priya, arjun *domain.User
	now          time.Time
	mu           sync.Mutex
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func mustKeys(t testing.TB) *secretbox.Keyring {
	t.Helper()
	keys, err := secretbox.ParseKeys("k1:" + strings.Repeat("A", 43) + "=")
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func mustFixture(t *testing.T, cfg calendars.Config) *fixture {
	t.Helper()
	ctx := t.Context()
	db := storetest.MustOpen(t)
	f := &fixture{db: db, now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	db.Now = f.clock
	a, err := db.CreateAccount(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	f.acme = a.ID
	if f.priya, err = db.CreateUser(ctx, a.ID, store.NewUser{Email: "priya@acme.example", Name: "Priya", Role: domain.RoleInterviewer, TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if f.arjun, err = db.CreateUser(ctx, a.ID, store.NewUser{Email: "arjun@acme.example", Name: "Arjun", Role: domain.RoleInterviewer, TimeZone: "Asia/Kolkata"}); err != nil {
		t.Fatal(err)
	}
	cfg.DB = db
	if cfg.Keys == nil {
		cfg.Keys = mustKeys(t)
	}
	f.svc = calendars.New(cfg)
	t.Cleanup(f.svc.Close)
	return f
}

// feedServer serves an .ics with an ETag; body and status can change.
type feedServer struct {
	mu          sync.Mutex
	body        string
	etag        string
	status      int
	requests    int
	conditional int
}

func (s *feedServer) set(body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = body
	s.etag = fmt.Sprintf(`"v%d"`, len(body)+s.requests)
}

func (s *feedServer) fail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if s.status != 0 {
		http.Error(w, "no", s.status)
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		s.conditional++
		if inm == s.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("ETag", s.etag)
	w.Header().Set("Content-Type", "text/calendar")
	_, _ = w.Write([]byte(s.body))
}

func ics(events ...string) string {
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Test//EN"}
	for _, e := range events {
		lines = append(lines, "BEGIN:VEVENT")
		lines = append(lines, strings.Split(e, "|")...)
		lines = append(lines, "END:VEVENT")
	}
	lines = append(lines, "END:VCALENDAR")
	return strings.Join(lines, "\r\n") + "\r\n"
}

const standup = "UID:standup|SUMMARY:Team standup|DTSTART;TZID=America/New_York:20260302T100000|DTEND;TZID=America/New_York:20260302T103000|RRULE:FREQ=DAILY;COUNT=5"

func day(h, m int) time.Time { return time.Date(2026, 3, 3, h, m, 0, 0, time.UTC) }

func titles(es []calendars.Event) string {
	var out []string
	for _, e := range es {
		s := e.Start.UTC().Format("Jan 2 15:04") + " " + e.Title
		if e.Soft {
			s += " (soft)"
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func TestFeedSyncConditionalAndChanges(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	feed := &feedServer{}
	feed.set(ics(standup, "UID:review|SUMMARY:Design review|DTSTART:20260303T180000Z|DTEND:20260303T190000Z"))
	srv := httptest.NewServer(feed)
	defer srv.Close()

	src, err := f.svc.AddFeed(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Work", srv.URL+"/private-token/basic.ics")
	if err != nil {
		t.Fatal(err)
	}
	if src.State != calendarstore.StateOK || src.EventCount != 2 || src.DisplayURL != srv.URL {
		t.Fatalf("source = %+v", src)
	}
	av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(av.Events[f.priya.ID]); got != "Mar 3 15:00 Team standup; Mar 3 18:00 Design review" {
		t.Fatalf("events = %s", got)
	}
	if len(av.Unknown) != 0 {
		t.Fatalf("unknown = %+v", av.Unknown)
	}

	// Unchanged: the next read is conditional and keeps the cache.
	f.advance(20 * time.Minute)
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	if feed.conditional != 1 {
		t.Fatalf("conditional requests = %d", feed.conditional)
	}
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if len(av.Events[f.priya.ID]) != 2 {
		t.Fatalf("after 304 events = %s", titles(av.Events[f.priya.ID]))
	}

	// The review is cancelled and the standup moved in the calendar: the
	// next sync reflects both.
	feed.set(ics(standup, "UID:standup|RECURRENCE-ID;TZID=America/New_York:20260303T100000|SUMMARY:Team standup|DTSTART;TZID=America/New_York:20260303T110000|DTEND;TZID=America/New_York:20260303T113000",
		"UID:review|SUMMARY:Design review|STATUS:CANCELLED|DTSTART:20260303T180000Z|DTEND:20260303T190000Z"))
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if got := titles(av.Events[f.priya.ID]); got != "Mar 3 16:00 Team standup" {
		t.Fatalf("after change events = %s", got)
	}
}

// Dead credentials never fail silently: the source fails, the owner's
// availability is unknown with the reason and since when, and another
// interviewer's calendar is not affected.
func TestFailingSourceMakesOnlyItsOwnerUnknown(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	feed, other := &feedServer{}, &feedServer{}
	feed.set(ics(standup))
	other.set(ics("UID:x|SUMMARY:Lunch|DTSTART:20260303T063000Z|DTEND:20260303T073000Z"))
	srv, srv2 := httptest.NewServer(feed), httptest.NewServer(other)
	defer srv.Close()
	defer srv2.Close()
	src, err := f.svc.AddFeed(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Work", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddFeed(ctx, f.acme, calendars.Owner{UserID: f.arjun.ID}, "Arjun", srv2.URL); err != nil {
		t.Fatal(err)
	}
	f.advance(2 * time.Minute)
	failedAt := f.clock()
	feed.fail(http.StatusUnauthorized)
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Store.GetSource(ctx, f.acme, src.ID)
	if got.State != calendarstore.StateFailing || !strings.Contains(got.Error, "the server answered 401") {
		t.Fatalf("source = %+v", got)
	}
	av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID, f.arjun.ID}, day(0, 0), day(24, 0))
	if err != nil {
		t.Fatal(err)
	}
	us := av.Unknown[f.priya.ID]
	if len(us) != 1 || !us[0].Since.Equal(failedAt) {
		t.Fatalf("unknown = %+v", av.Unknown)
	}
	loc, _ := time.LoadLocation("America/New_York")
	if msg := us[0].Message(loc, f.clock()); !strings.HasPrefix(msg, `Priya's calendar "Work" could not be read since 03:02 EST: the server answered 401`) {
		t.Fatalf("message = %q", msg)
	}
	if len(av.Unknown[f.arjun.ID]) != 0 || len(av.Events[f.arjun.ID]) != 1 {
		t.Fatalf("arjun: unknown %+v events %s", av.Unknown[f.arjun.ID], titles(av.Events[f.arjun.ID]))
	}
	// Recovery clears it.
	feed.fail(0)
	_ = f.svc.Sync(ctx, f.acme, src.ID)
	if av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0)); len(av.Unknown) != 0 {
		t.Fatalf("after recovery unknown = %+v", av.Unknown)
	}
}

func TestStaleAndUncoveredSourcesAreUnknown(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	feed := &feedServer{}
	feed.set(ics(standup))
	srv := httptest.NewServer(feed)
	defer srv.Close()
	if _, err := f.svc.AddFeed(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Work", srv.URL); err != nil {
		t.Fatal(err)
	}
	far := f.clock().Add(calendars.Horizon + 48*time.Hour)
	av, _ := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, far.Add(-time.Hour), far)
	if len(av.Unknown[f.priya.ID]) != 1 || !strings.Contains(av.Unknown[f.priya.ID][0].Reason, "covers only") {
		t.Fatalf("beyond the horizon: %+v", av.Unknown)
	}
	f.advance(31 * time.Minute) // twice the 15-minute refresh, and more
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if len(av.Unknown[f.priya.ID]) != 1 || !strings.Contains(av.Unknown[f.priya.ID][0].Reason, "not been refreshed") {
		t.Fatalf("stale: %+v", av.Unknown)
	}
}

// Bad input: a clear error on the source, nothing half-stored, no hang.
func TestBadFeeds(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	mux := http.NewServeMux()
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nnot ical\r\n"))
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>Sign in</html>")) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\n"))
		line := []byte("X-FILL:" + strings.Repeat("x", 4000) + "\r\n")
		for i := 0; i < (51<<20)/len(line); i++ {
			if _, err := w.Write(line); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/secondly", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(ics("UID:s|DTSTART:20200101T000000Z|DTEND:20200101T000001Z|RRULE:FREQ=SECONDLY")))
	})
	mux.HandleFunc("/unknown-tz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(ics("UID:s|DTSTART;TZID=Mars Standard Time:20260303T100000|DURATION:PT1H")))
	})
	mux.HandleFunc("/never", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusNotFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cases := map[string]string{
		"/malformed":  "not a valid iCalendar file",
		"/html":       "not a valid iCalendar file",
		"/huge":       "larger than 50 MB",
		"/secondly":   "repeats too often",
		"/unknown-tz": `unknown time zone "Mars Standard Time"`,
		"/never":      "did not answer in time",
		"/gone":       "the server answered 404",
	}
	for path, want := range cases {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			// Short enough for the server that never answers; 50 MB needs longer.
			timeout := 500 * time.Millisecond
			if path == "/huge" {
				timeout = time.Minute
			}
			f := mustFixture(t, calendars.Config{AllowPrivate: true, Timeout: timeout})
			src, err := f.svc.AddFeed(t.Context(), f.acme, calendars.Owner{UserID: f.priya.ID}, "Bad", srv.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			if src.State != calendarstore.StateFailing || !strings.Contains(src.Error, want) {
				t.Fatalf("source state %s error %q, want %q", src.State, src.Error, want)
			}
			busy, _ := f.svc.Store.ListBusy(t.Context(), f.acme, []int64{f.priya.ID}, time.Time{}, time.Now().AddDate(10, 0, 0))
			if len(busy) != 0 {
				t.Fatalf("half-stored busy: %+v", busy)
			}
		})
	}
}

// A feed URL on this machine or a private network is refused outside the
// demo and tests, also when reached by a redirect.
func TestPrivateAddressesRefused(t *testing.T) {
	feed := &feedServer{}
	feed.set(ics(standup))
	inner := httptest.NewServer(feed)
	defer inner.Close()
	redirect := httptest.NewServer(http.RedirectHandler(inner.URL, http.StatusFound))
	defer redirect.Close()
	f := mustFixture(t, calendars.Config{AllowPrivate: false})
	for _, u := range []string{inner.URL, redirect.URL, "http://[::1]:1/x", "http://169.254.169.254/latest"} {
		src, err := f.svc.AddFeed(t.Context(), f.acme, calendars.Owner{UserID: f.priya.ID}, "x", u)
		if err != nil {
			t.Fatal(err)
		}
		if src.State != calendarstore.StateFailing || !strings.Contains(src.Error, "loopback or private") {
			t.Fatalf("%s: state %s error %q", u, src.State, src.Error)
		}
	}
	if feed.requests != 0 {
		t.Fatalf("the private server was called %d times", feed.requests)
	}
	if _, err := f.svc.AddFeed(t.Context(), f.acme, calendars.Owner{UserID: f.priya.ID}, "x", "file:///etc/passwd"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("file URL: %v", err)
	}
}

// Free, declined and cancelled events never block; tentative follows the
// account setting; keyword matches are soft; private events show as Busy.
func TestPolicyKeywordsPrivate(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	src, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Export", []byte(ics(
		"UID:a|SUMMARY:Focus time|DTSTART:20260303T130000Z|DTEND:20260303T140000Z",
		"UID:b|SUMMARY:Gym|DTSTART:20260303T140000Z|DTEND:20260303T150000Z",
		"UID:c|SUMMARY:Maybe|STATUS:TENTATIVE|DTSTART:20260303T150000Z|DTEND:20260303T160000Z",
		"UID:d|SUMMARY:Therapy|CLASS:PRIVATE|DTSTART:20260303T160000Z|DTEND:20260303T170000Z",
		"UID:e|SUMMARY:All hands|ATTENDEE;PARTSTAT=DECLINED:mailto:priya@acme.example|DTSTART:20260303T170000Z|DTEND:20260303T180000Z",
		"UID:f|SUMMARY:Free|TRANSP:TRANSPARENT|DTSTART:20260303T180000Z|DTEND:20260303T190000Z",
	)))
	if err != nil || src.State != calendarstore.StateOK {
		t.Fatalf("upload: %+v %v", src, err)
	}
	av, _ := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if got := titles(av.Events[f.priya.ID]); got != "Mar 3 13:00 Focus time; Mar 3 14:00 Gym; Mar 3 15:00 Maybe; Mar 3 16:00 Busy" {
		t.Fatalf("events = %s", got)
	}
	if err := f.svc.Store.UpdateSettings(ctx, f.acme, calendarstore.Settings{TentativeBusy: false, Keywords: []string{"focus TIME"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Store.UpdateUserKeywords(ctx, f.acme, f.priya.ID, []string{"gym"}); err != nil {
		t.Fatal(err)
	}
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if got := titles(av.Events[f.priya.ID]); got != "Mar 3 13:00 Focus time (soft); Mar 3 14:00 Gym (soft); Mar 3 15:00 Maybe (soft); Mar 3 16:00 Busy" {
		t.Fatalf("events = %s", got)
	}
	// Arjun's keywords are his own.
	if _, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.arjun.ID}, "x", []byte(ics("UID:g|SUMMARY:Gym|DTSTART:20260303T140000Z|DTEND:20260303T150000Z"))); err != nil {
		t.Fatal(err)
	}
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.arjun.ID}, day(0, 0), day(24, 0))
	if got := titles(av.Events[f.arjun.ID]); got != "Mar 3 14:00 Gym" {
		t.Fatalf("arjun events = %s", got)
	}
	if _, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "x", []byte("garbage")); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("bad upload: %v", err)
	}
}

func TestSecretsSealedAtRest(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	feed := &feedServer{}
	feed.set(ics(standup))
	srv := httptest.NewServer(feed)
	defer srv.Close()
	src, err := f.svc.AddFeed(t.Context(), f.acme, calendars.Owner{UserID: f.priya.ID}, "Work", srv.URL+"/private-s3cr3t/basic.ics")
	if err != nil {
		t.Fatal(err)
	}
	sec, err := f.svc.Store.GetSecret(context.Background(), f.acme, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sec.Sealed) == 0 || strings.Contains(string(sec.Sealed), "s3cr3t") || strings.Contains(src.DisplayURL, "s3cr3t") {
		t.Fatalf("secret stored in the clear: %q / %q", sec.Sealed, src.DisplayURL)
	}
}

// The availability source gives blocking events with their titles and
// unknown calendars with the sentence Find times shows.
func TestAvailabilitySource(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	if _, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Export", []byte(ics(
		"UID:a|SUMMARY:Team standup|DTSTART:20260303T150000Z|DTEND:20260303T153000Z",
		"UID:b|SUMMARY:Focus time|DTSTART:20260303T160000Z|DTEND:20260303T170000Z"))); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Store.UpdateSettings(ctx, f.acme, calendarstore.Settings{TentativeBusy: true, Keywords: []string{"focus time"}}); err != nil {
		t.Fatal(err)
	}
	dead := &feedServer{}
	dead.fail(http.StatusUnauthorized)
	srv := httptest.NewServer(dead)
	defer srv.Close()
	if _, err := f.svc.AddFeed(ctx, f.acme, calendars.Owner{UserID: f.arjun.ID}, "Google", srv.URL); err != nil {
		t.Fatal(err)
	}
	busy, err := calendars.Source{Service: f.svc}.Busy(ctx, availability.Request{AccountID: f.acme, From: day(0, 0), To: day(24, 0),
		Interviewers: []int64{f.priya.ID, f.arjun.ID}})
	if err != nil {
		t.Fatal(err)
	}
	ivs := busy.Interviewers[f.priya.ID]
	if len(ivs) != 1 || ivs[0].Title != "Team standup" || ivs[0].Interview() {
		t.Fatalf("priya = %+v", ivs)
	}
	if len(busy.Unknown) != 1 || busy.Unknown[0].ID != f.arjun.ID ||
		busy.Unknown[0].Message != `Arjun's calendar "Google" could not be read since 13:30 IST: the server answered 401 (the address or password is no longer accepted).` {
		t.Fatalf("unknown = %+v", busy.Unknown)
	}
}

// The in-memory copy answers each window exactly: an event that began
// earlier and still runs is in it, one that began and ended earlier
// (after a long one) is not, one starting at its end is not.
func TestBusyWindowFromTheCache(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	if _, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Export", []byte(ics(
		"UID:long|SUMMARY:Offsite|DTSTART:20260303T000000Z|DTEND:20260303T120000Z",
		"UID:short|SUMMARY:Coffee|DTSTART:20260303T010000Z|DTEND:20260303T020000Z",
		"UID:mid|SUMMARY:Review|DTSTART:20260303T050000Z|DTEND:20260303T060000Z",
		"UID:late|SUMMARY:Dinner|DTSTART:20260303T180000Z|DTEND:20260303T190000Z",
	))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, to int
		want     string
	}{
		{0, 24, "Mar 3 00:00 Offsite; Mar 3 01:00 Coffee; Mar 3 05:00 Review; Mar 3 18:00 Dinner"},
		{3, 18, "Mar 3 00:00 Offsite; Mar 3 05:00 Review"},
		{2, 5, "Mar 3 00:00 Offsite"},
		{12, 18, ""},
	} {
		av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(c.from, 0), day(c.to, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(av.Events[f.priya.ID]); got != c.want {
			t.Errorf("[%d:00, %d:00): %s, want %s", c.from, c.to, got, c.want)
		}
	}
}

// Failure class 8 (pagination and range limits drop events): a calendar
// with thousands of events across the whole horizon keeps every one of
// them, none lost to a page size or a window cut short.
func TestManyEventsNoneDropped(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	const n = 3000
	var evs []string
	for i := range n {
		// Spread over 89 days from now, several a day, some at the edges.
		s := f.now.Add(time.Duration(i) * (89 * 24 * time.Hour / n))
		evs = append(evs, fmt.Sprintf("UID:e%d|SUMMARY:Meeting %d|DTSTART:%s|DTEND:%s", i, i, s.Format("20060102T150405Z"), s.Add(20*time.Minute).Format("20060102T150405Z")))
	}
	src, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Busy person", []byte(ics(evs...)))
	if err != nil || src.EventCount != n {
		t.Fatalf("upload: %v, %d events read (want %d)", err, src.EventCount, n)
	}
	av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, f.now, f.now.Add(89*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(av.Events[f.priya.ID]); got != n || len(av.Unknown) != 0 {
		t.Fatalf("%d of %d events over 89 days (unknown: %v)", got, n, av.Unknown)
	}
}

// Busy lookups keep what they read in memory; a change written by another
// instance (another Service on the same database) shows in the very next
// answer: new busy time, a failing read, the owner's new name.
func TestBusySeesOtherInstancesWrites(t *testing.T) {
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	other := calendars.New(calendars.Config{DB: f.db, Keys: mustKeys(t), AllowPrivate: true})
	t.Cleanup(other.Close)
	src, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Export", []byte(ics(
		"UID:a|SUMMARY:Team standup|DTSTART:20260303T150000Z|DTEND:20260303T153000Z")))
	if err != nil {
		t.Fatal(err)
	}
	busy := func() *calendars.Availability {
		t.Helper()
		av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID, f.arjun.ID}, day(0, 0), day(24, 0))
		if err != nil {
			t.Fatal(err)
		}
		return av
	}
	if got := titles(busy().Events[f.priya.ID]); got != "Mar 3 15:00 Team standup" {
		t.Fatalf("events = %s", got)
	}
	if err := other.Store.UpdateSyncSuccess(ctx, f.acme, src.ID, calendarstore.Result{From: day(-24, 0), To: day(24*30, 0),
		Busy: []calendarstore.Busy{{Start: day(16, 0), End: day(17, 0), Kind: "busy", Title: "Design review"}}}); err != nil {
		t.Fatal(err)
	}
	if got := titles(busy().Events[f.priya.ID]); got != "Mar 3 16:00 Design review" {
		t.Fatalf("after another instance's sync: %s", got)
	}
	if _, err := other.AddUpload(ctx, f.acme, calendars.Owner{UserID: f.arjun.ID}, "Export", []byte(ics(
		"UID:b|SUMMARY:Gym|DTSTART:20260303T120000Z|DTEND:20260303T130000Z"))); err != nil {
		t.Fatal(err)
	}
	if got := titles(busy().Events[f.arjun.ID]); got != "Mar 3 12:00 Gym" {
		t.Fatalf("after another instance added a calendar: %s", got)
	}
	if err := other.Store.UpdateUserKeywords(ctx, f.acme, f.arjun.ID, []string{"gym"}); err != nil {
		t.Fatal(err)
	}
	if got := titles(busy().Events[f.arjun.ID]); got != "Mar 3 12:00 Gym (soft)" {
		t.Fatalf("after another instance's keywords: %s", got)
	}
	if err := other.Store.UpdateSyncFailure(ctx, f.acme, src.ID, "the server answered 401", f.clock().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if us := busy().Unknown[f.priya.ID]; len(us) != 1 || us[0].Owner != "Priya" || us[0].Reason != "the server answered 401" {
		t.Fatalf("after another instance's failed read: %+v", us)
	}
	if _, err := f.db.UpdateUserProfile(ctx, f.acme, f.priya.ID, "Priya Shah", "America/New_York"); err != nil {
		t.Fatal(err)
	}
	if us := busy().Unknown[f.priya.ID]; len(us) != 1 || us[0].Owner != "Priya Shah" {
		t.Fatalf("after a rename: %+v", us)
	}
	if err := other.Store.DeleteSource(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	if av := busy(); len(av.Events[f.priya.ID])+len(av.Unknown[f.priya.ID]) != 0 {
		t.Fatalf("after another instance removed the calendar: %+v", av)
	}
}
