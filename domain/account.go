package domain

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Account is one company's InterviewPlanner. Every other row belongs to one.
type Account struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// Role is what a user may do inside their account.
type Role string

const (
	RoleAdmin       Role = "admin"       // users, integrations, settings — and everything a scheduler does
	RoleScheduler   Role = "scheduler"   // jobs, candidates, schedules
	RoleInterviewer Role = "interviewer" // own interviews, availability and preferences
)

// Roles lists the roles in the order pages show them.
var Roles = []Role{RoleAdmin, RoleScheduler, RoleInterviewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleScheduler || r == RoleInterviewer
}

// Label is the role's name as people read it.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Admin"
	case RoleScheduler:
		return "Scheduler"
	case RoleInterviewer:
		return "Interviewer"
	}
	return string(r)
}

// User is a person who signs in to one account.
type User struct {
	ID        int64
	AccountID int64
	Email     string
	Name      string
	Role      Role
	Active    bool
	TimeZone  string
	CreatedAt time.Time
}

// IsAdmin reports whether u manages users, integrations and settings.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// CanSchedule reports whether u manages jobs, candidates and schedules.
// An admin is also a scheduler.
func (u *User) CanSchedule() bool {
	return u != nil && (u.Role == RoleAdmin || u.Role == RoleScheduler)
}

// CanSeeInterviewer reports whether u sees the interviewer id's profile
// and calendars: schedulers see everyone, interviewers themselves.
func (u *User) CanSeeInterviewer(id int64) bool { return u.CanSchedule() || (u != nil && u.ID == id) }

// CanEditInterviewer reports whether u changes the interviewer id's
// profile and calendars: admins anyone's, interviewers their own.
func (u *User) CanEditInterviewer(id int64) bool { return u.IsAdmin() || (u != nil && u.ID == id) }

// Limits on free text, so an oversized field is refused rather than stored.
const (
	MaxNameLen  = 200
	MaxEmailLen = 254
	MinPassword = 10
	MaxPassword = 256
)

// NormalizeEmail lower-cases and trims an address and checks its form.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", Errorf(EINVALID, "Email is required.")
	}
	if len(s) > MaxEmailLen {
		return "", Errorf(EINVALID, "Email is too long.")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", Errorf(EINVALID, "%q is not a valid email address.", s)
	}
	return s, nil
}

// CleanName trims a display name and checks its length.
func CleanName(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Errorf(EINVALID, "%s is required.", field)
	}
	if utf8.RuneCountInString(s) > MaxNameLen || !utf8.ValidString(s) {
		return "", Errorf(EINVALID, "%s is too long (at most %d characters).", field, MaxNameLen)
	}
	return s, nil
}

// CheckPassword enforces the password rules.
func CheckPassword(pw string) error {
	if len(pw) < MinPassword {
		return Errorf(EINVALID, "Password must have at least %d characters.", MinPassword)
	}
	if len(pw) > MaxPassword {
		return Errorf(EINVALID, "Password is too long.")
	}
	return nil
}

// CheckTimeZone verifies an IANA time zone name.
func CheckTimeZone(tz string) (*time.Location, error) {
	if tz == "" || tz == "Local" {
		return nil, Errorf(EINVALID, "Time zone is required.")
	}
	loc, err := LoadLocation(tz)
	if err != nil {
		return nil, Errorf(EINVALID, "%q is not a known time zone.", tz)
	}
	return loc, nil
}

// Invitation lets someone join an account with a role; its link is single use.
type Invitation struct {
	ID        int64
	AccountID int64
	Email     string
	Role      Role
	InvitedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour
