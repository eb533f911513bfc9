package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"interviewplanner/domain"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// StaticFiles serves the stylesheet and script under /static/.
func StaticFiles() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	fsrv := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	}))
}

// DateIn formats an instant in a zone, naming the zone: by its
// abbreviation where the zone has one people know (EST, CET, IST), else by
// its offset and name ("UTC−03 America/Sao_Paulo"), never by a bare "-03".
func DateIn(t time.Time, zone string) string {
	t, name := zoned(t, zone)
	return t.Format("Mon 2 Jan 2006, 15:04 ") + name
}

// rangeIn is a span in a zone, the zone named once: "Tue 5 Mar 2030,
// 12:00–18:00 UTC−03 America/Sao_Paulo", with the end's date too when it
// falls on another day.
func rangeIn(start, end time.Time, zone string) string {
	s, name := zoned(start, zone)
	e, endName := zoned(end, zone)
	sameDay := e.YearDay() == s.YearDay() && e.Year() == s.Year()
	// A window to the end of the day reads "–24:00", as it is entered.
	midnight := e.Hour() == 0 && e.Minute() == 0 && !sameDay && e.AddDate(0, 0, -1).YearDay() == s.YearDay()
	if (sameDay || midnight) && name == endName {
		endClock := e.Format("15:04")
		if midnight {
			endClock = "24:00"
		}
		return s.Format("Mon 2 Jan 2006, 15:04") + "–" + endClock + " " + name
	}
	return s.Format("Mon 2 Jan 2006, 15:04 ") + name + " – " + e.Format("Mon 2 Jan 2006, 15:04 ") + endName
}

// zoned returns t in zone and the zone's name for a reader: its
// abbreviation where it has one, else the offset and the zone's name
// (Go prints a bare "-03" for zones without an abbreviation).
func zoned(t time.Time, zone string) (time.Time, string) {
	loc, err := domain.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	t = t.In(loc)
	abbr, offset := t.Zone()
	if abbr != "" && abbr[0] != '+' && abbr[0] != '-' {
		return t, abbr
	}
	sign := "+"
	if offset < 0 {
		sign, offset = "−", -offset
	}
	off := fmt.Sprintf("UTC%s%02d", sign, offset/3600)
	if m := offset % 3600 / 60; m != 0 {
		off += fmt.Sprintf(":%02d", m)
	}
	return t, off + " " + loc.String()
}

var funcs = template.FuncMap{
	// inZone formats an instant in a time zone; pages show times in the
	// viewer's and the candidate's zones.
	"inZone": func(t time.Time, zone, layout string) string {
		loc, err := domain.LoadLocation(zone)
		if err != nil {
			loc = time.UTC
		}
		return t.In(loc).Format(layout)
	},
	"date":     func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 MST") },
	"dateIn":   DateIn,
	"rangeIn":  rangeIn,
	"join":     strings.Join,
	"lower":    strings.ToLower,
	"contains": strings.Contains,
	"add":      func(a, b int) int { return a + b },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	"roles": func() []domain.Role { return domain.Roles },
	"deref": func(p *time.Time) time.Time {
		if p == nil {
			return time.Time{}
		}
		return *p
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// parsePages pairs layout.html with every other template file; each page
// defines "title" and "content". A feature's files named "_*.html" are not
// pages but shared pieces ({{define}}s) parsed into each of its pages.
func parsePages(more template.FuncMap, extra ...fs.FS) (map[string]*template.Template, error) {
	layout, err := template.New("layout.html").Funcs(funcs).Funcs(more).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		pages[strings.TrimSuffix(base, ".html")] = t
	}
	for _, fsys := range extra {
		names, err := fs.Glob(fsys, "*.html")
		if err != nil {
			return nil, err
		}
		shared, err := fs.Glob(fsys, "_*.html")
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if strings.HasPrefix(n, "_") {
				continue
			}
			t, err := template.Must(layout.Clone()).ParseFS(fsys, append([]string{n}, shared...)...)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", n, err)
			}
			name := strings.TrimSuffix(n, ".html")
			if _, dup := pages[name]; dup {
				return nil, fmt.Errorf("template %s defined twice", n)
			}
			pages[name] = t
		}
	}
	return pages, nil
}

// Page is what every template receives.
type Page struct {
	Title   string
	User    *domain.User
	Nav     []NavItem
	Active  string
	Flash   string
	Error   string
	Fields  map[string]string
	Banners []Banner
	Demo    bool
	Data    any
	Request *http.Request
}

// NavMain is the navigation bar's own entries; NavAdmin those under its
// "Admin" menu.
func (p Page) NavMain() []NavItem  { return p.navWhere(false) }
func (p Page) NavAdmin() []NavItem { return p.navWhere(true) }

func (p Page) navWhere(admin bool) []NavItem {
	var out []NavItem
	for _, item := range p.Nav {
		if item.Admin == admin {
			out = append(out, item)
		}
	}
	return out
}

// AdminActive says whether the page shown is one of the Admin menu's.
func (p Page) AdminActive() bool {
	for _, item := range p.NavAdmin() {
		if item.Path == p.Active {
			return true
		}
	}
	return false
}

