// Package outbox serves the admins' Outbox: while no SMTP server is
// configured, every email InterviewPlanner would have sent (invitations
// with their .ics, account invitations) is kept and listed here, one email
// can be read, and its calendar files downloaded.
package outbox

import (
	"embed"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store/outboxstore"
	"interviewplanner/web"
)

//go:embed templates/*.html
var templates embed.FS

// Feature is the Outbox page.
type Feature struct {
	Store *outboxstore.Store
	s     *web.Server
}

// pageSize is how many emails the list shows.
const pageSize = 200

// Setup adds the templates and the navigation entry (admins only); the
// routes are in web/routes.
func (f *Feature) Setup(s *web.Server) {
	f.s = s
	s.AddTemplates(templates)
	s.AddNav(web.NavItem{Label: "Outbox", Path: "/outbox", Order: 85, Show: (*domain.User).IsAdmin, Admin: true})
}

type listData struct {
	Emails []*outboxstore.Email
	Zone   string
}

// OutboxList: GET /outbox.
func (f *Feature) OutboxList(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	emails, err := f.Store.ListEmails(r.Context(), me.AccountID, pageSize)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.Render(w, r, http.StatusOK, "outbox", web.Page{Title: "Outbox", Active: "/outbox", Data: listData{Emails: emails, Zone: zone(me)}})
}

type emailData struct {
	Email *outboxstore.Email
	Zone  string
}

// OutboxEmailShow: GET /outbox/{id}.
func (f *Feature) OutboxEmailShow(w http.ResponseWriter, r *http.Request) {
	e, err := f.email(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.Render(w, r, http.StatusOK, "outbox_email", web.Page{Title: e.Subject, Active: "/outbox", Data: emailData{Email: e, Zone: zone(web.UserFrom(r.Context()))}})
}

// OutboxAttachmentDownload: GET /outbox/{id}/attachments/{n}, the n-th
// file of an email (an invitation's .ics), as a download.
func (f *Feature) OutboxAttachmentDownload(w http.ResponseWriter, r *http.Request) {
	e, err := f.email(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(e.Attachments) {
		f.s.Error(w, r, domain.Errorf(domain.ENOTFOUND, "This email has no such file."))
		return
	}
	a := e.Attachments[n]
	ct := "application/octet-stream"
	if strings.HasPrefix(a.ContentType, "text/calendar") {
		ct = a.ContentType
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeName(a.Name)))
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.Write(a.Data)
}

func (f *Feature) email(r *http.Request) (*outboxstore.Email, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return f.Store.GetEmail(r.Context(), web.UserFrom(r.Context()).AccountID, id)
}

// safeName keeps a download's file name to letters, digits, dot, dash.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
	if s == "" {
		return "attachment"
	}
	return s
}

func zone(u *domain.User) string {
	if _, err := domain.LoadLocation(u.TimeZone); err == nil && u.TimeZone != "" {
		return u.TimeZone
	}
	return "UTC"
}
