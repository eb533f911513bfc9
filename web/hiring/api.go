package hiring

import (
	_ "embed"
	"encoding/json"
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
	"interviewplanner/web"
)

//go:embed openapi.json
var openAPIDoc []byte

// API shapes. Times are RFC 3339 in UTC.
type (
	apiInterview struct {
		ID                 int64   `json:"id,omitempty"`
		Name               string  `json:"name"`
		DurationMinutes    int     `json:"duration_minutes"`
		InterviewersNeeded int     `json:"interviewers_needed"`
		Pool               []int64 `json:"pool"`
		RoomRequired       bool    `json:"room_required"`
		Position           int     `json:"position"`
	}
	apiStage struct {
		ID                int64          `json:"id,omitempty"`
		JobID             int64          `json:"job_id,omitempty"`
		Name              string         `json:"name"`
		Position          int            `json:"position"`
		Video             string         `json:"video"`
		MeetingMode       string         `json:"meeting_mode"`
		BufferMinutes     int            `json:"buffer_minutes"`
		AllowedStart      string         `json:"allowed_start"`
		AllowedEnd        string         `json:"allowed_end"`
		EarliestDayOffset int            `json:"earliest_day_offset"`
		LatestDayOffset   int            `json:"latest_day_offset"`
		MaxGapMinutes     int            `json:"max_gap_minutes"`
		LunchMinutes      int            `json:"lunch_minutes"`
		LunchStart        string         `json:"lunch_start"`
		LunchEnd          string         `json:"lunch_end"`
		Interviews        []apiInterview `json:"interviews"`
	}
	apiJob struct {
		ID     int64      `json:"id"`
		Title  string     `json:"title"`
		Status string     `json:"status"`
		Stages []apiStage `json:"stages"`
	}
	apiInterviewer struct {
		ID           int64   `json:"id"`
		Name         string  `json:"name"`
		Email        string  `json:"email"`
		Role         string  `json:"role"`
		TimeZone     string  `json:"time_zone"`
		WorkingHours apiWeek `json:"working_hours"`
		MaxPerDay    int     `json:"max_per_day"`
		MaxPerWeek   int     `json:"max_per_week"`
		// Preferred hours in the interviewer's zone; both empty = none.
		PreferredStart string `json:"preferred_start"`
		PreferredEnd   string `json:"preferred_end"`
	}
	// apiWeek is an interviewer's working hours by day, its fields in
	// the order a JSON object of days sorts by name.
	apiWeek struct {
		Friday    string `json:"friday"`
		Monday    string `json:"monday"`
		Saturday  string `json:"saturday"`
		Sunday    string `json:"sunday"`
		Thursday  string `json:"thursday"`
		Tuesday   string `json:"tuesday"`
		Wednesday string `json:"wednesday"`
	}
	apiWindow struct {
		Start time.Time `json:"start"`
		End   time.Time `json:"end"`
	}
	apiCandidate struct {
		ID        int64       `json:"id"`
		Name      string      `json:"name"`
		Email     string      `json:"email"`
		Phone     string      `json:"phone"`
		TimeZone  string      `json:"time_zone"`
		JobID     int64       `json:"job_id"`
		StageID   int64       `json:"stage_id"`
		Status    string      `json:"status"`
		Available []apiWindow `json:"availability"`
		// Preferred time of day in the candidate's zone; both empty = none.
		PreferredStart string    `json:"preferred_start"`
		PreferredEnd   string    `json:"preferred_end"`
		CreatedAt      time.Time `json:"created_at"`
		UpdatedAt      time.Time `json:"updated_at"`
	}
	apiMeeting struct {
		State     string `json:"state"`
		Label     string `json:"label"`
		JoinURL   string `json:"join_url,omitempty"`
		LastError string `json:"last_error,omitempty"`
		HostID    string `json:"host_id,omitempty"`
		HostNote  string `json:"host_note,omitempty"`
	}
	apiItem struct {
		ID           int64       `json:"id"`
		InterviewID  int64       `json:"interview_id"`
		Name         string      `json:"name"`
		Start        time.Time   `json:"start"`
		End          time.Time   `json:"end"`
		Interviewers []int64     `json:"interviewers"`
		RoomID       int64       `json:"room_id,omitempty"`
		HostID       string      `json:"host_id,omitempty"`
		Meeting      *apiMeeting `json:"meeting,omitempty"`
	}
	apiSchedule struct {
		ID           int64     `json:"id"`
		CandidateID  int64     `json:"candidate_id"`
		StageID      int64     `json:"stage_id"`
		Status       string    `json:"status"`
		Video        bool      `json:"video"`
		MeetingMode  string    `json:"meeting_mode"`
		ItineraryURL string    `json:"itinerary_url"`
		Items        []apiItem `json:"items"`
	}
	// apiItemInput also takes a Find times item as it is: interviewer_ids
	// for interviewers, its end (checked against the interview's length),
	// and its name and alternates (read only).
	apiItemInput struct {
		ItemID         int64             `json:"item_id,omitempty"`
		InterviewID    int64             `json:"interview_id"`
		Start          string            `json:"start,omitempty"`
		End            string            `json:"end,omitempty"`
		Date           string            `json:"date,omitempty"`
		Time           string            `json:"time,omitempty"`
		TimeZone       string            `json:"time_zone,omitempty"`
		Interviewers   []int64           `json:"interviewers"`
		InterviewerIDs []int64           `json:"interviewer_ids"`
		RoomID         int64             `json:"room_id,omitempty"`
		HostID         string            `json:"host_id,omitempty"`
		Name           string            `json:"name,omitempty"`
		Alternates     []json.RawMessage `json:"alternates,omitempty"`
	}
	apiScheduleInput struct {
		CandidateID    int64          `json:"candidate_id"`
		Video          *bool          `json:"video,omitempty"`
		FormToken      string         `json:"idempotency_key,omitempty"`
		AcceptWarnings bool           `json:"accept_warnings,omitempty"`
		Items          []apiItemInput `json:"items"`
	}
	apiConflicts struct {
		web.Problem
		Conflicts []domain.Conflict `json:"conflicts"`
	}
)

