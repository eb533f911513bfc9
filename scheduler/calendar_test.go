package scheduler_test

import (
	"slices"
	"testing"
	"time"

	"interviewplanner/scheduler"
)

func allWeek(from, to int) [7][]scheduler.ClockRange {
	var h [7][]scheduler.ClockRange
	for d := range h {
		h[d] = []scheduler.ClockRange{{StartMin: from, EndMin: to}}
	}
	return h
}

// single is one interviewer, one interview, one candidate.
func single(candLoc, ivLoc *time.Location, dur time.Duration, windows []scheduler.Interval, busy []scheduler.Interval, window scheduler.Interval) scheduler.Problem {
	return scheduler.Problem{
		Interviews:   []scheduler.Interview{{ID: 1, Duration: dur, Interviewers: 1, Pool: []int64{10}}},
		Interviewers: []scheduler.Interviewer{{ID: 10, Location: ivLoc, Hours: allWeek(9*60, 17*60), Busy: busy}},
		Candidate:    scheduler.Candidate{Location: candLoc, Windows: windows},
		Window:       window,
		TopN:         3,
	}
}

func TestCalendarEdges(t *testing.T) {
	ny := MustLoad(t, "America/New_York")
	london := MustLoad(t, "Europe/London")
	auckland := MustLoad(t, "Pacific/Auckland")
	kolkata := MustLoad(t, "Asia/Kolkata")
	kathmandu := MustLoad(t, "Asia/Kathmandu")
	iv := func(a, b time.Time) scheduler.Interval { return scheduler.Interval{Start: a, End: b} }
	day := func(y int, m time.Month, d int, loc *time.Location) scheduler.Interval {
		return iv(time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc))
	}
	tests := []struct {
		name  string
		p     scheduler.Problem
		want  time.Time // first option's start; zero = no schedule
		count int       // number of options, when it matters
	}{
		{
			name: "New York spring forward: 9:00 is EDT",
			p:    single(ny, ny, time.Hour, []scheduler.Interval{day(2026, 3, 8, ny)}, nil, day(2026, 3, 8, ny)),
			want: time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC),
		},
		{
			name: "New York fall back: 9:00 is EST",
			p:    single(ny, ny, time.Hour, []scheduler.Interval{day(2026, 11, 1, ny)}, nil, day(2026, 11, 1, ny)),
			want: time.Date(2026, 11, 1, 14, 0, 0, 0, time.UTC),
		},
		{
			name: "London spring forward: 9:00 is BST",
			p:    single(london, london, time.Hour, []scheduler.Interval{day(2026, 3, 29, london)}, nil, day(2026, 3, 29, london)),
			want: time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC),
		},
		{
			name: "London interviewer, New York candidate on the US switch day",
			p: single(ny, london, time.Hour, []scheduler.Interval{iv(time.Date(2026, 3, 8, 4, 0, 0, 0, ny), time.Date(2026, 3, 8, 12, 0, 0, 0, ny))},
				nil, day(2026, 3, 8, ny)),
			want: time.Date(2026, 3, 8, 5, 0, 0, 0, ny), // 09:00 GMT
		},
		{
			name: "Auckland and London 13 hours apart, different dates",
			p: single(london, auckland, time.Hour, []scheduler.Interval{iv(time.Date(2026, 1, 12, 18, 0, 0, 0, london), time.Date(2026, 1, 12, 21, 0, 0, 0, london))},
				nil, day(2026, 1, 12, london)),
			want: time.Date(2026, 1, 13, 9, 0, 0, 0, auckland), // Monday 20:00 GMT
		},
		{
			name: "+5:30 candidate, +5:45 interviewer, window filled exactly",
			p: single(kolkata, kathmandu, time.Hour, []scheduler.Interval{iv(time.Date(2026, 4, 6, 8, 45, 0, 0, kolkata), time.Date(2026, 4, 6, 9, 45, 0, 0, kolkata))},
				nil, day(2026, 4, 6, kolkata)),
			want:  time.Date(2026, 4, 6, 9, 0, 0, 0, kathmandu),
			count: 1,
		},
		{
			name: "all-day busy event moves the interview to the next day",
			p: single(ny, ny, time.Hour, []scheduler.Interval{day(2026, 4, 7, ny), day(2026, 4, 8, ny)},
				[]scheduler.Interval{day(2026, 4, 7, ny)}, iv(time.Date(2026, 4, 7, 0, 0, 0, 0, ny), time.Date(2026, 4, 9, 0, 0, 0, 0, ny))),
			want: time.Date(2026, 4, 8, 9, 0, 0, 0, ny),
		},
		{
			name: "overnight busy event blocks the morning",
			p: single(ny, ny, time.Hour, []scheduler.Interval{day(2026, 4, 7, ny)},
				[]scheduler.Interval{iv(time.Date(2026, 4, 6, 22, 0, 0, 0, ny), time.Date(2026, 4, 7, 10, 5, 0, 0, ny))}, day(2026, 4, 7, ny)),
			want: time.Date(2026, 4, 7, 10, 15, 0, 0, ny),
		},
		{
			name: "zero-length busy event blocks nothing",
			p: single(ny, ny, time.Hour, []scheduler.Interval{day(2026, 4, 7, ny)},
				[]scheduler.Interval{iv(time.Date(2026, 4, 7, 9, 30, 0, 0, ny), time.Date(2026, 4, 7, 9, 30, 0, 0, ny))}, day(2026, 4, 7, ny)),
			want: time.Date(2026, 4, 7, 9, 0, 0, 0, ny),
		},
		{
			name: "interview exactly filling a window",
			p: single(ny, ny, 45*time.Minute, []scheduler.Interval{iv(time.Date(2026, 4, 7, 10, 0, 0, 0, ny), time.Date(2026, 4, 7, 10, 45, 0, 0, ny))},
				nil, day(2026, 4, 7, ny)),
			want:  time.Date(2026, 4, 7, 10, 0, 0, 0, ny),
			count: 1,
		},
		{
			name: "zero-length window is ignored",
			p: single(ny, ny, 30*time.Minute, []scheduler.Interval{
				iv(time.Date(2026, 4, 7, 10, 0, 0, 0, ny), time.Date(2026, 4, 7, 10, 0, 0, 0, ny)),
				iv(time.Date(2026, 4, 7, 14, 0, 0, 0, ny), time.Date(2026, 4, 7, 14, 30, 0, 0, ny))}, nil, day(2026, 4, 7, ny)),
			want:  time.Date(2026, 4, 7, 14, 0, 0, 0, ny),
			count: 1,
		},
		{
			name: "only a zero-length window: nothing fits",
			p: single(ny, ny, 30*time.Minute, []scheduler.Interval{iv(time.Date(2026, 4, 7, 10, 0, 0, 0, ny), time.Date(2026, 4, 7, 10, 0, 0, 0, ny))},
				nil, day(2026, 4, 7, ny)),
		},
		{
			name: "five-minute grid",
			p: func() scheduler.Problem {
				p := single(ny, ny, 30*time.Minute, []scheduler.Interval{iv(time.Date(2026, 4, 7, 10, 5, 0, 0, ny), time.Date(2026, 4, 7, 10, 35, 0, 0, ny))}, nil, day(2026, 4, 7, ny))
				p.Granularity = 5 * time.Minute
				return p
			}(),
			want:  time.Date(2026, 4, 7, 10, 5, 0, 0, ny),
			count: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := MustFind(t, tt.p)
			for k, o := range res.Options {
				if err := checkOption(&tt.p, o); err != nil {
					t.Fatalf("option %d: %v", k, err)
				}
			}
			if tt.want.IsZero() {
				if len(res.Options) != 0 || res.Explanation == nil {
					t.Fatalf("got %d options and explanation %v, want none and an explanation", len(res.Options), res.Explanation)
				}
				return
			}
			if len(res.Options) == 0 {
				t.Fatalf("no options: %+v", res.Explanation)
			}
			if got := res.Options[0].Items[0].Start; !got.Equal(tt.want) {
				t.Fatalf("starts %v, want %v", got.UTC(), tt.want.UTC())
			}
			if tt.count > 0 && len(res.Options) != tt.count {
				t.Fatalf("%d options, want %d", len(res.Options), tt.count)
			}
		})
	}
}

