package zoomconnect

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store/zoomstore"
	"interviewplanner/zoom"
)

// ZoomProvider is Zoom as a domain.VideoProvider, on top of the account's
// stored connection. Without a live connection every call returns
// domain.ErrVideoNotConnected: it never invents a link or falls back to
// another provider.
type ZoomProvider struct {
	svc *Service
}

var _ domain.VideoProvider = (*ZoomProvider)(nil)

// Provider returns the service as a video provider.
func (s *Service) Provider() *ZoomProvider { return &ZoomProvider{svc: s} }

// Name is "Zoom".
func (p *ZoomProvider) Name() string { return "Zoom" }

// Status tells whether the account's Zoom can create meetings.
func (p *ZoomProvider) Status(ctx context.Context, accountID int64) (domain.VideoStatus, error) {
	c, err := p.svc.Connection(ctx, accountID)
	if err != nil {
		return domain.VideoStatus{}, err
	}
	return statusOf(c), nil
}

func statusOf(c *zoomstore.Connection) domain.VideoStatus {
	switch {
	case c == nil:
		return domain.VideoStatus{State: domain.VideoDisconnected, Reason: "Zoom is not connected. An admin can connect it on the Integrations page."}
	case c.State == zoomstore.StateConnected:
		return domain.VideoStatus{State: domain.VideoConnected}
	case c.State == zoomstore.StateNeedsReconnecting:
		return domain.VideoStatus{State: domain.VideoNeedsReconnect, Reason: "Zoom needs reconnecting: Zoom stopped accepting InterviewPlanner's access. An admin can reconnect it on the Integrations page."}
	case c.DisconnectReason == zoomstore.ReasonUninstalled:
		return domain.VideoStatus{State: domain.VideoDisconnected, Reason: "Zoom is not connected: the app was uninstalled in Zoom. An admin can connect it again on the Integrations page."}
	}
	return domain.VideoStatus{State: domain.VideoDisconnected, Reason: "Zoom is not connected. An admin can connect it on the Integrations page."}
}

// Hosts lists the synced Zoom users; the authorizing user is the default.
func (p *ZoomProvider) Hosts(ctx context.Context, accountID int64) ([]domain.VideoHost, error) {
	c, err := p.live(ctx, accountID)
	if err != nil {
		return nil, err
	}
	users, err := p.svc.store.ListUsers(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]domain.VideoHost, 0, len(users)+1)
	sawDefault := false
	for _, u := range users {
		d := u.ZoomUserID == c.ZoomUserID
		sawDefault = sawDefault || d
		out = append(out, domain.VideoHost{ID: u.ZoomUserID, Email: u.Email, Name: u.Name, Default: d})
	}
	if !sawDefault && c.ZoomUserID != "" {
		out = append(out, domain.VideoHost{ID: c.ZoomUserID, Email: strings.ToLower(c.ZoomUserEmail), Name: c.ZoomUserEmail, Default: true})
	}
	return out, nil
}

// HostByEmail is the host whose email matches, read alone: a page about
// one person does not list a directory of thousands to find them.
func (p *ZoomProvider) HostByEmail(ctx context.Context, accountID int64, email string) (domain.VideoHost, bool, error) {
	c, err := p.live(ctx, accountID)
	if err != nil {
		return domain.VideoHost{}, false, err
	}
	email = strings.ToLower(email)
	u, found, err := p.svc.store.GetUserByEmail(ctx, accountID, email)
	switch {
	case err != nil:
		return domain.VideoHost{}, false, err
	case found:
		return domain.VideoHost{ID: u.ZoomUserID, Email: u.Email, Name: u.Name, Default: u.ZoomUserID == c.ZoomUserID}, true, nil
	case c.ZoomUserID != "" && strings.ToLower(c.ZoomUserEmail) == email:
		return domain.VideoHost{ID: c.ZoomUserID, Email: email, Name: c.ZoomUserEmail, Default: true}, true, nil
	}
	return domain.VideoHost{}, false, nil
}

// Rooms lists the synced Zoom Rooms.
func (p *ZoomProvider) Rooms(ctx context.Context, accountID int64) ([]domain.VideoRoom, error) {
	if _, err := p.live(ctx, accountID); err != nil {
		return nil, err
	}
	rooms, err := p.svc.store.ListRooms(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]domain.VideoRoom, 0, len(rooms))
	for _, r := range rooms {
		out = append(out, domain.VideoRoom{ID: r.ZoomRoomID, Name: r.Name})
	}
	return out, nil
}

