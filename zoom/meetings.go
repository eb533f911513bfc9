package zoom

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// zoomUTC is the start_time layout meaning "UTC"; without the Z Zoom reads
// the time as wall-clock time in the meeting's timezone.
const zoomUTC = "2006-01-02T15:04:05Z"

// maxAgenda is Zoom's agenda limit in characters.
const maxAgenda = 2000

// MeetingRequest is the body of create and (full) update. Scheduled meetings
// only: the product never uses a personal meeting id and always keeps the
// waiting room on.
type MeetingRequest struct {
	Topic     string
	Agenda    string
	StartTime time.Time
	Duration  time.Duration
	// Timezone (IANA) is for display in Zoom; StartTime is always sent as UTC.
	Timezone         string
	Password         string
	JoinBeforeHost   bool
	MuteUponEntry    bool
	AlternativeHosts []string
	// AutoRecording: "none" (default), "local" or "cloud".
	AutoRecording string
}

type meetingSettingsJSON struct {
	WaitingRoom      bool   `json:"waiting_room"`
	UsePMI           bool   `json:"use_pmi"`
	JoinBeforeHost   bool   `json:"join_before_host"`
	MuteUponEntry    bool   `json:"mute_upon_entry"`
	ApprovalType     int    `json:"approval_type"`
	AlternativeHosts string `json:"alternative_hosts,omitempty"`
	AutoRecording    string `json:"auto_recording,omitempty"`
}

type meetingRequestJSON struct {
	Topic     string              `json:"topic"`
	Type      int                 `json:"type"`
	StartTime string              `json:"start_time"`
	Duration  int                 `json:"duration"`
	Timezone  string              `json:"timezone,omitempty"`
	Agenda    string              `json:"agenda,omitempty"`
	Password  string              `json:"password,omitempty"`
	Settings  meetingSettingsJSON `json:"settings"`
}

func (m MeetingRequest) json() meetingRequestJSON {
	agenda := m.Agenda
	if utf8.RuneCountInString(agenda) > maxAgenda {
		agenda = string([]rune(agenda)[:maxAgenda])
	}
	minutes := int((m.Duration + time.Minute - 1) / time.Minute)
	return meetingRequestJSON{
		Topic:     m.Topic,
		Type:      2, // scheduled
		StartTime: m.StartTime.UTC().Format(zoomUTC),
		Duration:  minutes,
		Timezone:  m.Timezone,
		Agenda:    agenda,
		Password:  m.Password,
		Settings: meetingSettingsJSON{
			WaitingRoom:      true,
			UsePMI:           false,
			JoinBeforeHost:   m.JoinBeforeHost,
			MuteUponEntry:    m.MuteUponEntry,
			ApprovalType:     2, // no registration
			AlternativeHosts: strings.Join(m.AlternativeHosts, ";"),
			AutoRecording:    m.AutoRecording,
		},
	}
}

// Meeting is a Zoom meeting as returned by create, get and list.
type Meeting struct {
	// ID exceeds 32 bits; store it as int64.
	ID        int64
	UUID      string
	HostID    string
	HostEmail string
	Topic     string
	Type      int
	// Status: waiting, started, finished.
	Status    string
	StartTime time.Time
	Duration  time.Duration
	Timezone  string
	Agenda    string
	JoinURL   string
	// StartURL embeds a short-lived host key; use it at once, never store it.
	StartURL  Secret
	Password  string
	CreatedAt time.Time
}

type meetingJSON struct {
	ID        looseInt64  `json:"id"`
	UUID      string      `json:"uuid"`
	HostID    looseString `json:"host_id"`
	HostEmail string      `json:"host_email"`
	Topic     string      `json:"topic"`
	Type      int         `json:"type"`
	Status    string      `json:"status"`
	StartTime string      `json:"start_time"`
	Duration  int         `json:"duration"`
	Timezone  string      `json:"timezone"`
	Agenda    string      `json:"agenda"`
	JoinURL   string      `json:"join_url"`
	StartURL  string      `json:"start_url"`
	Password  string      `json:"password"`
	CreatedAt string      `json:"created_at"`
}

