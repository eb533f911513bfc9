package hiring

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduling"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/responsestore"
	"interviewplanner/web"
)

// placeRow is one interview on the scheduling form.
type placeRow struct {
	Interview    domain.Interview
	Place        bool
	ItemID       int64
	Date, Time   string
	Interviewers []int64
	Room         string // "", "r:<room id>" or "z:<Zoom Room id>"
	Host         string // the Zoom user picked to host; "" by the rule
	Pool         []*domain.User
	Start, End   time.Time
	Conflicts    []domain.Conflict
}

// scheduleForm is the whole scheduling form.
type scheduleForm struct {
	Candidate  *domain.Candidate
	Stage      *domain.Stage
	Schedule   *domain.Schedule // nil when new
	Rows       []*placeRow
	Zone       string // the zone times are entered in
	Video      bool
	FormToken  string
	Accept     bool
	Conflicts  []domain.Conflict
	Checked    bool
	Rooms      []domain.Room
	VideoRooms []domain.VideoRoom
	Hosts      []domain.VideoHost // Zoom users who may host, when connected
	Status     domain.VideoStatus
	Action     string
}

func (f *Feature) loadForm(r *http.Request, candidateID int64, sc *domain.Schedule) (*scheduleForm, error) {
	me := web.UserFrom(r.Context())
	ctx := r.Context()
	c, err := f.Store.GetCandidate(ctx, me.AccountID, candidateID)
	if err != nil {
		return nil, err
	}
	stageID := c.StageID
	if sc != nil {
		stageID = sc.StageID
	}
	st, err := f.Store.GetStage(ctx, me.AccountID, stageID)
	if err != nil {
		return nil, err
	}
	// Only the people the form can offer: the pools' members and who the
	// schedule already has; a pool open to anyone offers the first
	// domain.MaxOpenPool active people by name, not the whole company.
	var ids []int64
	open := false
	for _, iv := range st.Interviews {
		ids = append(ids, iv.Pool...)
		open = open || len(iv.Pool) == 0
	}
	if sc != nil {
		for _, it := range sc.Items {
			ids = append(ids, it.Interviewers...)
		}
	}
	byID, err := f.Store.DB.ListUsersByID(ctx, me.AccountID, ids)
	if err != nil {
		return nil, err
	}
	var all []*domain.User
	if open {
		page, err := f.Store.DB.ListUsersPage(ctx, me.AccountID, store.UserFilter{ActiveOnly: true, Limit: domain.MaxOpenPool})
		if err != nil {
			return nil, err
		}
		all = page.Users
		for _, u := range all {
			byID[u.ID] = u
		}
	}
	rooms, err := f.Store.ListRooms(ctx, me.AccountID)
	if err != nil {
		return nil, err
	}
	form := &scheduleForm{Candidate: c, Stage: st, Schedule: sc, Zone: me.TimeZone, Video: st.Video == domain.VideoZoom, Rooms: rooms,
		Status: f.videoStatus(ctx, me.AccountID), VideoRooms: f.Scheduling.VideoRooms(ctx, me.AccountID), Hosts: f.Scheduling.VideoHosts(ctx, me.AccountID)}
	if sc != nil {
		form.Video = sc.Video
	} else {
		tok, _ := web.NewToken()
		form.FormToken = tok
	}
	loc, _ := domain.LoadLocation(form.Zone)
	if loc == nil {
		loc = time.UTC
	}
	// New schedules start tomorrow 10:00 (skipping the weekend), one
	// interview after another.
	next := time.Now().In(loc).AddDate(0, 0, 1)
	for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
		next = next.AddDate(0, 0, 1)
	}
	next = time.Date(next.Year(), next.Month(), next.Day(), 10, 0, 0, 0, loc)
	for _, iv := range st.Interviews {
		row := &placeRow{Interview: iv, Place: sc == nil}
		if len(iv.Pool) == 0 {
			for _, u := range all {
				if u.Active {
					row.Pool = append(row.Pool, u)
				}
			}
		} else {
			for _, id := range iv.Pool {
				if u, ok := byID[id]; ok && u.Active {
					row.Pool = append(row.Pool, u)
				}
			}
		}
		var it *domain.ScheduleItem
		if sc != nil {
			for i := range sc.Items {
				if sc.Items[i].InterviewID == iv.ID {
					it = &sc.Items[i]
				}
			}
		}
		if it != nil {
			row.Place, row.ItemID, row.Interviewers, row.Host = true, it.ID, it.Interviewers, it.Meeting.HostChoice
			// Whoever the interview has stays on offer, also outside a
			// bounded open pool.
			for _, id := range it.Interviewers {
				if u, ok := byID[id]; ok && u.Active && !slices.ContainsFunc(row.Pool, func(p *domain.User) bool { return p.ID == id }) {
					row.Pool = append(row.Pool, u)
				}
			}
			row.Start, row.End = it.Start, it.End
			if it.RoomID != 0 {
				row.Room = "r:" + strconv.FormatInt(it.RoomID, 10)
			}
		} else {
			row.Start, row.End = next, next.Add(time.Duration(iv.DurationMinutes)*time.Minute)
			for i := 0; i < iv.InterviewersNeeded && i < len(row.Pool); i++ {
				row.Interviewers = append(row.Interviewers, row.Pool[i].ID)
			}
			next = row.End.Add(time.Duration(st.BufferMinutes) * time.Minute)
		}
		row.Date, row.Time = row.Start.In(loc).Format("2006-01-02"), row.Start.In(loc).Format("15:04")
		form.Rows = append(form.Rows, row)
	}
	return form, nil
}

