// Package routes is InterviewPlanner's route table: every page and every
// JSON API route, in one place. The handlers live with their features
// (web for signing in and users, web/hiring, web/findtimes,
// web/calendarpages, web/integrations, web/microsoft, web/googleworkspace,
// web/outbox); this file only says which URL and
// method reach which handler, and who may call it.
//
// Patterns are net/http's (Go 1.22): "METHOD /path/{name}", "/{$}" for
// the root only. A page and its API twin share the loader behind them
// (e.g. hiring's loadCandidate), so they never disagree.
package routes

import (
	"net/http"

	"interviewplanner/googleconnect"
	"interviewplanner/msconnect"
	"interviewplanner/web"
	"interviewplanner/web/calendarpages"
	"interviewplanner/web/findtimes"
	"interviewplanner/web/googleworkspace"
	"interviewplanner/web/hiring"
	"interviewplanner/web/integrations"
	"interviewplanner/web/microsoft"
	"interviewplanner/web/outbox"
	"interviewplanner/zoomconnect"
)

// Features are the parts of the product whose handlers the table mounts.
type Features struct {
	Hiring       *hiring.Feature
	FindTimes    *findtimes.Feature
	Calendars    *calendarpages.Feature
	Integrations *integrations.Feature
	Microsoft    *microsoft.Feature
	// Outbox is nil when an SMTP server delivers the emails.
	Outbox *outbox.Feature
	// Google is nil when Google Workspace is off (no secret key).
	Google *googleworkspace.Feature
}

// List is the features for web.Server.Features, which sets up their
// templates, navigation and banners.
func (f Features) List() []web.Feature {
	list := []web.Feature{f.Hiring, f.FindTimes, f.Calendars, f.Integrations, f.Microsoft}
	if f.Outbox != nil {
		list = append(list, f.Outbox)
	}
	if f.Google != nil {
		list = append(list, f.Google)
	}
	return list
}

