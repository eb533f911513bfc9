package zoom

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// Room is a Zoom Room (entries of GET /rooms).
type Room struct {
	// ID is the room's API id; RoomID is its Zoom Rooms id.
	ID         string
	RoomID     string
	Name       string
	Status     string
	LocationID string
}

// RoomPage is one page of GET /rooms.
type RoomPage struct {
	Rooms         []Room
	NextPageToken string
}

// ListRooms returns one page of the account's Zoom Rooms (pageSize 1..300).
func (a *API) ListRooms(ctx context.Context, pageSize int, pageToken string) (RoomPage, error) {
	q := url.Values{"page_size": {strconv.Itoa(clamp(pageSize, 1, 300))}}
	if pageToken != "" {
		q.Set("next_page_token", pageToken)
	}
	var out struct {
		NextPageToken string `json:"next_page_token"`
		Rooms         []struct {
			ID         looseString `json:"id"`
			RoomID     looseString `json:"room_id"`
			Name       string      `json:"name"`
			Status     string      `json:"status"`
			LocationID looseString `json:"location_id"`
		} `json:"rooms"`
	}
	if err := a.do(ctx, call{method: http.MethodGet, path: "/rooms", query: q, want: http.StatusOK, out: &out}); err != nil {
		return RoomPage{}, err
	}
	p := RoomPage{NextPageToken: out.NextPageToken, Rooms: make([]Room, 0, len(out.Rooms))}
	for _, r := range out.Rooms {
		p.Rooms = append(p.Rooms, Room{ID: string(r.ID), RoomID: string(r.RoomID), Name: r.Name, Status: r.Status, LocationID: string(r.LocationID)})
	}
	return p, nil
}

// AllRooms walks every page of ListRooms.
func (a *API) AllRooms(ctx context.Context) ([]Room, error) {
	return allPages(func(token string) ([]Room, string, error) {
		p, err := a.ListRooms(ctx, 300, token)
		return p.Rooms, p.NextPageToken, err
	})
}