// readForm fills the form from the request and builds the input.
func (f *Feature) readForm(r *http.Request, form *scheduleForm) (scheduling.Proposal, error) {
	me := web.UserFrom(r.Context())
	in := scheduling.Proposal{CandidateID: form.Candidate.ID, UserID: me.ID}
	if form.Schedule != nil {
		in.ScheduleID = form.Schedule.ID
	}
	fields := map[string]string{}
	form.Zone = strings.TrimSpace(r.PostForm.Get("zone"))
	loc, err := domain.CheckTimeZone(form.Zone)
	if err != nil {
		fields["zone"] = domain.ErrorMessage(err)
		loc = time.UTC
	}
	form.Video = r.PostForm.Get("video") == "on"
	in.Video = &form.Video
	form.FormToken = r.PostForm.Get("form_token")
	in.FormToken = form.FormToken
	form.Accept = r.PostForm.Get("accept") == "on"
	in.AcceptWarnings = form.Accept
	form.Action = r.PostForm.Get("action")
	for _, row := range form.Rows {
		key := "p" + strconv.FormatInt(row.Interview.ID, 10) + "_"
		row.Place = r.PostForm.Get(key+"place") == "on"
		row.Date, row.Time = r.PostForm.Get(key+"date"), r.PostForm.Get(key+"time")
		row.Interviewers = formIDs(r, key+"interviewers", fields)
		row.Room = r.PostForm.Get(key + "room")
		row.Host = strings.TrimSpace(r.PostForm.Get(key + "host"))
		if !row.Place {
			continue
		}
		start, err := domain.ParseLocal(row.Date, row.Time, loc)
		if err != nil {
			fields[key+"date"] = row.Interview.Name + ": " + domain.ErrorMessage(err)
			continue
		}
		row.Start, row.End = start, start.Add(time.Duration(row.Interview.DurationMinutes)*time.Minute)
		roomID, err := f.roomFromChoice(r, row.Room)
		if err != nil {
			fields[key+"room"] = row.Interview.Name + ": " + domain.ErrorMessage(err)
		}
		in.Items = append(in.Items, scheduling.Item{ItemID: row.ItemID, InterviewID: row.Interview.ID, Start: row.Start.UTC(), End: row.End.UTC(),
			Interviewers: row.Interviewers, RoomID: roomID, HostID: row.Host})
	}
	if len(fields) > 0 {
		return in, domain.Invalid(fields)
	}
	return in, nil
}