func toAPIStage(st domain.Stage) apiStage {
	a := apiStage{ID: st.ID, JobID: st.JobID, Name: st.Name, Position: st.Position, Video: string(st.Video), MeetingMode: string(st.MeetingMode),
		BufferMinutes: st.BufferMinutes, AllowedStart: domain.FormatClock(st.AllowedStartMinute), AllowedEnd: domain.FormatClock(st.AllowedEndMinute),
		EarliestDayOffset: st.EarliestDayOffset, LatestDayOffset: st.LatestDayOffset, MaxGapMinutes: st.MaxGapMinutes, LunchMinutes: st.LunchMinutes,
		Interviews: []apiInterview{}}
	lunchStart, lunchEnd := st.LunchWindow()
	a.LunchStart, a.LunchEnd = domain.FormatClock(lunchStart), domain.FormatClock(lunchEnd)
	for _, iv := range st.Interviews {
		pool := iv.Pool
		if pool == nil {
			pool = []int64{}
		}
		a.Interviews = append(a.Interviews, apiInterview{ID: iv.ID, Name: iv.Name, DurationMinutes: iv.DurationMinutes, InterviewersNeeded: iv.InterviewersNeeded,
			Pool: pool, RoomRequired: iv.RoomRequired, Position: iv.Position})
	}
	return a
}

func toAPIJob(j domain.Job) apiJob {
	a := apiJob{ID: j.ID, Title: j.Title, Status: string(j.Status), Stages: []apiStage{}}
	for _, st := range j.Stages {
		a.Stages = append(a.Stages, toAPIStage(st))
	}
	return a
}

func toAPICandidate(c domain.Candidate) apiCandidate {
	a := apiCandidate{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, TimeZone: c.TimeZone, JobID: c.JobID, StageID: c.StageID,
		Status: string(c.Status), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Available: []apiWindow{}}
	a.PreferredStart, a.PreferredEnd = formatClockRange(c.PreferredStartMinute, c.PreferredEndMinute)
	for _, w := range c.Availability {
		a.Available = append(a.Available, apiWindow{w.Start, w.End})
	}
	return a
}

