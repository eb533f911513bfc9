package domain_test

import (
	"slices"
	"testing"
	"time"

	"interviewplanner/domain"
)

func TestParseLocal(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		date, clock string
		want        time.Time
		ok          bool
	}{
		{"2026-03-09", "10:30", time.Date(2026, 3, 9, 14, 30, 0, 0, time.UTC), true},
		{"2026-02-31", "10:00", time.Time{}, false}, // 31 February
		{"2026-03-08", "02:30", time.Time{}, false}, // skipped by daylight saving time
		{"2026-11-01", "01:30", time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), true},
		{"2026-03-09", "25:00", time.Time{}, false},
		{"09/03/2026", "10:00", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := domain.ParseLocal(tt.date, tt.clock, ny)
		if (err == nil) != tt.ok || (tt.ok && !got.Equal(tt.want)) {
			t.Errorf("ParseLocal(%s, %s) = %v, %v; want %v ok=%v", tt.date, tt.clock, got, err, tt.want, tt.ok)
		}
		if err != nil && !domain.IsCode(err, domain.EINVALID) {
			t.Errorf("error code = %s", domain.ErrorCode(err))
		}
	}
}

func TestCheckConflicts(t *testing.T) {
	mon := time.Date(2030, 3, 4, 15, 0, 0, 0, time.UTC) // 10:00 in New York
	prof := domain.InterviewerProfile{UserID: 1, TimeZone: "America/New_York", Hours: domain.DefaultWorkingHours(), MaxPerDay: 1}
	in := domain.ConflictInput{
		ScheduleID: 9,
		Profiles:   map[int64]domain.InterviewerProfile{1: prof, 2: {UserID: 2, TimeZone: "UTC", Hours: domain.DefaultWorkingHours()}},
		Names:      map[int64]string{1: "Priya", 2: "Marcus"},
		Items: []domain.ProposedItem{
			{Name: "Coding", Start: mon, End: mon.Add(time.Hour), Interviewers: []int64{1}, RoomID: 5, HostID: "h1"},
			{Name: "Design", Start: mon.Add(9 * time.Hour), End: mon.Add(10 * time.Hour), Interviewers: []int64{1, 2}},
		},
		Interviewers: []domain.Booking{{Key: 1, ScheduleID: 3, Start: mon.Add(30 * time.Minute), End: mon.Add(90 * time.Minute)}, {Key: 2, ScheduleID: 9, Start: mon, End: mon.Add(time.Hour)}},
		Rooms:        []domain.Booking{{Key: 5, ScheduleID: 4, Start: mon, End: mon.Add(time.Hour)}},
		Hosts:        []domain.Booking{{HostID: "h1", ScheduleID: 4, Start: mon, End: mon.Add(time.Hour)}},
		RoomNames:    map[int64]string{5: "Ada"},
	}
	got := domain.CheckConflicts(in)
	var kinds []domain.ConflictKind
	for _, c := range got {
		kinds = append(kinds, c.Kind)
	}
	for _, want := range []domain.ConflictKind{domain.ConflictInterviewerBooked, domain.ConflictRoomTaken, domain.ConflictHostBusy, domain.ConflictOutsideHours, domain.ConflictDailyLimit} {
		if !slices.Contains(kinds, want) {
			t.Errorf("missing %s in %v", want, kinds)
		}
	}
	if !domain.HasBlocking(got) {
		t.Error("double booking should block")
	}
	// The schedule's own bookings (id 9) do not clash with it.
	for _, c := range got {
		if c.UserID == 2 && c.Kind == domain.ConflictInterviewerBooked {
			t.Errorf("own booking reported: %+v", c)
		}
	}
}

func TestHostPreference(t *testing.T) {
	hosts := []domain.VideoHost{{ID: "a", Email: "admin@example.com", Default: true}, {ID: "p", Email: "Priya@Example.com"}}
	if got := domain.HostPreference([]string{"noah@example.com", "priya@example.com"}, hosts); !slices.Equal(got, []string{"p", "a"}) {
		t.Fatalf("preference = %v", got)
	}
	if got := domain.HostPreference([]string{"noah@example.com"}, hosts); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("fallback = %v", got)
	}
}

