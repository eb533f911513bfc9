package calendarstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/storetest"
)

type fixture struct {
	s            *calendarstore.Store
	db           *store.DB
	acme, globex int64
	priya, kai   int64
	now          time.Time
}

func mustFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := t.Context()
	db := storetest.MustOpen(t)
	f := &fixture{s: calendarstore.New(db), db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return f.now }
	a, err := db.CreateAccount(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	g, err := db.CreateAccount(ctx, "Globex")
	if err != nil {
		t.Fatal(err)
	}
	f.acme, f.globex = a.ID, g.ID
	p, err := db.CreateUser(ctx, a.ID, store.NewUser{Email: "priya@acme.example", Name: "Priya", Role: domain.RoleInterviewer, TimeZone: "Europe/London"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := db.CreateUser(ctx, g.ID, store.NewUser{Email: "kai@globex.example", Name: "Kai", Role: domain.RoleInterviewer, TimeZone: "Asia/Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	f.priya, f.kai = p.ID, k.ID
	return f
}

func at(h int) time.Time { return time.Date(2026, 3, 2, h, 0, 0, 0, time.UTC) }

func TestSyncReplacesBusyWhole(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindFeed,
		Name: "Work", DisplayURL: "https://calendar.example", KeyID: "k1", Sealed: []byte("sealed")})
	if err != nil {
		t.Fatal(err)
	}
	due, err := f.s.ListDue(ctx, f.now, 10)
	if err != nil || len(due) != 1 || due[0] != (calendarstore.SourceRef{AccountID: f.acme, SourceID: id}) {
		t.Fatalf("due = %v, %v", due, err)
	}
	first := calendarstore.Result{From: at(0), To: at(0).AddDate(0, 0, 90), ETag: `"v1"`, EventCount: 2, Busy: []calendarstore.Busy{
		{Start: at(10), End: at(11), Kind: "busy", Title: "Standup"},
		{Start: at(13), End: at(14), Kind: "tentative", Private: true},
	}}
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, first); err != nil {
		t.Fatal(err)
	}
	busy, err := f.s.ListBusy(ctx, f.acme, []int64{f.priya}, at(0), at(24))
	if err != nil || len(busy) != 2 || busy[0].Title != "Standup" || !busy[1].Private || busy[1].Kind != "tentative" {
		t.Fatalf("busy = %+v, %v", busy, err)
	}
	// Another account asking for the same user id sees nothing.
	if other, _ := f.s.ListBusy(ctx, f.globex, []int64{f.priya}, at(0), at(24)); len(other) != 0 {
		t.Fatalf("busy leaked across accounts: %+v", other)
	}
	second := first
	second.Busy = []calendarstore.Busy{{Start: at(15), End: at(16), Kind: "busy", Title: "Review"}}
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, second); err != nil {
		t.Fatal(err)
	}
	busy, _ = f.s.ListBusy(ctx, f.acme, []int64{f.priya}, at(0), at(24))
	if len(busy) != 1 || busy[0].Title != "Review" {
		t.Fatalf("after resync busy = %+v", busy)
	}
	src, err := f.s.GetSource(ctx, f.acme, id)
	if err != nil || src.State != calendarstore.StateOK || src.ETag != `"v1"` || src.OwnerName != "Priya" || !src.NextSyncAt.Equal(f.now.Add(15*time.Minute)) {
		t.Fatalf("source = %+v, %v", src, err)
	}
}

func TestFailureKeepsSinceAndBusy(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindFeed, Name: "Work"})
	if err != nil {
		t.Fatal(err)
	}
	_ = f.s.UpdateSyncSuccess(ctx, f.acme, id, calendarstore.Result{From: at(0), To: at(48), Busy: []calendarstore.Busy{{Start: at(10), End: at(11), Kind: "busy"}}})
	first := f.now
	if err := f.s.UpdateSyncFailure(ctx, f.acme, id, "the server answered 401", f.now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(10 * time.Minute)
	if err := f.s.UpdateSyncFailure(ctx, f.acme, id, "the server answered 401", f.now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	src, _ := f.s.GetSource(ctx, f.acme, id)
	if src.State != calendarstore.StateFailing || src.Error != "the server answered 401" || !src.FailingSince.Equal(first) {
		t.Fatalf("source = %+v", src)
	}
	if n, _ := f.s.CountFailing(ctx, f.acme); n != 1 {
		t.Fatalf("failing = %d", n)
	}
	if n, _ := f.s.CountFailing(ctx, f.globex); n != 0 {
		t.Fatalf("other account failing = %d", n)
	}
	// A failure in another account's name changes nothing.
	if err := f.s.UpdateSyncFailure(ctx, f.globex, id, "x", f.now); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("cross-account failure: %v", err)
	}
}