func (f *Feature) toAPISchedule(sc *domain.Schedule) apiSchedule {
	a := apiSchedule{ID: sc.ID, CandidateID: sc.CandidateID, StageID: sc.StageID, Status: string(sc.Status), Video: sc.Video,
		MeetingMode: string(sc.MeetingMode), ItineraryURL: f.s.BaseURL + "/itinerary/" + sc.ItineraryToken, Items: []apiItem{}}
	for _, it := range sc.Items {
		item := apiItem{ID: it.ID, InterviewID: it.InterviewID, Name: it.Name, Start: it.Start, End: it.End, Interviewers: it.Interviewers, RoomID: it.RoomID}
		if item.Interviewers == nil {
			item.Interviewers = []int64{}
		}
		if sc.Video {
			item.HostID = it.Meeting.HostChoice
			item.Meeting = &apiMeeting{State: it.Meeting.StateName(), Label: it.Meeting.Label(), JoinURL: it.Meeting.JoinURL, LastError: it.Meeting.LastError,
				HostID: it.Meeting.HostID, HostNote: it.Meeting.HostNote}
			if it.Meeting.State == domain.MeetingNone {
				item.Meeting.State, item.Meeting.Label = string(domain.MeetingPending), domain.MeetingPending.Label()
			}
		}
		a.Items = append(a.Items, item)
	}
	return a
}

func profileToAPI(u *domain.User, p domain.InterviewerProfile) apiInterviewer {
	a := apiInterviewer{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), TimeZone: p.TimeZone, MaxPerDay: p.MaxPerDay, MaxPerWeek: p.MaxPerWeek}
	a.PreferredStart, a.PreferredEnd = formatClockRange(p.PreferredStartMinute, p.PreferredEndMinute)
	h := &p.Hours
	a.WorkingHours = apiWeek{Sunday: domain.FormatSpans(h[time.Sunday]), Monday: domain.FormatSpans(h[time.Monday]), Tuesday: domain.FormatSpans(h[time.Tuesday]),
		Wednesday: domain.FormatSpans(h[time.Wednesday]), Thursday: domain.FormatSpans(h[time.Thursday]), Friday: domain.FormatSpans(h[time.Friday]),
		Saturday: domain.FormatSpans(h[time.Saturday])}
	return a
}

// OpenAPIDocument: GET /api/v1/openapi.json — the API's description.
func (f *Feature) OpenAPIDocument(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPIDoc)
}

// ZoomHostListJSON: GET /api/v1/zoom/hosts — the Zoom users a coordinator may pick to host.
func (f *Feature) ZoomHostListJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	type apiHost struct {
		ID      string `json:"id"`
		Email   string `json:"email"`
		Name    string `json:"name"`
		Default bool   `json:"default"`
	}
	out := []apiHost{}
	for _, h := range f.Scheduling.VideoHosts(r.Context(), me.AccountID) {
		out = append(out, apiHost{h.ID, h.Email, h.Name, h.Default})
	}
	f.s.JSON(w, http.StatusOK, map[string]any{"hosts": out})
}

func (f *Feature) JobListJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	jobs, err := f.Store.ListJobs(r.Context(), me.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	out := []apiJob{}
	for _, j := range jobs {
		full, err := f.Store.GetJob(r.Context(), me.AccountID, j.ID)
		if err != nil {
			f.s.Error(w, r, err)
			return
		}
		out = append(out, toAPIJob(*full))
	}
	f.s.JSON(w, http.StatusOK, map[string]any{"jobs": out})
}

func (f *Feature) JobShowJSON(w http.ResponseWriter, r *http.Request) {
	showJSON(f, w, r, f.loadJob, func(j *domain.Job) any { return toAPIJob(*j) })
}

func (f *Feature) JobCreateJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	var in struct {
		Title  string `json:"title"`
		Status string `json:"status"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		f.s.Error(w, r, err)
		return
	}
	j, err := f.Store.CreateJob(r.Context(), me.AccountID, domain.Job{Title: in.Title, Status: domain.JobStatus(in.Status)})
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusCreated, toAPIJob(*j))
}

func (f *Feature) JobUpdateJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	j, err := f.loadJob(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	var in struct {
		Title  *string `json:"title"`
		Status *string `json:"status"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		f.s.Error(w, r, err)
		return
	}
	if in.Title != nil {
		j.Title = *in.Title
	}
	if in.Status != nil {
		j.Status = domain.JobStatus(*in.Status)
	}
	if err := f.Store.UpdateJob(r.Context(), me.AccountID, *j); err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.JobShowJSON(w, r)
}