// roomFromChoice turns a room choice into a room id; a Zoom Room is
// added to the account's rooms the first time it is used.
func (f *Feature) roomFromChoice(r *http.Request, choice string) (int64, error) {
	me := web.UserFrom(r.Context())
	switch {
	case choice == "":
		return 0, nil
	case strings.HasPrefix(choice, "r:"):
		id, err := strconv.ParseInt(choice[2:], 10, 64)
		if err != nil || id <= 0 {
			return 0, domain.Errorf(domain.EINVALID, "Unknown room.")
		}
		return id, nil
	case strings.HasPrefix(choice, "z:"):
		return f.Scheduling.RoomForVideoRoom(r.Context(), me.AccountID, choice[2:])
	}
	return 0, domain.Errorf(domain.EINVALID, "Unknown room.")
}

func (f *Feature) renderForm(w http.ResponseWriter, r *http.Request, status int, p web.Page, form *scheduleForm) {
	for _, c := range form.Conflicts {
		idx := 0
		for _, row := range form.Rows {
			if !row.Place {
				continue
			}
			if idx == c.Item {
				row.Conflicts = append(row.Conflicts, c)
			}
			idx++
		}
	}
	p.Title = "Schedule " + form.Candidate.Name
	p.Data = form
	f.s.Render(w, r, status, "hiring_schedule_form", p)
}

// ScheduleNew: GET /candidates/{id}/schedule.
func (f *Feature) ScheduleNew(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	form, err := f.loadForm(r, id, nil)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	prefill(r, form)
	f.renderForm(w, r, http.StatusOK, web.Page{}, form)
}

// ScheduleCreate: POST /candidates/{id}/schedule — check or confirm.
func (f *Feature) ScheduleCreate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathIDAndForm(w, r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	form, err := f.loadForm(r, id, nil)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.submit(w, r, form)
}

func (f *Feature) submit(w http.ResponseWriter, r *http.Request, form *scheduleForm) {
	me := web.UserFrom(r.Context())
	in, err := f.readForm(r, form)
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderForm(w, r, http.StatusUnprocessableEntity, p, form) })
		return
	}
	if form.Action == "check" {
		form.Conflicts, err = f.Scheduling.Check(r.Context(), me.AccountID, in)
		if err != nil {
			f.fail(w, r, err, func(p web.Page) { f.renderForm(w, r, http.StatusUnprocessableEntity, p, form) })
			return
		}
		form.Checked = true
		f.renderForm(w, r, http.StatusOK, web.Page{}, form)
		return
	}
	sc, conflicts, err := f.Scheduling.Save(r.Context(), me.AccountID, in)
	var ce *scheduling.ConflictError
	if errors.As(err, &ce) {
		form.Conflicts, form.Checked = conflicts, true
		// The conflicts themselves show at their interviews, once.
		msg := "This schedule has warnings: review them at each interview below, tick \"Save despite warnings\" and confirm again."
		if ce.Blocking {
			msg = "This schedule clashes with other bookings, shown at each interview below; nothing was saved."
		}
		f.renderForm(w, r, http.StatusConflict, web.Page{Error: msg}, form)
		return
	}
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderForm(w, r, http.StatusUnprocessableEntity, p, form) })
		return
	}
	msg := "Schedule saved."
	if sc.Video {
		if st := f.videoStatus(r.Context(), me.AccountID); st.Connected() {
			msg += " Zoom meetings are being created."
		} else {
			msg += " Zoom is not connected, so the meetings are waiting for Zoom; they will be created once an admin connects Zoom."
		}
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/schedules/%d", sc.ID), msg)
}