func TestSourcesScopedByAccount(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	if _, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.kai, Kind: calendarstore.KindFeed, Name: "x"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("source for another account's user: %v", err)
	}
	id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindCalDAV, Name: "Fastmail",
		Calendars: []calendarstore.CalDAVCalendar{{Path: "/a/", Name: "Work", Selected: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetSource(ctx, f.globex, id); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("find across accounts: %v", err)
	}
	if err := f.s.DeleteSource(ctx, f.globex, id); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("delete across accounts: %v", err)
	}
	if err := f.s.UpdateSelectedCalendars(ctx, f.acme, id, []calendarstore.CalDAVCalendar{{Path: "/a/", Name: "Work"}, {Path: "/b/", Name: "Home", Selected: true}}); err != nil {
		t.Fatal(err)
	}
	list, err := f.s.ListSources(ctx, f.acme, calendarstore.SourceFilter{UserIDs: []int64{f.priya}})
	if err != nil || len(list) != 1 || fmt.Sprint(list[0].Calendars) != "[{/a/ Work false } {/b/ Home true }]" {
		t.Fatalf("sources = %+v, %v", list, err)
	}
	if err := f.s.DeleteSource(ctx, f.acme, id); err != nil {
		t.Fatal(err)
	}
}

func TestSettingsAndKeywords(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	st, err := f.s.GetSettings(ctx, f.acme)
	if err != nil || !st.TentativeBusy || len(st.Keywords) != 0 {
		t.Fatalf("default settings = %+v, %v", st, err)
	}
	want := calendarstore.Settings{TentativeBusy: false, Keywords: calendarstore.SplitKeywords("DNB, Focus time\nfocus TIME\n")}
	if err := f.s.UpdateSettings(ctx, f.acme, want); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateSettings(ctx, f.acme, want); err != nil { // upsert
		t.Fatal(err)
	}
	st, _ = f.s.GetSettings(ctx, f.acme)
	if st.TentativeBusy || fmt.Sprint(st.Keywords) != "[DNB Focus time]" {
		t.Fatalf("settings = %+v", st)
	}
	if err := f.s.UpdateUserKeywords(ctx, f.acme, f.priya, []string{"Gym"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateUserKeywords(ctx, f.acme, f.kai, []string{"x"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("keywords for another account's user: %v", err)
	}
	kw, _ := f.s.ListUserKeywords(ctx, f.acme, []int64{f.priya, f.kai})
	if fmt.Sprint(kw) != fmt.Sprintf("map[%d:[Gym]]", f.priya) {
		t.Fatalf("keywords = %v", kw)
	}
}

// Company-wide connections keep one source per interviewer; their busy rows
// go with the source when it is deleted.
func TestProviderSourcesKeepBusyAndCascade(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	for _, kind := range []string{calendarstore.KindGoogle, calendarstore.KindMicrosoft} {
		id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: kind, Name: "Work"})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		res := calendarstore.Result{From: at(0), To: at(24), EventCount: 1, Busy: []calendarstore.Busy{{Start: at(9), End: at(10), Kind: "busy", Title: "1:1"}}}
		if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, res); err != nil {
			t.Fatal(err)
		}
		if busy, err := f.s.ListBusy(ctx, f.acme, []int64{f.priya}, at(0), at(24)); err != nil || len(busy) != 1 {
			t.Fatalf("%s: busy = %+v, %v", kind, busy, err)
		}
		if err := f.s.DeleteSource(ctx, f.acme, id); err != nil {
			t.Fatal(err)
		}
		if busy, err := f.s.ListBusy(ctx, f.acme, []int64{f.priya}, at(0), at(24)); err != nil || len(busy) != 0 {
			t.Fatalf("%s: busy left after delete = %+v, %v", kind, busy, err)
		}
	}
	if _, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: "exchange", Name: "Work"}); err == nil {
		t.Fatal("an unknown kind was stored")
	}
}

