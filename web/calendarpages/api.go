package calendarpages

import (
	"net/http"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store/calendarstore"
	"interviewplanner/web"
)

// apiCalendar is a CalDAV account's calendar.
type apiCalendar struct {
	Path     string `json:"path"`
	Name     string `json:"name"`
	Selected bool   `json:"selected"`
}

// apiSource is a calendar source; its secret never leaves the server.
type apiSource struct {
	ID            int64         `json:"id"`
	InterviewerID int64         `json:"interviewer_id,omitempty"`
	RoomID        int64         `json:"room_id,omitempty"`
	Kind          string        `json:"kind"`
	Name          string        `json:"name"`
	Address       string        `json:"address,omitempty"` // scheme and host only for feeds
	Username      string        `json:"username,omitempty"`
	Calendars     []apiCalendar `json:"calendars,omitempty"`
	State         string        `json:"state"`
	Error         string        `json:"error,omitempty"`
	FailingSince  *time.Time    `json:"failing_since,omitempty"`
	LastSyncAt    *time.Time    `json:"last_sync_at,omitempty"`
	EventCount    int           `json:"event_count"`
	SyncedUntil   *time.Time    `json:"synced_until,omitempty"`
}

func toAPI(s *calendarstore.Source) apiSource {
	out := apiSource{ID: s.ID, InterviewerID: s.UserID, RoomID: s.RoomID, Kind: s.Kind, Name: s.Name, Address: s.DisplayURL, Username: s.Username,
		State: s.State, Error: s.Error, FailingSince: s.FailingSince, LastSyncAt: s.LastSuccessAt, EventCount: s.EventCount, SyncedUntil: s.SyncedTo}
	for _, c := range s.Calendars {
		out.Calendars = append(out.Calendars, apiCalendar{Path: c.Path, Name: c.Name, Selected: c.Selected})
	}
	return out
}

// ListJSON: GET /api/v1/interviewers/{id}/calendars and
// GET /api/v1/rooms/{id}/calendars.
func (h OwnerHandlers) ListJSON(w http.ResponseWriter, r *http.Request) {
	f := h.f
	o, err := h.of(r, false)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	filter := calendarstore.SourceFilter{UserIDs: []int64{o.UserID}}
	if o.IsRoom() {
		filter = calendarstore.SourceFilter{RoomID: o.RoomID}
	}
	srcs, err := f.Service.Store.ListSources(r.Context(), o.AccountID, filter)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	out := []apiSource{}
	for _, s := range srcs {
		out = append(out, toAPI(s))
	}
	f.s.JSON(w, http.StatusOK, map[string]any{"calendars": out})
}

// apiAddRequest adds a source: kind feed (url), upload (ics) or caldav
// (server_url, username, password).
type apiAddRequest struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	ICS       string `json:"ics"`
	ServerURL string `json:"server_url"`
	Username  string `json:"username"`
	Password  string `json:"password"`
}

// CreateJSON: POST /api/v1/interviewers/{id}/calendars and
// POST /api/v1/rooms/{id}/calendars (admins). The source is read once
// before the answer; a source that cannot be read is created and reported
// as failing.
func (h OwnerHandlers) CreateJSON(w http.ResponseWriter, r *http.Request) {
	f := h.f
	o, err := h.of(r, true)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	var req apiAddRequest
	if err := web.DecodeJSON(w, r, &req); err != nil {
		f.s.Error(w, r, err)
		return
	}
	var src *calendarstore.Source
	switch req.Kind {
	case calendarstore.KindFeed:
		src, err = f.Service.AddFeed(r.Context(), o.AccountID, o.Owner, req.Name, req.URL)
	case calendarstore.KindUpload:
		src, err = f.Service.AddUpload(r.Context(), o.AccountID, o.Owner, req.Name, []byte(req.ICS))
	case calendarstore.KindCalDAV:
		src, err = f.Service.AddCalDAV(r.Context(), o.AccountID, o.Owner, req.Name, req.ServerURL, req.Username, req.Password)
	default:
		err = domain.Invalid(map[string]string{"kind": "Choose feed, upload or caldav."})
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusCreated, toAPI(src))
}