// scheduleView is a schedule as its page shows it.
type scheduleView struct {
	Schedule  *domain.Schedule
	Candidate *domain.Candidate
	Stage     *domain.Stage
	Users     map[int64]*domain.User
	Rooms     map[int64]domain.Room
	Zone      string
	Itinerary string
	Status    domain.VideoStatus
	Company   string
	Hosts     map[string]domain.VideoHost // Zoom users by id
	// Answers are the interviewers' responses to the calendar
	// invitations, by item and user (whichever provider reported them).
	Answers map[int64]map[int64]responsestore.Response
}

// Answer is an interviewer's response to an interview's invitation ("" when
// no calendar reported one).
func (v *scheduleView) Answer(itemID, userID int64) responsestore.Response {
	return v.Answers[itemID][userID]
}

// declined names who declined which interview, for the page's notice.
type declined struct {
	Name, Interview string
	Start           time.Time
}

// Declined lists the interviewers who declined an interview they are
// still on.
func (v *scheduleView) Declined() []declined {
	var out []declined
	for _, it := range v.Schedule.Items {
		for _, u := range it.Interviewers {
			if v.Answer(it.ID, u) == responsestore.Declined {
				name := "An interviewer"
				if p := v.Users[u]; p != nil {
					name = p.Name
				}
				out = append(out, declined{Name: name, Interview: it.Name, Start: it.Start})
			}
		}
	}
	return out
}