func stageFromAPI(in apiStage) (domain.Stage, error) {
	st := domain.Stage{Name: in.Name, Position: in.Position, Video: domain.VideoMode(in.Video), MeetingMode: domain.MeetingMode(in.MeetingMode),
		BufferMinutes: in.BufferMinutes, EarliestDayOffset: in.EarliestDayOffset, LatestDayOffset: in.LatestDayOffset,
		MaxGapMinutes: in.MaxGapMinutes, LunchMinutes: in.LunchMinutes}
	fields := map[string]string{}
	var err error
	// No lunch window means the default one.
	if st.LunchStartMinute, st.LunchEndMinute, err = parseClockRange(in.LunchStart, in.LunchEnd); err != nil {
		fields["lunch_window"] = domain.ErrorMessage(err)
	}
	// A new stage's defaults: business hours, up to two weeks out.
	if in.AllowedStart == "" {
		in.AllowedStart = domain.FormatClock(domain.DefaultAllowedStartMinute)
	}
	if in.AllowedEnd == "" {
		in.AllowedEnd = domain.FormatClock(domain.DefaultAllowedEndMinute)
	}
	if st.AllowedStartMinute, err = domain.ParseClock(in.AllowedStart); err != nil {
		fields["allowed_start"] = domain.ErrorMessage(err)
	}
	if st.AllowedEndMinute, err = domain.ParseClock(in.AllowedEnd); err != nil {
		fields["allowed_end"] = domain.ErrorMessage(err)
	}
	if in.LatestDayOffset == 0 && in.EarliestDayOffset == 0 {
		st.LatestDayOffset = domain.DefaultLatestDayOffset
	}
	for _, iv := range in.Interviews {
		st.Interviews = append(st.Interviews, domain.Interview{ID: iv.ID, Name: iv.Name, DurationMinutes: iv.DurationMinutes, InterviewersNeeded: iv.InterviewersNeeded,
			Pool: iv.Pool, RoomRequired: iv.RoomRequired, Position: iv.Position})
	}
	if len(fields) > 0 {
		return st, domain.Invalid(fields)
	}
	return st, nil
}

func (f *Feature) StageCreateJSON(w http.ResponseWriter, r *http.Request) {
	f.stageSaveJSON(w, r, true)
}

func (f *Feature) StageUpdateJSON(w http.ResponseWriter, r *http.Request) {
	f.stageSaveJSON(w, r, false)
}

func (f *Feature) stageSaveJSON(w http.ResponseWriter, r *http.Request, create bool) {
	me := web.UserFrom(r.Context())
	id, err := web.PathID(r, "id")
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	var in apiStage
	if err := web.DecodeJSON(w, r, &in); err != nil {
		f.s.Error(w, r, err)
		return
	}
	st, err := stageFromAPI(in)
	if err == nil {
		if create {
			st.JobID = id
		} else {
			var cur *domain.Stage
			if cur, err = f.Store.GetStage(r.Context(), me.AccountID, id); err == nil {
				st.ID, st.JobID = cur.ID, cur.JobID
			}
		}
	}
	var saved *domain.Stage
	if err == nil {
		if create {
			saved, err = f.Store.CreateStage(r.Context(), me.AccountID, st)
		} else {
			saved, err = f.Store.UpdateStage(r.Context(), me.AccountID, st)
		}
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if create {
		status = http.StatusCreated
	}
	f.s.JSON(w, status, toAPIStage(*saved))
}

func (f *Feature) StageShowJSON(w http.ResponseWriter, r *http.Request) {
	showJSON(f, w, r, f.loadStage, func(st *domain.Stage) any { return toAPIStage(*st) })
}

func (f *Feature) InterviewerListJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	q := r.URL.Query()
	limit := store.DefaultUserPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxUserPage {
			f.s.Error(w, r, domain.Invalid(map[string]string{"limit": "limit must be 1 to " + strconv.Itoa(store.MaxUserPage) + "."}))
			return
		}
		limit = n
	}
	page, profiles, err := f.interviewersPageOf(r.Context(), me.AccountID, store.UserFilter{Search: q.Get("q"), After: q.Get("after"), Limit: limit, ActiveOnly: true})
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	out := []apiInterviewer{}
	for _, u := range page.Users {
		out = append(out, profileToAPI(u, profiles[u.ID]))
	}
	// next is the cursor for ?after=; absent on the last page.
	body := map[string]any{"interviewers": out}
	if page.Next != "" {
		body["next"] = page.Next
	}
	f.s.JSON(w, http.StatusOK, body)
}

