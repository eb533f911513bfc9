package zoomconnect

import (
	"context"

	"interviewplanner/domain"
)

// Unconfigured is the video provider of a server without Zoom credentials:
// every account is simply not connected.
type Unconfigured struct{}

var _ domain.VideoProvider = Unconfigured{}

func (Unconfigured) Name() string { return "Zoom" }

func (Unconfigured) Status(context.Context, int64) (domain.VideoStatus, error) {
	return domain.VideoStatus{State: domain.VideoDisconnected, Reason: "Zoom is not set up on this server (IP_ZOOM_CLIENT_ID and IP_ZOOM_CLIENT_SECRET are empty)."}, nil
}

func (Unconfigured) Hosts(context.Context, int64) ([]domain.VideoHost, error) {
	return nil, domain.ErrVideoNotConnected
}

func (Unconfigured) Rooms(context.Context, int64) ([]domain.VideoRoom, error) {
	return nil, domain.ErrVideoNotConnected
}

func (Unconfigured) CreateMeeting(context.Context, int64, domain.MeetingRequest) (domain.Meeting, error) {
	return domain.Meeting{}, domain.ErrVideoNotConnected
}

func (Unconfigured) FindMeeting(context.Context, int64, string, string) (domain.Meeting, error) {
	return domain.Meeting{}, domain.ErrVideoNotConnected
}

func (Unconfigured) UpdateMeeting(context.Context, int64, string, domain.MeetingRequest) error {
	return domain.ErrVideoNotConnected
}

func (Unconfigured) DeleteMeeting(context.Context, int64, string) error {
	return domain.ErrVideoNotConnected
}

func (Unconfigured) StartURL(context.Context, int64, string) (string, error) {
	return "", domain.ErrVideoNotConnected
}