func (p *ZoomProvider) live(ctx context.Context, accountID int64) (*zoomstore.Connection, error) {
	c, err := p.svc.Connection(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if c == nil || c.State != zoomstore.StateConnected {
		return nil, domain.ErrVideoNotConnected
	}
	return c, nil
}

// maxAgendaBody leaves room for the marker under Zoom's 2000-character agenda.
const maxAgendaBody = 1800

func agendaWithMarker(agenda, marker string) string {
	r := []rune(agenda)
	if len(r) > maxAgendaBody-len([]rune(marker)) {
		r = r[:max(0, maxAgendaBody-len([]rune(marker)))]
	}
	agenda = strings.TrimSpace(string(r))
	if marker == "" || strings.Contains(agenda, marker) {
		return agenda
	}
	if agenda == "" {
		return marker
	}
	return agenda + "\n\n" + marker
}

func zoomRequest(req domain.MeetingRequest) zoom.MeetingRequest {
	return zoom.MeetingRequest{Topic: req.Topic, Agenda: agendaWithMarker(req.Agenda, req.Marker),
		StartTime: req.Start.UTC(), Duration: req.Duration, Timezone: req.TimeZone}
}

func meetingOf(m zoom.Meeting) domain.Meeting {
	return domain.Meeting{ID: strconv.FormatInt(m.ID, 10), HostID: m.HostID, JoinURL: m.JoinURL, Password: m.Password,
		Start: m.StartTime, Duration: m.Duration}
}

func parseMeetingID(id string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.ErrMeetingNotFound
	}
	return n, nil
}

// host picks the requested host, or the authorizing user.
func host(c *zoomstore.Connection, hostID string) string {
	if hostID != "" {
		return hostID
	}
	return c.ZoomUserID
}

// CreateMeeting creates a scheduled meeting (never the personal meeting
// id, waiting room on, start in UTC) whose agenda carries req.Marker.
func (p *ZoomProvider) CreateMeeting(ctx context.Context, accountID int64, req domain.MeetingRequest) (domain.Meeting, error) {
	api, c, err := p.svc.API(ctx, accountID)
	if err != nil {
		return domain.Meeting{}, err
	}
	if req.Start.IsZero() || req.Duration <= 0 {
		return domain.Meeting{}, domain.Errorf(domain.EINVALID, "A meeting needs a start time and a duration.")
	}
	m, err := api.CreateMeeting(ctx, host(c, req.HostID), zoomRequest(req))
	if errors.Is(err, zoom.ErrUserNotFound) || zoom.IsCode(err, zoom.CodeCannotHost) {
		// Zoom's users changed since the last read: read them again, so
		// the caller chooses among the users Zoom has now.
		if serr := p.svc.Sync(ctx, accountID); serr != nil {
			p.svc.log.WarnContext(ctx, "zoom directory refresh after a vanished host failed", "account_id", accountID, "err", serr)
		}
		return domain.Meeting{}, domain.ErrVideoHostGone
	}
	if err != nil {
		return domain.Meeting{}, videoError(err)
	}
	return meetingOf(m), nil
}

// FindMeeting returns the host's upcoming meeting whose agenda carries
// marker, or domain.ErrMeetingNotFound.
func (p *ZoomProvider) FindMeeting(ctx context.Context, accountID int64, hostID, marker string) (domain.Meeting, error) {
	if marker == "" {
		return domain.Meeting{}, domain.ErrMeetingNotFound
	}
	api, c, err := p.svc.API(ctx, accountID)
	if err != nil {
		return domain.Meeting{}, err
	}
	ms, err := api.ListUpcomingMeetings(ctx, host(c, hostID))
	if errors.Is(err, zoom.ErrUserNotFound) {
		return domain.Meeting{}, domain.ErrMeetingNotFound
	}
	if err != nil {
		return domain.Meeting{}, videoError(err)
	}
	for _, m := range ms {
		if strings.Contains(m.Agenda, marker) {
			// List answers may omit join details; read the meeting itself.
			full, err := api.GetMeeting(ctx, m.ID)
			if err != nil {
				return domain.Meeting{}, videoError(err)
			}
			return meetingOf(full), nil
		}
	}
	return domain.Meeting{}, domain.ErrMeetingNotFound
}

// meetingAPI reads a meeting id we stored and returns the account's Zoom
// API to act on it; an id Zoom cannot have given is
// domain.ErrMeetingNotFound.
func (p *ZoomProvider) meetingAPI(ctx context.Context, accountID int64, meetingID string) (*zoom.API, int64, error) {
	id, err := parseMeetingID(meetingID)
	if err != nil {
		return nil, 0, err
	}
	api, _, err := p.svc.API(ctx, accountID)
	return api, id, err
}

// UpdateMeeting moves or renames a meeting.
func (p *ZoomProvider) UpdateMeeting(ctx context.Context, accountID int64, meetingID string, req domain.MeetingRequest) error {
	api, id, err := p.meetingAPI(ctx, accountID, meetingID)
	if err != nil {
		return err
	}
	return videoError(api.UpdateMeeting(ctx, id, zoomRequest(req)))
}

// DeleteMeeting deletes a meeting; one already gone (3001) is fine.
func (p *ZoomProvider) DeleteMeeting(ctx context.Context, accountID int64, meetingID string) error {
	api, id, err := p.meetingAPI(ctx, accountID, meetingID)
	if domain.IsMeetingNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	err = api.DeleteMeeting(ctx, id, zoom.DeleteOptions{})
	if errors.Is(err, zoom.ErrMeetingNotFound) {
		return nil
	}
	return videoError(err)
}

// StartURL reads the meeting now for a fresh host link; it is never stored.
func (p *ZoomProvider) StartURL(ctx context.Context, accountID int64, meetingID string) (string, error) {
	api, id, err := p.meetingAPI(ctx, accountID, meetingID)
	if err != nil {
		return "", err
	}
	m, err := api.GetMeeting(ctx, id)
	if err != nil {
		return "", videoError(err)
	}
	return string(m.StartURL), nil
}
