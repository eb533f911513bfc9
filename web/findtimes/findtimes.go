// Package findtimes serves "Find times": ranked complete schedules for a
// candidate at their stage, from the scheduler engine, as a page (with a
// day timeline per option, the interviewers who could swap into each
// seat, and "Use this option" into the existing scheduling form) and in
// the JSON API. With ?schedule={id} it finds new times for that schedule:
// its own interviews do not count as busy, and the option goes to the
// schedule's edit form.
package findtimes

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/scheduling"
	"interviewplanner/store/hiringstore"
	"interviewplanner/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Feature is the Find times part of the web server.
type Feature struct {
	Store *hiringstore.Store
	// Scheduling knows who is busy and which video hosts there are.
	Scheduling *scheduling.Service

	s *web.Server
}

// Setup adds the templates; web/routes mounts the handlers.
func (f *Feature) Setup(s *web.Server) {
	f.s = s
	s.AddTemplates(templateFiles)
	s.AddFuncs(template.FuncMap{"canFindTimes": f.canFindTimes})
}

func (f *Feature) builder(replacing int64) *scheduling.Builder {
	now := time.Now
	if f.Store.DB.Now != nil {
		now = f.Store.DB.Now
	}
	return &scheduling.Builder{Store: f.Store, Availability: f.Scheduling.Availability, Now: now, Hosts: f.Scheduling.VideoHosts, Replacing: replacing}
}

// canFindTimes tells the candidate page whether to offer Find times: the
// candidate's stage has interviews to place. Pages call it with their
// request, so it reads in the viewer's account.
func (f *Feature) canFindTimes(r *http.Request, c *domain.Candidate) bool {
	if r == nil || c == nil || c.StageID == 0 {
		return false
	}
	me := web.UserFrom(r.Context())
	if me == nil {
		return false
	}
	st, err := f.Store.GetStage(r.Context(), me.AccountID, c.StageID)
	return err == nil && len(st.Interviews) > 0
}

// search is one run of Find times: the problem, the engine's answer and,
// per option and item, the interviewers who could swap in.
type search struct {
	in         *scheduling.FindInput
	res        scheduler.Result
	alternates [][][]int64
	replacing  int64 // the schedule being rescheduled, 0 for a new one
}

// find reads the candidate in the path (and the schedule in ?schedule=
// when rescheduling) and the Zoom switch, and runs Find times.
func (f *Feature) find(r *http.Request) (*search, error) {
	me := web.UserFrom(r.Context())
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	sr := &search{}
	if v := r.URL.Query().Get("schedule"); v != "" {
		if sr.replacing, err = strconv.ParseInt(v, 10, 64); err != nil || sr.replacing <= 0 {
			return nil, domain.Errorf(domain.ENOTFOUND, "Schedule not found.")
		}
	}
	b := f.builder(sr.replacing)
	if b.Video, err = videoChoice(r); err != nil {
		return nil, err
	}
	run, err := b.Run(r.Context(), me.AccountID, id)
	var ee *scheduling.EngineError
	if errors.As(err, &ee) {
		// A malformed problem is our bug or odd stored data; say so plainly.
		f.s.Log.Error("find times", "candidate", id, "err", err)
		return nil, domain.Errorf(domain.EINVALID, "This stage cannot be scheduled automatically: %v.", ee.Err)
	}
	if err != nil {
		return nil, err
	}
	sr.in, sr.res, sr.alternates = run.In, run.Result, run.Alternates
	return sr, nil
}

// videoChoice reads the case-by-case Zoom switch, ?video=on|off; nil when
// absent. The page's checkbox follows a hidden "off", so the last value
// is the choice.
func videoChoice(r *http.Request) (*bool, error) {
	vs := r.URL.Query()["video"]
	if len(vs) == 0 {
		return nil, nil
	}
	switch v := vs[len(vs)-1]; v {
	case "on", "true":
		on := true
		return &on, nil
	case "off", "false":
		off := false
		return &off, nil
	}
	return nil, domain.Invalid(map[string]string{"video": "Use video=on or video=off."})
}

