package domain

import "time"

// Defaults of a new stage: business hours in the candidate's zone, on any
// day from today to two weeks out.
const (
	DefaultAllowedStartMinute = 9 * 60
	DefaultAllowedEndMinute   = 17 * 60
	DefaultLatestDayOffset    = 14
)

// NewStage is a stage of a job with the defaults a coordinator would
// pick, so a stage created with only a name never proposes a 03:00
// interview or allows nothing but today.
func NewStage(jobID int64, name string, video VideoMode) Stage {
	return Stage{JobID: jobID, Name: name, Video: video, AllowedStartMinute: DefaultAllowedStartMinute,
		AllowedEndMinute: DefaultAllowedEndMinute, LatestDayOffset: DefaultLatestDayOffset}
}

// AllowedHours is the wall-clock range, in minutes after the candidate's
// midnight, that interviews of the stage must lie in on each date; 0–0
// (never stored, Validate fills in defaults) means the whole day.
func (s *Stage) AllowedHours() (start, end int) {
	if s.AllowedStartMinute == 0 && s.AllowedEndMinute == 0 {
		return 0, 24 * 60
	}
	return s.AllowedStartMinute, s.AllowedEndMinute
}

// AllowedDays is the span of dates the stage allows, as instants: from the
// candidate's midnight EarliestDayOffset days after now's date to the
// midnight ending the date LatestDayOffset days after it. Find times
// searches inside it and confirming warns outside it.
func (s *Stage) AllowedDays(now time.Time, loc *time.Location) (from, to time.Time) {
	lt := now.In(loc)
	y, m, d := lt.Date()
	return time.Date(y, m, d+s.EarliestDayOffset, 0, 0, 0, 0, loc), time.Date(y, m, d+s.LatestDayOffset+1, 0, 0, 0, 0, loc)
}

// WithinHours reports whether [start, end) lies inside the wall-clock
// range startMin–endMin (minutes after midnight; 24:00 is the next
// midnight) of every date in loc it touches: the way Find times cuts the
// candidate's windows, so an interview may run past midnight only when
// both dates allow it.
func WithinHours(startMin, endMin int, start, end time.Time, loc *time.Location) bool {
	cur := start
	lt := start.In(loc)
	for d := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc); cur.Before(end); d = d.AddDate(0, 0, 1) {
		lo := time.Date(d.Year(), d.Month(), d.Day(), 0, startMin, 0, 0, loc)
		hi := time.Date(d.Year(), d.Month(), d.Day(), 0, endMin, 0, 0, loc)
		if cur.Before(lo) || !hi.After(cur) {
			return false
		}
		cur = hi
	}
	return true
}
