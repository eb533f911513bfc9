package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// JobStatus says whether a job is hiring.
type JobStatus string

const (
	JobOpen   JobStatus = "open"
	JobClosed JobStatus = "closed"
)

// Job is an opening with its ordered hiring stages.
type Job struct {
	ID        int64
	AccountID int64
	Title     string
	Status    JobStatus
	CreatedAt time.Time
	Stages    []Stage
}

// VideoMode is a stage's video conferencing setting (Z5).
type VideoMode string

const (
	VideoOff  VideoMode = "off"
	VideoZoom VideoMode = "zoom"
)

// MeetingMode says whether each interview gets its own meeting or the
// whole schedule shares one.
type MeetingMode string

const (
	MeetingPerInterview MeetingMode = "per_interview"
	MeetingPerSchedule  MeetingMode = "per_schedule"
)

// Stage is one step of a job's hiring process and how it is scheduled.
type Stage struct {
	ID          int64
	AccountID   int64
	JobID       int64
	Name        string
	Position    int
	Video       VideoMode
	MeetingMode MeetingMode
	// BufferMinutes is the gap an interviewer needs between interviews.
	BufferMinutes int
	// Allowed hours, minutes after midnight in the candidate's zone.
	AllowedStartMinute int
	AllowedEndMinute   int
	// Days after today the schedule may start and must end by.
	EarliestDayOffset int
	LatestDayOffset   int
	// MaxGapMinutes caps the candidate's wait between consecutive
	// interviews on a day; 0 = no limit.
	MaxGapMinutes int
	// LunchMinutes keeps a free stretch for lunch inside the window
	// LunchStartMinute–LunchEndMinute (candidate's zone) on every day whose
	// interviews reach into it; 0 = no lunch break. A window of 0–0 means
	// the default, 11:30–13:30.
	LunchMinutes     int
	LunchStartMinute int
	LunchEndMinute   int
	Interviews       []Interview
}

// Limits and defaults of a stage's loop rules.
const (
	MaxGapLimitMin          = 8 * 60
	MaxLunchMin             = 120
	DefaultLunchStartMinute = 11*60 + 30
	DefaultLunchEndMinute   = 13*60 + 30
)

// LunchWindow is the window the lunch break goes in, the default when the
// stage sets none.
func (s *Stage) LunchWindow() (start, end int) {
	if s.LunchStartMinute == 0 && s.LunchEndMinute == 0 {
		return DefaultLunchStartMinute, DefaultLunchEndMinute
	}
	return s.LunchStartMinute, s.LunchEndMinute
}

// Interview is one interview a stage needs.
type Interview struct {
	ID                 int64
	AccountID          int64
	StageID            int64
	Name               string
	DurationMinutes    int
	InterviewersNeeded int
	Pool               []int64 // user ids of qualified interviewers
	RoomRequired       bool
	Position           int // 0: any order
}

// InPool reports whether userID may conduct the interview.
func (iv *Interview) InPool(userID int64) bool {
	for _, id := range iv.Pool {
		if id == userID {
			return true
		}
	}
	return false
}

// Span is a range of minutes after midnight, end exclusive.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// WorkingHours holds the spans an interviewer works, indexed by
// time.Weekday (Sunday = 0).
type WorkingHours [7][]Span

// DefaultWorkingHours is Monday to Friday, 09:00 to 17:00.
func DefaultWorkingHours() WorkingHours {
	var h WorkingHours
	for d := time.Monday; d <= time.Friday; d++ {
		h[d] = []Span{{9 * 60, 17 * 60}}
	}
	return h
}

