// Package outbox serves the admins' Outbox: while no SMTP server is
// configured, every email InterviewPlanner would have sent (invitations
// with their .ics, account invitations) is kept and listed here, one email
// can be read, and its calendar files downloaded.
package outbox

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

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

// Register adds the routes and the navigation entry (admins only).
func (f *Feature) Register(s *web.Server, mux *http.ServeMux) {
	f.s = s
	sub, _ := fs.Sub(templates, "templates")
	s.AddTemplates(sub)
	mux.HandleFunc("GET /outbox", s.RequireAdmin(f.outboxShow))
	mux.HandleFunc("GET /outbox/{id}", s.RequireAdmin(f.outboxEmailShow))
	mux.HandleFunc("GET /outbox/{id}/attachments/{n}", s.RequireAdmin(f.outboxAttachmentDownload))
	s.AddNav(web.NavItem{Label: "Outbox", Path: "/outbox", Order: 85, Show: (*domain.User).IsAdmin})
}

type listData struct {
	Emails []*outboxstore.Email
	Zone   string
}

// outboxShow: GET /outbox.
func (f *Feature) outboxShow(w http.ResponseWriter, r *http.Request) {
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

// outboxEmailShow: GET /outbox/{id}.
func (f *Feature) outboxEmailShow(w http.ResponseWriter, r *http.Request) {
	e, err := f.email(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.Render(w, r, http.StatusOK, "outbox_email", web.Page{Title: e.Subject, Active: "/outbox", Data: emailData{Email: e, Zone: zone(web.UserFrom(r.Context()))}})
}

// outboxAttachmentDownload: GET /outbox/{id}/attachments/{n}, the n-th
// file of an email (an invitation's .ics), as a download.
func (f *Feature) outboxAttachmentDownload(w http.ResponseWriter, r *http.Request) {
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
	if _, err := time.LoadLocation(u.TimeZone); err == nil && u.TimeZone != "" {
		return u.TimeZone
	}
	return "UTC"
}