// A directory sync sets the account's sources of its kind: added once,
// removed with their busy time, never another account's or another kind's.
func TestSetKindSources(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	feed, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindFeed, Name: "Feed"})
	if err != nil {
		t.Fatal(err)
	}
	want := []calendarstore.KindSource{{UserID: f.priya, Name: "Outlook calendar"}}
	added, removed, err := f.s.SetKindSources(ctx, f.acme, calendarstore.KindMicrosoft, want)
	if err != nil || len(added) != 1 || len(removed) != 0 {
		t.Fatalf("first set: %v %v %v", added, removed, err)
	}
	if again, _, err := f.s.SetKindSources(ctx, f.acme, calendarstore.KindMicrosoft, want); err != nil || len(again) != 0 {
		t.Fatalf("second set added %v, %v", again, err)
	}
	if _, _, err := f.s.SetKindSources(ctx, f.acme, calendarstore.KindMicrosoft, []calendarstore.KindSource{{UserID: f.kai, Name: "x"}}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("another account's user: %v", err)
	}
	res := calendarstore.Result{From: at(0), To: at(24), Busy: []calendarstore.Busy{{Start: at(9), End: at(10), Kind: "busy"}}}
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, added[0], res); err != nil {
		t.Fatal(err)
	}
	if err := f.s.FailKind(ctx, f.acme, calendarstore.KindMicrosoft, "consent removed", at(12)); err != nil {
		t.Fatal(err)
	}
	src, _ := f.s.GetSource(ctx, f.acme, added[0])
	if src.State != calendarstore.StateFailing || src.Error != "consent removed" {
		t.Fatalf("failed source = %s %q", src.State, src.Error)
	}
	if fsrc, _ := f.s.GetSource(ctx, f.acme, feed); fsrc.State == calendarstore.StateFailing {
		t.Fatal("FailKind touched a feed")
	}
	_, removed, err = f.s.SetKindSources(ctx, f.acme, calendarstore.KindMicrosoft, nil)
	if err != nil || len(removed) != 1 || removed[0] != added[0] {
		t.Fatalf("removed %v, %v", removed, err)
	}
	busy, _ := f.s.ListBusy(ctx, f.acme, []int64{f.priya}, at(0), at(24))
	srcs, _ := f.s.ListSources(ctx, f.acme, calendarstore.SourceFilter{})
	if len(busy) != 0 || len(srcs) != 1 || srcs[0].ID != feed {
		t.Fatalf("after removal: busy %v, sources %d", busy, len(srcs))
	}
}

