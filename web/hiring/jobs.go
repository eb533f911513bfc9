package hiring

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/web"
)

// JobList: GET /jobs.
func (f *Feature) JobList(w http.ResponseWriter, r *http.Request) {
	f.renderJobs(w, r, http.StatusOK, web.Page{})
}

func (f *Feature) renderJobs(w http.ResponseWriter, r *http.Request, status int, p web.Page) {
	u := web.UserFrom(r.Context())
	jobs, err := f.Store.ListJobs(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	p.Title, p.Data = "Jobs", map[string]any{"Jobs": jobs}
	f.s.Render(w, r, status, "hiring_jobs", p)
}

// JobCreate: POST /jobs.
func (f *Feature) JobCreate(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(w, r); err != nil {
		f.s.Error(w, r, err)
		return
	}
	u := web.UserFrom(r.Context())
	j, err := f.Store.CreateJob(r.Context(), u.AccountID, domain.Job{Title: r.PostForm.Get("title")})
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderJobs(w, r, http.StatusUnprocessableEntity, p) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/jobs/%d", j.ID), "Job created. Add its stages below.")
}

// JobShow: GET /jobs/{id}.
func (f *Feature) JobShow(w http.ResponseWriter, r *http.Request) {
	f.renderJob(w, r, http.StatusOK, web.Page{})
}

func (f *Feature) renderJob(w http.ResponseWriter, r *http.Request, status int, p web.Page) {
	u := web.UserFrom(r.Context())
	j, err := f.loadJob(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	p.Title = j.Title
	p.Data = map[string]any{"Job": j, "Video": f.videoStatus(r.Context(), u.AccountID)}
	f.s.Render(w, r, status, "hiring_job", p)
}

// JobUpdate: POST /jobs/{id}.
func (f *Feature) JobUpdate(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	id, err := web.PathIDAndForm(w, r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	err = f.Store.UpdateJob(r.Context(), u.AccountID, domain.Job{ID: id, Title: r.PostForm.Get("title"), Status: domain.JobStatus(r.PostForm.Get("status"))})
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderJob(w, r, http.StatusUnprocessableEntity, p) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/jobs/%d", id), "Job saved.")
}

// StageCreate: POST /jobs/{id}/stages — a new stage with default settings.
func (f *Feature) StageCreate(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	id, err := web.PathIDAndForm(w, r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	st, err := f.Store.CreateStage(r.Context(), u.AccountID, domain.NewStage(id, r.PostForm.Get("name"), domain.VideoMode(r.PostForm.Get("video"))))
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderJob(w, r, http.StatusUnprocessableEntity, p) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/stages/%d", st.ID), "Stage added. Set up its interviews and scheduling settings.")
}

// StageShow: GET /stages/{id}.
func (f *Feature) StageShow(w http.ResponseWriter, r *http.Request) {
	f.renderStage(w, r, http.StatusOK, web.Page{}, nil)
}

func (f *Feature) renderStage(w http.ResponseWriter, r *http.Request, status int, p web.Page, edited *domain.Stage) {
	u := web.UserFrom(r.Context())
	st, err := f.loadStage(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	if edited != nil {
		edited.ID, edited.JobID = st.ID, st.JobID
		st = edited
	}
	job, err := f.Store.GetJob(r.Context(), u.AccountID, st.JobID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	// Two blank rows to add interviews without JavaScript.
	ivs := append([]domain.Interview{}, st.Interviews...)
	ivs = append(ivs, domain.Interview{DurationMinutes: 45, InterviewersNeeded: 1}, domain.Interview{DurationMinutes: 45, InterviewersNeeded: 1})
	q := r.URL.Query()
	people := store.UserFilter{Search: q.Get("people"), After: q.Get("after"), ActiveOnly: true, Limit: stagePeoplePage}
	rows, offered, err := f.poolChoices(r.Context(), u.AccountID, ivs, people)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	lunchStart, lunchEnd := st.LunchWindow()
	p.Title = st.Name + " · " + job.Title
	p.Data = map[string]any{"Stage": st, "Job": job, "Rows": rows, "People": people.Search, "More": offered.Next, "PageSize": stagePeoplePage, "Video": f.videoStatus(r.Context(), u.AccountID),
		"LunchStart": domain.FormatClock(lunchStart), "LunchEnd": domain.FormatClock(lunchEnd)}
	f.s.Render(w, r, status, "hiring_stage", p)
}

// stagePeoplePage is how many people the stage page offers to add to its
// pools at a time.
const stagePeoplePage = 50

// stageRow is an interview of the stage form with the people its pool
// checklist shows.
type stageRow struct {
	domain.Interview
	People []poolChoice
}

type poolChoice struct {
	ID      int64
	Name    string
	Checked bool
}

// poolChoices lists, for each interview, its pool's active members
// (checked) and then a page of the company's other active people to add,
// by name and matching a search: not the whole company, which at a
// company of thousands made the page megabytes long.
func (f *Feature) poolChoices(ctx context.Context, accountID int64, ivs []domain.Interview, people store.UserFilter) ([]stageRow, *store.UserPage, error) {
	var ids []int64
	for _, iv := range ivs {
		ids = append(ids, iv.Pool...)
	}
	members, err := f.Store.DB.ListUsersByID(ctx, accountID, ids)
	if err != nil {
		return nil, nil, err
	}
	offered, err := f.Store.DB.ListUsersPage(ctx, accountID, people)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]stageRow, len(ivs))
	for i, iv := range ivs {
		rows[i].Interview = iv
		for _, id := range iv.Pool {
			if m := members[id]; m != nil && m.Active {
				rows[i].People = append(rows[i].People, poolChoice{ID: m.ID, Name: m.Name, Checked: true})
			}
		}
		slices.SortFunc(rows[i].People, func(a, b poolChoice) int { return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
		for _, o := range offered.Users {
			if !slices.Contains(iv.Pool, o.ID) {
				rows[i].People = append(rows[i].People, poolChoice{ID: o.ID, Name: o.Name})
			}
		}
	}
	return rows, offered, nil
}

// StageUpdate: POST /stages/{id} — settings and interviews at once.
func (f *Feature) StageUpdate(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	cur, err := postedByPathID(w, r, f.Store.GetStage)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	id := cur.ID
	st, fields := stageFromForm(r)
	st.ID, st.JobID = id, cur.JobID
	if len(fields) > 0 {
		f.renderStage(w, r, http.StatusUnprocessableEntity, web.Page{Error: domain.Invalid(fields).Message, Fields: fields}, &st)
		return
	}
	if _, err := f.Store.UpdateStage(r.Context(), u.AccountID, st); err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderStage(w, r, http.StatusUnprocessableEntity, p, &st) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/stages/%d", id), "Stage saved.")
}

func stageFromForm(r *http.Request) (domain.Stage, map[string]string) {
	fields := map[string]string{}
	st := domain.Stage{
		Name:              r.PostForm.Get("name"),
		Position:          formInt(r, "position", 1, fields),
		Video:             domain.VideoMode(r.PostForm.Get("video")),
		MeetingMode:       domain.MeetingMode(r.PostForm.Get("meeting_mode")),
		BufferMinutes:     formInt(r, "buffer_minutes", 0, fields),
		EarliestDayOffset: formInt(r, "earliest_day_offset", 0, fields),
		LatestDayOffset:   formInt(r, "latest_day_offset", domain.DefaultLatestDayOffset, fields),
		MaxGapMinutes:     formInt(r, "max_gap_minutes", 0, fields),
		LunchMinutes:      formInt(r, "lunch_minutes", 0, fields),
	}
	var err error
	if st.LunchStartMinute, st.LunchEndMinute, err = parseClockRange(r.PostForm.Get("lunch_start"), r.PostForm.Get("lunch_end")); err != nil {
		fields["lunch_window"] = domain.ErrorMessage(err)
	}
	if st.AllowedStartMinute, err = domain.ParseClock(strings.TrimSpace(r.PostForm.Get("allowed_start"))); err != nil {
		fields["allowed_start"] = domain.ErrorMessage(err)
	}
	if st.AllowedEndMinute, err = domain.ParseClock(strings.TrimSpace(r.PostForm.Get("allowed_end"))); err != nil {
		fields["allowed_end"] = domain.ErrorMessage(err)
	}
	n := formInt(r, "rows", 0, fields)
	if n > domain.MaxInterviews+2 {
		n = domain.MaxInterviews + 2
	}
	for i := range n {
		key := "iv" + strconv.Itoa(i) + "_"
		name := strings.TrimSpace(r.PostForm.Get(key + "name"))
		ivID, _ := strconv.ParseInt(r.PostForm.Get(key+"id"), 10, 64)
		if name == "" && ivID == 0 {
			continue // a blank row
		}
		if r.PostForm.Get(key+"remove") == "on" {
			continue
		}
		st.Interviews = append(st.Interviews, domain.Interview{
			ID: ivID, Name: name,
			DurationMinutes:    formInt(r, key+"duration", 0, fields),
			InterviewersNeeded: formInt(r, key+"needed", 1, fields),
			RoomRequired:       r.PostForm.Get(key+"room") == "on",
			Position:           formInt(r, key+"position", 0, fields),
			Pool:               formIDs(r, key+"pool", fields),
		})
	}
	return st, fields
}
