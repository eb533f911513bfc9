package calendarpages

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"interviewplanner/availability"
	"interviewplanner/calendar"
	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/store/calendarstore"
	"interviewplanner/web"
)

// pageData is an interviewer's calendars page, or a room's page.
type pageData struct {
	Owner     *owner
	CanManage bool
	Zone      string // the viewer's
	Sources   []sourceView
	Keywords  string
	Week      weekView
}

type sourceView struct {
	*calendarstore.Source
	KindLabel string
}

func views(srcs []*calendarstore.Source) []sourceView {
	out := make([]sourceView, len(srcs))
	for i, s := range srcs {
		out[i] = sourceView{Source: s, KindLabel: kindLabel(s.Kind)}
	}
	return out
}

// weekView is the SVG picture of a week of busy time: seven day columns,
// 24 hour rows, in the viewer's zone.
type weekView struct {
	Label      string
	Prev, Next string // ?week= values
	Days       []dayHead
	Hours      []hourMark
	Blocks     []weekBlock
	Unknown    []string
}

type dayHead struct {
	X     int
	Label string
}

type hourMark struct {
	Y     int
	Label string
}

// weekBlock is one rectangle; Kind is busy, soft, tentative or interview.
type weekBlock struct {
	Kind                string
	X, Y, Width, Height int
	Title               string
}

// Geometry of the week picture, in SVG user units.
const (
	weekLeft   = 44
	weekTop    = 22
	weekColW   = 92
	weekHourH  = 18
	weekWidth  = weekLeft + 7*weekColW
	weekHeight = weekTop + 24*weekHourH
)

// Show: GET /interviewers/{id}/calendars, and GET /rooms/{id}: the
// owner's calendars and their week.
func (h OwnerHandlers) Show(w http.ResponseWriter, r *http.Request) {
	h.f.render(w, r, h.of, http.StatusOK, web.Page{})
}

func (f *Feature) render(w http.ResponseWriter, r *http.Request, of ownerOf, status int, p web.Page) {
	me := web.UserFrom(r.Context())
	o, err := of(r, false)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	filter := calendarstore.SourceFilter{UserIDs: []int64{o.UserID}, RoomID: o.RoomID}
	if o.IsRoom() {
		filter.UserIDs = nil
	}
	srcs, err := f.Service.Store.ListSources(ctx, me.AccountID, filter)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	var keywords string
	if !o.IsRoom() {
		kws, err := f.Service.Store.ListUserKeywords(ctx, me.AccountID, []int64{o.UserID})
		if err != nil {
			f.s.Error(w, r, err)
			return
		}
		keywords = keywordsText(kws[o.UserID])
	}
	zone := viewerZone(me)
	week, err := f.week(ctx, me, o, zone, r.URL.Query().Get("week"))
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	canManage := me.CanEditInterviewer(o.UserID)
	p.Title, p.Active = o.Name+"'s calendars", "/interviewers"
	if o.IsRoom() {
		canManage = me.IsAdmin()
		p.Title, p.Active = "Room "+o.Name, "/rooms"
	}
	p.Data = pageData{Owner: o, CanManage: canManage, Zone: zone, Sources: views(srcs), Keywords: keywords, Week: week}
	f.s.Render(w, r, status, "calendars_interviewer", p)
}

// week draws the week starting Monday of the week containing ?week= (or
// today) in the viewer's zone.
func (f *Feature) week(ctx context.Context, me *domain.User, o *owner, zone, param string) (weekView, error) {
	loc, _ := domain.LoadLocation(zone)
	day := f.s.DB.Now().In(loc)
	if param != "" {
		t, err := time.ParseInLocation("2006-01-02", param, loc)
		if err != nil {
			return weekView{}, domain.Errorf(domain.EINVALID, "The week must be a date like 2026-03-02.")
		}
		day = t
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	start = start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
	end := start.AddDate(0, 0, 7)
	v := weekView{Label: start.Format("2 Jan") + " – " + end.AddDate(0, 0, -1).Format("2 Jan 2006"),
		Prev: start.AddDate(0, 0, -7).Format("2006-01-02"), Next: end.Format("2006-01-02")}
	for d := 0; d < 7; d++ {
		v.Days = append(v.Days, dayHead{X: weekLeft + d*weekColW + weekColW/2, Label: start.AddDate(0, 0, d).Format("Mon 2")})
	}
	for h := 0; h < 24; h += 3 {
		v.Hours = append(v.Hours, hourMark{Y: weekTop + h*weekHourH, Label: fmt.Sprintf("%02d:00", h)})
	}
	av, err := f.busy(ctx, o, start, end)
	if err != nil {
		return v, err
	}
	id := o.ID()
	for _, e := range av.Events[id] {
		kind := "busy"
		title := e.Title
		switch {
		case e.Keyword != "":
			kind, title = "soft", title+" (soft: matches “"+e.Keyword+"”)"
		case e.Soft:
			kind, title = "soft", title+" (tentative, counted as free)"
		case e.Tentative:
			kind, title = "tentative", title+" (tentative)"
		}
		v.Blocks = append(v.Blocks, place(kind, title, e.Start, e.End, start, loc)...)
	}
	if f.Bookings != nil {
		req := availability.Request{AccountID: me.AccountID, From: start, To: end, Interviewers: []int64{o.UserID}}
		if o.IsRoom() {
			req.Interviewers, req.Rooms = nil, []int64{o.RoomID}
		}
		own, err := f.Bookings.Busy(ctx, req)
		if err != nil {
			return v, err
		}
		for _, iv := range append(own.Interviewers[o.UserID], own.Rooms[o.RoomID]...) {
			v.Blocks = append(v.Blocks, place("interview", "Interview", iv.Start, iv.End, start, loc)...)
		}
	}
	now := f.s.DB.Now()
	for _, us := range av.Unknown {
		for _, u := range us {
			v.Unknown = append(v.Unknown, u.Message(loc, now))
		}
	}
	return v, nil
}

// busy is the owner's calendar busy time over [from, to), from the cache.
func (f *Feature) busy(ctx context.Context, o *owner, from, to time.Time) (*calendars.Availability, error) {
	if o.IsRoom() {
		return f.Service.RoomBusy(ctx, o.AccountID, []int64{o.RoomID}, from, to)
	}
	return f.Service.Busy(ctx, o.AccountID, []int64{o.UserID}, from, to)
}

// place cuts [s, e) at local midnights and returns a rectangle per day of
// the week it covers.
func place(kind, title string, s, e, weekStart time.Time, loc *time.Location) []weekBlock {
	var out []weekBlock
	label := title + ", " + s.In(loc).Format("Mon 15:04") + "–" + e.In(loc).Format("15:04")
	for d := 0; d < 7; d++ {
		ds := weekStart.AddDate(0, 0, d)
		de := weekStart.AddDate(0, 0, d+1)
		a, b, ok := domain.Intersect(s, e, ds, de)
		if !ok {
			continue
		}
		// Hours since local midnight on the wall clock (a DST day still
		// draws 24 rows).
		y0 := wallMinutes(a, loc, ds)
		y1 := wallMinutes(b, loc, ds)
		if b.Equal(de) {
			y1 = 24 * 60
		}
		h := max((y1-y0)*weekHourH/60, 3)
		out = append(out, weekBlock{Kind: kind, X: weekLeft + d*weekColW + 2, Y: weekTop + y0*weekHourH/60, Width: weekColW - 4, Height: h, Title: label})
	}
	return out
}

func wallMinutes(t time.Time, loc *time.Location, day time.Time) int {
	lt := t.In(loc)
	if lt.Day() != day.Day() {
		return 24 * 60
	}
	return lt.Hour()*60 + lt.Minute()
}

// back re-renders the owner's page with an error, or returns to it with a
// flash.
func (f *Feature) back(w http.ResponseWriter, r *http.Request, o *owner, flash string, err error) {
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID {
			of := ownerOf(func(*http.Request, bool) (*owner, error) { return o, nil })
			f.render(w, r, of, http.StatusUnprocessableEntity, web.Page{Error: domain.ErrorMessage(err)})
			return
		}
		f.s.Error(w, r, err)
		return
	}
	f.s.RedirectWithFlash(w, r, o.Page, flash)
}

func sourceFlash(src *calendarstore.Source) string {
	if src.State == calendarstore.StateFailing {
		return fmt.Sprintf("Calendar %q was added, but it cannot be read: %s.", src.Name, src.Error)
	}
	return fmt.Sprintf("Calendar %q was added: %d events read.", src.Name, src.EventCount)
}

// added returns to the owner's page after adding src, saying what was
// read, or shows why it could not be added.
func (f *Feature) added(w http.ResponseWriter, r *http.Request, o *owner, src *calendarstore.Source, err error, note string) {
	if err != nil {
		f.back(w, r, o, "", err)
		return
	}
	f.back(w, r, o, sourceFlash(src)+note, nil)
}