// Mount adds every route to mux. Wrappers say who may call: user (anyone
// signed in), sched (admins and schedulers), admin; no wrapper is public.
func Mount(mux *http.ServeMux, s *web.Server, f Features) {
	user, sched, admin := s.RequireUser, s.RequireScheduler, s.RequireAdmin
	h, ft, cal, in := f.Hiring, f.FindTimes, f.Calendars, f.Integrations
	// An interviewer's calendars and a room's are served by the same handlers.
	ivCal, roomCal := cal.InterviewerCalendars(), cal.RoomCalendars()

	// Operations: load balancer probes, Prometheus, static files.
	mux.HandleFunc("GET /healthz", s.Liveness)
	mux.HandleFunc("GET /readyz", s.Readiness)
	mux.HandleFunc("GET /metrics", s.Metrics)
	mux.Handle("GET /static/", web.StaticFiles())

	// Signing in and out; accepting an invitation.
	mux.HandleFunc("GET /{$}", s.Home)
	mux.HandleFunc("GET /signin", s.SignInShow)
	mux.HandleFunc("POST /signin", s.SignIn)
	mux.HandleFunc("POST /signout", s.SignOut)
	mux.HandleFunc("GET /invitations/{token}", s.InvitationShow)
	mux.HandleFunc("POST /invitations/{token}", s.InvitationAccept)

	// Your own settings and personal API tokens.
	mux.HandleFunc("GET /settings", user(s.SettingsShow))
	mux.HandleFunc("POST /settings/profile", user(s.ProfileUpdate))
	mux.HandleFunc("POST /settings/password", user(s.PasswordUpdate))
	mux.HandleFunc("GET /settings/tokens", user(h.TokenList))
	mux.HandleFunc("POST /settings/tokens", user(h.TokenCreate))
	mux.HandleFunc("POST /settings/tokens/{id}/delete", user(h.TokenDelete))

	// Users, invitations and the audit log (admins).
	mux.HandleFunc("GET /users", admin(s.UserList))
	mux.HandleFunc("POST /users/invitations", admin(s.UserInvite))
	mux.HandleFunc("POST /users/invitations/{id}/revoke", admin(s.InvitationRevoke))
	mux.HandleFunc("POST /users/{id}/role", admin(s.UserRoleUpdate))
	mux.HandleFunc("POST /users/{id}/active", admin(s.UserActiveUpdate))
	mux.HandleFunc("GET /audit", admin(s.AuditList))
	if f.Outbox != nil {
		// Emails kept, not delivered, while no SMTP server is configured.
		mux.HandleFunc("GET /outbox", admin(f.Outbox.OutboxList))
		mux.HandleFunc("GET /outbox/{id}", admin(f.Outbox.OutboxEmailShow))
		mux.HandleFunc("GET /outbox/{id}/attachments/{n}", admin(f.Outbox.OutboxAttachmentDownload))
	}

	// Jobs and their stages: the interviews each stage needs, its rules.
	mux.HandleFunc("GET /jobs", sched(h.JobList))
	mux.HandleFunc("POST /jobs", sched(h.JobCreate))
	mux.HandleFunc("GET /jobs/{id}", sched(h.JobShow))
	mux.HandleFunc("POST /jobs/{id}", sched(h.JobUpdate))
	mux.HandleFunc("POST /jobs/{id}/stages", sched(h.StageCreate))
	mux.HandleFunc("GET /stages/{id}", sched(h.StageShow))
	mux.HandleFunc("POST /stages/{id}", sched(h.StageUpdate))

	// Interviewers: profiles and working hours (their own, or any for
	// schedulers), and their calendars.
	mux.HandleFunc("GET /interviewers", sched(h.InterviewerList))
	mux.HandleFunc("GET /interviewers/{id}", user(h.InterviewerShow))
	mux.HandleFunc("POST /interviewers/{id}", user(h.InterviewerUpdate))
	mux.HandleFunc("GET /interviewers/{id}/calendars", user(ivCal.Show))
	mux.HandleFunc("POST /interviewers/{id}/calendars/feed", user(ivCal.FeedCreate))
	mux.HandleFunc("POST /interviewers/{id}/calendars/upload", user(ivCal.UploadCreate))
	mux.HandleFunc("POST /interviewers/{id}/calendars/caldav", user(ivCal.CalDAVCreate))
	mux.HandleFunc("POST /interviewers/{id}/calendars/keywords", user(cal.CalendarKeywordsUpdate))
	mux.HandleFunc("POST /calendars/{id}/sync", user(cal.CalendarSync))
	mux.HandleFunc("POST /calendars/{id}/select", user(cal.CalendarSelect))
	mux.HandleFunc("POST /calendars/{id}/delete", user(cal.CalendarDelete))

	// Rooms and their calendars (schedulers see them, admins change them).
	mux.HandleFunc("GET /rooms", sched(cal.RoomList))
	mux.HandleFunc("POST /rooms", admin(cal.RoomCreate))
	mux.HandleFunc("GET /rooms/{id}", sched(roomCal.Show))
	mux.HandleFunc("POST /rooms/{id}/calendars/feed", admin(roomCal.FeedCreate))
	mux.HandleFunc("POST /rooms/{id}/calendars/upload", admin(roomCal.UploadCreate))
	mux.HandleFunc("POST /rooms/{id}/calendars/caldav", admin(roomCal.CalDAVCreate))

	// Candidates.
	mux.HandleFunc("GET /candidates", sched(h.CandidateList))
	mux.HandleFunc("GET /candidates/new", sched(h.CandidateNew))
	mux.HandleFunc("POST /candidates", sched(h.CandidateCreate))
	mux.HandleFunc("GET /candidates/{id}", sched(h.CandidateShow))
	mux.HandleFunc("POST /candidates/{id}", sched(h.CandidateUpdate))
	mux.HandleFunc("POST /candidates/{id}/availability", sched(h.CandidateAvailabilityUpdate))

	// Scheduling: Find times, the schedule form, a schedule and its
	// meetings, rescheduling and cancelling.
	mux.HandleFunc("GET /candidates/{id}/find-times", sched(ft.FindTimesShow))
	mux.HandleFunc("GET /candidates/{id}/schedule", sched(h.ScheduleNew))
	mux.HandleFunc("POST /candidates/{id}/schedule", sched(h.ScheduleCreate))
	mux.HandleFunc("GET /schedules/{id}", sched(h.ScheduleShow))
	mux.HandleFunc("GET /schedules/{id}/edit", sched(h.ScheduleEdit))
	mux.HandleFunc("POST /schedules/{id}", sched(h.ScheduleUpdate))
	mux.HandleFunc("POST /schedules/{id}/cancel", sched(h.ScheduleCancel))
	mux.HandleFunc("POST /schedules/{id}/items/{item}/remove", sched(h.ScheduleItemRemove))
	mux.HandleFunc("POST /schedules/{id}/meetings/{meeting}/retry", sched(h.ScheduleMeetingRetry))

	// The candidate's itinerary (public: its token is the key) and the
	// interviewer's own list.
	mux.HandleFunc("GET /itinerary/{token}", h.ItineraryShow)
	mux.HandleFunc("GET /my/interviews", user(h.MyInterviewList))
	mux.HandleFunc("GET /my/interviews/{item}/start", user(h.MyInterviewStart))

	// Integrations: calendars overview, and Zoom (connect, check,
	// disconnect; Zoom calls the deauthorization endpoint itself, signed).
	mux.HandleFunc("GET /integrations/calendars", sched(cal.CalendarIntegrationsShow))
	mux.HandleFunc("POST /integrations/calendars/settings", admin(cal.CalendarSettingsUpdate))
	// Microsoft 365 (admin consent for the tenant, directory, mailbox).
	ms := f.Microsoft
	mux.HandleFunc("GET /integrations/microsoft", sched(ms.MicrosoftShow))
	if ms.Configured() {
		mux.HandleFunc("POST /integrations/microsoft/connect", admin(ms.MicrosoftConnect))
		mux.HandleFunc("GET "+msconnect.CallbackPath, admin(ms.MicrosoftCallback))
		mux.HandleFunc("POST /integrations/microsoft/check", admin(ms.MicrosoftCheck))
		mux.HandleFunc("POST /integrations/microsoft/mailbox", admin(ms.MicrosoftMailboxUpdate))
		mux.HandleFunc("POST /integrations/microsoft/refresh", admin(ms.MicrosoftDirectoryRefresh))
		mux.HandleFunc("POST /integrations/microsoft/disconnect", admin(ms.MicrosoftDisconnect))
		// Graph's notifications: public, checked by subscription and clientState.
		mux.HandleFunc("POST "+msconnect.NotifyPath, ms.MicrosoftNotify)
		mux.HandleFunc("POST "+msconnect.LifecyclePath, ms.MicrosoftNotify)
	}
	mux.HandleFunc("GET /integrations/zoom/faq", user(in.ZoomFAQ))
	if !in.Configured() {
		// Without Zoom settings the page explains how to configure Zoom.
		mux.HandleFunc("GET /integrations", user(in.ZoomUnconfiguredShow))
		mux.HandleFunc("GET /integrations/video/edit", user(in.ZoomUnconfiguredShow))
	} else {
		mux.HandleFunc("GET /integrations", user(in.IntegrationsShow))
		mux.HandleFunc("GET /integrations/video/edit", user(in.VideoEdit))
		mux.HandleFunc("POST /integrations/zoom/connect", admin(in.ZoomConnect))
		// The Zoom Marketplace's install link points here, so every
		// authorization starts with our state (Zoom's own "Add" sends none).
		mux.HandleFunc("GET /integrations/zoom/install", admin(in.ZoomConnect))
		mux.HandleFunc("POST /integrations/zoom/authorize", admin(in.ZoomAuthorize))
		mux.HandleFunc("GET "+zoomconnect.CallbackPath, user(in.ZoomCallback))
		mux.HandleFunc("POST /integrations/zoom/test", admin(in.ZoomConnectionTest))
		mux.HandleFunc("POST /integrations/zoom/refresh", admin(in.ZoomDirectoryRefresh))
		mux.HandleFunc("POST /integrations/zoom/disconnect", admin(in.ZoomDisconnect))
		mux.HandleFunc("POST /integrations/zoom/invite-admin", admin(in.ZoomAdminInvite))
		mux.HandleFunc("POST "+zoomconnect.DeauthorizePath, in.ZoomDeauthorize)
	}

	// Google Workspace: connect (Google's consent, or a service account key
	// under domain-wide delegation), read the directory, disconnect.
	if g := f.Google; g != nil {
		mux.HandleFunc("GET "+googleworkspace.Path, user(g.GoogleShow))
		mux.HandleFunc("POST "+googleworkspace.Path+"/connect", admin(g.GoogleConnect))
		mux.HandleFunc("GET "+googleconnect.CallbackPath, admin(g.GoogleCallback))
		mux.HandleFunc("POST "+googleworkspace.Path+"/service-account", admin(g.GoogleServiceAccountUpload))
		mux.HandleFunc("POST "+googleworkspace.Path+"/refresh", admin(g.GoogleDirectoryRefresh))
		mux.HandleFunc("POST "+googleworkspace.Path+"/scheduling-calendar", admin(g.GoogleSchedulingCalendar))
		mux.HandleFunc("POST "+googleworkspace.Path+"/invite", admin(g.GoogleInvite))
		mux.HandleFunc("POST "+googleworkspace.Path+"/disconnect", admin(g.GoogleDisconnect))
		// Google calls this itself; the channel's token authenticates it.
		mux.HandleFunc("POST "+googleconnect.PushPath, g.GooglePush)
	}

	// JSON API (/api/v1): a session or `Authorization: Bearer <token>`;
	// errors are RFC 9457 problem details. Described by openapi.json.
	mux.HandleFunc("GET /api/v1/openapi.json", h.OpenAPIDocument)
	mux.HandleFunc("GET /api/v1/me", user(s.MeJSON))
	mux.HandleFunc("GET /api/v1/users", admin(s.UserListJSON))
	mux.HandleFunc("GET /api/v1/users/{id}", admin(s.UserShowJSON))
	mux.HandleFunc("PATCH /api/v1/users/{id}", admin(s.UserUpdateJSON))
	mux.HandleFunc("POST /api/v1/invitations", admin(s.InvitationCreateJSON))

	// API: jobs and stages.
	mux.HandleFunc("GET /api/v1/jobs", sched(h.JobListJSON))
	mux.HandleFunc("POST /api/v1/jobs", sched(h.JobCreateJSON))
	mux.HandleFunc("GET /api/v1/jobs/{id}", sched(h.JobShowJSON))
	mux.HandleFunc("PATCH /api/v1/jobs/{id}", sched(h.JobUpdateJSON))
	mux.HandleFunc("POST /api/v1/jobs/{id}/stages", sched(h.StageCreateJSON))
	mux.HandleFunc("GET /api/v1/stages/{id}", sched(h.StageShowJSON))
	mux.HandleFunc("PUT /api/v1/stages/{id}", sched(h.StageUpdateJSON))
	mux.HandleFunc("GET /api/v1/rooms", sched(h.RoomListJSON))
	mux.HandleFunc("GET /api/v1/rooms/{id}/calendars", sched(roomCal.ListJSON))
	mux.HandleFunc("POST /api/v1/rooms/{id}/calendars", admin(roomCal.CreateJSON))
	mux.HandleFunc("GET /api/v1/rooms/{id}/busy", sched(roomCal.BusyJSON))
	mux.HandleFunc("GET /api/v1/zoom/hosts", sched(h.ZoomHostListJSON))

	// API: interviewers, their calendars and busy time.
	mux.HandleFunc("GET /api/v1/interviewers", sched(h.InterviewerListJSON))
	mux.HandleFunc("GET /api/v1/interviewers/{id}", user(h.InterviewerShowJSON))
	mux.HandleFunc("PUT /api/v1/interviewers/{id}", user(h.InterviewerUpdateJSON))
	mux.HandleFunc("GET /api/v1/interviewers/{id}/calendars", user(ivCal.ListJSON))
	mux.HandleFunc("POST /api/v1/interviewers/{id}/calendars", user(ivCal.CreateJSON))
	mux.HandleFunc("GET /api/v1/interviewers/{id}/busy", user(ivCal.BusyJSON))
	mux.HandleFunc("DELETE /api/v1/calendars/{id}", user(cal.CalendarDeleteJSON))
	mux.HandleFunc("PATCH /api/v1/calendars/{id}", user(cal.CalendarUpdateJSON))
	mux.HandleFunc("POST /api/v1/calendars/{id}/sync", user(cal.CalendarSyncJSON))

	// API: candidates and scheduling.
	mux.HandleFunc("GET /api/v1/candidates", sched(h.CandidateListJSON))
	mux.HandleFunc("POST /api/v1/candidates", sched(h.CandidateCreateJSON))
	mux.HandleFunc("GET /api/v1/candidates/{id}", sched(h.CandidateShowJSON))
	mux.HandleFunc("PATCH /api/v1/candidates/{id}", sched(h.CandidateUpdateJSON))
	mux.HandleFunc("GET /api/v1/candidates/{id}/schedules", sched(h.CandidateScheduleListJSON))
	mux.HandleFunc("GET /api/v1/candidates/{id}/find-times", sched(ft.FindTimesJSON))
	mux.HandleFunc("POST /api/v1/schedules/check", sched(h.ScheduleCheckJSON))
	mux.HandleFunc("POST /api/v1/schedules", sched(h.ScheduleCreateJSON))
	mux.HandleFunc("GET /api/v1/schedules/{id}", sched(h.ScheduleShowJSON))
	mux.HandleFunc("PUT /api/v1/schedules/{id}", sched(h.ScheduleUpdateJSON))
	mux.HandleFunc("POST /api/v1/schedules/{id}/cancel", sched(h.ScheduleCancelJSON))
	mux.HandleFunc("DELETE /api/v1/schedules/{id}/items/{item}", sched(h.ScheduleItemRemoveJSON))

	// API: the Zoom connection's state.
	if in.Configured() {
		mux.HandleFunc("GET /api/v1/integrations/zoom", user(in.ZoomStatusJSON))
	} else {
		mux.HandleFunc("GET /api/v1/integrations/zoom", user(in.ZoomUnconfiguredJSON))
	}

	// Any other /api/ path is a problem-JSON 404, not the HTML one.
	mux.HandleFunc("/api/", s.APINotFound)
}
