// Package hiring serves the hiring pages and their JSON API: jobs with
// stages and interviews, interviewers' profiles, candidates, schedules
// with their video meetings, candidate itineraries and "My interviews".
package hiring

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduling"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/responsestore"
	"interviewplanner/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Feature is the hiring part of the web server.
type Feature struct {
	Store *hiringstore.Store
	// Scheduling checks, saves and cancels schedules.
	Scheduling *scheduling.Service
	// Video returns the account-wide video provider (Zoom); nil when the
	// application has none configured.
	Video func() domain.VideoProvider
	// TokenUser authenticates personal API tokens for the whole API.
	TokenUser func(ctx context.Context, token string) (*domain.User, error)

	s *web.Server
}

// Setup adds the templates, navigation and banner; web/routes mounts
// the handlers.
func (f *Feature) Setup(s *web.Server) {
	f.s = s
	if s.TokenUser == nil {
		s.TokenUser = f.TokenUser
	}
	if s.RevokeAPITokens == nil {
		s.RevokeAPITokens = f.Store.DeleteAPITokens
	}
	s.AddTemplates(templateFiles)
	s.AddFuncs(template.FuncMap{
		"clock":       domain.FormatClock,
		"weekdayName": func(d int) string { return time.Weekday(d).String() },
		"hasID":       slices.Contains[[]int64],
		"minutes":     func(a, b time.Time) int { return int(b.Sub(a).Minutes()) },
		"optClock": func(start, end int) []string {
			a, b := formatClockRange(start, end)
			return []string{a, b}
		},
	})
	s.AddNav(web.NavItem{Label: "Candidates", Path: "/candidates", Order: 10, Show: (*domain.User).CanSchedule})
	s.AddNav(web.NavItem{Label: "Jobs", Path: "/jobs", Order: 20, Show: (*domain.User).CanSchedule})
	s.AddNav(web.NavItem{Label: "Interviewers", Path: "/interviewers", Order: 30, Show: (*domain.User).CanSchedule})
	s.AddNav(web.NavItem{Label: "My interviews", Path: "/my/interviews", Order: 40})
	s.AddBanner(f.waitingBanner)
	s.AddHomeNotice(f.declinesNotice)
}

// declinesNotice tells a coordinator, on their home page, who declined an
// interview of a schedule they made (admins see every schedule's).
func (f *Feature) declinesNotice(r *http.Request, u *domain.User) []web.Banner {
	if !u.CanSchedule() {
		return nil
	}
	coordinator := u.ID
	if u.IsAdmin() {
		coordinator = 0
	}
	ds, err := responsestore.New(f.Store.DB).ListDeclines(r.Context(), u.AccountID, coordinator, time.Now(), 10)
	if err != nil {
		return nil
	}
	out := make([]web.Banner, 0, len(ds))
	for _, d := range ds {
		out = append(out, web.Banner{Kind: "warning", Message: fmt.Sprintf("%s declined %s with %s (%s).", d.Name, d.Interview, d.Candidate, web.DateIn(d.Start, u.TimeZone)),
			Link: fmt.Sprintf("/schedules/%d", d.ScheduleID), LinkText: "Open the schedule"})
	}
	return out
}

// waitingBanner tells schedulers when meetings wait for Zoom.
func (f *Feature) waitingBanner(r *http.Request, u *domain.User) []web.Banner {
	if !u.CanSchedule() {
		return nil
	}
	waiting, err := f.Store.CountMeetingsInState(r.Context(), u.AccountID, domain.MeetingWaitingForZoom)
	if err != nil || waiting == 0 {
		return nil
	}
	msg := strconv.Itoa(waiting) + " interview meeting(s) are waiting for Zoom: Zoom is not connected. They will be created once an admin reconnects Zoom."
	return []web.Banner{{Kind: "warning", Message: msg, Link: "/integrations", LinkText: "Integrations"}}
}

func (f *Feature) video() domain.VideoProvider {
	if f.Video == nil {
		return nil
	}
	return f.Video()
}

// videoStatus says whether Zoom can create meetings for the account.
func (f *Feature) videoStatus(ctx context.Context, accountID int64) domain.VideoStatus {
	v := f.video()
	if v == nil {
		return domain.VideoStatus{State: domain.VideoDisconnected, Reason: "Zoom is not set up on this server."}
	}
	st, err := v.Status(ctx, accountID)
	if err != nil {
		return domain.VideoStatus{State: domain.VideoDisconnected, Reason: domain.ErrorMessage(err)}
	}
	return st
}

// formInt reads an integer form field; bad input records a field error.
func formInt(r *http.Request, name string, def int, fields map[string]string) int {
	v := strings.TrimSpace(r.PostForm.Get(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < -1_000_000 || n > 1_000_000 {
		fields[name] = "Enter a whole number."
		return def
	}
	return n
}

func formIDs(r *http.Request, name string, fields map[string]string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fields[name] = "Unknown selection."
			continue
		}
		out = append(out, id)
	}
	return out
}

// parseClockRange reads an optional range of two "HH:MM" times; both
// empty is no range (0, 0).
func parseClockRange(start, end string) (int, int, error) {
	start, end = strings.TrimSpace(start), strings.TrimSpace(end)
	if start == "" && end == "" {
		return 0, 0, nil
	}
	if start == "" || end == "" {
		return 0, 0, domain.Errorf(domain.EINVALID, "Give both a start and an end (HH:MM), or leave both empty.")
	}
	a, err := domain.ParseClock(start)
	if err != nil {
		return 0, 0, err
	}
	b, err := domain.ParseClock(end)
	if err != nil {
		return 0, 0, err
	}
	return a, b, nil
}

// formatClockRange writes a range the way parseClockRange reads it.
func formatClockRange(start, end int) (string, string) {
	if start == 0 && end == 0 {
		return "", ""
	}
	return domain.FormatClock(start), domain.FormatClock(end)
}

func queryID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if id < 0 {
		return 0
	}
	return id
}

// fail re-renders the form with err's field messages when it is a
// validation error; other errors go to the error page.
func (f *Feature) fail(w http.ResponseWriter, r *http.Request, err error, rerender func(p web.Page)) {
	if de, ok := domain.AsError(err); ok && de.Code == domain.EINVALID && rerender != nil {
		rerender(web.Page{Error: de.Message, Fields: de.Fields})
		return
	}
	f.s.Error(w, r, err)
}