// ParseSpans reads "09:00-12:00, 13:00-17:00"; empty means not working.
func ParseSpans(s string) ([]Span, error) {
	var out []Span
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, Errorf(EINVALID, "Write hours as 09:00-17:00 (got %q).", clip(part, 40))
		}
		start, err1 := ParseClock(strings.TrimSpace(a))
		end, err2 := ParseClock(strings.TrimSpace(b))
		if err1 != nil || err2 != nil {
			return nil, Errorf(EINVALID, "Write hours as 09:00-17:00 (got %q).", clip(part, 40))
		}
		if b == "24:00" || strings.TrimSpace(b) == "24:00" {
			end = 24 * 60
		}
		if end <= start {
			return nil, Errorf(EINVALID, "The end of %q is not after its start.", clip(part, 40))
		}
		out = append(out, Span{start, end})
	}
	if len(out) > 8 {
		return nil, Errorf(EINVALID, "At most 8 ranges per day.")
	}
	return out, nil
}

// FormatSpans writes spans the way ParseSpans reads them.
func FormatSpans(spans []Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = FormatClock(s.Start) + "-" + FormatClock(s.End)
	}
	return strings.Join(parts, ", ")
}

// ParseClock reads "HH:MM" as minutes after midnight ("24:00" allowed).
func ParseClock(s string) (int, error) {
	if s == "24:00" {
		return 24 * 60, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, Errorf(EINVALID, "%q is not a time of day (HH:MM).", clip(s, 20))
	}
	return t.Hour()*60 + t.Minute(), nil
}

// FormatClock writes minutes after midnight as "HH:MM".
func FormatClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// InterviewerProfile is an interviewer's scheduling preferences.
type InterviewerProfile struct {
	AccountID  int64
	UserID     int64
	TimeZone   string
	Hours      WorkingHours
	MaxPerDay  int // 0: no limit
	MaxPerWeek int // 0: no limit
	// Preferred hours each day, minutes after midnight in TimeZone; the
	// engine favours them but books outside them when it must. Both 0 =
	// no preference.
	PreferredStartMinute int
	PreferredEndMinute   int
}

// Validate checks a profile before it is saved.
func (p *InterviewerProfile) Validate() error {
	fields := map[string]string{}
	if _, err := CheckTimeZone(p.TimeZone); err != nil {
		fields["time_zone"] = ErrorMessage(err)
	}
	if p.MaxPerDay < 0 || p.MaxPerDay > 24 {
		fields["max_per_day"] = "Between 0 (no limit) and 24."
	}
	if p.MaxPerWeek < 0 || p.MaxPerWeek > 100 {
		fields["max_per_week"] = "Between 0 (no limit) and 100."
	}
	for d, spans := range p.Hours {
		for _, s := range spans {
			if s.Start < 0 || s.End > 24*60 || s.End <= s.Start {
				fields["hours_"+strings.ToLower(time.Weekday(d).String())] = "Hours must be ranges within the day."
			}
		}
	}
	if !validPreferred(p.PreferredStartMinute, p.PreferredEndMinute) {
		fields["preferred_hours"] = "Preferred hours must be within the day and end after they start."
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// Works reports whether [start, end) lies inside the working hours, in the
// interviewer's own zone: covered by the spans of the dates it touches,
// each span read on the wall clock of its date (so a day clocks change
// keeps its hours, and hours that run to midnight join the next day's).
func (p *InterviewerProfile) Works(start, end time.Time) bool {
	loc, err := LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	cur := start // covered up to here
	s := start.In(loc)
	for d := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc); d.Before(end) && cur.Before(end); d = d.AddDate(0, 0, 1) {
		y, m, dd := d.Date()
		// Spans in order of start, so one pass extends the cover.
		spans := append([]Span(nil), p.Hours[d.Weekday()]...)
		sortSpans(spans)
		for _, sp := range spans {
			from, to := time.Date(y, m, dd, 0, sp.Start, 0, 0, loc), time.Date(y, m, dd, 0, sp.End, 0, 0, loc)
			if !from.After(cur) && to.After(cur) {
				cur = to
			}
		}
		if next := d.AddDate(0, 0, 1); cur.Before(end) && cur.Before(next) {
			return false // a hole before the day ends
		}
	}
	return !cur.Before(end)
}

func sortSpans(spans []Span) {
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].Start < spans[j-1].Start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
}

// CandidateStatus is where a candidate stands.
type CandidateStatus string

