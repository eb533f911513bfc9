package hiring

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/web"
)

// availabilityLayout is one window per line, in the candidate's zone:
// "2030-03-05 09:00-17:00" (an end of 24:00 is midnight after).
const availabilityLayout = "2006-01-02 15:04"

// formatAvailability writes windows as the form's lines.
func formatAvailability(ws []domain.Window, zone string) string {
	loc, err := domain.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	var b strings.Builder
	for _, w := range ws {
		s, e := w.Start.In(loc), w.End.In(loc)
		end := e.Format("15:04")
		if e.Hour() == 0 && e.Minute() == 0 && e.YearDay() != s.YearDay() {
			end = "24:00"
		}
		if e.Sub(s) > 24*time.Hour || (end != "24:00" && e.YearDay() != s.YearDay()) {
			end = e.Format(availabilityLayout) // a window across days names its end date
		}
		fmt.Fprintf(&b, "%s-%s\n", s.Format(availabilityLayout), end)
	}
	return b.String()
}

// parseAvailability reads the form's lines; the error names the line.
func parseAvailability(text, zone string) ([]domain.Window, error) {
	loc, err := domain.CheckTimeZone(zone)
	if err != nil {
		return nil, err
	}
	var out []domain.Window
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		bad := domain.Invalid(map[string]string{"availability": fmt.Sprintf(
			"Line %d (%q) is not a window like 2030-03-05 09:00-17:00.", i+1, line)})
		startText, endText, ok := strings.Cut(line[min(len(line), 11):], "-")
		if !ok || len(line) < 11 {
			return nil, bad
		}
		start, err := time.ParseInLocation(availabilityLayout, line[:11]+strings.TrimSpace(startText), loc)
		if err != nil {
			return nil, bad
		}
		endText = strings.TrimSpace(endText)
		var end time.Time
		switch {
		case endText == "24:00":
			y, m, d := start.Date()
			end = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		case len(endText) == len("15:04"):
			end, err = time.ParseInLocation(availabilityLayout, line[:11]+endText, loc)
		default:
			end, err = time.ParseInLocation(availabilityLayout, endText, loc)
		}
		if err != nil {
			return nil, bad
		}
		if !end.After(start) {
			return nil, domain.Invalid(map[string]string{"availability": fmt.Sprintf("Line %d (%q) ends before it starts.", i+1, line)})
		}
		out = append(out, domain.Window{Start: start.UTC(), End: end.UTC()})
	}
	return out, nil
}

// CandidateAvailabilityUpdate: POST /candidates/{id}/availability — replace the
// candidate's availability windows, entered in their time zone.
func (f *Feature) CandidateAvailabilityUpdate(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	c, err := postedByPathID(w, r, f.Store.GetCandidate)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	text := r.PostForm.Get("availability")
	windows, err := parseAvailability(text, c.TimeZone)
	if err == nil {
		c.Availability = windows
		_, err = f.Store.UpdateCandidate(r.Context(), u.AccountID, *c)
	}
	if err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderCandidate(w, r, http.StatusUnprocessableEntity, p, c, text) })
		return
	}
	f.s.RedirectWithFlash(w, r, fmt.Sprintf("/candidates/%d", c.ID), fmt.Sprintf("Availability saved: %d window(s).", len(windows)))
}
