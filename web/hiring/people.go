package hiring

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/web"
)

// InterviewerList: GET /interviewers.
func (f *Feature) InterviewerList(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	q := r.URL.Query()
	page, profiles, err := f.interviewersPageOf(r.Context(), u.AccountID, store.UserFilter{Search: q.Get("q"), After: q.Get("after"), ActiveOnly: true})
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	next := ""
	if page.Next != "" {
		next = "/interviewers?" + url.Values{"q": {q.Get("q")}, "after": {page.Next}}.Encode()
	}
	rows := make([]interviewerRow, len(page.Users))
	for i, x := range page.Users {
		p := profiles[x.ID]
		rows[i] = interviewerRow{ID: x.ID, Name: x.Name, Email: x.Email, TimeZone: p.TimeZone, Monday: domain.FormatSpans(p.Hours[time.Monday]),
			MaxPerDay: countOrDash(p.MaxPerDay), MaxPerWeek: countOrDash(p.MaxPerWeek)}
	}
	f.s.Render(w, r, http.StatusOK, "hiring_interviewers", web.Page{Title: "Interviewers", Data: map[string]any{"Rows": rows,
		"Query": q.Get("q"), "Next": next, "FirstPage": q.Get("after") == ""}})
}

// interviewerRow is one line of the interviewers list, its text made in
// Go: a page of many rows then costs the template one field read per cell.
type interviewerRow struct {
	ID                                                   int64
	Name, Email, TimeZone, Monday, MaxPerDay, MaxPerWeek string
}

// countOrDash is a limit as the lists show it: "—" when there is none.
func countOrDash(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

// interviewersPageOf is one page of active users with their profiles.
func (f *Feature) interviewersPageOf(ctx context.Context, accountID int64, flt store.UserFilter) (*store.UserPage, map[int64]domain.InterviewerProfile, error) {
	page, err := f.Store.DB.ListUsersPage(ctx, accountID, flt)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(page.Users))
	for i, x := range page.Users {
		ids[i] = x.ID
	}
	profiles, err := f.Store.ListProfiles(ctx, accountID, ids)
	return page, profiles, err
}

// InterviewerShow: GET /interviewers/{id}.
func (f *Feature) InterviewerShow(w http.ResponseWriter, r *http.Request) {
	f.renderInterviewer(w, r, http.StatusOK, web.Page{}, nil)
}