// HostName names a meeting's host as the coordinator knows them.
func (v *scheduleView) HostName(id string) string {
	if h, ok := v.Hosts[id]; ok {
		return cmpOr(h.Name, h.Email)
	}
	return ""
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Unsettled reports whether a meeting of the schedule is still changing,
// so the page keeps reading its states.
func (v *scheduleView) Unsettled() bool {
	if !v.Schedule.Video || !v.Schedule.Status.Live() {
		return false
	}
	for _, it := range v.Schedule.Items {
		if !it.Meeting.Settled() {
			return true
		}
	}
	return false
}

func (f *Feature) loadView(r *http.Request, sc *domain.Schedule) (*scheduleView, error) {
	ctx := r.Context()
	v := &scheduleView{Schedule: sc, Rooms: map[int64]domain.Room{}, Itinerary: f.s.BaseURL + "/itinerary/" + sc.ItineraryToken}
	var err error
	if v.Candidate, err = f.Store.GetCandidate(ctx, sc.AccountID, sc.CandidateID); err != nil {
		return nil, err
	}
	if v.Stage, err = f.Store.GetStage(ctx, sc.AccountID, sc.StageID); err != nil {
		return nil, err
	}
	// Only the schedule's interviewers: an account may have thousands.
	var ids []int64
	for _, it := range sc.Items {
		ids = append(ids, it.Interviewers...)
	}
	if v.Users, err = f.Store.DB.ListUsersByID(ctx, sc.AccountID, ids); err != nil {
		return nil, err
	}
	rooms, err := f.Store.ListRooms(ctx, sc.AccountID)
	if err != nil {
		return nil, err
	}
	for _, rm := range rooms {
		v.Rooms[rm.ID] = rm
	}
	if acct, err := f.Store.DB.GetAccount(ctx, sc.AccountID); err == nil {
		v.Company = acct.Name
	}
	answers, err := responsestore.New(f.Store.DB).ListBySchedule(ctx, sc.AccountID, sc.ID)
	if err != nil {
		return nil, err
	}
	v.Answers = map[int64]map[int64]responsestore.Response{}
	for item, as := range answers {
		v.Answers[item] = map[int64]responsestore.Response{}
		for _, a := range as {
			if a.UserID != 0 {
				v.Answers[item][a.UserID] = a.Response
			}
		}
	}
	if me := web.UserFrom(ctx); me != nil {
		v.Zone = me.TimeZone
		if sc.Video {
			v.Status = f.videoStatus(ctx, sc.AccountID)
			v.Hosts = map[string]domain.VideoHost{}
			for _, h := range f.Scheduling.VideoHosts(ctx, sc.AccountID) {
				v.Hosts[h.ID] = h
			}
		}
	}
	return v, nil
}

// ScheduleShow: GET /schedules/{id}.
func (f *Feature) ScheduleShow(w http.ResponseWriter, r *http.Request) {
	sc, err := f.loadSchedule(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	v, err := f.loadView(r, sc)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.Render(w, r, http.StatusOK, "hiring_schedule", web.Page{Title: "Schedule for " + v.Candidate.Name, Data: v})
}

// ScheduleEdit: GET /schedules/{id}/edit — reschedule, by hand or
// with an option from "Find new times" in the query.
func (f *Feature) ScheduleEdit(w http.ResponseWriter, r *http.Request) {
	form, err := f.editForm(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	prefill(r, form)
	f.renderForm(w, r, http.StatusOK, web.Page{}, form)
}

func (f *Feature) editForm(r *http.Request) (*scheduleForm, error) {
	sc, err := f.loadSchedule(r)
	if err != nil {
		return nil, err
	}
	if !sc.Status.Live() {
		return nil, domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be changed.", sc.Status)
	}
	return f.loadForm(r, sc.CandidateID, sc)
}

// ScheduleUpdate: POST /schedules/{id} — check or save changes.
func (f *Feature) ScheduleUpdate(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(w, r); err != nil {
		f.s.Error(w, r, err)
		return
	}
	form, err := f.editForm(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.submit(w, r, form)
}

// ScheduleCancel: POST /schedules/{id}/cancel.
func (f *Feature) ScheduleCancel(w http.ResponseWriter, r *http.Request) {
	f.changeThenShow(w, r, f.cancelSchedule, "Schedule cancelled. Its Zoom meetings are being deleted.")
}

// ScheduleItemRemove: POST /schedules/{id}/items/{item}/remove.
func (f *Feature) ScheduleItemRemove(w http.ResponseWriter, r *http.Request) {
	f.changeThenShow(w, r, f.removeItem, "Interview removed.")
}

// ScheduleMeetingRetry: POST /schedules/{id}/meetings/{meeting}/retry — the
// "Try again" of a failed meeting.
func (f *Feature) ScheduleMeetingRetry(w http.ResponseWriter, r *http.Request) {
	f.changeThenShow(w, r, f.retryMeeting, "Trying the Zoom meeting again.")
}

// scheduleChange is one change to schedule id by the signed-in user; the
// page and the API make it through the same function.
type scheduleChange func(r *http.Request, me *domain.User, id int64) error

func (f *Feature) cancelSchedule(r *http.Request, me *domain.User, id int64) error {
	return f.Scheduling.Cancel(r.Context(), me.AccountID, me.ID, id)
}

func (f *Feature) removeItem(r *http.Request, me *domain.User, id int64) error {
	item, err := web.PathID(r, "item")
	if err != nil {
		return err
	}
	return f.Scheduling.RemoveItem(r.Context(), me.AccountID, me.ID, id, item)
}

func (f *Feature) retryMeeting(r *http.Request, me *domain.User, id int64) error {
	meeting, err := web.PathID(r, "meeting")
	if err != nil {
		return err
	}
	return f.Scheduling.RetryMeeting(r.Context(), me.AccountID, me.ID, id, meeting)
}

// changeSchedule makes change to the schedule named by {id}.
func (f *Feature) changeSchedule(r *http.Request, change scheduleChange) (int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, change(r, web.UserFrom(r.Context()), id)
}

// changeThenShow makes change and returns to the schedule's page with msg.
func (f *Feature) changeThenShow(w http.ResponseWriter, r *http.Request, change scheduleChange, msg string) {
	id, err := f.changeSchedule(r, change)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/schedules/%d", id), msg)
}

// changeThenJSON makes change and answers with the schedule as it is now.
func (f *Feature) changeThenJSON(w http.ResponseWriter, r *http.Request, change scheduleChange) {
	if _, err := f.changeSchedule(r, change); err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.ScheduleShowJSON(w, r)
}

// ItineraryShow: GET /itinerary/{token} — the candidate's page, no sign-in.
func (f *Feature) ItineraryShow(w http.ResponseWriter, r *http.Request) {
	sc, err := f.Store.GetScheduleByItinerary(r.Context(), r.PathValue("token"))
	if err != nil {
		f.s.Error(w, r, domain.Errorf(domain.ENOTFOUND, "This itinerary link is not valid."))
		return
	}
	v, err := f.loadView(r, sc)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	f.s.Render(w, r, http.StatusOK, "hiring_itinerary", web.Page{Title: "Your interviews at " + v.Company, Data: v})
}

// MyInterviewList: GET /my/interviews.
func (f *Feature) MyInterviewList(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	after := r.URL.Query().Get("after")
	page, err := f.Store.ListInterviewerItemsPage(r.Context(), me.AccountID, me.ID, time.Now().Add(-2*time.Hour), after, myInterviewsPage)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	myHost := ""
	if len(page.Items) > 0 {
		myHost = f.hostIDFor(r, me)
	}
	type row struct {
		hiringstore.InterviewerItem
		Hosting bool
	}
	var rows []row
	for _, it := range page.Items {
		rows = append(rows, row{it, myHost != "" && it.Item.Meeting.HostID == myHost && it.Item.Meeting.ProviderMeetingID != ""})
	}
	f.s.Render(w, r, http.StatusOK, "hiring_my_interviews", web.Page{Title: "My interviews",
		Data: map[string]any{"Rows": rows, "Zone": me.TimeZone, "Next": page.Next, "Later": after != ""}})
}

// myInterviewsPage is how many interviews My interviews shows at a time:
// the coming week or two of a busy interviewer.
const myInterviewsPage = 25

// hostByEmail is a video provider that finds one host without listing
// them all (Zoom does).
type hostByEmail interface {
	HostByEmail(ctx context.Context, accountID int64, email string) (domain.VideoHost, bool, error)
}

// hostIDFor is the video host id matched to the user by email.
func (f *Feature) hostIDFor(r *http.Request, me *domain.User) string {
	if v, ok := f.video().(hostByEmail); ok {
		h, found, err := v.HostByEmail(r.Context(), me.AccountID, me.Email)
		if err != nil || !found {
			return ""
		}
		return h.ID
	}
	for _, h := range f.Scheduling.VideoHosts(r.Context(), me.AccountID) {
		if strings.EqualFold(h.Email, me.Email) {
			return h.ID
		}
	}
	return ""
}

// MyInterviewStart: GET /my/interviews/{item}/start — a fresh start link,
// for the host only (it signs the host in to Zoom, and it expires).
func (f *Feature) MyInterviewStart(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	itemID, err := web.PathID(r, "item")
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	items, err := f.Store.ListInterviewerItems(r.Context(), me.AccountID, me.ID, time.Now().Add(-12*time.Hour))
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	host := f.hostIDFor(r, me)
	for _, it := range items {
		if it.Item.ID != itemID {
			continue
		}
		m := it.Item.Meeting
		if host == "" || m.HostID != host || m.ProviderMeetingID == "" {
			f.s.Error(w, r, domain.Errorf(domain.EFORBIDDEN, "Only the meeting's host can start it; use the join link."))
			return
		}
		link, err := f.video().StartURL(r.Context(), me.AccountID, m.ProviderMeetingID)
		if err != nil {
			f.s.Error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, link, http.StatusSeeOther)
		return
	}
	f.s.Error(w, r, domain.Errorf(domain.ENOTFOUND, "Not found."))
}
