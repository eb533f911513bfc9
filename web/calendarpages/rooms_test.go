package calendarpages_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/openapitest"
)

type demoRoom struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func mustRoom(t *testing.T, c *apptest.Client, name string) demoRoom {
	t.Helper()
	var rooms struct {
		Rooms []demoRoom `json:"rooms"`
	}
	mustDecode(t, c.Get("/api/v1/rooms"), 200, &rooms)
	for _, r := range rooms.Rooms {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no room %q in %+v", name, rooms.Rooms)
	return demoRoom{}
}

// roomStageCandidate is a demo candidate at a stage with an interview
// that needs a room.
func roomStageCandidate(t *testing.T, c *apptest.Client) int64 {
	t.Helper()
	var jobs struct {
		Jobs []struct {
			Stages []struct {
				ID         int64 `json:"id"`
				Interviews []struct {
					RoomRequired bool `json:"room_required"`
				} `json:"interviews"`
			} `json:"stages"`
		} `json:"jobs"`
	}
	mustDecode(t, c.Get("/api/v1/jobs"), 200, &jobs)
	for _, j := range jobs.Jobs {
		for _, s := range j.Stages {
			for _, iv := range s.Interviews {
				if !iv.RoomRequired {
					continue
				}
				if cand, ok := firstCandidate(t, c, s.ID); ok {
					return cand
				}
			}
		}
	}
	t.Fatal("no demo candidate at a stage that needs a room")
	return 0
}

// A room gets a calendar on its page or over the API (admins only): the
// room's busy time keeps the conflict check from booking it twice, naming
// the event; a room whose calendar cannot be read is unknown — a warning
// to accept when placed by hand, never proposed by Find times, which says
// why — and it is listed on Integrations → Calendars.
func TestRoomCalendars(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	admin := a.SignIn(t, "admin@example.com")
	doc := openapitest.Load(t, admin)
	ada := mustRoom(t, admin, "Ada (4th floor)")
	f := &feed{body: daily("Board meeting")}
	srv := httptest.NewServer(f)
	defer srv.Close()
	base := fmt.Sprintf("/api/v1/rooms/%d", ada.ID)

	// Only admins add a room's calendar; interviewers do not see rooms.
	scheduler := a.SignIn(t, "sam@example.com")
	body := fmt.Sprintf(`{"kind":"feed","name":"Room bookings","url":%q}`, srv.URL)
	if res := scheduler.JSON("POST", base+"/calendars", body); res.StatusCode != 403 {
		t.Fatalf("a scheduler adds a room's calendar: %d %s", res.StatusCode, res.Body)
	}
	interviewer := a.SignIn(t, "marcus@example.com")
	if res := interviewer.Get(base + "/calendars"); res.StatusCode != 403 && res.StatusCode != 404 {
		t.Fatalf("an interviewer reads a room's calendars: %d", res.StatusCode)
	}
	if res := a.SignIn(t, "admin@globex.example").Get(base + "/calendars"); res.StatusCode != 404 {
		t.Fatalf("another company reads the room's calendars: %d", res.StatusCode)
	}
	res := admin.JSON("POST", base+"/calendars", body)
	doc.Check(t, "POST", base+"/calendars", body, res)
	var src struct {
		source
		RoomID        int64 `json:"room_id"`
		InterviewerID int64 `json:"interviewer_id"`
	}
	mustDecode(t, res, 201, &src)
	if src.State != "ok" || src.RoomID != ada.ID || src.InterviewerID != 0 || src.EventCount != 1 {
		t.Fatalf("room source = %+v", src)
	}
	from := time.Now().UTC().Truncate(24 * time.Hour)
	busyPath := fmt.Sprintf("%s/busy?from=%s&to=%s", base, from.Format(time.RFC3339), from.Add(72*time.Hour).Format(time.RFC3339))
	var busy struct {
		RoomID int64 `json:"room_id"`
		Known  bool  `json:"known"`
		Events []struct {
			Title string `json:"title"`
		} `json:"events"`
		Unknown []struct {
			Message string `json:"message"`
		} `json:"unknown"`
	}
	res = admin.Get(busyPath)
	doc.Check(t, "GET", busyPath, "", res)
	mustDecode(t, res, 200, &busy)
	if !busy.Known || busy.RoomID != ada.ID || len(busy.Events) != 3 || busy.Events[0].Title != "Board meeting" {
		t.Fatalf("room busy = %+v", busy)
	}
	for _, p := range []string{base + "/calendars", fmt.Sprintf("/api/v1/rooms/%d/busy?from=x&to=y", ada.ID), "/api/v1/rooms/999999/calendars"} {
		doc.Check(t, "GET", p, "", admin.Get(p))
	}

	// The room's page shows the meeting and the source; the list and
	// Integrations → Calendars link it.
	page := admin.Get(fmt.Sprintf("/rooms/%d", ada.ID))
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Board meeting, ") || !strings.Contains(page.Body, "Room bookings") ||
		!strings.Contains(page.Body, fmt.Sprintf(`action="/rooms/%d/calendars/feed"`, ada.ID)) {
		t.Fatalf("room page: %d %s", page.StatusCode, page.Body)
	}
	if strings.Contains(scheduler.Get(fmt.Sprintf("/rooms/%d", ada.ID)).Body, `id="add-feed"`) {
		t.Fatal("a scheduler is offered to add a room's calendar")
	}
	if list := admin.Get("/rooms"); !strings.Contains(list.Body, fmt.Sprintf(`href="/rooms/%d"`, ada.ID)) {
		t.Fatalf("rooms list: %s", list.Body)
	}
	if integ := admin.Get("/integrations/calendars"); !strings.Contains(integ.Body, fmt.Sprintf(`<a href="/rooms/%d">Room Ada (4th floor)</a>`, ada.ID)) {
		t.Fatalf("integrations does not list the room's calendar: %s", integ.Body)
	}

	// Placing an interview in the room over the meeting is refused, naming it.
	priya, err := a.Main.DB.GetUserByEmail(t.Context(), mustAcme(t, a), "priya@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cand, interview := phoneScreenCandidate(t, admin, priya.ID)
	at := from.Add(24*time.Hour + 15*time.Hour).Format(time.RFC3339)
	checkBody := fmt.Sprintf(`{"candidate_id":%d,"items":[{"interview_id":%d,"start":%q,"interviewers":[%d],"room_id":%d}]}`, cand, interview, at, priya.ID, ada.ID)
	check := admin.JSON("POST", "/api/v1/schedules/check", checkBody)
	if check.StatusCode != 200 || !strings.Contains(check.Body, "Room Ada (4th floor): “Board meeting” 15:00–15:30 UTC in its calendar.") || !strings.Contains(check.Body, `"room_taken"`) {
		t.Fatalf("check over the room's meeting: %d %s", check.StatusCode, check.Body)
	}

	// The feed answers 401: the room is unknown, never free.
	f.fail(http.StatusUnauthorized)
	if err := a.Main.Calendars.Sync(t.Context(), priya.AccountID, src.ID); err != nil {
		t.Fatal(err)
	}
	mustDecode(t, admin.Get(busyPath), 200, &busy)
	if busy.Known || len(busy.Unknown) != 1 || !strings.Contains(busy.Unknown[0].Message, `Ada (4th floor)'s calendar "Room bookings" could not be read since`) {
		t.Fatalf("room busy after failure = %+v", busy)
	}
	free := from.Add(24*time.Hour + 17*time.Hour).Format(time.RFC3339)
	check = admin.JSON("POST", "/api/v1/schedules/check", strings.Replace(checkBody, at, free, 1))
	if check.StatusCode != 200 || !strings.Contains(check.Body, `"busy_unknown"`) || !strings.Contains(check.Body, "the server answered 401") || !strings.Contains(check.Body, "It may be taken then.") {
		t.Fatalf("check with the room's calendar unreadable: %d %s", check.StatusCode, check.Body)
	}
	roomCand := roomStageCandidate(t, admin)
	var ft struct {
		Unread  []string `json:"unread"`
		Options []struct {
			Items []struct {
				RoomID *int64 `json:"room_id"`
			} `json:"items"`
		} `json:"options"`
	}
	ftPath := fmt.Sprintf("/api/v1/candidates/%d/find-times", roomCand)
	res = admin.Get(ftPath)
	doc.Check(t, "GET", ftPath, "", res)
	mustDecode(t, res, 200, &ft)
	if len(ft.Unread) != 1 || !strings.Contains(ft.Unread[0], "Ada (4th floor)'s calendar") || !strings.Contains(ft.Unread[0], "It is not proposed") {
		t.Fatalf("find times does not say why the room is left out: %+v", ft.Unread)
	}
	rooms := 0
	for _, o := range ft.Options {
		for _, it := range o.Items {
			if it.RoomID != nil {
				rooms++
				if *it.RoomID == ada.ID {
					t.Fatalf("find times proposes the room whose calendar cannot be read: %+v", o)
				}
			}
		}
	}
	if rooms == 0 {
		t.Fatalf("no option uses a room at all (the test proves nothing): %+v", ft.Options)
	}
	page = admin.Get(fmt.Sprintf("/candidates/%d/find-times", roomCand))
	if !strings.Contains(page.Body, "Ada (4th floor)&#39;s calendar") {
		t.Fatalf("the find times page does not say why the room is left out")
	}

	// Removed on its page: the room is known again, with nothing busy.
	del := admin.PostForm(fmt.Sprintf("/calendars/%d/delete", src.ID), url.Values{})
	if del.StatusCode != 303 || del.Header.Get("Location") != fmt.Sprintf("/rooms/%d", ada.ID) {
		t.Fatalf("remove on the room page: %d %s", del.StatusCode, del.Header.Get("Location"))
	}
	if back := admin.Get(fmt.Sprintf("/rooms/%d", ada.ID)); !strings.Contains(back.Body, `Calendar &#34;Room bookings&#34; was removed.`) || !strings.Contains(back.Body, `id="no-sources"`) {
		t.Fatalf("the room page after removal: %s", back.Body)
	}
	mustDecode(t, admin.Get(busyPath), 200, &busy)
	if !busy.Known || len(busy.Events) != 0 {
		t.Fatalf("after removal = %+v", busy)
	}

	// A room added on the list opens on its own page.
	added := admin.PostForm("/rooms", url.Values{"name": {"Lovelace (3rd floor)"}})
	loc := added.Header.Get("Location")
	if added.StatusCode != 303 || !strings.HasPrefix(loc, "/rooms/") {
		t.Fatalf("add a room: %d %s", added.StatusCode, added.Body)
	}
	if page := admin.Get(loc); !strings.Contains(page.Body, "<h1>Room Lovelace (3rd floor)</h1>") {
		t.Fatalf("the new room's page: %s", page.Body)
	}
	if bad := admin.PostForm("/rooms", url.Values{"name": {"  "}}); bad.StatusCode != 422 {
		t.Fatalf("a room without a name: %d", bad.StatusCode)
	}
}
