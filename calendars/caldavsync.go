package calendars

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	ical "github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"

	"interviewplanner/calendar"
)

// Incremental CalDAV reads (RFC 6578, collection synchronization).
// go-webdav v0.6.0 has sync-collection for CardDAV only (its CalDAV client
// does not expose it), so the two requests it needs are made here: a
// PROPFIND of DAV:sync-token and the sync-collection REPORT. Objects are
// still parsed by go-ical, and objects the server lists without their data
// are fetched with go-webdav's calendar-multiget.

// errSyncUnavailable: the server cannot answer from this token — it
// expired or was never valid (403/409 with the DAV:valid-sync-token
// precondition), or the server has no sync-collection. A whole read
// follows.
var errSyncUnavailable = errors.New("incremental sync is not available")

// davSync makes the two requests.
type davSync struct {
	http *guarded
	base string // the account's server address
}

// maxSyncRounds bounds the follow-up requests of a server that truncates
// its answers (507 on the collection itself: "more to come").
const maxSyncRounds = 20

// syncChanges is what changed in one calendar since a token.
type syncChanges struct {
	changed []calObject
	removed []string // hrefs (paths)
	token   string
}

// multistatus is the part of a WebDAV multistatus answer read here.
type multistatus struct {
	Responses []struct {
		Hrefs     []string `xml:"DAV: href"`
		Status    string   `xml:"DAV: status"`
		Propstats []struct {
			Status string `xml:"DAV: status"`
			Prop   struct {
				SyncToken string `xml:"DAV: sync-token"`
				Data      string `xml:"urn:ietf:params:xml:ns:caldav calendar-data"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: propstat"`
	} `xml:"DAV: response"`
	SyncToken string `xml:"DAV: sync-token"`
}

// statusCode reads "HTTP/1.1 404 Not Found" as 404 (0 when unreadable).
func statusCode(line string) int {
	var proto string
	var code int
	if _, err := fmt.Sscanf(line, "%s %d", &proto, &code); err != nil {
		return 0
	}
	return code
}

func (d *davSync) do(ctx context.Context, method, path, depth, body string) (*multistatus, error) {
	u, err := url.Parse(d.base)
	if err != nil {
		return nil, err
	}
	u = u.ResolveReference(&url.URL{Path: path})
	req, err := http.NewRequestWithContext(ctx, method, u.String(), strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	req.Header.Set("Depth", depth)
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusMultiStatus {
		return nil, sentencef("the server answered %s to %s instead of a multistatus", resp.Status, method)
	}
	var ms multistatus
	if err := xml.NewDecoder(resp.Body).Decode(&ms); err != nil {
		return nil, sentencef("the CalDAV server's answer could not be read: %w", err)
	}
	return &ms, nil
}

// token returns the calendar's current sync token, or "" when the server
// does not give one (it then has no sync-collection either).
func (d *davSync) token(ctx context.Context, path string) (string, error) {
	ms, err := d.do(ctx, "PROPFIND", path, "0",
		`<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>`)
	if err != nil {
		return "", err
	}
	for _, r := range ms.Responses {
		for _, ps := range r.Propstats {
			if statusCode(ps.Status) == http.StatusOK && ps.Prop.SyncToken != "" {
				return strings.TrimSpace(ps.Prop.SyncToken), nil
			}
		}
	}
	return "", nil
}

// changes asks the calendar at path what changed since token: the
// objects added or changed (with their data) and the hrefs removed.
func (d *davSync) changes(ctx context.Context, c *caldav.Client, path, token string) (*syncChanges, error) {
	out := &syncChanges{}
	self := strings.TrimSuffix(path, "/")
	var missing []string // listed without their data
	for round := 0; ; round++ {
		var esc bytes.Buffer
		_ = xml.EscapeText(&esc, []byte(token))
		ms, err := d.do(ctx, "REPORT", path, "0", `<?xml version="1.0" encoding="utf-8"?>`+
			`<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">`+
			`<D:sync-token>`+esc.String()+`</D:sync-token><D:sync-level>1</D:sync-level>`+
			`<D:prop><D:getetag/><C:calendar-data/></D:prop></D:sync-collection>`)
		var se *httpStatusError
		if errors.As(err, &se) && se.code != http.StatusUnauthorized && (se.code < 500 || se.code == http.StatusNotImplemented) {
			// A token the server no longer accepts (403 or 409 with the
			// DAV:valid-sync-token precondition), or no sync-collection
			// on this server (400, 405, 501…): read the calendar whole.
			return nil, errSyncUnavailable
		}
		if err != nil {
			return nil, err
		}
		if ms.SyncToken == "" {
			return nil, sentencef("the CalDAV server's sync answer has no sync-token")
		}
		more := false
		for _, r := range ms.Responses {
			for _, h := range r.Hrefs {
				p, err := hrefPath(h)
				if err != nil {
					return nil, err
				}
				if strings.TrimSuffix(p, "/") == self {
					more = more || statusCode(r.Status) == http.StatusInsufficientStorage
					continue
				}
				if statusCode(r.Status) == http.StatusNotFound {
					out.removed = append(out.removed, p)
					continue
				}
				data := ""
				for _, ps := range r.Propstats {
					if statusCode(ps.Status) == http.StatusOK && ps.Prop.Data != "" {
						data = ps.Prop.Data
					}
				}
				if data == "" {
					missing = append(missing, p)
					continue
				}
				cal, err := calendar.Decode(strings.NewReader(data))
				if err != nil {
					return nil, fmt.Errorf("%s: %w", p, err)
				}
				out.changed = append(out.changed, calObject{href: p, cal: cal})
			}
		}
		token = strings.TrimSpace(ms.SyncToken)
		if !more || round == maxSyncRounds {
			break
		}
	}
	out.token = token
	if len(missing) > 0 {
		objs, err := c.MultiGetCalendar(ctx, path, &caldav.CalendarMultiGet{Paths: missing,
			CompRequest: caldav.CalendarCompRequest{Name: ical.CompCalendar, AllProps: true, AllComps: true}})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			if o.Data != nil {
				out.changed = append(out.changed, calObject{href: o.Path, cal: o.Data})
			}
		}
	}
	return out, nil
}

// hrefPath is an href as the path calendar-query answers name objects by.
func hrefPath(href string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", sentencef("the CalDAV server named an object %q: %w", href, err)
	}
	return u.Path, nil
}
