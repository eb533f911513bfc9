// Package calendarpages serves interviewers' and rooms' calendar sources: the
// calendars page of an interviewer and the page of a room (add a feed URL,
// upload an .ics, connect a CalDAV account, Sync now, a week picture of
// busy time), the list of rooms, the Calendars section of Integrations
// (every source, last sync, events, error; the account's calendar
// policy), the admins' banner while a source fails, and the /api/v1
// endpoints for sources and busy time.
package calendarpages

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"strings"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/hiringstore"
	"interviewplanner/web"
)

//go:embed templates/*.html
var templates embed.FS

// Feature is the calendars part of the web app.
type Feature struct {
	Service *calendars.Service
	// Bookings gives our own interviews for the week picture.
	Bookings availability.Source
	// Rooms reads the account's rooms.
	Rooms *hiringstore.Store
	// Connections are the company-wide calendar connections (Google
	// Workspace, Microsoft 365) listed on Integrations → Calendars.
	Connections []CompanyConnection

	s *web.Server
}

// A CompanyConnection is a company-wide calendar connection with a page of
// its own; the Calendars section lists each with where it stands.
type CompanyConnection interface {
	Name() string
	Link() string
	Status(ctx context.Context, accountID int64) string
}

// Setup adds the templates and the banner; web/routes mounts the
// handlers.
func (f *Feature) Setup(s *web.Server) {
	f.s = s
	s.AddTemplates(templates)
	s.AddBanner(f.banner)
	s.AddNav(web.NavItem{Label: "Rooms", Path: "/rooms", Order: 35, Show: (*domain.User).CanSchedule})
}

// owner is whose calendars a page or an API call is about: an
// interviewer or a room, with what the pages need to name and link it.
type owner struct {
	AccountID int64
	calendars.Owner
	Name string
	// Page is the owner's calendars page; sources are added under Add.
	Page, Add string
	// Profile links the interviewer's profile ("" for a room).
	Profile string
	// Who is the sentence's subject when it is left out: "Priya", "this room".
	Who string
}

// IsRoom reports whether the owner is a room.
func (o *owner) IsRoom() bool { return o.RoomID != 0 }

// ID is the user's or the room's id.
func (o *owner) ID() int64 {
	if o.IsRoom() {
		return o.RoomID
	}
	return o.UserID
}

// ownerOf reads the owner of the request's {id}: person or room.
type ownerOf func(r *http.Request, manage bool) (*owner, error)

// OwnerHandlers serves the calendar pages and API that interviewers and
// rooms share: the handlers are the same, only the owner of {id} is read
// (and allowed) differently.
type OwnerHandlers struct {
	f  *Feature
	of ownerOf
}

// InterviewerCalendars serves /interviewers/{id}/calendars and
// /api/v1/interviewers/{id}/….
func (f *Feature) InterviewerCalendars() OwnerHandlers { return OwnerHandlers{f, f.person} }

// RoomCalendars serves /rooms/{id} and /api/v1/rooms/{id}/….
func (f *Feature) RoomCalendars() OwnerHandlers { return OwnerHandlers{f, f.room} }

// ownerForm reads the owner whose calendars the request changes, and the
// posted form.
func (h OwnerHandlers) ownerForm(w http.ResponseWriter, r *http.Request) (*owner, error) {
	o, err := h.of(r, true)
	if err == nil {
		err = web.ParseForm(w, r)
	}
	return o, err
}

// person reads the {id} interviewer the viewer may see (manage, when
// manage is set); others get "not found".
func (f *Feature) person(r *http.Request, manage bool) (*owner, error) {
	me := web.UserFrom(r.Context())
	id, err := web.InterviewerID(r)
	if err != nil {
		return nil, err
	}
	if manage && !me.CanEditInterviewer(id) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Only %s or an admin can change these calendars.", "the interviewer")
	}
	u, err := f.s.DB.GetUser(r.Context(), me.AccountID, id)
	if err != nil {
		return nil, err
	}
	return personOwner(u), nil
}

func personOwner(u *domain.User) *owner {
	page := fmt.Sprintf("/interviewers/%d/calendars", u.ID)
	return &owner{AccountID: u.AccountID, Owner: calendars.Owner{UserID: u.ID}, Name: u.Name, Page: page, Add: page,
		Profile: fmt.Sprintf("/interviewers/%d", u.ID), Who: u.Name}
}

