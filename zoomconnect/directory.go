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

// Directory is what InterviewPlanner last read from Zoom: the first of its
// users (each with the person it matches), how many there are, and its
// Zoom Rooms.
type Directory struct {
	Users []DirectoryUser
	// UserCount counts every synced Zoom user; Users holds the first
	// directoryUsers of them by email.
	UserCount int
	Rooms     []zoomstore.Room
}

// directoryUsers bounds the Zoom users the Integrations page lists: a
// company of thousands gets a summary, not a page of thousands of rows.
const directoryUsers = 100

// Directory returns the first of the account's synced Zoom users, matched
// to people by email (reading those people only), and its rooms.
func (s *Service) Directory(ctx context.Context, accountID int64) (Directory, error) {
	users, total, err := s.store.ListFirstUsers(ctx, accountID, directoryUsers)
	if err != nil {
		return Directory{}, err
	}
	rooms, err := s.store.ListRooms(ctx, accountID)
	if err != nil {
		return Directory{}, err
	}
	emails := make([]string, 0, len(users))
	for _, u := range users {
		emails = append(emails, strings.ToLower(u.Email))
	}
	people, err := s.db.ListUsersByEmail(ctx, accountID, emails)
	if err != nil {
		return Directory{}, err
	}
	d := Directory{UserCount: total, Rooms: rooms}
	for _, u := range users {
		d.Users = append(d.Users, DirectoryUser{User: u, Match: people[strings.ToLower(u.Email)]})
	}
	return d, nil
}