// Render writes a page with the layout, navigation and banners.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) {
	t, ok := s.pages[name]
	if !ok {
		s.Log.Error("unknown template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.User = UserFrom(r.Context())
	p.Request = r
	p.Demo = s.Config != nil && s.Config.Demo
	if p.User != nil {
		for _, item := range s.nav {
			if item.Show == nil || item.Show(p.User) {
				p.Nav = append(p.Nav, item)
			}
		}
		for _, b := range s.banners {
			p.Banners = append(p.Banners, b(r, p.User)...)
		}
	}
	if p.Active == "" {
		p.Active = "/" + strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
	}
	if p.Flash == "" {
		p.Flash = s.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.Log.Error("render", "template", name, "err", err, "request_id", RequestID(r.Context()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// JSON writes v as a JSON response.
func (s *Server) JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// statusByCode maps error codes to HTTP statuses, in one place.
var statusByCode = map[string]int{
	domain.EINVALID:      http.StatusUnprocessableEntity,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ETOOMANY:      http.StatusTooManyRequests,
	domain.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// statusOf is an error code's HTTP status; 500 for any other code.
func statusOf(code string) int {
	if st, ok := statusByCode[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	Instance  string            `json:"instance,omitempty"`
	Code      string            `json:"code"`
	Errors    map[string]string `json:"errors,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// Error answers with err: RFC 9457 JSON for the API, an HTML page
// otherwise. Internal errors are logged and shown as a generic message.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	status := statusOf(code)
	if abandoned(r, err) {
		// The client went away (closed the tab, gave up): nothing broke, and
		// nobody reads the answer.
		s.Log.Debug("request abandoned by the client", "request_id", RequestID(r.Context()), "path", r.URL.Path, "err", err)
		w.WriteHeader(statusClientClosed)
		return
	}
	if code == domain.EINTERNAL {
		s.Log.Error("internal error", "request_id", RequestID(r.Context()), "path", r.URL.Path, "err", err)
	}
	msg := domain.ErrorMessage(err)
	fields := domain.ErrorFields(err)
	if isAPI(r) || strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(Problem{Type: "https://interviewplanner.app/problems/" + code, Title: http.StatusText(status),
			Status: status, Detail: msg, Instance: r.URL.Path, Code: code, Errors: fields, RequestID: RequestID(r.Context())})
		return
	}
	s.Render(w, r, status, "error", Page{Title: http.StatusText(status), Error: msg, Fields: fields, Data: map[string]any{"Status": status, "RequestID": RequestID(r.Context())}})
}

// maxFormBytes bounds every form body.
const maxFormBytes = 64 << 10

// ParseForm reads a bounded form body; a malformed or oversized one is an
// EINVALID error.
func ParseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "The form could not be read (too large or malformed).")
	}
	return checkValues(r.Form)
}

// DecodeJSON reads a bounded JSON body into v, refusing unknown fields.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return domain.Errorf(domain.EINVALID, "Send the body as application/json.")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "The JSON body could not be read (too large or cut short).")
	}
	if !utf8.Valid(body) {
		return domain.Errorf(domain.EINVALID, "%s", badTextMessage)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return domain.Errorf(domain.EINVALID, "The JSON body is not valid: %s", jsonErrText(err))
	}
	if dec.More() {
		return domain.Errorf(domain.EINVALID, "The JSON body has trailing data.")
	}
	return checkJSONText(v)
}

func jsonErrText(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// PathIDAndForm reads the {id} of a POST route and its bounded form;
// either failing is the one error the handler reports.
func PathIDAndForm(w http.ResponseWriter, r *http.Request) (int64, error) {
	id, err := PathID(r, "id")
	if err == nil {
		err = ParseForm(w, r)
	}
	return id, err
}

// InterviewerID reads the {id} of an interviewer the signed-in user may
// see (domain.User.CanSeeInterviewer); anyone else's is "not found", as
// if there were no such interviewer.
func InterviewerID(r *http.Request) (int64, error) {
	id, err := PathID(r, "id")
	if err != nil {
		return 0, err
	}
	if !UserFrom(r.Context()).CanSeeInterviewer(id) {
		return 0, domain.Errorf(domain.ENOTFOUND, "Not found.")
	}
	return id, nil
}

// PathID reads a numeric path parameter; anything else is "not found".
func PathID(r *http.Request, name string) (int64, error) {
	var id int64
	v := r.PathValue(name)
	if v == "" || len(v) > 18 {
		return 0, domain.Errorf(domain.ENOTFOUND, "Not found.")
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, domain.Errorf(domain.ENOTFOUND, "Not found.")
		}
		id = id*10 + int64(c-'0')
	}
	return id, nil
}

// statusClientClosed is the status logs show for a request its client
// abandoned (nginx's 499); the client never sees it.
const statusClientClosed = 499

// abandoned reports whether err comes from the request's own context ending
// because the client disconnected.
func abandoned(r *http.Request, err error) bool {
	return errors.Is(err, context.Canceled) && errors.Is(r.Context().Err(), context.Canceled)
}