// An incremental CalDAV read replaces only the blocks of the objects it
// names (changed or removed), keeps the window read whole last time, and
// stores the calendars' new sync tokens — unless the choice of calendars
// changed during the read, which must then be read whole.
func TestDeltaReplacesOnlyNamedObjects(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	cals := []calendarstore.CalDAVCalendar{{Path: "/c/", Name: "Work", Selected: true}}
	id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindCalDAV, Name: "DAV", Calendars: cals})
	if err != nil {
		t.Fatal(err)
	}
	block := func(href string, h int) calendarstore.Busy {
		return calendarstore.Busy{Start: at(h), End: at(h + 1), Kind: "busy", Title: href, Href: href}
	}
	withToken := func(tok string) []calendarstore.CalDAVCalendar {
		return []calendarstore.CalDAVCalendar{{Path: "/c/", Name: "Work", Selected: true, SyncToken: tok}}
	}
	whole := calendarstore.Result{From: at(0), To: at(24), EventCount: 3, Calendars: withToken("t1"),
		Busy: []calendarstore.Busy{block("/c/a.ics", 9), block("/c/b.ics", 10), block("/c/b.ics", 15), block("/c/c.ics", 11)}}
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, whole); err != nil {
		t.Fatal(err)
	}
	delta := calendarstore.Result{Delta: true, From: at(1), To: at(30), Calendars: withToken("t2"), Replace: []string{"/c/b.ics", "/c/c.ics", "/c/d.ics"},
		Busy: []calendarstore.Busy{block("/c/b.ics", 13), block("/c/d.ics", 14)}}
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, delta); err != nil {
		t.Fatal(err)
	}
	busy, err := f.s.ListSourceBusy(ctx, f.acme, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range busy {
		got = append(got, fmt.Sprintf("%s@%d", b.Title, b.Start.Hour()))
	}
	if fmt.Sprint(got) != "[/c/a.ics@9 /c/b.ics@13 /c/d.ics@14]" {
		t.Fatalf("busy after delta = %v", got)
	}
	src, _ := f.s.GetSource(ctx, f.acme, id)
	if src.EventCount != 3 || !src.SyncedTo.Equal(at(24)) || !src.SyncedFrom.Equal(at(0)) || src.Calendars[0].SyncToken != "t2" || src.BusyVersion != 2 {
		t.Fatalf("source after delta: %d events, window %v–%v, token %q, version %d", src.EventCount, src.SyncedFrom, src.SyncedTo, src.Calendars[0].SyncToken, src.BusyVersion)
	}
	// Nothing changed: the token moves, the busy version does not.
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, calendarstore.Result{Delta: true, Calendars: withToken("t3")}); err != nil {
		t.Fatal(err)
	}
	if src, _ = f.s.GetSource(ctx, f.acme, id); src.BusyVersion != 2 || src.Calendars[0].SyncToken != "t3" {
		t.Fatalf("quiet delta: version %d, token %q", src.BusyVersion, src.Calendars[0].SyncToken)
	}
	// The choice changed while a read was under way: its tokens are not kept.
	if err := f.s.UpdateSelectedCalendars(ctx, f.acme, id, []calendarstore.CalDAVCalendar{{Path: "/c/", Name: "Work", Selected: true}, {Path: "/h/", Name: "Home", Selected: true}}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, calendarstore.Result{Delta: true, Calendars: withToken("t4")}); err != nil {
		t.Fatal(err)
	}
	if src, _ = f.s.GetSource(ctx, f.acme, id); src.Calendars[0].SyncToken != "" || src.Calendars[1].SyncToken != "" {
		t.Fatalf("tokens kept across a new choice: %+v", src.Calendars)
	}
}

