package domain

import (
	"context"
	"errors"
	"time"
)

// VideoProvider is the small shape every video-conferencing integration
// takes (Zoom first; Google Meet or Microsoft Teams could follow) so that
// scheduling code never talks to a vendor directly. One connection serves
// a whole account.
type VideoProvider interface {
	// Name is the provider's display name, e.g. "Zoom".
	Name() string
	// Status tells whether the account's connection can create meetings.
	Status(ctx context.Context, accountID int64) (VideoStatus, error)
	// Hosts lists who may host meetings: the provider's users, matched to
	// people by email, and the default host (the user who authorized).
	// Without a live connection it answers ErrVideoNotConnected.
	Hosts(ctx context.Context, accountID int64) ([]VideoHost, error)
	// Rooms lists the provider's meeting rooms (Zoom Rooms), usable as
	// interview locations.
	Rooms(ctx context.Context, accountID int64) ([]VideoRoom, error)
	// CreateMeeting creates a meeting. Before creating, callers that may be
	// retrying look for an earlier attempt with FindMeeting.
	CreateMeeting(ctx context.Context, accountID int64, req MeetingRequest) (Meeting, error)
	// FindMeeting returns the host's upcoming meeting whose agenda carries
	// marker, or ErrMeetingNotFound.
	FindMeeting(ctx context.Context, accountID int64, hostID, marker string) (Meeting, error)
	// UpdateMeeting changes time, duration or topic; ErrMeetingNotFound when
	// the meeting was deleted in the provider.
	UpdateMeeting(ctx context.Context, accountID int64, meetingID string, req MeetingRequest) error
	// DeleteMeeting deletes it; a meeting already gone is not an error.
	DeleteMeeting(ctx context.Context, accountID int64, meetingID string) error
	// StartURL fetches a fresh host start link (it expires; never stored).
	StartURL(ctx context.Context, accountID int64, meetingID string) (string, error)
}

// VideoState is the state of an account's connection.
type VideoState string

const (
	VideoDisconnected   VideoState = "disconnected"
	VideoConnected      VideoState = "connected"
	VideoNeedsReconnect VideoState = "needs_reconnecting"
)

// VideoStatus describes an account's connection.
type VideoStatus struct {
	State  VideoState
	Reason string // why not connected, in words for the coordinator
}

// Connected reports whether meetings can be created now.
func (s VideoStatus) Connected() bool { return s.State == VideoConnected }

// VideoHost is a provider user who can host meetings.
type VideoHost struct {
	ID      string // provider's user id
	Email   string
	Name    string
	Default bool // the authorizing user: host when no interviewer matches
}

// VideoRoom is a provider meeting room.
type VideoRoom struct {
	ID   string
	Name string
}

// MeetingRequest is what scheduling asks a provider for.
type MeetingRequest struct {
	HostID   string // a VideoHost.ID
	Topic    string
	Start    time.Time // sent to the provider in UTC
	Duration time.Duration
	TimeZone string // for display in the provider only
	// Agenda carries Marker so that an attempt whose answer was lost can be
	// found again instead of creating a second meeting.
	Agenda string
	Marker string
}

// Meeting is a provider meeting.
type Meeting struct {
	ID       string
	HostID   string
	JoinURL  string
	Password string
	Start    time.Time
	Duration time.Duration
}

// Errors a provider returns, so callers can decide what to do.
var (
	// ErrVideoNotConnected: no usable connection; keep the work waiting
	// until an admin connects or reconnects.
	ErrVideoNotConnected = &Error{Code: EUNAVAILABLE, Message: "Zoom is not connected. An admin can connect it on the Integrations page."}
	// ErrMeetingNotFound: the meeting does not exist in the provider.
	ErrMeetingNotFound = &Error{Code: ENOTFOUND, Message: "The meeting does not exist in Zoom."}
	// ErrVideoHostGone: the user asked to host no longer exists in the
	// provider or may no longer host (deactivated); choose another.
	ErrVideoHostGone = &Error{Code: ECONFLICT, Message: "The Zoom user chosen to host no longer exists or is deactivated."}
)

// IsVideoHostGone reports whether err means the host must be chosen again.
func IsVideoHostGone(err error) bool { return errors.Is(err, ErrVideoHostGone) }

// IsVideoNotConnected reports whether err means "waiting for the provider".
func IsVideoNotConnected(err error) bool { return errors.Is(err, ErrVideoNotConnected) }

// IsMeetingNotFound reports whether err means the meeting is gone.
func IsMeetingNotFound(err error) bool { return errors.Is(err, ErrMeetingNotFound) }