// CalendarDeleteJSON: DELETE /api/v1/calendars/{id}.
func (f *Feature) CalendarDeleteJSON(w http.ResponseWriter, r *http.Request) {
	if _, err := f.changeSource(r, f.deleteSource); err != nil {
		f.s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// CalendarUpdateJSON: PATCH /api/v1/calendars/{id} chooses which of a
// CalDAV account's calendars count as busy ({"selected": [path, …]}, the
// paths listed in its calendars) and reads it again.
func (f *Feature) CalendarUpdateJSON(w http.ResponseWriter, r *http.Request) {
	choose := func(r *http.Request, src *calendarstore.Source) error {
		var req struct {
			Selected *[]string `json:"selected"`
		}
		if err := web.DecodeJSON(w, r, &req); err != nil {
			return err
		}
		if req.Selected == nil {
			return domain.Invalid(map[string]string{"selected": "Give the paths of the calendars that count as busy."})
		}
		_, err := f.Service.SelectCalendars(r.Context(), src.AccountID, src.ID, *req.Selected)
		return err
	}
	src, err := f.changeSource(r, choose)
	if err == nil {
		src, err = f.Service.Store.GetSource(r.Context(), src.AccountID, src.ID)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusOK, toAPI(src))
}

// CalendarSyncJSON: POST /api/v1/calendars/{id}/sync queues a read.
func (f *Feature) CalendarSyncJSON(w http.ResponseWriter, r *http.Request) {
	if _, err := f.changeSource(r, f.syncSource); err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusAccepted, map[string]any{"queued": true})
}

type apiEvent struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Title     string    `json:"title"`
	Blocks    bool      `json:"blocks"`
	Keyword   string    `json:"keyword,omitempty"`
	Tentative bool      `json:"tentative"`
	AllDay    bool      `json:"all_day"`
}

type apiUnknown struct {
	Calendar string     `json:"calendar"`
	Since    *time.Time `json:"since,omitempty"`
	Reason   string     `json:"reason"`
	Message  string     `json:"message"`
}

// maxBusyRange bounds one busy query.
const maxBusyRange = 92 * 24 * time.Hour

// BusyJSON: GET /api/v1/interviewers/{id}/busy?from=RFC3339&to=RFC3339
// answers from the cache: the interviewer's calendar events, and whether
// their calendars can be trusted for that range; GET /api/v1/rooms/{id}/busy
// the same for a room.
func (h OwnerHandlers) BusyJSON(w http.ResponseWriter, r *http.Request) {
	f := h.f
	o, err := h.of(r, false)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	from, err1 := time.Parse(time.RFC3339, q.Get("from"))
	to, err2 := time.Parse(time.RFC3339, q.Get("to"))
	fields := map[string]string{}
	if err1 != nil {
		fields["from"] = "Give from as an RFC 3339 time, e.g. 2026-03-02T00:00:00Z."
	}
	if err2 != nil {
		fields["to"] = "Give to as an RFC 3339 time, e.g. 2026-03-09T00:00:00Z."
	}
	if len(fields) == 0 && (!to.After(from) || to.Sub(from) > maxBusyRange) {
		fields["to"] = "to must be after from, at most 92 days later."
	}
	if len(fields) > 0 {
		f.s.Error(w, r, domain.Invalid(fields))
		return
	}
	av, err := f.busy(r.Context(), o, from, to)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	me := web.UserFrom(r.Context())
	loc, _ := domain.LoadLocation(viewerZone(me))
	id := o.ID()
	events, unknown := []apiEvent{}, []apiUnknown{}
	for _, e := range av.Events[id] {
		events = append(events, apiEvent{Start: e.Start, End: e.End, Title: e.Title, Blocks: e.Blocks(), Keyword: e.Keyword, Tentative: e.Tentative, AllDay: e.AllDay})
	}
	for _, u := range av.Unknown[id] {
		au := apiUnknown{Calendar: u.Source, Reason: u.Reason, Message: u.Message(loc, f.s.DB.Now())}
		if !u.Since.IsZero() {
			since := u.Since
			au.Since = &since
		}
		unknown = append(unknown, au)
	}
	out := map[string]any{"from": from, "to": to, "known": len(unknown) == 0, "events": events, "unknown": unknown}
	if o.IsRoom() {
		out["room_id"] = o.RoomID
	} else {
		out["interviewer_id"] = o.UserID
	}
	f.s.JSON(w, http.StatusOK, out)
}