const (
	CandidateActive    CandidateStatus = "active"
	CandidateHired     CandidateStatus = "hired"
	CandidateRejected  CandidateStatus = "rejected"
	CandidateWithdrawn CandidateStatus = "withdrawn"
)

// CandidateStatuses lists the statuses in the order pages show them.
var CandidateStatuses = []CandidateStatus{CandidateActive, CandidateHired, CandidateRejected, CandidateWithdrawn}

// Valid reports whether s is a known status.
func (s CandidateStatus) Valid() bool {
	for _, v := range CandidateStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Window is a span of time.
type Window struct {
	Start time.Time
	End   time.Time
}

// Candidate is a person applying for a job. Not a user.
type Candidate struct {
	ID           int64
	AccountID    int64
	Name         string
	Email        string
	Phone        string
	TimeZone     string
	JobID        int64
	StageID      int64
	Status       CandidateStatus
	Availability []Window
	// Preferred time of day, minutes after midnight in TimeZone; soft,
	// unlike Availability. Both 0 = no preference.
	PreferredStartMinute int
	PreferredEndMinute   int
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// validPreferred accepts no preference (0–0) or a range within the day.
func validPreferred(start, end int) bool {
	if start == 0 && end == 0 {
		return true
	}
	return start >= 0 && end <= 24*60 && end > start
}

// Limits on hiring text fields.
const (
	MaxPhoneLen      = 40
	MaxDurationMin   = 8 * 60
	MaxInterviewers  = 10
	MaxInterviews    = 20
	MaxStages        = 20
	MaxPoolSize      = 200
	MaxAvailability  = 50
	MaxScheduleItems = 20
)

// Validate checks and normalises a candidate before it is saved.
func (c *Candidate) Validate() error {
	fields := map[string]string{}
	var err error
	if c.Name, err = CleanName("Name", c.Name); err != nil {
		fields["name"] = ErrorMessage(err)
	}
	if c.Email, err = NormalizeEmail(c.Email); err != nil {
		fields["email"] = ErrorMessage(err)
	}
	c.Phone = strings.TrimSpace(c.Phone)
	if len(c.Phone) > MaxPhoneLen || strings.ContainsAny(c.Phone, "\r\n") {
		fields["phone"] = fmt.Sprintf("Phone is too long (at most %d characters).", MaxPhoneLen)
	}
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	if _, err := CheckTimeZone(c.TimeZone); err != nil {
		fields["time_zone"] = ErrorMessage(err)
	}
	if c.Status == "" {
		c.Status = CandidateActive
	}
	if !c.Status.Valid() {
		fields["status"] = "Choose a status: active, hired, rejected or withdrawn."
	}
	if c.JobID <= 0 {
		fields["job_id"] = "Choose a job."
	}
	if len(c.Availability) > MaxAvailability {
		fields["availability"] = fmt.Sprintf("At most %d availability windows.", MaxAvailability)
	}
	for _, w := range c.Availability {
		if !w.End.After(w.Start) {
			fields["availability"] = "Each availability window must end after it starts."
		}
	}
	if !validPreferred(c.PreferredStartMinute, c.PreferredEndMinute) {
		fields["preferred_hours"] = "Preferred time of day must be within the day and end after it starts."
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// Validate checks a job's own fields.
func (j *Job) Validate() error {
	var err error
	if j.Title, err = CleanName("Title", j.Title); err != nil {
		return Invalid(map[string]string{"title": ErrorMessage(err)})
	}
	if j.Status == "" {
		j.Status = JobOpen
	}
	if j.Status != JobOpen && j.Status != JobClosed {
		return Invalid(map[string]string{"status": "Choose open or closed."})
	}
	return nil
}

// Validate checks a stage's settings and interviews.
func (s *Stage) Validate() error {
	fields := map[string]string{}
	var err error
	if s.Name, err = CleanName("Name", s.Name); err != nil {
		fields["name"] = ErrorMessage(err)
	}
	if s.Video == "" {
		s.Video = VideoOff
	}
	if s.Video != VideoOff && s.Video != VideoZoom {
		fields["video"] = "Choose off or Zoom."
	}
	if s.MeetingMode == "" {
		s.MeetingMode = MeetingPerInterview
	}
	if s.MeetingMode != MeetingPerInterview && s.MeetingMode != MeetingPerSchedule {
		fields["meeting_mode"] = "Choose one meeting per interview or one for the whole schedule."
	}
	if s.BufferMinutes < 0 || s.BufferMinutes > 240 {
		fields["buffer_minutes"] = "Between 0 and 240 minutes."
	}
	if s.AllowedEndMinute == 0 && s.AllowedStartMinute == 0 {
		s.AllowedEndMinute = 24 * 60
	}
	if s.AllowedStartMinute < 0 || s.AllowedEndMinute > 24*60 || s.AllowedEndMinute <= s.AllowedStartMinute {
		fields["allowed_hours"] = "Allowed hours must end after they start."
	}
	if s.EarliestDayOffset < 0 || s.LatestDayOffset > 365 || s.LatestDayOffset < s.EarliestDayOffset {
		fields["day_offsets"] = "The latest day must be on or after the earliest (0 to 365 days)."
	}
	s.validateLoopRules(fields)
	if len(s.Interviews) > MaxInterviews {
		fields["interviews"] = fmt.Sprintf("At most %d interviews per stage.", MaxInterviews)
	}
	for i := range s.Interviews {
		if err := s.Interviews[i].Validate(); err != nil {
			fields[fmt.Sprintf("interviews[%d]", i)] = ErrorMessage(err)
		}
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// validateLoopRules checks the longest gap and the lunch break, and fills
// in the default lunch window when a lunch break has none.
func (s *Stage) validateLoopRules(fields map[string]string) {
	if s.LunchMinutes > 0 {
		s.LunchStartMinute, s.LunchEndMinute = s.LunchWindow()
	}
	switch {
	case s.MaxGapMinutes < 0 || s.MaxGapMinutes > MaxGapLimitMin:
		fields["max_gap_minutes"] = fmt.Sprintf("The longest gap between interviews is between 0 (no limit) and %d minutes.", MaxGapLimitMin)
	case s.MaxGapMinutes > 0 && s.MaxGapMinutes < s.BufferMinutes:
		fields["max_gap_minutes"] = fmt.Sprintf("The longest gap between interviews cannot be shorter than the buffer (%d minutes).", s.BufferMinutes)
	case s.MaxGapMinutes > 0 && s.MaxGapMinutes < s.LunchMinutes:
		fields["max_gap_minutes"] = fmt.Sprintf("The longest gap between interviews must leave room for the %d-minute lunch break.", s.LunchMinutes)
	}
	if s.LunchMinutes < 0 || s.LunchMinutes > MaxLunchMin {
		fields["lunch_minutes"] = fmt.Sprintf("The lunch break is between 0 (none) and %d minutes.", MaxLunchMin)
	}
	start, end := s.LunchStartMinute, s.LunchEndMinute
	switch {
	case start == 0 && end == 0:
	case start < 0 || end > 24*60 || end <= start:
		fields["lunch_window"] = "The lunch window must be within the day and end after it starts."
	case s.LunchMinutes > end-start:
		fields["lunch_window"] = fmt.Sprintf("The lunch window (%s–%s) is shorter than the %d-minute lunch break.", FormatClock(start), FormatClock(end), s.LunchMinutes)
	}
}

// Validate checks an interview definition.
func (iv *Interview) Validate() error {
	var err error
	if iv.Name, err = CleanName("Interview name", iv.Name); err != nil {
		return err
	}
	if iv.DurationMinutes < 5 || iv.DurationMinutes > MaxDurationMin {
		return Errorf(EINVALID, "%s: duration must be between 5 and %d minutes.", iv.Name, MaxDurationMin)
	}
	if iv.InterviewersNeeded < 1 || iv.InterviewersNeeded > MaxInterviewers {
		return Errorf(EINVALID, "%s: between 1 and %d interviewers.", iv.Name, MaxInterviewers)
	}
	if len(iv.Pool) > MaxPoolSize {
		return Errorf(EINVALID, "%s: the pool is too large.", iv.Name)
	}
	if iv.Position < 0 || iv.Position > MaxInterviews {
		return Errorf(EINVALID, "%s: order must be between 0 (any) and %d.", iv.Name, MaxInterviews)
	}
	return nil
}

// Room is a place an interview can happen: a physical room, or a video
// room (Zoom Room) when VideoRoomID is set.
type Room struct {
	ID          int64
	AccountID   int64
	Name        string
	VideoRoomID string
}

// ScheduleStatus is a schedule's life cycle:
// draft → scheduled → (rescheduled) → cancelled | completed.
type ScheduleStatus string

const (
	ScheduleDraft       ScheduleStatus = "draft"
	ScheduleScheduled   ScheduleStatus = "scheduled"
	ScheduleRescheduled ScheduleStatus = "rescheduled"
	ScheduleCancelled   ScheduleStatus = "cancelled"
	ScheduleCompleted   ScheduleStatus = "completed"
)

// Live reports whether the schedule still books people.
func (s ScheduleStatus) Live() bool {
	return s == ScheduleScheduled || s == ScheduleRescheduled || s == ScheduleDraft
}

// MeetingState is where an item's video meeting stands.
type MeetingState string

const (
	MeetingNone           MeetingState = ""                 // video conferencing off
	MeetingPending        MeetingState = "pending"          // queued
	MeetingCreating       MeetingState = "creating"         // a create call may be in flight
	MeetingCreated        MeetingState = "created"          // exists; join URL known
	MeetingFailed         MeetingState = "failed"           // last attempt failed; retrying
	MeetingWaitingForZoom MeetingState = "waiting_for_zoom" // provider not connected
	MeetingDeleting       MeetingState = "deleting"         // to be removed from the provider
	MeetingDeleted        MeetingState = "deleted"          // removed (or never created)
)

// Label is the state as the coordinator reads it.
func (s MeetingState) Label() string {
	switch s {
	case MeetingPending, MeetingCreating:
		return "Pending"
	case MeetingCreated:
		return "Created"
	case MeetingFailed:
		return "Failed, retrying"
	case MeetingWaitingForZoom:
		return "Waiting for Zoom"
	case MeetingDeleting:
		return "Being removed"
	case MeetingDeleted:
		return "Removed"
	}
	return "No video meeting"
}

// ItemMeeting is the video meeting an item uses.
type ItemMeeting struct {
	ID                int64 // our meetings row
	State             MeetingState
	ProviderMeetingID string
	HostID            string
	JoinURL           string
	LastError         string
	Attempts          int
	// Updating: the meeting exists but the provider still has an older
	// time or topic, or it is being replaced by one under a new host; the
	// worker is changing it.
	Updating bool
	// Replacing: a new meeting under another host is on its way; the
	// current join link works until it is there.
	Replacing bool
	// HostChoice is the host the coordinator picked ("" = by the rule:
	// the interviewer's own Zoom user, else the one who connected Zoom).
	HostChoice string
	// HostNote says why the host is not the one expected (the one chosen
	// no longer exists in Zoom), for the schedule page.
	HostNote string
}

// StateName is the state as the API names it: "updating" while the
// provider still has an older version of the meeting.
func (m ItemMeeting) StateName() string {
	if m.Updating && (m.State == MeetingCreated || m.Replacing) {
		return "updating"
	}
	return string(m.State)
}

// Label is the state as the coordinator reads it, "Updating" while the
// provider still has an older version of the meeting.
func (m ItemMeeting) Label() string {
	if m.StateName() == "updating" {
		return "Updating"
	}
	return m.State.Label()
}

// Settled reports whether the meeting has nothing left to do, so a page
// showing it need not look again.
func (m ItemMeeting) Settled() bool {
	switch m.State {
	case MeetingCreated:
		return !m.Updating
	case MeetingNone, MeetingDeleted, MeetingWaitingForZoom:
		return true
	}
	return false
}

// Schedule is one candidate's interviews at one stage.
type Schedule struct {
	ID             int64
	AccountID      int64
	CandidateID    int64
	StageID        int64
	Status         ScheduleStatus
	Video          bool // video conferencing on (defaults from the stage, Z6)
	MeetingMode    MeetingMode
	ItineraryToken string
	CreatedBy      int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Items          []ScheduleItem
}

// ScheduleItem is one placed interview.
type ScheduleItem struct {
	ID           int64
	ScheduleID   int64
	InterviewID  int64
	Name         string
	Start        time.Time
	End          time.Time
	Interviewers []int64
	RoomID       int64 // 0: no room
	Meeting      ItemMeeting
}

// ParseLocal reads a date ("2006-01-02") and a clock time ("15:04") as a
// wall-clock time in loc. It refuses days that do not exist (31 February)
// and times that do not exist in loc (skipped by a daylight-saving change).
func ParseLocal(date, clock string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(date))
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%q is not a date (YYYY-MM-DD) that exists.", clip(date, 20))
	}
	m, err := ParseClock(strings.TrimSpace(clock))
	if err != nil || m >= 24*60 {
		return time.Time{}, Errorf(EINVALID, "%q is not a time of day (HH:MM).", clip(clock, 20))
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, loc)
	if t.Hour() != m/60 || t.Minute() != m%60 || t.Day() != d.Day() {
		return time.Time{}, Errorf(EINVALID, "%s %s does not exist in %s (the clocks skip it for daylight saving time).", date, clock, loc.String())
	}
	return t, nil
}

// ItemMarker is the unique text put into a meeting's agenda so that a
// meeting created by an attempt whose answer was lost can be found again.
func ItemMarker(accountID, meetingRowID int64, nonce string) string {
	return fmt.Sprintf("ip-%d-%d-%s", accountID, meetingRowID, nonce)
}

// MeetingTopic names the interview and the company, never the candidate
// (meeting topics are visible to every participant and in Zoom's reports).
func MeetingTopic(interview, company string) string {
	return clip(interview+" · "+company, 200)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// Overlaps reports whether [a1, a2) and [b1, b2) share time.
func Overlaps(a1, a2, b1, b2 time.Time) bool { return a1.Before(b2) && b1.Before(a2) }

// Intersect returns the time [a1, a2) and [b1, b2) share; ok is false when
// they share none.
func Intersect(a1, a2, b1, b2 time.Time) (start, end time.Time, ok bool) {
	start, end = a1, a2
	if b1.After(start) {
		start = b1
	}
	if b2.Before(end) {
		end = b2
	}
	return start, end, end.After(start)
}

// Interview returns the stage's interview with id, or nil.
func (s *Stage) Interview(id int64) *Interview {
	for i := range s.Interviews {
		if s.Interviews[i].ID == id {
			return &s.Interviews[i]
		}
	}
	return nil
}

// Item returns the schedule's item with id, or nil.
func (s *Schedule) Item(id int64) *ScheduleItem {
	for i := range s.Items {
		if s.Items[i].ID == id {
			return &s.Items[i]
		}
	}
	return nil
}

// ScheduleNotice says who must hear about a change to a schedule. The
// invitations sent for it always carry the schedule's current state (a
// REQUEST for every live interview to its interviewers and the
// candidate); the notice adds the cancellations.
type ScheduleNotice struct {
	// New: the schedule was just confirmed ("Interview scheduled").
	New bool
	// CancelItems are interviews taken out: a CANCEL to everyone on them.
	CancelItems []int64
	// All: the whole schedule was cancelled.
	All bool
	// Added are interviewers new to an interview that existed: their
	// email says it was scheduled rather than updated.
	Added []ItemPerson
}

// ItemPerson is one interviewer on one interview of a schedule.
type ItemPerson struct {
	ItemID int64 `json:"item_id"`
	UserID int64 `json:"user_id"`
}

// MaxOpenPool bounds the people an interview whose pool is left empty
// (open to anyone) is offered from and searched over: the first this many
// active people by name. A company of thousands names pools.
const MaxOpenPool = 200