// FeedCreate: POST /interviewers/{id}/calendars/feed and
// POST /rooms/{id}/calendars/feed.
func (h OwnerHandlers) FeedCreate(w http.ResponseWriter, r *http.Request) {
	h.addFromForm(w, r, "", func(ctx context.Context, o *owner) (*calendarstore.Source, error) {
		return h.f.Service.AddFeed(ctx, o.AccountID, o.Owner, r.PostFormValue("name"), r.PostFormValue("url"))
	})
}

// addFromForm adds the source add makes from the posted form for the
// {id} interviewer or room, and goes back to their calendars (with note
// after the added message).
func (h OwnerHandlers) addFromForm(w http.ResponseWriter, r *http.Request, note string, add func(context.Context, *owner) (*calendarstore.Source, error)) {
	o, err := h.ownerForm(w, r)
	if err != nil {
		h.f.s.Error(w, r, err)
		return
	}
	src, err := add(r.Context(), o)
	h.f.added(w, r, o, src, err, note)
}

// UploadCreate: POST /interviewers/{id}/calendars/upload and
// POST /rooms/{id}/calendars/upload (multipart).
func (h OwnerHandlers) UploadCreate(w http.ResponseWriter, r *http.Request) {
	f := h.f
	o, err := h.of(r, true)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, calendar.MaxFeedBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		f.back(w, r, o, "", domain.Errorf(domain.EINVALID, "The file could not be read (larger than %d MB, or not sent as a file).", calendar.MaxFeedBytes>>20))
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		f.back(w, r, o, "", domain.Errorf(domain.EINVALID, "Choose an .ics file to upload."))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		f.back(w, r, o, "", domain.Errorf(domain.EINVALID, "The file could not be read."))
		return
	}
	name := r.FormValue("name")
	if strings.TrimSpace(name) == "" {
		name = hdr.Filename
	}
	src, err := f.Service.AddUpload(r.Context(), o.AccountID, o.Owner, name, data)
	f.added(w, r, o, src, err, "")
}

// CalDAVCreate: POST /interviewers/{id}/calendars/caldav and
// POST /rooms/{id}/calendars/caldav.
func (h OwnerHandlers) CalDAVCreate(w http.ResponseWriter, r *http.Request) {
	h.addFromForm(w, r, " Untick the calendars that should not count as busy.", func(ctx context.Context, o *owner) (*calendarstore.Source, error) {
		return h.f.Service.AddCalDAV(ctx, o.AccountID, o.Owner, r.PostFormValue("name"),
			r.PostFormValue("server_url"), r.PostFormValue("username"), r.PostFormValue("password"))
	})
}