// InterviewerShowJSON: GET /api/v1/interviewers/{id}.
func (f *Feature) InterviewerShowJSON(w http.ResponseWriter, r *http.Request) {
	showJSON(f, w, r, f.loadInterviewer, func(iv *interviewer) any { return profileToAPI(iv.User, *iv.Profile) })
}

func (f *Feature) InterviewerUpdateJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	id, err := editableInterviewerID(r)
	var in struct {
		TimeZone     string            `json:"time_zone"`
		WorkingHours map[string]string `json:"working_hours"`
		MaxPerDay    int               `json:"max_per_day"`
		MaxPerWeek   int               `json:"max_per_week"`
		// Both empty or absent: no preferred hours.
		PreferredStart string `json:"preferred_start"`
		PreferredEnd   string `json:"preferred_end"`
	}
	if err == nil {
		err = web.DecodeJSON(w, r, &in)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	p := domain.InterviewerProfile{AccountID: me.AccountID, UserID: id, TimeZone: in.TimeZone, MaxPerDay: in.MaxPerDay, MaxPerWeek: in.MaxPerWeek}
	fields := map[string]string{}
	if p.PreferredStartMinute, p.PreferredEndMinute, err = parseClockRange(in.PreferredStart, in.PreferredEnd); err != nil {
		fields["preferred_hours"] = domain.ErrorMessage(err)
	}
	for day, v := range in.WorkingHours {
		d := -1
		for i := range 7 {
			if strings.ToLower(time.Weekday(i).String()) == day {
				d = i
			}
		}
		if d < 0 {
			fields["working_hours"] = "Days are sunday … saturday."
			continue
		}
		if p.Hours[d], err = domain.ParseSpans(v); err != nil {
			fields["working_hours."+day] = domain.ErrorMessage(err)
		}
	}
	if len(fields) > 0 {
		f.s.Error(w, r, domain.Invalid(fields))
		return
	}
	if err := f.Store.UpdateProfile(r.Context(), p); err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.InterviewerShowJSON(w, r)
}

func (f *Feature) CandidateListJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	page, err := f.Store.ListCandidates(r.Context(), me.AccountID, hiringstore.CandidateFilter{Search: q.Get("q"), JobID: queryID(r, "job_id"),
		StageID: queryID(r, "stage_id"), Status: domain.CandidateStatus(q.Get("status")), Before: queryID(r, "cursor"), Limit: limit})
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	out := []apiCandidate{}
	for _, c := range page.Candidates {
		out = append(out, toAPICandidate(c))
	}
	resp := map[string]any{"candidates": out}
	if page.Next != 0 {
		resp["next_cursor"] = strconv.FormatInt(page.Next, 10)
	}
	f.s.JSON(w, http.StatusOK, resp)
}

type apiCandidateInput struct {
	Name     *string `json:"name"`
	Email    *string `json:"email"`
	Phone    *string `json:"phone"`
	TimeZone *string `json:"time_zone"`
	JobID    *int64  `json:"job_id"`
	StageID  *int64  `json:"stage_id"`
	Status   *string `json:"status"`
	// Availability replaces the candidate's availability windows.
	Availability *[]apiWindow `json:"availability"`
	// Preferred time of day; either end alone changes that end, both
	// empty remove the preference.
	PreferredStart *string `json:"preferred_start"`
	PreferredEnd   *string `json:"preferred_end"`
}