func TestParseSpans(t *testing.T) {
	got, err := domain.ParseSpans("09:00-12:00, 13:00-24:00")
	if err != nil || len(got) != 2 || got[1].End != 24*60 || domain.FormatSpans(got) != "09:00-12:00, 13:00-24:00" {
		t.Fatalf("spans = %v, %v", got, err)
	}
	for _, bad := range []string{"17:00-09:00", "9-5", "09:00-25:00"} {
		if _, err := domain.ParseSpans(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestLoopRuleWarnings(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	at := func(day, h, m int) time.Time { return time.Date(2030, 3, day, h, m, 0, 0, ny) }
	item := func(name string, day, h, m, minutes int) domain.ProposedItem {
		return domain.ProposedItem{Name: name, Start: at(day, h, m), End: at(day, h, m).Add(time.Duration(minutes) * time.Minute)}
	}
	rules := func(items ...domain.ProposedItem) domain.ConflictInput {
		return domain.ConflictInput{Items: items, CandidateZone: "America/New_York",
			MaxGapMinutes: 60, LunchMinutes: 30, LunchStartMinute: 11*60 + 30, LunchEndMinute: 13*60 + 30}
	}
	kinds := func(cs []domain.Conflict) []domain.ConflictKind {
		var out []domain.ConflictKind
		for _, c := range cs {
			out = append(out, c.Kind)
			if c.Blocking {
				t.Errorf("loop rules only warn: %+v", c)
			}
		}
		return out
	}
	cases := []struct {
		name  string
		in    domain.ConflictInput
		want  []domain.ConflictKind
		items []int // the item each warning points at
	}{
		{"fits", rules(item("A", 4, 9, 0, 60), item("B", 4, 10, 30, 60), item("C", 4, 12, 0, 60)), nil, nil},
		{"gap exactly the limit", rules(item("A", 4, 9, 0, 60), item("B", 4, 11, 0, 30)), nil, nil},
		{"gap too long, order given unsorted", rules(item("B", 4, 11, 15, 15), item("A", 4, 9, 0, 60)), []domain.ConflictKind{domain.ConflictLongGap}, []int{0}},
		{"gap across days is fine", rules(item("A", 4, 9, 0, 60), item("B", 5, 9, 0, 60)), nil, nil},
		{"no lunch: back to back through midday", rules(item("A", 4, 11, 0, 60), item("B", 4, 12, 0, 60), item("C", 4, 13, 0, 60)), []domain.ConflictKind{domain.ConflictNoLunch}, []int{0}},
		{"lunch after the loop", rules(item("A", 4, 11, 0, 60), item("B", 4, 12, 0, 60)), nil, nil},
		{"lunch before the loop", rules(item("A", 4, 12, 0, 60), item("B", 4, 13, 0, 60)), nil, nil},
		{"lunch too short inside", rules(item("A", 4, 11, 0, 45), item("B", 4, 12, 0, 60), item("C", 4, 13, 15, 60)), []domain.ConflictKind{domain.ConflictNoLunch}, []int{0}},
		{"lunch exactly fits inside", rules(item("A", 4, 10, 30, 60), item("B", 4, 12, 0, 60), item("C", 4, 13, 0, 60)), nil, nil},
		{"morning only", rules(item("A", 4, 9, 0, 60), item("B", 4, 10, 0, 60)), nil, nil},
	}
	for _, c := range cases {
		got := domain.CheckConflicts(c.in)
		if k := kinds(got); !slices.Equal(k, c.want) {
			t.Errorf("%s: warnings %v, want %v (%+v)", c.name, k, c.want, got)
			continue
		}
		for i, it := range c.items {
			if got[i].Item != it {
				t.Errorf("%s: warning points at item %d, want %d", c.name, got[i].Item, it)
			}
		}
	}
	// Without rules nothing is checked.
	in := rules(item("A", 4, 9, 0, 60), item("B", 4, 15, 0, 60))
	in.MaxGapMinutes, in.LunchMinutes = 0, 0
	if got := domain.CheckConflicts(in); len(got) != 0 {
		t.Errorf("no rules, warnings %+v", got)
	}
}

func TestIntersect(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2030, 3, 5, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name           string
		a1, a2, b1, b2 time.Time
		start, end     time.Time
		ok             bool
	}{
		{"inside", at(9), at(17), at(10), at(12), at(10), at(12), true},
		{"overlapping", at(9), at(12), at(11), at(14), at(11), at(12), true},
		{"touching", at(9), at(12), at(12), at(14), time.Time{}, time.Time{}, false},
		{"apart", at(9), at(10), at(11), at(14), time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end, ok := domain.Intersect(tt.a1, tt.a2, tt.b1, tt.b2)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok && (!start.Equal(tt.start) || !end.Equal(tt.end)) {
				t.Errorf("Intersect = [%v, %v), want [%v, %v)", start, end, tt.start, tt.end)
			}
			if ok != domain.Overlaps(tt.a1, tt.a2, tt.b1, tt.b2) {
				t.Errorf("Intersect disagrees with Overlaps")
			}
		})
	}
}