// FindTimesShow: GET /candidates/{id}/find-times[?schedule={id}][&video=on|off].
func (f *Feature) FindTimesShow(w http.ResponseWriter, r *http.Request) {
	sr, err := f.find(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	me := web.UserFrom(r.Context())
	v := newView(sr, me.TimeZone)
	title := "Find times for "
	if sr.replacing != 0 {
		title = "Find new times for "
	}
	f.s.Render(w, r, http.StatusOK, "findtimes_options", web.Page{Title: title + sr.in.Candidate.Name, Data: v})
}

// API shapes. Times are RFC 3339 in UTC.
type (
	apiItem struct {
		InterviewID  int64     `json:"interview_id"`
		Name         string    `json:"name"`
		Start        time.Time `json:"start"`
		End          time.Time `json:"end"`
		Interviewers []int64   `json:"interviewer_ids"`
		RoomID       *int64    `json:"room_id"`
		Alternates   []person  `json:"alternates"`
	}
	apiBreakdown struct {
		Day             int64 `json:"day"`
		Idle            int64 `json:"idle"`
		Gaps            int64 `json:"gaps"`
		Load            int64 `json:"load"`
		InterviewerPref int64 `json:"interviewer_preference"`
		CandidatePref   int64 `json:"candidate_preference"`
	}
	apiOption struct {
		Rank      int          `json:"rank"`
		Score     int64        `json:"score"`
		Breakdown apiBreakdown `json:"breakdown"`
		Items     []apiItem    `json:"items"`
	}
	apiBlocker struct {
		InterviewID int64  `json:"interview_id"`
		Reason      string `json:"reason"`
		Message     string `json:"message"`
	}
	apiRelaxation struct {
		Kind          string `json:"kind"`
		InterviewID   int64  `json:"interview_id,omitempty"`
		InterviewerID int64  `json:"interviewer_id,omitempty"`
		Message       string `json:"message"`
		BestScore     int64  `json:"best_score"`
	}
	apiExplanation struct {
		Blockers    []apiBlocker    `json:"blockers"`
		Relaxations []apiRelaxation `json:"relaxations"`
		// DaysSearched are the candidate-local dates (YYYY-MM-DD) with the
		// candidate's availability inside the stage's days and hours.
		DaysSearched []string `json:"days_searched"`
	}
	apiResult struct {
		CandidateID int64           `json:"candidate_id"`
		StageID     int64           `json:"stage_id"`
		WindowStart time.Time       `json:"window_start"`
		WindowEnd   time.Time       `json:"window_end"`
		Exhaustive  bool            `json:"exhaustive"`
		Video       bool            `json:"video"`
		Options     []apiOption     `json:"options"`
		Explanation *apiExplanation `json:"explanation"`
		// Unread says whose busy time could not be read: not proposed.
		Unread []string `json:"unread"`
	}
)

// FindTimesJSON: GET /api/v1/candidates/{id}/find-times[?schedule={id}][&video=on|off].
// An option's items, with the result's video, can be posted to
// POST /api/v1/schedules as they are.
func (f *Feature) FindTimesJSON(w http.ResponseWriter, r *http.Request) {
	sr, err := f.find(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	in, res := sr.in, sr.res
	out := apiResult{CandidateID: in.Candidate.ID, StageID: in.Stage.ID, WindowStart: in.Problem.Window.Start.UTC(),
		WindowEnd: in.Problem.Window.End.UTC(), Exhaustive: res.Exhaustive, Video: in.Video, Options: []apiOption{}, Unread: []string{}}
	for _, u := range in.Unknown {
		out.Unread = append(out.Unread, unreadText(in, u))
	}
	for i, o := range res.Options {
		ao := apiOption{Rank: i + 1, Score: o.Score, Breakdown: apiBreakdown{Day: o.Breakdown.Day, Idle: o.Breakdown.Idle, Gaps: o.Breakdown.Gaps, Load: o.Breakdown.Load,
			InterviewerPref: o.Breakdown.InterviewerPref, CandidatePref: o.Breakdown.CandidatePref}, Items: []apiItem{}}
		for k, it := range realItems(in, o) {
			ai := apiItem{InterviewID: it.InterviewID, Name: it.Name, Start: it.Start.UTC(), End: it.End.UTC(), Interviewers: it.Interviewers,
				Alternates: []person{}}
			for _, id := range sr.alternates[i][k] {
				ai.Alternates = append(ai.Alternates, person{ID: id, Name: in.UserName(id)})
			}
			if it.RoomID != 0 {
				room := it.RoomID
				ai.RoomID = &room
			}
			ao.Items = append(ao.Items, ai)
		}
		out.Options = append(out.Options, ao)
	}
	if e := res.Explanation; e != nil && len(res.Options) == 0 {
		ex := &apiExplanation{Blockers: []apiBlocker{}, Relaxations: []apiRelaxation{}, DaysSearched: []string{}}
		for _, d := range searchedDates(in) {
			ex.DaysSearched = append(ex.DaysSearched, fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day))
		}
		for _, b := range e.Blockers {
			ex.Blockers = append(ex.Blockers, apiBlocker{InterviewID: b.InterviewID, Reason: string(b.Reason), Message: b.Message})
		}
		for _, rl := range e.Relaxations {
			ex.Relaxations = append(ex.Relaxations, apiRelaxation{Kind: string(rl.Kind), InterviewID: rl.InterviewID,
				InterviewerID: rl.InterviewerID, Message: relaxationText(in, rl), BestScore: rl.BestScore})
		}
		out.Explanation = ex
	}
	f.s.JSON(w, http.StatusOK, out)
}

// Item is one placed interview with the stage's real duration (the
// engine plans on durations rounded up to the grid).
type Item struct {
	InterviewID  int64
	Name         string
	Start, End   time.Time
	Interviewers []int64
	RoomID       int64
}

func realItems(in *scheduling.FindInput, o scheduler.Option) []Item {
	out := make([]Item, 0, len(o.Items))
	for _, it := range o.Items {
		x := Item{InterviewID: it.InterviewID, Start: it.Start, End: it.End, Interviewers: it.Interviewers, RoomID: it.RoomID}
		if iv := in.Stage.Interview(it.InterviewID); iv != nil {
			x.Name = iv.Name
			x.End = it.Start.Add(time.Duration(iv.DurationMinutes) * time.Minute)
		}
		out = append(out, x)
	}
	return out
}

// relaxationText names the interviewer and interview where the engine
// only knows ids.
func relaxationText(in *scheduling.FindInput, rl scheduler.Relaxation) string {
	if rl.Kind != scheduler.RelaxAddInterviewer {
		return rl.Message
	}
	name := "interview " + strconv.FormatInt(rl.InterviewID, 10)
	if iv := in.Stage.Interview(rl.InterviewID); iv != nil {
		name = strconv.Quote(iv.Name)
	}
	return "add " + in.UserName(rl.InterviewerID) + " to the pool of " + name
}