func (f *Feature) renderInterviewer(w http.ResponseWriter, r *http.Request, status int, p web.Page, edited *domain.InterviewerProfile) {
	me := web.UserFrom(r.Context())
	iv, err := f.loadInterviewer(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	person, prof, id := iv.User, iv.Profile, iv.User.ID
	if edited != nil {
		prof = edited
	}
	items, err := f.Store.ListInterviewerItems(r.Context(), me.AccountID, id, time.Now().Add(-24*time.Hour))
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	var days []map[string]any
	for d := range 7 {
		day := (d + 1) % 7 // Monday first
		days = append(days, map[string]any{"Key": "hours_" + strings.ToLower(time.Weekday(day).String()), "Name": time.Weekday(day).String(), "Spans": domain.FormatSpans(prof.Hours[day])})
	}
	p.Title = person.Name
	p.Data = map[string]any{"Person": person, "Profile": prof, "Days": days, "Items": items, "CanEdit": me.CanEditInterviewer(id), "Viewer": me}
	f.s.Render(w, r, status, "hiring_interviewer", p)
}

// InterviewerUpdate: POST /interviewers/{id}.
func (f *Feature) InterviewerUpdate(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	id, err := editableInterviewerID(r)
	if err == nil {
		err = web.ParseForm(w, r)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	fields := map[string]string{}
	p := domain.InterviewerProfile{AccountID: me.AccountID, UserID: id, TimeZone: strings.TrimSpace(r.PostForm.Get("time_zone")),
		MaxPerDay: formInt(r, "max_per_day", 0, fields), MaxPerWeek: formInt(r, "max_per_week", 0, fields)}
	for d := range 7 {
		key := "hours_" + strings.ToLower(time.Weekday(d).String())
		spans, err := domain.ParseSpans(r.PostForm.Get(key))
		if err != nil {
			fields[key] = domain.ErrorMessage(err)
		}
		p.Hours[d] = spans
	}
	if p.PreferredStartMinute, p.PreferredEndMinute, err = parseClockRange(r.PostForm.Get("preferred_start"), r.PostForm.Get("preferred_end")); err != nil {
		fields["preferred_hours"] = domain.ErrorMessage(err)
	}
	if len(fields) == 0 {
		err = f.Store.UpdateProfile(r.Context(), p)
	} else {
		err = domain.Invalid(fields)
	}
	if err != nil {
		f.fail(w, r, err, func(pg web.Page) { f.renderInterviewer(w, r, http.StatusUnprocessableEntity, pg, &p) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/interviewers/%d", id), "Interviewer profile saved.")
}

// CandidateList: GET /candidates — search, filters, keyset pages.
func (f *Feature) CandidateList(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	q := r.URL.Query()
	filter := hiringstore.CandidateFilter{Search: q.Get("q"), JobID: queryID(r, "job"), StageID: queryID(r, "stage"),
		Status: domain.CandidateStatus(q.Get("status")), Before: queryID(r, "before"), WithoutAvailability: true}
	page, err := f.Store.ListCandidates(r.Context(), u.AccountID, filter)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	jobs, err := f.Store.ListJobNames(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	ids := make([]int64, 0, len(page.Candidates))
	for _, c := range page.Candidates {
		ids = append(ids, c.ID)
	}
	progress, err := f.Store.ListProgress(r.Context(), u.AccountID, ids)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	stageNames, jobNames := map[int64]string{}, map[int64]string{}
	jobOptions, stageGroups := make([]filterOption, len(jobs)), make([]filterGroup, len(jobs))
	for i, j := range jobs {
		jobNames[j.ID] = j.Title
		jobOptions[i] = filterOption{ID: j.ID, Label: j.Title, Selected: j.ID == filter.JobID}
		stageGroups[i] = filterGroup{Label: j.Title, Options: make([]filterOption, len(j.Stages))}
		for k, s := range j.Stages {
			stageNames[s.ID] = s.Name
			stageGroups[i].Options[k] = filterOption{ID: s.ID, Label: s.Name, Selected: s.ID == filter.StageID}
		}
	}
	next := ""
	if page.Next != 0 {
		v := url.Values{}
		for k, vs := range q {
			if k != "before" {
				v[k] = vs
			}
		}
		v.Set("before", strconv.FormatInt(page.Next, 10))
		next = "/candidates?" + v.Encode()
	}
	rows := make([]candidateRow, len(page.Candidates))
	for i, c := range page.Candidates {
		pr := progress[c.ID]
		row := candidateRow{ID: c.ID, Name: c.Name, Email: c.Email, Job: jobNames[c.JobID], Stage: stageNames[c.StageID], Status: string(c.Status),
			TimeZone: c.TimeZone, Progress: pr.State}
		if pr.State == hiringstore.ProgressScheduled {
			row.Next = web.DateIn(pr.Next, u.TimeZone)
		}
		rows[i] = row
	}
	f.s.Render(w, r, http.StatusOK, "hiring_candidates", web.Page{Title: "Candidates", Data: map[string]any{
		"Rows": rows, "Filter": filter, "JobOptions": jobOptions, "StageGroups": stageGroups, "Next": next, "Statuses": domain.CandidateStatuses, "FirstPage": filter.Before == 0}})
}

// filterOption is one choice of a list's filter, chosen or not in Go: a
// company with fifty jobs has hundreds of stages to offer on every page.
type filterOption struct {
	ID       int64
	Label    string
	Selected bool
}

// filterGroup is the choices under one heading (a job's stages).
type filterGroup struct {
	Label   string
	Options []filterOption
}

// candidateRow is one line of the candidates list, its text made in Go.
type candidateRow struct {
	ID                                                        int64
	Name, Email, Job, Stage, Status, TimeZone, Progress, Next string
}

// CandidateNew: GET /candidates/new.
func (f *Feature) CandidateNew(w http.ResponseWriter, r *http.Request) {
	f.renderCandidateForm(w, r, http.StatusOK, web.Page{}, &domain.Candidate{JobID: queryID(r, "job")})
}

func (f *Feature) renderCandidateForm(w http.ResponseWriter, r *http.Request, status int, p web.Page, c *domain.Candidate) {
	u := web.UserFrom(r.Context())
	jobs, err := f.Store.ListJobs(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	p.Title = "New candidate"
	if c.ID != 0 {
		p.Title = c.Name
	}
	p.Data = map[string]any{"Candidate": c, "Jobs": jobs, "Statuses": domain.CandidateStatuses}
	f.s.Render(w, r, status, "hiring_candidate_form", p)
}

// candidateFromForm reads the candidate's fields; the error is a field
// error when the preferred time of day cannot be read.
func candidateFromForm(r *http.Request) (domain.Candidate, error) {
	jobID, _ := strconv.ParseInt(r.PostForm.Get("job_id"), 10, 64)
	stageID, _ := strconv.ParseInt(r.PostForm.Get("stage_id"), 10, 64)
	c := domain.Candidate{Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Phone: r.PostForm.Get("phone"),
		TimeZone: strings.TrimSpace(r.PostForm.Get("time_zone")), JobID: jobID, StageID: stageID, Status: domain.CandidateStatus(r.PostForm.Get("status"))}
	var err error
	if c.PreferredStartMinute, c.PreferredEndMinute, err = parseClockRange(r.PostForm.Get("preferred_start"), r.PostForm.Get("preferred_end")); err != nil {
		return c, domain.Invalid(map[string]string{"preferred_hours": domain.ErrorMessage(err)})
	}
	return c, nil
}

// CandidateCreate: POST /candidates.
func (f *Feature) CandidateCreate(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(w, r); err != nil {
		f.s.Error(w, r, err)
		return
	}
	u := web.UserFrom(r.Context())
	c, err := candidateFromForm(r)
	var created *domain.Candidate
	if err == nil {
		created, err = f.Store.CreateCandidate(r.Context(), u.AccountID, c)
	}
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderCandidateForm(w, r, http.StatusUnprocessableEntity, p, &c) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/candidates/%d", created.ID), "Candidate added.")
}

// CandidateShow: GET /candidates/{id} — details, the edit form and schedules.
func (f *Feature) CandidateShow(w http.ResponseWriter, r *http.Request) {
	c, err := f.loadCandidate(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.renderCandidate(w, r, http.StatusOK, web.Page{}, c)
}

// renderCandidate shows the candidate page; availText, when given, is the
// availability the coordinator typed (kept when it was refused).
func (f *Feature) renderCandidate(w http.ResponseWriter, r *http.Request, status int, p web.Page, c *domain.Candidate, availText ...string) {
	u := web.UserFrom(r.Context())
	jobs, err := f.Store.ListJobs(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	schedules, err := f.Store.ListCandidateSchedules(r.Context(), u.AccountID, c.ID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	p.Title = c.Name
	avail := formatAvailability(c.Availability, c.TimeZone)
	if len(availText) > 0 {
		avail = availText[0]
	}
	p.Data = map[string]any{"Candidate": c, "Jobs": jobs, "Statuses": domain.CandidateStatuses, "Schedules": schedules, "AvailabilityText": avail}
	f.s.Render(w, r, status, "hiring_candidate", p)
}

// CandidateUpdate: POST /candidates/{id} — edit, or move to another stage.
func (f *Feature) CandidateUpdate(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	cur, err := postedByPathID(w, r, f.Store.GetCandidate)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	id := cur.ID
	c, err := candidateFromForm(r)
	c.ID, c.Availability = id, cur.Availability
	if err == nil {
		_, err = f.Store.UpdateCandidate(r.Context(), u.AccountID, c)
	}
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderCandidate(w, r, http.StatusUnprocessableEntity, p, &c) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/candidates/%d", id), "Candidate saved.")
}
