package calendars_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/calendars/radicaletest"
	"interviewplanner/store/calendarstore"
)

// exchange is one request to the CalDAV server and its answer, as a
// recording proxy saw them.
type exchange struct {
	method, report string // report: the REPORT's kind (sync-collection, calendar-query…)
	status         int
	answer         string
}

// davRecorder sits between the service and Radicale and records what
// travels. noSync makes the server look like one without RFC 6578: no
// DAV:sync-token, sync-collection refused.
type davRecorder struct {
	mu     sync.Mutex
	log    []exchange
	noSync bool
	// garbage answers sync-collection with a 207 that is not XML.
	garbage bool
	proxy   *httputil.ReverseProxy
}

func newDAVRecorder(t *testing.T, target string) (*davRecorder, *httptest.Server) {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	d := &davRecorder{proxy: httputil.NewSingleHostReverseProxy(u)}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return d, srv
}

func (d *davRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.Header.Del("Accept-Encoding") // answers recorded as plain text
	kind := ""
	for _, k := range []string{"sync-collection", "calendar-query", "calendar-multiget", "sync-token"} {
		if strings.Contains(string(body), k) {
			kind = k
			break
		}
	}
	d.mu.Lock()
	noSync, garbage := d.noSync, d.garbage
	d.mu.Unlock()
	rec := httptest.NewRecorder()
	switch {
	case garbage && r.Method == "REPORT" && kind == "sync-collection":
		rec.WriteHeader(http.StatusMultiStatus)
		fmt.Fprint(rec, "<multistatus><<this is not xml")
	case noSync && r.Method == "REPORT" && kind == "sync-collection":
		http.Error(rec, "unsupported report", http.StatusNotImplemented)
	case noSync && r.Method == "PROPFIND" && kind == "sync-token":
		rec.WriteHeader(http.StatusMultiStatus)
		fmt.Fprintf(rec, `<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>%s</D:href>`+
			`<D:propstat><D:prop><D:sync-token/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response></D:multistatus>`, r.URL.Path)
	default:
		d.proxy.ServeHTTP(rec, r)
	}
	d.mu.Lock()
	d.log = append(d.log, exchange{method: r.Method, report: kind, status: rec.Code, answer: rec.Body.String()})
	d.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// take returns what travelled since the last call.
func (d *davRecorder) take() []exchange {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.log
	d.log = nil
	return out
}

func reports(log []exchange) string {
	var out []string
	for _, e := range log {
		if e.method == "REPORT" {
			out = append(out, fmt.Sprintf("%s %d", e.report, e.status))
		}
	}
	return strings.Join(out, ", ")
}

func event(uid, title string, h int) string {
	start := time.Date(2026, 3, 3, h, 0, 0, 0, time.UTC)
	return ics(fmt.Sprintf("UID:%s|SUMMARY:%s|DTSTART:%s|DTEND:%s", uid, title,
		start.Format("20060102T150405Z"), start.Add(time.Hour).Format("20060102T150405Z")))
}

func del(t *testing.T, r *radicaletest.Server, path string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, r.URL+path, nil)
	req.SetBasicAuth(r.User, r.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("DELETE %s: %s", path, resp.Status)
	}
}

