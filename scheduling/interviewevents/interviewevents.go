// Package interviewevents says what a schedule's events on a company
// calendar (Google Workspace, Microsoft 365) should be, whichever provider
// writes them: one event per interview with its interviewers and room
// invited, the video link in the location and the text, and internal
// details (the candidate's name, the schedule's page) for interviewers
// only; and a separate event for the candidate with candidate-facing text
// only. Each provider turns a Plan into its own API's events and keeps
// them in step by key.
package interviewevents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
)

// CandidateKey is the key of the candidate's event.
const CandidateKey = "candidate"

// ItemKey is the key of an interview's event.
func ItemKey(itemID int64) string { return fmt.Sprintf("item:%d", itemID) }

// ErrMeetingPending: a video meeting of the schedule has no link yet; the
// events carry it, so they wait for the meeting worker.
var ErrMeetingPending = errors.New("a video meeting is still being created")

// PausedError: the provider refuses writes until Until (Google's
// quotaExceeded makes the calendar read-only for hours).
type PausedError struct{ Until time.Time }

func (e *PausedError) Error() string {
	return fmt.Sprintf("the calendar provider paused writes until %s", e.Until.UTC().Format(time.RFC3339))
}

// JobResult is what a provider's events job returns for its sync's error:
// a snooze while a video link is still being made (the events carry it;
// for up to 60 attempts) or while writes are paused (attempts are not
// spent on a refusal that lasts hours), else err for River's retries.
func JobResult(err error, attempt int) error {
	var paused *PausedError
	switch {
	case errors.Is(err, ErrMeetingPending) && attempt < 60:
		return river.JobSnooze(5 * time.Second)
	case errors.As(err, &paused):
		return river.JobSnooze(time.Until(paused.Until))
	}
	return err
}

// Line is one interview as the candidate's event lists it.
type Line struct {
	Start   time.Time
	Name    string
	JoinURL string
}

// Event is one calendar event of a schedule.
type Event struct {
	Key        string
	ItemID     int64 // 0 for the candidate's event
	Summary    string
	Start, End time.Time
	// Location is the room's name and the join link.
	Location string
	JoinURL  string
	// Interview events: what the interview is and who is invited.
	Interview    string
	Interviewers []int64
	RoomID       int64
	// Candidate's event: the interviews, in order.
	Lines []Line
}

// Plan is every event a schedule should have, with who they invite.
type Plan struct {
	Events    []Event
	Candidate *domain.Candidate
	Names     map[int64]string // interviewers' names by user id
	Emails    map[int64]string // interviewers' emails by user id
	RoomNames map[int64]string
	// SchedulePage is the schedule's page, for interviewers.
	SchedulePage string
}

// Make plans a schedule's events: none once it is cancelled or gone (sc
// nil), ErrMeetingPending while a video link is still being made.
func Make(ctx context.Context, hs *hiringstore.Store, sc *domain.Schedule, baseURL string) (*Plan, error) {
	p := &Plan{}
	if sc == nil || !sc.Status.Live() {
		return p, nil
	}
	for _, it := range sc.Items {
		if st := it.Meeting.State; st == domain.MeetingPending || st == domain.MeetingCreating {
			return nil, ErrMeetingPending
		}
	}
	cand, err := hs.GetCandidate(ctx, sc.AccountID, sc.CandidateID)
	if err != nil {
		return nil, err
	}
	p.Candidate = cand
	if baseURL != "" {
		p.SchedulePage = fmt.Sprintf("%s/schedules/%d", strings.TrimSuffix(baseURL, "/"), sc.ID)
	}
	var userIDs []int64
	for _, it := range sc.Items {
		userIDs = append(userIDs, it.Interviewers...)
	}
	if p.Names, p.Emails, err = hs.ListUserContacts(ctx, sc.AccountID, userIDs); err != nil {
		return nil, err
	}
	rooms, err := hs.ListRooms(ctx, sc.AccountID)
	if err != nil {
		return nil, err
	}
	p.RoomNames = map[int64]string{}
	for _, r := range rooms {
		p.RoomNames[r.ID] = r.Name
	}
	items := append([]domain.ScheduleItem(nil), sc.Items...)
	sort.Slice(items, func(i, j int) bool { return items[i].Start.Before(items[j].Start) })
	var lines []Line
	for _, it := range items {
		loc := p.RoomNames[it.RoomID]
		if u := it.Meeting.JoinURL; u != "" {
			if loc == "" {
				loc = u
			} else {
				loc += " · " + u
			}
		}
		p.Events = append(p.Events, Event{Key: ItemKey(it.ID), ItemID: it.ID, Summary: fmt.Sprintf("Interview: %s — %s", cand.Name, it.Name),
			Start: it.Start, End: it.End, Location: loc, JoinURL: it.Meeting.JoinURL, Interview: it.Name,
			Interviewers: append([]int64(nil), it.Interviewers...), RoomID: it.RoomID})
		lines = append(lines, Line{Start: it.Start, Name: it.Name, JoinURL: it.Meeting.JoinURL})
	}
	if len(items) > 0 && cand.Email != "" {
		p.Events = append(p.Events, Event{Key: CandidateKey, Summary: "Your interviews", Start: items[0].Start, End: items[len(items)-1].End,
			Location: "See the invitation", Lines: lines})
	}
	return p, nil
}

// HTML is an event's text as HTML (Outlook's body).
func (p *Plan) HTML(e Event) string {
	if e.Key == CandidateKey {
		var b strings.Builder
		for _, l := range e.Lines {
			line := html.EscapeString(l.Start.UTC().Format("Mon 2 Jan 15:04 UTC") + " " + l.Name)
			if l.JoinURL != "" {
				line += ` — <a href="` + html.EscapeString(l.JoinURL) + `">join</a>`
			}
			b.WriteString("<li>" + line + "</li>")
		}
		return "<p>Your interviews:</p><ul>" + b.String() + "</ul>"
	}
	body := "<p>" + html.EscapeString(e.Interview) + " with " + html.EscapeString(p.Candidate.Name) + ".</p>"
	if u := e.JoinURL; u != "" {
		body += `<p>Join: <a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + `</a></p>`
	}
	return body
}

// Text is an event's text as plain text (Google Calendar's description):
// interviewers also get the schedule's page; the candidate's event says
// only when, what and how to join.
func (p *Plan) Text(e Event) string {
	if e.Key == CandidateKey {
		out := []string{"Your interviews:"}
		for _, l := range e.Lines {
			line := "• " + l.Start.UTC().Format("Mon 2 Jan 15:04 UTC") + " " + l.Name
			if l.JoinURL != "" {
				line += " — join: " + l.JoinURL
			}
			out = append(out, line)
		}
		return strings.Join(out, "\n")
	}
	out := []string{e.Interview + " with " + p.Candidate.Name + "."}
	if e.JoinURL != "" {
		out = append(out, "Join: "+e.JoinURL)
	}
	if room := p.RoomNames[e.RoomID]; room != "" {
		out = append(out, "Room: "+room)
	}
	if p.SchedulePage != "" {
		out = append(out, "Schedule (InterviewPlanner): "+p.SchedulePage)
	}
	return strings.Join(out, "\n")
}

// Fingerprint is a hash of what an event says, so an unchanged event is
// not written again.
func Fingerprint(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