// CalendarKeywordsUpdate: POST /interviewers/{id}/calendars/keywords.
func (f *Feature) CalendarKeywordsUpdate(w http.ResponseWriter, r *http.Request) {
	o, err := f.person(r, true)
	if err == nil {
		err = web.ParseForm(w, r)
	}
	if err == nil {
		err = f.Service.Store.UpdateUserKeywords(r.Context(), o.AccountID, o.UserID, calendarstore.SplitKeywords(r.PostFormValue("keywords")))
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.back(w, r, o, "Conflict keywords saved.", nil)
}

// CalendarSync: POST /calendars/{id}/sync.
func (f *Feature) CalendarSync(w http.ResponseWriter, r *http.Request) {
	f.changeThenBack(w, r, f.syncSource, func(src *calendarstore.Source) string {
		return fmt.Sprintf("Calendar %q will be read again in a moment.", src.Name)
	})
}

// CalendarSelect: POST /calendars/{id}/select.
func (f *Feature) CalendarSelect(w http.ResponseWriter, r *http.Request) {
	selectCalendars := func(r *http.Request, src *calendarstore.Source) error {
		if err := web.ParseForm(w, r); err != nil {
			return err
		}
		_, err := f.Service.SelectCalendars(r.Context(), src.AccountID, src.ID, r.PostForm["calendar"])
		return err
	}
	f.changeThenBack(w, r, selectCalendars, func(*calendarstore.Source) string { return "Calendars chosen." })
}

// CalendarDelete: POST /calendars/{id}/delete.
func (f *Feature) CalendarDelete(w http.ResponseWriter, r *http.Request) {
	f.changeThenBack(w, r, f.deleteSource, func(src *calendarstore.Source) string {
		return fmt.Sprintf("Calendar %q was removed.", src.Name)
	})
}

// changeThenBack makes change to the {id} source and returns to its
// interviewer's or room's calendars with the message msg gives.
func (f *Feature) changeThenBack(w http.ResponseWriter, r *http.Request, change func(*http.Request, *calendarstore.Source) error, msg func(*calendarstore.Source) string) {
	src, err := f.changeSource(r, change)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.back(w, r, sourceOwner(src), msg(src), nil)
}

// integrationsData is the Calendars section of Integrations.
type integrationsData struct {
	Sources     []sourceView
	Next        string // cursor of the next page of sources
	First       bool   // the first page
	Settings    calendarstore.Settings
	Keywords    string
	Zone        string
	CanEdit     bool
	Connections []connectionView
}

type connectionView struct{ Name, Link, Status string }

func (f *Feature) connectionViews(ctx context.Context, accountID int64) []connectionView {
	out := make([]connectionView, 0, len(f.Connections))
	for _, c := range f.Connections {
		out = append(out, connectionView{Name: c.Name(), Link: c.Link(), Status: c.Status(ctx, accountID)})
	}
	return out
}

// sourcesPage is how many calendars the Calendars page lists at a time.
const sourcesPage = 50

// CalendarIntegrationsShow: GET /integrations/calendars (?after= pages).
func (f *Feature) CalendarIntegrationsShow(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	page, err := f.Service.Store.ListSourcesPage(r.Context(), me.AccountID, r.URL.Query().Get("after"), sourcesPage)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	st, err := f.Service.Store.GetSettings(r.Context(), me.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.Render(w, r, http.StatusOK, "calendars_integrations", web.Page{Title: "Calendars", Active: "/integrations",
		Data: integrationsData{Sources: views(page.Sources), Next: page.Next, First: r.URL.Query().Get("after") == "", Settings: st, Keywords: keywordsText(st.Keywords), Zone: viewerZone(me), CanEdit: me.IsAdmin(),
			Connections: f.connectionViews(r.Context(), me.AccountID)}})
}

// CalendarSettingsUpdate: POST /integrations/calendars/settings.
func (f *Feature) CalendarSettingsUpdate(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	if err := web.ParseForm(w, r); err != nil {
		f.s.Error(w, r, err)
		return
	}
	st := calendarstore.Settings{TentativeBusy: r.PostFormValue("tentative_busy") == "on", Keywords: calendarstore.SplitKeywords(r.PostFormValue("keywords"))}
	if err := f.Service.Store.UpdateSettings(r.Context(), me.AccountID, st); err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.RedirectWithFlash(w, r, "/integrations/calendars", "Calendar settings saved.")
}

// roomsData is the list of rooms.
type roomsData struct {
	Rooms  []roomRow
	CanAdd bool
}

type roomRow struct {
	ID               int64
	Name             string
	Sources, Failing int
}

// RoomList: GET /rooms, every room with how many calendars it has and how
// many of them fail.
func (f *Feature) RoomList(w http.ResponseWriter, r *http.Request) {
	f.renderRooms(w, r, http.StatusOK, web.Page{})
}

func (f *Feature) renderRooms(w http.ResponseWriter, r *http.Request, status int, p web.Page) {
	me := web.UserFrom(r.Context())
	rooms, err := f.Rooms.ListRooms(r.Context(), me.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	srcs, err := f.Service.Store.ListSources(r.Context(), me.AccountID, calendarstore.SourceFilter{})
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	count, failing := map[int64]int{}, map[int64]int{}
	for _, s := range srcs {
		if s.RoomID != 0 {
			count[s.RoomID]++
			if s.State == calendarstore.StateFailing {
				failing[s.RoomID]++
			}
		}
	}
	d := roomsData{CanAdd: me.IsAdmin()}
	for _, rm := range rooms {
		d.Rooms = append(d.Rooms, roomRow{ID: rm.ID, Name: rm.Name, Sources: count[rm.ID], Failing: failing[rm.ID]})
	}
	p.Title, p.Active, p.Data = "Rooms", "/rooms", d
	f.s.Render(w, r, status, "calendars_rooms", p)
}

// RoomCreate: POST /rooms (admins) adds a room and opens its page.
func (f *Feature) RoomCreate(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	if err := web.ParseForm(w, r); err != nil {
		f.s.Error(w, r, err)
		return
	}
	rm, err := f.Rooms.CreateRoom(r.Context(), me.AccountID, r.PostFormValue("name"), "")
	if domain.ErrorCode(err) == domain.EINVALID {
		f.renderRooms(w, r, http.StatusUnprocessableEntity, web.Page{Error: domain.ErrorMessage(err)})
		return
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/rooms/%d", rm.ID), fmt.Sprintf("Room %q is ready: add its calendar so Find times avoids it when it is taken.", rm.Name))
}
