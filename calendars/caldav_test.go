package calendars_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/calendars/radicaletest"
	"interviewplanner/domain"
	"interviewplanner/store/calendarstore"
)

func put(t *testing.T, r *radicaletest.Server, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, r.URL+path, strings.NewReader(body))
	req.SetBasicAuth(r.User, r.Password)
	req.Header.Set("Content-Type", "text/calendar")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT %s: %s", path, resp.Status)
	}
}

// A real CalDAV server (Radicale on loopback): discovery, calendar choice,
// a recurring series with an excluded, a moved and a cancelled instance
// across a DST change, transparent events, and a password that changes.
func TestCalDAVWithRadicale(t *testing.T) {
	r := radicaletest.Start(t)
	r.MkCalendar(t, "/priya/work/", "Work")
	r.MkCalendar(t, "/priya/holidays/", "Holidays")
	put(t, r, "/priya/work/standup.ics", ics(
		"UID:standup|SUMMARY:Team standup|DTSTART;TZID=America/New_York:20260303T093000|DTEND;TZID=America/New_York:20260303T100000|RRULE:FREQ=DAILY;COUNT=10|EXDATE;TZID=America/New_York:20260305T093000",
		"UID:standup|SUMMARY:Team standup (moved)|RECURRENCE-ID;TZID=America/New_York:20260306T093000|DTSTART;TZID=America/New_York:20260306T140000|DTEND;TZID=America/New_York:20260306T143000",
		"UID:standup|SUMMARY:Team standup|RECURRENCE-ID;TZID=America/New_York:20260310T093000|STATUS:CANCELLED|DTSTART;TZID=America/New_York:20260310T093000|DTEND;TZID=America/New_York:20260310T100000",
	))
	put(t, r, "/priya/work/fyi.ics", ics("UID:fyi|SUMMARY:FYI|TRANSP:TRANSPARENT|DTSTART:20260304T170000Z|DTEND:20260304T180000Z"))
	put(t, r, "/priya/holidays/trip.ics", ics("UID:trip|SUMMARY:Trip|DTSTART;VALUE=DATE:20260313|DTEND;VALUE=DATE:20260314"))

	f := mustFixture(t, calendars.Config{AllowPrivate: true, Timeout: 10 * time.Second})
	ctx := t.Context()
	if _, err := f.svc.AddCalDAV(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "", r.URL, r.User, "wrong"); domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong password: %v", err)
	}
	src, err := f.svc.AddCalDAV(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "Radicale", r.URL, r.User, r.Password)
	if err != nil {
		t.Fatal(err)
	}
	if src.State != calendarstore.StateOK || len(src.Calendars) != 2 {
		t.Fatalf("source = %+v", src)
	}
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := "Mar 3 14:30 Team standup; Mar 4 14:30 Team standup; Mar 6 19:00 Team standup (moved); Mar 7 14:30 Team standup; " +
		"Mar 8 13:30 Team standup; Mar 9 13:30 Team standup; Mar 11 13:30 Team standup; Mar 12 13:30 Team standup; Mar 13 04:00 Trip"
	if got := titles(av.Events[f.priya.ID]); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}

	// Only the work calendar counts.
	var work string
	for _, c := range src.Calendars {
		if c.Name == "Work" {
			work = c.Path
		}
	}
	if _, err := f.svc.SelectCalendars(ctx, f.acme, src.ID, []string{work}); err != nil {
		t.Fatal(err)
	}
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, from, to)
	if got := titles(av.Events[f.priya.ID]); strings.Contains(got, "Trip") || !strings.Contains(got, "Mar 12 13:30 Team standup") {
		t.Fatalf("after selecting Work: %s", got)
	}

	// The app password is revoked: the next sync fails visibly.
	r.SetPassword(t, "changed")
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Store.GetSource(ctx, f.acme, src.ID)
	if got.State != calendarstore.StateFailing || !strings.Contains(got.Error, "401") {
		t.Fatalf("after password change: %s %q", got.State, got.Error)
	}
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, from, to)
	if len(av.Unknown[f.priya.ID]) != 1 {
		t.Fatalf("unknown = %+v", av.Unknown)
	}
}

// A CalDAV server that answers garbage or never answers: a clear error,
// no hang, nothing stored.
func TestCalDAVBrokenServers(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprint(w, "<multistatus><<this is not xml")
	}))
	defer garbage.Close()
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer silent.Close()
	f := mustFixture(t, calendars.Config{AllowPrivate: true, Timeout: 500 * time.Millisecond})
	defer f.svc.Close()
	for url, want := range map[string]string{garbage.URL: "could not be read", silent.URL: "did not answer in time"} {
		_, err := f.svc.AddCalDAV(t.Context(), f.acme, calendars.Owner{UserID: f.priya.ID}, "", url, "u", "p")
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s: err = %v, want %q", url, err, want)
		}
	}
	if list, _ := f.svc.Store.ListSources(t.Context(), f.acme, calendarstore.SourceFilter{}); len(list) != 0 {
		t.Fatalf("stored %d sources for failed connects", len(list))
	}
}