// apply sets the given fields on c; the error is a field error when the
// preferred time of day cannot be read.
func (in apiCandidateInput) apply(c *domain.Candidate) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Name, in.Name)
	set(&c.Email, in.Email)
	set(&c.Phone, in.Phone)
	set(&c.TimeZone, in.TimeZone)
	if in.JobID != nil {
		c.JobID = *in.JobID
		if in.StageID == nil {
			c.StageID = 0
		}
	}
	if in.StageID != nil {
		c.StageID = *in.StageID
	}
	if in.Status != nil {
		c.Status = domain.CandidateStatus(*in.Status)
	}
	if in.Availability != nil {
		c.Availability = nil
		for _, w := range *in.Availability {
			c.Availability = append(c.Availability, domain.Window{Start: w.Start.UTC(), End: w.End.UTC()})
		}
	}
	if in.PreferredStart == nil && in.PreferredEnd == nil {
		return nil
	}
	start, end := formatClockRange(c.PreferredStartMinute, c.PreferredEndMinute)
	set(&start, in.PreferredStart)
	set(&end, in.PreferredEnd)
	var err error
	if c.PreferredStartMinute, c.PreferredEndMinute, err = parseClockRange(start, end); err != nil {
		return domain.Invalid(map[string]string{"preferred_hours": domain.ErrorMessage(err)})
	}
	return nil
}

func (f *Feature) CandidateCreateJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	var in apiCandidateInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		f.s.Error(w, r, err)
		return
	}
	var c domain.Candidate
	var created *domain.Candidate
	err := in.apply(&c)
	if err == nil {
		created, err = f.Store.CreateCandidate(r.Context(), me.AccountID, c)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusCreated, toAPICandidate(*created))
}

func (f *Feature) CandidateShowJSON(w http.ResponseWriter, r *http.Request) {
	showJSON(f, w, r, f.loadCandidate, func(c *domain.Candidate) any { return toAPICandidate(*c) })
}

func (f *Feature) CandidateUpdateJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	c, err := f.loadCandidate(r)
	var in apiCandidateInput
	if err == nil {
		err = web.DecodeJSON(w, r, &in)
	}
	if err == nil {
		err = in.apply(c)
	}
	if err == nil {
		c, err = f.Store.UpdateCandidate(r.Context(), me.AccountID, *c)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusOK, toAPICandidate(*c))
}

func (f *Feature) CandidateScheduleListJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	c, err := f.loadCandidate(r)
	var list []domain.Schedule
	if err == nil {
		list, err = f.Store.ListCandidateSchedules(r.Context(), me.AccountID, c.ID)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	out := []apiSchedule{}
	for i := range list {
		out = append(out, f.toAPISchedule(&list[i]))
	}
	f.s.JSON(w, http.StatusOK, map[string]any{"schedules": out})
}

// scheduleInput converts the API body; times come as RFC 3339 instants or
// as a wall-clock date and time in a named zone (checked for days that do
// not exist and daylight-saving gaps).
func (f *Feature) scheduleInput(r *http.Request, in apiScheduleInput, scheduleID int64) (scheduling.Proposal, error) {
	me := web.UserFrom(r.Context())
	out := scheduling.Proposal{ScheduleID: scheduleID, CandidateID: in.CandidateID, FormToken: in.FormToken, Video: in.Video,
		AcceptWarnings: in.AcceptWarnings, UserID: me.ID}
	// The durations only: the confirm's transaction reads and checks the
	// rest again anyway.
	st, err := f.Store.GetProposalStage(r.Context(), me.AccountID, out.CandidateID, scheduleID)
	if err != nil {
		return out, err
	}
	out.CandidateID = st.CandidateID
	fields := map[string]string{}
	if len(in.Items) > domain.MaxScheduleItems {
		return out, domain.Invalid(map[string]string{"items": "Too many interviews."})
	}
	for i, it := range in.Items {
		key := "items[" + strconv.Itoa(i) + "]"
		var start time.Time
		var err error
		switch {
		case it.Start != "":
			start, err = time.Parse(time.RFC3339, it.Start)
			if err != nil {
				err = domain.Errorf(domain.EINVALID, "start must be an RFC 3339 time that exists, e.g. 2026-03-09T15:00:00Z.")
			}
		default:
			var loc *time.Location
			if loc, err = domain.CheckTimeZone(it.TimeZone); err == nil {
				start, err = domain.ParseLocal(it.Date, it.Time, loc)
			}
		}
		if err != nil {
			fields[key+".start"] = domain.ErrorMessage(err)
			continue
		}
		dur := time.Hour
		if minutes, ok := st.Minutes[it.InterviewID]; ok {
			dur = time.Duration(minutes) * time.Minute
		}
		if it.End != "" {
			if end, err := time.Parse(time.RFC3339, it.End); err != nil || !end.Equal(start.Add(dur)) {
				fields[key+".end"] = fmt.Sprintf("end must be the start plus the interview's %d minutes (%s), or left out.", int(dur.Minutes()), start.Add(dur).UTC().Format(time.RFC3339))
				continue
			}
		}
		people := it.Interviewers
		switch {
		case len(people) == 0:
			people = it.InterviewerIDs
		case len(it.InterviewerIDs) > 0 && !slices.Equal(people, it.InterviewerIDs):
			fields[key+".interviewers"] = "interviewers and interviewer_ids name different people; give one of them."
			continue
		}
		out.Items = append(out.Items, scheduling.Item{ItemID: it.ItemID, InterviewID: it.InterviewID, Start: start.UTC(), End: start.Add(dur).UTC(),
			Interviewers: people, RoomID: it.RoomID, HostID: strings.TrimSpace(it.HostID)})
	}
	if len(fields) > 0 {
		return out, domain.Invalid(fields)
	}
	return out, nil
}