// Rooms' sources are listed for busy lookups by room, never by user and
// never across accounts.
func TestRoomSourceStates(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	var room int64
	err := f.db.WriteTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO rooms (account_id, name, created_at) VALUES ($1, $2, $3) RETURNING id`, f.acme, "Boardroom", 0).Scan(&room)
	})
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, RoomID: room, Kind: calendarstore.KindFeed, Name: "Room feed"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.globex, RoomID: room, Kind: calendarstore.KindFeed, Name: "x"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a source on another account's room: %v", err)
	}
	states, err := f.s.ListRoomSourceStates(ctx, f.acme, []int64{room})
	if err != nil || len(states) != 1 || states[0].ID != id || states[0].RoomID != room || states[0].UserID != 0 || states[0].OwnerName != "Boardroom" {
		t.Fatalf("room states = %+v, %v", states, err)
	}
	if other, _ := f.s.ListRoomSourceStates(ctx, f.globex, []int64{room}); len(other) != 0 {
		t.Fatalf("another account sees the room's source: %+v", other)
	}
	if people, _ := f.s.ListSourceStates(ctx, f.acme, []int64{room}); len(people) != 0 {
		t.Fatalf("the room's source listed as a person's: %+v", people)
	}
	list, err := f.s.ListSources(ctx, f.acme, calendarstore.SourceFilter{RoomID: room})
	if err != nil || len(list) != 1 || list[0].OwnerName != "Boardroom" {
		t.Fatalf("sources of the room = %+v, %v", list, err)
	}
}

// The account's calendar version moves with every write a busy lookup
// depends on, whichever code path makes it, and only in that account.
func TestVersionMovesWithEveryChange(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	version := func(account int64) int64 {
		t.Helper()
		v, err := f.s.GetVersion(ctx, account)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := version(f.acme); v != 0 {
		t.Fatalf("version before any change = %d", v)
	}
	var id int64
	globex := version(f.globex)
	for _, c := range []struct {
		what   string
		change func() error
	}{
		{"add a source", func() (err error) {
			id, err = f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindFeed, Name: "Work"})
			return err
		}},
		{"a successful read", func() error {
			return f.s.UpdateSyncSuccess(ctx, f.acme, id, calendarstore.Result{Busy: []calendarstore.Busy{{Start: at(10), End: at(11), Kind: "busy"}}, From: at(0), To: at(24)})
		}},
		{"an unchanged read", func() error {
			return f.s.UpdateSyncSuccess(ctx, f.acme, id, calendarstore.Result{NotModified: true})
		}},
		{"a failed read", func() error { return f.s.UpdateSyncFailure(ctx, f.acme, id, "the server answered 401", at(12)) }},
		{"the policy", func() error {
			return f.s.UpdateSettings(ctx, f.acme, calendarstore.Settings{TentativeBusy: false, Keywords: []string{"focus"}})
		}},
		{"an interviewer's keywords", func() error { return f.s.UpdateUserKeywords(ctx, f.acme, f.priya, []string{"gym"}) }},
		{"the owner's name", func() error {
			_, err := f.db.UpdateUserProfile(ctx, f.acme, f.priya, "Priya S", "Europe/London")
			return err
		}},
		{"the owner's time zone", func() error {
			_, err := f.db.UpdateUserProfile(ctx, f.acme, f.priya, "Priya S", "Europe/Paris")
			return err
		}},
		{"remove the source", func() error { return f.s.DeleteSource(ctx, f.acme, id) }},
	} {
		before := version(f.acme)
		if err := c.change(); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if after := version(f.acme); after <= before {
			t.Errorf("%s: version %d → %d", c.what, before, after)
		}
	}
	if v := version(f.globex); v != globex {
		t.Errorf("another account's version moved: %d → %d", globex, v)
	}
	// Queuing a sync changes nothing a lookup reads.
	id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindFeed, Name: "Home"})
	if err != nil {
		t.Fatal(err)
	}
	before := version(f.acme)
	if err := f.s.UpdateNextSync(ctx, f.acme, id, at(15)); err != nil {
		t.Fatal(err)
	}
	if after := version(f.acme); after != before {
		t.Errorf("queuing a sync: version %d → %d", before, after)
	}
}

// A provider's own write (Keep) runs in the transaction that stores the
// busy rows: the busy time it sets is what is stored, and when it fails
// nothing of the read is kept, neither its write nor the busy rows.
func TestSyncKeepsProviderCopyInTheSameTransaction(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	id, err := f.s.CreateSource(ctx, calendarstore.NewSource{AccountID: f.acme, UserID: f.priya, Kind: calendarstore.KindFeed,
		Name: "Work", DisplayURL: "https://calendar.example", KeyID: "k1", Sealed: []byte("sealed")})
	if err != nil {
		t.Fatal(err)
	}
	rename := func(name string, fail error) func(context.Context, *store.Tx, *calendarstore.Result) error {
		return func(ctx context.Context, tx *store.Tx, r *calendarstore.Result) error {
			if _, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET name = $1 WHERE account_id = $2 AND id = $3`, name, f.acme, id); err != nil {
				return err
			}
			r.Busy, r.EventCount = []calendarstore.Busy{{Start: at(10), End: at(11), Kind: "busy", Title: name}}, 1
			return fail
		}
	}
	res := calendarstore.Result{From: at(0), To: at(0).AddDate(0, 0, 90), Keep: rename("Kept", nil)}
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, res); err != nil {
		t.Fatal(err)
	}
	src, err := f.s.GetSource(ctx, f.acme, id)
	if err != nil || src.Name != "Kept" || src.EventCount != 1 || src.State != calendarstore.StateOK {
		t.Fatalf("after a read whose copy was kept: %+v, %v", src, err)
	}
	busy, err := f.s.ListSourceBusy(ctx, f.acme, id)
	if err != nil || len(busy) != 1 || busy[0].Title != "Kept" {
		t.Fatalf("busy = %+v, %v", busy, err)
	}

	failed := errors.New("the copy could not be written")
	res.Keep = rename("Lost", failed)
	if err := f.s.UpdateSyncSuccess(ctx, f.acme, id, res); !errors.Is(err, failed) {
		t.Fatalf("a failing copy: %v", err)
	}
	src, err = f.s.GetSource(ctx, f.acme, id)
	if err != nil || src.Name != "Kept" || src.BusyVersion != 1 {
		t.Fatalf("a failed copy changed the source: %+v, %v", src, err)
	}
	if busy, err := f.s.ListSourceBusy(ctx, f.acme, id); err != nil || len(busy) != 1 || busy[0].Title != "Kept" {
		t.Fatalf("a failed copy changed the busy rows: %+v, %v", busy, err)
	}
}