func TestExplanations(t *testing.T) {
	ny := MustLoad(t, "America/New_York")
	mon := time.Date(2026, 4, 6, 0, 0, 0, 0, ny)
	at := func(d, h int) time.Time { return mon.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour) }
	base := func() scheduler.Problem {
		return scheduler.Problem{
			Interviews: []scheduler.Interview{
				{ID: 1, Name: "Coding", Duration: time.Hour, Interviewers: 1, Pool: []int64{10, 11}},
				{ID: 2, Name: "Design", Duration: time.Hour, Interviewers: 1, Pool: []int64{12}},
			},
			Rules: scheduler.Rules{SameDay: true, MaxGap: time.Hour},
			Interviewers: []scheduler.Interviewer{
				{ID: 10, Location: ny, Hours: allWeek(540, 1020)},
				{ID: 11, Location: ny, Hours: allWeek(540, 1020)},
				{ID: 12, Location: ny, Hours: allWeek(540, 1020)},
				{ID: 13, Location: ny, Hours: allWeek(540, 1020)},
			},
			Candidate: scheduler.Candidate{Location: ny, Windows: []scheduler.Interval{{Start: at(0, 9), End: at(0, 17)}, {Start: at(1, 9), End: at(1, 17)}}},
			Window:    scheduler.Interval{Start: mon, End: mon.AddDate(0, 0, 1)},
		}
	}
	tests := []struct {
		name      string
		change    func(*scheduler.Problem)
		interview int64
		reason    scheduler.Reason
		relax     scheduler.RelaxKind
	}{
		{"no qualified interviewer free", func(p *scheduler.Problem) {
			p.Interviewers[2].Busy = []scheduler.Interval{{Start: at(0, 0), End: at(1, 0)}}
		}, 2, scheduler.ReasonNoInterviewerFree, scheduler.RelaxExtendWindow},
		{"pool at weekly limit", func(p *scheduler.Problem) {
			p.Interviewers[2].WeeklyCap = 3
			p.Interviewers[2].Existing = []scheduler.DayCount{{Date: scheduler.Date{Year: 2026, Month: 4, Day: 6}, Count: 3}}
		}, 2, scheduler.ReasonPoolAtLimit, scheduler.RelaxAddInterviewer},
		{"no room", func(p *scheduler.Problem) {
			p.Rooms = []scheduler.Room{{ID: 5, Busy: []scheduler.Interval{{Start: at(0, 0), End: at(3, 0)}}}}
			p.Interviews[0].Rooms = []int64{5}
		}, 1, scheduler.ReasonNoRoom, ""},
		{"same day impossible", func(p *scheduler.Problem) {
			p.Window.End = mon.AddDate(0, 0, 2)
			p.Interviewers[2].Busy = []scheduler.Interval{{Start: at(0, 0), End: at(0, 13)}, {Start: at(1, 10), End: at(2, 0)}}
			p.Interviewers[0].Busy = []scheduler.Interval{{Start: at(0, 11), End: at(1, 12)}}
			p.Interviewers[1].Busy = p.Interviewers[0].Busy
		}, 0, scheduler.ReasonLoopRules, scheduler.RelaxDropSameDay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.change(&p)
			res := MustFind(t, p)
			if len(res.Options) != 0 {
				t.Fatalf("expected no schedule, got %+v", res.Options[0])
			}
			e := res.Explanation
			if e == nil || !slices.ContainsFunc(e.Blockers, func(b scheduler.Blocker) bool { return b.InterviewID == tt.interview && b.Reason == tt.reason }) {
				t.Fatalf("blockers %+v, want interview %d blocked by %s", e, tt.interview, tt.reason)
			}
			for _, b := range e.Blockers {
				if b.Message == "" {
					t.Fatalf("blocker without a message: %+v", b)
				}
			}
			if tt.relax == "" {
				return
			}
			i := slices.IndexFunc(e.Relaxations, func(r scheduler.Relaxation) bool { return r.Kind == tt.relax })
			if i < 0 {
				t.Fatalf("relaxations %+v, want %s", e.Relaxations, tt.relax)
			}
			// The relaxation must really produce a schedule.
			q := p
			switch r := e.Relaxations[i]; r.Kind {
			case scheduler.RelaxExtendWindow:
				q.Window.End = q.Window.End.Add(24 * time.Hour)
			case scheduler.RelaxDropSameDay:
				q.Rules.SameDay = false
			case scheduler.RelaxAddInterviewer:
				q.Interviews = slices.Clone(p.Interviews)
				k := slices.IndexFunc(q.Interviews, func(x scheduler.Interview) bool { return x.ID == r.InterviewID })
				q.Interviews[k].Pool = append(slices.Clone(q.Interviews[k].Pool), r.InterviewerID)
			}
			got := MustFind(t, q)
			if len(got.Options) == 0 || got.Options[0].Score != e.Relaxations[i].BestScore {
				t.Fatalf("relaxation %+v does not reproduce: %d options", e.Relaxations[i], len(got.Options))
			}
			if err := checkOption(&q, got.Options[0]); err != nil {
				t.Fatal(err)
			}
		})
	}
}