// room reads the {id} room: anyone who schedules sees it, admins change
// its calendars (a room is the company's, not one person's).
func (f *Feature) room(r *http.Request, manage bool) (*owner, error) {
	me := web.UserFrom(r.Context())
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	if !me.CanSchedule() {
		return nil, domain.Errorf(domain.ENOTFOUND, "Not found.")
	}
	if manage && !me.IsAdmin() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Only an admin can change a room's calendars.")
	}
	rm, err := f.Rooms.GetRoom(r.Context(), me.AccountID, id)
	if err != nil {
		return nil, err
	}
	return roomOwner(rm), nil
}

func roomOwner(rm *domain.Room) *owner {
	page := fmt.Sprintf("/rooms/%d", rm.ID)
	return &owner{AccountID: rm.AccountID, Owner: calendars.Owner{RoomID: rm.ID}, Name: rm.Name, Page: page, Add: page + "/calendars", Who: "this room"}
}

// sourceOwner is whose src is, as pages link it.
func sourceOwner(src *calendarstore.Source) *owner {
	if src.RoomID != 0 {
		return roomOwner(&domain.Room{ID: src.RoomID, AccountID: src.AccountID, Name: src.OwnerName})
	}
	return personOwner(&domain.User{ID: src.UserID, AccountID: src.AccountID, Name: src.OwnerName})
}

// source reads the {id} source of an interviewer or room the viewer
// manages.
func (f *Feature) source(r *http.Request) (*calendarstore.Source, error) {
	me := web.UserFrom(r.Context())
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	src, err := f.Service.Store.GetSource(r.Context(), me.AccountID, id)
	if err != nil {
		return nil, err
	}
	see, manage := me.CanSeeInterviewer(src.UserID), me.CanEditInterviewer(src.UserID)
	if src.RoomID != 0 {
		see, manage = me.CanSchedule(), me.IsAdmin()
	}
	if !see {
		return nil, domain.Errorf(domain.ENOTFOUND, "Calendar not found.")
	}
	if !manage {
		if src.RoomID != 0 {
			return nil, domain.Errorf(domain.EFORBIDDEN, "Only an admin can change a room's calendar.")
		}
		return nil, domain.Errorf(domain.EFORBIDDEN, "Only the interviewer or an admin can change this calendar.")
	}
	return src, nil
}

// changeSource makes change to the {id} source, for the page and the API
// alike, and returns the source.
func (f *Feature) changeSource(r *http.Request, change func(r *http.Request, src *calendarstore.Source) error) (*calendarstore.Source, error) {
	src, err := f.source(r)
	if err != nil {
		return nil, err
	}
	return src, change(r, src)
}

// syncSource queues a read of src now.
func (f *Feature) syncSource(r *http.Request, src *calendarstore.Source) error {
	return f.Service.SyncNow(r.Context(), src.AccountID, src.ID)
}

// deleteSource removes src and its cached busy time.
func (f *Feature) deleteSource(r *http.Request, src *calendarstore.Source) error {
	return f.Service.Delete(r.Context(), src.AccountID, src.ID)
}

// banner tells admins on every page (the home page too) that a calendar
// source is failing: its interviewer cannot be proposed meanwhile.
func (f *Feature) banner(r *http.Request, u *domain.User) []web.Banner {
	if !u.IsAdmin() {
		return nil
	}
	n, err := f.Service.Store.CountFailing(r.Context(), u.AccountID)
	if err != nil || n == 0 {
		return nil
	}
	msg := "A calendar cannot be read: its interviewer or room is not proposed by Find times until it is fixed."
	if n > 1 {
		msg = "Several calendars cannot be read: their interviewers or rooms are not proposed by Find times until they are fixed."
	}
	return []web.Banner{{Kind: "warning", Message: msg, Link: "/integrations/calendars", LinkText: "See calendars"}}
}

// viewerZone is the viewer's zone for showing times.
func viewerZone(u *domain.User) string {
	if _, err := domain.LoadLocation(u.TimeZone); err == nil && u.TimeZone != "" {
		return u.TimeZone
	}
	return "UTC"
}

func kindLabel(kind string) string {
	switch kind {
	case calendarstore.KindFeed:
		return "Feed URL"
	case calendarstore.KindUpload:
		return "Uploaded file"
	case calendarstore.KindCalDAV:
		return "CalDAV"
	case calendarstore.KindMicrosoft:
		return "Microsoft 365"
	case calendarstore.KindGoogle:
		return "Google Workspace"
	}
	return kind
}

func keywordsText(ks []string) string { return strings.Join(ks, "\n") }