func (m meetingJSON) meeting() Meeting {
	return Meeting{
		ID: int64(m.ID), UUID: m.UUID, HostID: string(m.HostID), HostEmail: m.HostEmail, Topic: m.Topic,
		Type: m.Type, Status: m.Status, StartTime: parseZoomTime(m.StartTime),
		Duration: time.Duration(m.Duration) * time.Minute, Timezone: m.Timezone, Agenda: m.Agenda,
		JoinURL: m.JoinURL, StartURL: Secret(m.StartURL), Password: m.Password, CreatedAt: parseZoomTime(m.CreatedAt),
	}
}

// parseZoomTime reads Zoom's UTC times; an absent or odd value is zero.
func parseZoomTime(s string) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

// CreateMeeting schedules a meeting for hostUserID (id or email). It is
// never retried automatically (except after a 124): if it fails without an
// answer the meeting may exist, and the caller must reconcile with
// ListUpcomingMeetings instead of creating a duplicate.
func (a *API) CreateMeeting(ctx context.Context, hostUserID string, m MeetingRequest) (Meeting, error) {
	var out meetingJSON
	err := a.do(ctx, call{method: http.MethodPost, path: "/users/" + url.PathEscape(hostUserID) + "/meetings",
		body: m.json(), want: http.StatusCreated, out: &out})
	if err != nil {
		return Meeting{}, err
	}
	return out.meeting(), nil
}

// GetMeeting returns a meeting; ErrMeetingNotFound if Zoom has none with id.
func (a *API) GetMeeting(ctx context.Context, id int64) (Meeting, error) {
	var out meetingJSON
	err := a.do(ctx, call{method: http.MethodGet, path: meetingPath(id), want: http.StatusOK, out: &out})
	if err != nil {
		return Meeting{}, err
	}
	return out.meeting(), nil
}

// UpdateMeeting replaces the meeting's schedulable fields. The whole body is
// sent every time, so repeating it is harmless.
func (a *API) UpdateMeeting(ctx context.Context, id int64, m MeetingRequest) error {
	return a.do(ctx, call{method: http.MethodPatch, path: meetingPath(id), body: m.json(), want: http.StatusNoContent})
}

// DeleteOptions are DELETE /meetings/{id} query parameters.
type DeleteOptions struct {
	OccurrenceID string
	// ScheduleForReminder emails the host and alternative hosts.
	ScheduleForReminder bool
	// CancelMeetingReminder emails registrants.
	CancelMeetingReminder bool
}

// DeleteMeeting deletes a meeting. It returns ErrMeetingNotFound (code 3001)
// when the meeting is already gone; callers treat that as done.
func (a *API) DeleteMeeting(ctx context.Context, id int64, opts DeleteOptions) error {
	q := url.Values{}
	if opts.OccurrenceID != "" {
		q.Set("occurrence_id", opts.OccurrenceID)
	}
	if opts.ScheduleForReminder {
		q.Set("schedule_for_reminder", "true")
	}
	if opts.CancelMeetingReminder {
		q.Set("cancel_meeting_reminder", "true")
	}
	return a.do(ctx, call{method: http.MethodDelete, path: meetingPath(id), query: q, want: http.StatusNoContent})
}

// ListUpcomingMeetings lists a host's upcoming meetings (all pages), used to
// reconcile a create whose answer was lost.
func (a *API) ListUpcomingMeetings(ctx context.Context, hostUserID string) ([]Meeting, error) {
	return allPages(func(token string) ([]Meeting, string, error) {
		q := url.Values{"type": {"upcoming"}, "page_size": {"300"}}
		if token != "" {
			q.Set("next_page_token", token)
		}
		var out struct {
			NextPageToken string        `json:"next_page_token"`
			Meetings      []meetingJSON `json:"meetings"`
		}
		err := a.do(ctx, call{method: http.MethodGet, path: "/users/" + url.PathEscape(hostUserID) + "/meetings", query: q, want: http.StatusOK, out: &out})
		if err != nil {
			return nil, "", err
		}
		ms := make([]Meeting, 0, len(out.Meetings))
		for _, m := range out.Meetings {
			ms = append(ms, m.meeting())
		}
		return ms, out.NextPageToken, nil
	})
}

func meetingPath(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }
