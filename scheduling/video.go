package scheduling

import (
	"context"

	"interviewplanner/domain"
)

// VideoHosts lists the account's video hosts (Zoom users) when the
// provider is connected; nil otherwise, in which case hosts are not a
// constraint (the meetings wait for Zoom).
func (s *Service) VideoHosts(ctx context.Context, accountID int64) []domain.VideoHost {
	return askVideo(s, func(v domain.VideoProvider) ([]domain.VideoHost, error) { return v.Hosts(ctx, accountID) })
}

// VideoRooms lists the account's video rooms (Zoom Rooms) when the
// provider is connected; nil otherwise.
func (s *Service) VideoRooms(ctx context.Context, accountID int64) []domain.VideoRoom {
	return askVideo(s, func(v domain.VideoProvider) ([]domain.VideoRoom, error) { return v.Rooms(ctx, accountID) })
}

// RoomForVideoRoom returns the account's room for the video provider's
// room videoRoomID (a Zoom Room), adding it to the rooms the first time it
// is used. A room the provider does not list is EINVALID.
func (s *Service) RoomForVideoRoom(ctx context.Context, accountID int64, videoRoomID string) (int64, error) {
	for _, vr := range s.VideoRooms(ctx, accountID) {
		if vr.ID == videoRoomID {
			room, err := s.Store.CreateRoom(ctx, accountID, vr.Name, vr.ID)
			if err != nil {
				return 0, err
			}
			return room.ID, nil
		}
	}
	return 0, domain.Errorf(domain.EINVALID, "Unknown room.")
}

// askVideo asks the video provider, if one is set up; without a live
// connection it answers domain.ErrVideoNotConnected, and the answer is nil.
func askVideo[T any](s *Service, ask func(domain.VideoProvider) ([]T, error)) []T {
	if s.Video == nil {
		return nil
	}
	v := s.Video()
	if v == nil {
		return nil
	}
	list, err := ask(v)
	if err != nil {
		return nil
	}
	return list
}

// hostsFor is the hosts a proposal's meetings may get: none when it asks
// for no video.
func (s *Service) hostsFor(ctx context.Context, accountID int64, video *bool) []domain.VideoHost {
	if video != nil && !*video {
		return nil
	}
	return s.VideoHosts(ctx, accountID)
}

// likelyHost is the host an interview's meeting will most likely get:
// the first of its interviewers with a video account, else the default
// host. The worker takes the first of that order not already hosting at
// the time; the check warns when the likely one is busy.
func likelyHost(interviewers []int64, emails map[int64]string, hosts []domain.VideoHost) string {
	if len(hosts) == 0 {
		return ""
	}
	es := make([]string, 0, len(interviewers))
	for _, u := range interviewers {
		es = append(es, emails[u])
	}
	if pref := domain.HostPreference(es, hosts); len(pref) > 0 {
		return pref[0]
	}
	return ""
}
