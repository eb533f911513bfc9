package zoomconnect

import (
	"context"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store/zoomstore"
)

// DirectoryUser is a synced Zoom user with the InterviewPlanner user whose
// email matches it: that person's interviews are hosted by this Zoom user.
type DirectoryUser struct {
	zoomstore.User
	Match *domain.User // nil: no InterviewPlanner user has this email
}

// Directory is what InterviewPlanner last read from Zoom: its users (each
// with the person it matches) and its Zoom Rooms.
type Directory struct {
	Users []DirectoryUser
	Rooms []zoomstore.Room
}

// Directory returns the account's synced Zoom users and rooms.
func (s *Service) Directory(ctx context.Context, accountID int64) (Directory, error) {
	users, err := s.store.ListUsers(ctx, accountID)
	if err != nil {
		return Directory{}, err
	}
	rooms, err := s.store.ListRooms(ctx, accountID)
	if err != nil {
		return Directory{}, err
	}
	people, err := s.db.ListUsers(ctx, accountID)
	if err != nil {
		return Directory{}, err
	}
	byEmail := make(map[string]*domain.User, len(people))
	for _, p := range people {
		byEmail[strings.ToLower(p.Email)] = p
	}
	d := Directory{Rooms: rooms}
	for _, u := range users {
		d.Users = append(d.Users, DirectoryUser{User: u, Match: byEmail[strings.ToLower(u.Email)]})
	}
	return d, nil
}