func (f *Feature) ScheduleCheckJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	var body apiScheduleInput
	if err := web.DecodeJSON(w, r, &body); err != nil {
		f.s.Error(w, r, err)
		return
	}
	in, err := f.scheduleInput(r, body, 0)
	var conflicts []domain.Conflict
	if err == nil {
		conflicts, err = f.Scheduling.Check(r.Context(), me.AccountID, in)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	if conflicts == nil {
		conflicts = []domain.Conflict{}
	}
	f.s.JSON(w, http.StatusOK, map[string]any{"conflicts": conflicts})
}

func (f *Feature) ScheduleCreateJSON(w http.ResponseWriter, r *http.Request) {
	f.scheduleSaveJSON(w, r, 0)
}

func (f *Feature) ScheduleUpdateJSON(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.scheduleSaveJSON(w, r, id)
}

func (f *Feature) scheduleSaveJSON(w http.ResponseWriter, r *http.Request, id int64) {
	me := web.UserFrom(r.Context())
	var body apiScheduleInput
	if err := web.DecodeJSON(w, r, &body); err != nil {
		f.s.Error(w, r, err)
		return
	}
	in, err := f.scheduleInput(r, body, id)
	var sc *domain.Schedule
	if err == nil {
		sc, _, err = f.Scheduling.Save(r.Context(), me.AccountID, in)
	}
	var ce *scheduling.ConflictError
	if errors.As(err, &ce) {
		de := ce.AsDomain()
		f.s.JSON(w, http.StatusConflict, apiConflicts{Problem: web.Problem{Type: "https://interviewplanner.app/problems/conflict", Title: "Conflict",
			Status: http.StatusConflict, Detail: de.Message, Instance: r.URL.Path, Code: domain.ECONFLICT, RequestID: web.RequestID(r.Context())}, Conflicts: ce.Conflicts})
		return
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	f.s.JSON(w, status, f.toAPISchedule(sc))
}

func (f *Feature) ScheduleShowJSON(w http.ResponseWriter, r *http.Request) {
	showJSON(f, w, r, f.loadSchedule, func(sc *domain.Schedule) any { return f.toAPISchedule(sc) })
}

func (f *Feature) ScheduleCancelJSON(w http.ResponseWriter, r *http.Request) {
	f.changeThenJSON(w, r, f.cancelSchedule)
}

func (f *Feature) ScheduleItemRemoveJSON(w http.ResponseWriter, r *http.Request) {
	f.changeThenJSON(w, r, f.removeItem)
}

func (f *Feature) RoomListJSON(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	rooms, err := f.Store.ListRooms(r.Context(), me.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	type apiRoom struct {
		ID          int64  `json:"id"`
		Name        string `json:"name"`
		VideoRoomID string `json:"video_room_id,omitempty"`
	}
	out := []apiRoom{}
	for _, rm := range rooms {
		out = append(out, apiRoom{rm.ID, rm.Name, rm.VideoRoomID})
	}
	f.s.JSON(w, http.StatusOK, map[string]any{"rooms": out})
}