// priyaOnCalDAV gives Priya a CalDAV account on r, read through a
// recorder; busy is her busy time on Mar 3 (the test fails when it is
// unknown).
func priyaOnCalDAV(t *testing.T, r *radicaletest.Server) (f *fixture, rec *davRecorder, src *calendarstore.Source, busy func() string) {
	t.Helper()
	rec, proxy := newDAVRecorder(t, r.URL)
	f = mustFixture(t, calendars.Config{AllowPrivate: true, Timeout: 10 * time.Second})
	src, err := f.svc.AddCalDAV(t.Context(), f.acme, calendars.Owner{UserID: f.priya.ID}, "Radicale", proxy.URL, r.User, r.Password)
	if err != nil {
		t.Fatal(err)
	}
	busy = func() string {
		t.Helper()
		av, err := f.svc.Busy(t.Context(), f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
		if err != nil || len(av.Unknown[f.priya.ID]) > 0 {
			t.Fatalf("busy: %v %+v", err, av.Unknown)
		}
		return titles(av.Events[f.priya.ID])
	}
	return f, rec, src, busy
}

// Incremental CalDAV sync against a real server (Radicale): after the
// first whole read, a sync asks only for what changed (RFC 6578) and only
// the changed and removed objects travel; busy time follows creates,
// changes and deletes; a token the server refuses brings a whole read.
func TestCalDAVSyncCollectionWithRadicale(t *testing.T) {
	r := radicaletest.Start(t)
	r.MkCalendar(t, "/priya/work/", "Work")
	put(t, r, "/priya/work/alpha.ics", event("alpha", "Alpha", 10))
	put(t, r, "/priya/work/beta.ics", event("beta", "Beta", 12))
	put(t, r, "/priya/work/gamma.ics", event("gamma", "Gamma", 14))
	f, rec, src, busy := priyaOnCalDAV(t, r)
	ctx := t.Context()
	token := func() string {
		t.Helper()
		s, err := f.svc.Store.GetSource(ctx, f.acme, src.ID)
		if err != nil || len(s.Calendars) != 1 {
			t.Fatalf("source: %v %+v", err, s)
		}
		return s.Calendars[0].SyncToken
	}
	if got := reports(rec.take()); got != "calendar-query 207" {
		t.Fatalf("first read: %s", got)
	}
	first := token()
	if !strings.HasPrefix(first, "http") {
		t.Fatalf("no sync token stored after the first read: %q", first)
	}
	if got, want := busy(), "Mar 3 10:00 Alpha; Mar 3 12:00 Beta; Mar 3 14:00 Gamma"; got != want {
		t.Fatalf("busy\n got %s\nwant %s", got, want)
	}

	// One event changes, one is deleted, one is created.
	put(t, r, "/priya/work/beta.ics", event("beta", "Beta moved", 15))
	del(t, r, "/priya/work/gamma.ics")
	put(t, r, "/priya/work/delta.ics", event("delta", "Delta", 16))
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	log := rec.take()
	if got := reports(log); got != "sync-collection 207" {
		t.Fatalf("incremental read: %s", got)
	}
	answer := log[len(log)-1].answer
	for _, want := range []string{"beta.ics", "gamma.ics", "delta.ics", "Beta moved", "404"} {
		if !strings.Contains(answer, want) {
			t.Fatalf("the sync answer lacks %q:\n%s", want, answer)
		}
	}
	if strings.Contains(answer, "alpha.ics") || strings.Contains(answer, "SUMMARY:Alpha") {
		t.Fatalf("an unchanged event travelled:\n%s", answer)
	}
	if got, want := busy(), "Mar 3 10:00 Alpha; Mar 3 15:00 Beta moved; Mar 3 16:00 Delta"; got != want {
		t.Fatalf("busy after changes\n got %s\nwant %s", got, want)
	}
	s, _ := f.svc.Store.GetSource(ctx, f.acme, src.ID)
	if s.State != calendarstore.StateOK || s.EventCount != 3 || token() == first {
		t.Fatalf("after the incremental read: state %s, %d events, token %q (was %q)", s.State, s.EventCount, token(), first)
	}

	// Nothing changed: nothing travels but the new token, busy time stays.
	version := s.BusyVersion
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	log = rec.take()
	if got := reports(log); got != "sync-collection 207" || strings.Contains(log[len(log)-1].answer, ".ics") {
		t.Fatalf("quiet read: %s\n%s", got, log[len(log)-1].answer)
	}
	if s, _ = f.svc.Store.GetSource(ctx, f.acme, src.ID); s.BusyVersion != version || busy() != "Mar 3 10:00 Alpha; Mar 3 15:00 Beta moved; Mar 3 16:00 Delta" {
		t.Fatalf("quiet read changed busy time: version %d → %d, %s", version, s.BusyVersion, busy())
	}

	// A token the server does not know (403 DAV:valid-sync-token): a whole
	// read with calendar-query, which sees a delete made meanwhile.
	cals := s.Calendars
	cals[0].SyncToken = "http://radicale.org/ns/sync/0000000000000000000000000000000000000000"
	if err := f.svc.Store.UpdateSelectedCalendars(ctx, f.acme, src.ID, cals); err != nil {
		t.Fatal(err)
	}
	del(t, r, "/priya/work/alpha.ics")
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	log = rec.take()
	if got := reports(log); got != "sync-collection 403, calendar-query 207" {
		t.Fatalf("invalid token: %s", got)
	}
	if !strings.Contains(log[0].answer+log[1].answer, "valid-sync-token") {
		t.Fatalf("the refusal does not name the precondition: %+v", log)
	}
	if got, want := busy(), "Mar 3 15:00 Beta moved; Mar 3 16:00 Delta"; got != want {
		t.Fatalf("busy after the whole read\n got %s\nwant %s", got, want)
	}
	if tk := token(); !strings.HasPrefix(tk, "http") || strings.HasSuffix(tk, "0000000000") {
		t.Fatalf("token after the whole read: %q", tk)
	}
	// And the next read is incremental again.
	put(t, r, "/priya/work/alpha.ics", event("alpha", "Alpha again", 9))
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	if got := reports(rec.take()); got != "sync-collection 207" {
		t.Fatalf("after the resync: %s", got)
	}
	if got, want := busy(), "Mar 3 09:00 Alpha again; Mar 3 15:00 Beta moved; Mar 3 16:00 Delta"; got != want {
		t.Fatalf("busy\n got %s\nwant %s", got, want)
	}

	// The server answers the sync with garbage: a clear error, the source
	// failing (its owner unknown), the cached busy time untouched.
	rec.mu.Lock()
	rec.garbage = true
	rec.mu.Unlock()
	put(t, r, "/priya/work/beta.ics", event("beta", "Beta again", 11))
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	if s, _ = f.svc.Store.GetSource(ctx, f.acme, src.ID); s.State != calendarstore.StateFailing || !strings.Contains(s.Error, "could not be read") {
		t.Fatalf("after a garbage answer: %s %q", s.State, s.Error)
	}
	av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if err != nil || len(av.Unknown[f.priya.ID]) != 1 || titles(av.Events[f.priya.ID]) != "Mar 3 09:00 Alpha again; Mar 3 15:00 Beta moved; Mar 3 16:00 Delta" {
		t.Fatalf("after a garbage answer: %v %+v %s", err, av.Unknown, titles(av.Events[f.priya.ID]))
	}
}

// A CalDAV server without sync-collection (no DAV:sync-token, the REPORT
// refused) is read whole with calendar-query every time, and changes and
// deletes still show.
func TestCalDAVWithoutSyncCollection(t *testing.T) {
	r := radicaletest.Start(t)
	r.MkCalendar(t, "/priya/work/", "Work")
	put(t, r, "/priya/work/alpha.ics", event("alpha", "Alpha", 10))
	put(t, r, "/priya/work/beta.ics", event("beta", "Beta", 12))
	rec, proxy := newDAVRecorder(t, r.URL)
	rec.noSync = true

	f := mustFixture(t, calendars.Config{AllowPrivate: true, Timeout: 10 * time.Second})
	ctx := t.Context()
	src, err := f.svc.AddCalDAV(ctx, f.acme, calendars.Owner{UserID: f.priya.ID}, "No sync", proxy.URL, r.User, r.Password)
	if err != nil {
		t.Fatal(err)
	}
	if src.State != calendarstore.StateOK || src.Calendars[0].SyncToken != "" {
		t.Fatalf("source: %+v", src)
	}
	put(t, r, "/priya/work/beta.ics", event("beta", "Beta moved", 15))
	del(t, r, "/priya/work/alpha.ics")
	rec.take()
	if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	if got := reports(rec.take()); got != "calendar-query 207" {
		t.Fatalf("read without sync-collection: %s", got)
	}
	av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(24, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := titles(av.Events[f.priya.ID]), "Mar 3 15:00 Beta moved"; got != want {
		t.Fatalf("busy\n got %s\nwant %s", got, want)
	}
}

// A token the server refuses for one calendar of an account brings a whole
// read of that calendar only (a delete made meanwhile shows); the
// account's other calendars still come incrementally, and every token
// refused makes the whole account's read whole.
func TestCalDAVRefusedTokenRereadsOnlyItsCalendar(t *testing.T) {
	r := radicaletest.Start(t)
	r.MkCalendar(t, "/priya/home/", "Home")
	r.MkCalendar(t, "/priya/work/", "Work")
	put(t, r, "/priya/home/gym.ics", event("gym", "Gym", 8))
	put(t, r, "/priya/home/dentist.ics", event("dentist", "Dentist", 12))
	put(t, r, "/priya/work/alpha.ics", event("alpha", "Alpha", 10))
	f, rec, src, busy := priyaOnCalDAV(t, r)
	ctx := t.Context()
	refuse := func(path string) {
		t.Helper()
		s, err := f.svc.Store.GetSource(ctx, f.acme, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Calendars {
			if s.Calendars[i].Path == path || path == "" {
				s.Calendars[i].SyncToken = "http://radicale.org/ns/sync/0000000000000000000000000000000000000000"
			}
		}
		if err := f.svc.Store.UpdateSelectedCalendars(ctx, f.acme, src.ID, s.Calendars); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		what   string
		change func()
		// reports lists the acceptable REPORTs: the server lists the
		// calendars in an order of its own.
		reports []string
		busy    string
	}{
		{"first read", func() {}, []string{"calendar-query 207, calendar-query 207"}, "Mar 3 08:00 Gym; Mar 3 10:00 Alpha; Mar 3 12:00 Dentist"},
		{"one token refused", func() {
			refuse("/priya/home/")
			del(t, r, "/priya/home/dentist.ics")
			put(t, r, "/priya/work/beta.ics", event("beta", "Beta", 15))
		}, []string{"sync-collection 403, calendar-query 207, sync-collection 207", "sync-collection 207, sync-collection 403, calendar-query 207"},
			"Mar 3 08:00 Gym; Mar 3 10:00 Alpha; Mar 3 15:00 Beta"},
		{"both continue from their new tokens", func() { put(t, r, "/priya/home/run.ics", event("run", "Run", 7)) },
			[]string{"sync-collection 207, sync-collection 207"}, "Mar 3 07:00 Run; Mar 3 08:00 Gym; Mar 3 10:00 Alpha; Mar 3 15:00 Beta"},
		{"every token refused", func() {
			refuse("")
			del(t, r, "/priya/work/alpha.ics")
		}, []string{"sync-collection 403, calendar-query 207, sync-collection 403, calendar-query 207"}, "Mar 3 07:00 Run; Mar 3 08:00 Gym; Mar 3 15:00 Beta"},
	} {
		if step.what != "first read" {
			step.change()
			if err := f.svc.Sync(ctx, f.acme, src.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got := reports(rec.take()); !slices.Contains(step.reports, got) {
			t.Fatalf("%s: %s", step.what, got)
		}
		if got := busy(); got != step.busy {
			t.Fatalf("%s: busy\n got %s\nwant %s", step.what, got, step.busy)
		}
	}
}
