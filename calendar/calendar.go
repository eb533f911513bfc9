// Package calendar turns iCalendar data (RFC 5545: a feed, an uploaded
// file or CalDAV objects) into the busy time it means for one person over
// a window: recurrence expanded, overrides and cancellations applied, free,
// cancelled and declined events left out, all-day events on the person's
// own dates.
//
// Parsing is go-ical's and recurrence rules are rrule-go's. The glue is
// ours because neither library gets real feeds right on its own: go-ical
// rejects several dates on one EXDATE, reads EXDATE where it means RDATE,
// knows no Windows zone names or VTIMEZONE-only zones and leaves
// RECURRENCE-ID overrides to the caller; rrule-go compares a UTC UNTIL
// against local times.
package calendar

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// MaxFeedBytes is the largest calendar file read; a feed is refused above it.
const MaxFeedBytes = 50 << 20

// maxSteps bounds the occurrences one rule may generate before the window
// ends, so FREQ=SECONDLY without an end cannot hang a sync.
const maxSteps = 200_000

// maxBlocks bounds the busy blocks one calendar may produce in a window.
const maxBlocks = 200_000

// Kind is how a block counts.
type Kind string

const (
	KindBusy      Kind = "busy"
	KindTentative Kind = "tentative" // busy unless the account counts tentative as free
)

// Block is one busy interval from a calendar.
type Block struct {
	UID        string
	Start, End time.Time // UTC
	Title      string    // empty when the event is private
	Private    bool      // CLASS:PRIVATE or CONFIDENTIAL: shown as "Busy"
	AllDay     bool
	Kind       Kind
}

// Options say whose calendar it is and which window to expand.
type Options struct {
	// Zone places floating times and all-day dates: the owner's zone.
	Zone *time.Location
	// Emails are the owner's addresses: an event they declined is free.
	Emails []string
	// From and To bound the expansion, whatever the rules say.
	From, To time.Time
}

// Decode reads one iCalendar file (at most MaxFeedBytes).
func Decode(r io.Reader) (cal *ical.Calendar, err error) {
	lr := &io.LimitedReader{R: r, N: MaxFeedBytes + 1}
	cal, err = decode(lr)
	if lr.N <= 0 {
		return nil, fmt.Errorf("the calendar is larger than %d MB", MaxFeedBytes>>20)
	}
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty or holds no VCALENDAR")
	}
	if err != nil {
		return nil, fmt.Errorf("not a valid iCalendar file: %w", err)
	}
	return cal, nil
}

// decode runs go-ical's decoder, which panics on some malformed lines
// (an index out of range on "0;0="): a bad file is an error, not a crash.
func decode(r io.Reader) (cal *ical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			cal, err = nil, fmt.Errorf("a malformed line (%v)", p)
		}
	}()
	return ical.NewDecoder(r).Decode()
}

// Read decodes r and returns its busy blocks.
func Read(r io.Reader, opt Options) ([]Block, error) {
	cal, err := Decode(r)
	if err != nil {
		return nil, err
	}
	return BusyBlocks([]*ical.Calendar{cal}, opt)
}

// event is one VEVENT with its times resolved.
type event struct {
	uid, title string
	private    bool
	status     eventStatus
	start      time.Time // wall clock
	startZone  zone
	allDay     bool
	length     time.Duration // on the wall clock when both ends share a zone
	wallLength bool
	rule       *rrule.ROption
	untilUTC   bool
	rdates     []time.Time        // instants
	exdates    map[int64]struct{} // instants (unix seconds)
	recurrence time.Time          // RECURRENCE-ID instant; zero on a master
}

type eventStatus int

const (
	statusBusy eventStatus = iota
	statusTentative
	statusFree // transparent or declined
	statusCancelled
)

// BusyBlocks returns the busy blocks of cals (the objects of one source)
// overlapping [opt.From, opt.To), sorted by start.
func BusyBlocks(cals []*ical.Calendar, opt Options) ([]Block, error) {
	if opt.Zone == nil {
		opt.Zone = time.UTC
	}
	if !opt.To.After(opt.From) {
		return nil, errors.New("the window is empty")
	}
	zs := &zones{defs: map[string]*ical.Component{}, cache: map[string]zone{}}
	for _, cal := range cals {
		for _, c := range cal.Children {
			if c.Name == ical.CompTimezone {
				zs.defs[propValue(c, ical.PropTimezoneID)] = c
			}
		}
	}
	r := reader{from: opt.From, to: opt.To, zones: zs, owner: locZone{opt.Zone}, emails: lowerSet(opt.Emails)}
	masters := map[string]*event{}
	var order []string
	overrides := map[string][]*event{}
	for _, cal := range cals {
		for _, c := range cal.Children {
			if c.Name != ical.CompEvent {
				continue
			}
			e, err := r.event(c)
			if err != nil {
				return nil, err
			}
			if e == nil {
				continue
			}
			if !e.recurrence.IsZero() {
				overrides[e.uid] = append(overrides[e.uid], e)
				continue
			}
			if _, dup := masters[e.uid]; !dup {
				order = append(order, e.uid)
			}
			masters[e.uid] = e
		}
	}
	// One allocation for the blocks, sized from the rules: growing a slice
	// of tens of thousands of blocks copies them again and again.
	size := 0
	for _, uid := range order {
		size += estimate(masters[uid], opt.From, opt.To)
	}
	for _, os := range overrides {
		size += len(os)
	}
	out := make([]Block, 0, min(size, maxBlocks))
	for _, uid := range order {
		m := masters[uid]
		var replaced map[int64]struct{}
		for _, o := range overrides[uid] {
			if replaced == nil {
				replaced = map[int64]struct{}{}
			}
			replaced[o.recurrence.Unix()] = struct{}{}
		}
		var err error
		if out, err = expand(out, m, replaced, opt.From, opt.To); err != nil {
			return nil, err
		}
		if len(out) > maxBlocks {
			return nil, fmt.Errorf("the calendar has more than %d events in the window", maxBlocks)
		}
	}
	// Overrides stand alone (also those whose master is missing, as when
	// one is invited to a single instance of someone else's series).
	for _, os := range overrides {
		for _, o := range os {
			if m, ok := masters[o.uid]; ok && m.status == statusCancelled {
				continue
			}
			if b, ok := o.block(o.start, opt.From, opt.To); ok {
				out = append(out, b)
			}
		}
	}
	return sorted(out), nil
}

// sorted orders blocks by start, then UID. It sorts small keys and moves
// each block once: blocks are large and feeds make tens of thousands.
func sorted(bs []Block) []Block {
	type key struct {
		start int64
		i     int32
	}
	keys := make([]key, len(bs))
	for i, b := range bs {
		keys[i] = key{b.Start.UnixNano(), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		return strings.Compare(bs[a.i].UID, bs[b.i].UID)
	})
	// Apply the order in place, one cycle at a time: no second copy of
	// the blocks.
	for i := range keys {
		if keys[i].i < 0 || int(keys[i].i) == i {
			continue
		}
		tmp := bs[i]
		j := i
		for {
			src := int(keys[j].i)
			keys[j].i = -1
			if src == i {
				bs[j] = tmp
				break
			}
			bs[j] = bs[src]
			j = src
		}
	}
	return bs
}

// estimate is about how many blocks e makes in [from, to), to size the
// slice they go in.
func estimate(e *event, from, to time.Time) int {
	n := 1 + len(e.rdates)
	if e.rule == nil {
		return n
	}
	days := int(to.Sub(from).Hours()/24) + 1
	interval := max(e.rule.Interval, 1)
	switch e.rule.Freq {
	case rrule.DAILY:
		return n + days/interval
	case rrule.WEEKLY:
		return n + (days/7/interval+1)*max(len(e.rule.Byweekday), 1)
	}
	return n + 4
}

// expand appends to out the master's occurrences in [from, to), leaving
// out excluded ones and those an override replaces.
func expand(out []Block, e *event, replaced map[int64]struct{}, from, to time.Time) ([]Block, error) {
	skip := func(at time.Time) bool {
		_, ex := e.exdates[at.Unix()]
		_, re := replaced[at.Unix()]
		return ex || re
	}
	if e.rule == nil && len(e.rdates) == 0 {
		if b, ok := e.block(e.start, from, to); ok && !skip(e.startZone.at(e.start)) {
			out = append(out, b)
		}
		return out, nil
	}
	// An RDATE may repeat an RRULE occurrence; a rule alone never does.
	var seen map[int64]struct{}
	if len(e.rdates) > 0 {
		seen = map[int64]struct{}{}
	}
	emit := func(w time.Time) {
		at := e.startZone.at(w)
		if skip(at) {
			return
		}
		if seen != nil {
			if _, dup := seen[at.Unix()]; dup {
				return
			}
			seen[at.Unix()] = struct{}{}
		}
		if b, ok := e.block(w, from, to); ok {
			out = append(out, b)
		}
	}
	// The span of one occurrence can reach back into the window; a day of
	// slack covers wall-clock and zone differences.
	lo := e.startZone.wallOf(from).Add(-e.length - 48*time.Hour)
	hi := e.startZone.wallOf(to).Add(48 * time.Hour)
	if e.rule != nil {
		opt := *e.rule
		opt.Dtstart = skipAhead(opt, e.start, lo)
		if e.untilUTC {
			opt.Until = e.startZone.wallOf(opt.Until)
		}
		rr, err := rrule.NewRRule(opt)
		if err != nil {
			return nil, fmt.Errorf("event %s: bad RRULE: %w", e.describe(), err)
		}
		next := rr.Iterator()
		for steps := 0; ; steps++ {
			if steps > maxSteps {
				return nil, fmt.Errorf("event %s repeats too often (more than %d times before the window ends)", e.describe(), maxSteps)
			}
			w, ok := next()
			if !ok || w.After(hi) {
				break
			}
			if w.Before(lo) {
				continue
			}
			emit(w)
		}
	} else {
		// RFC 5545: DTSTART is the first instance of a recurrence set.
		emit(e.start)
	}
	for _, at := range e.rdates {
		emit(e.startZone.wallOf(at))
	}
	return out, nil
}

// skipAhead moves the start of a DAILY or WEEKLY rule without COUNT
// forward by whole periods to just before lo: such rules repeat exactly
// each period, so the occurrences from lo on are the same, and a series
// begun years ago costs no more than a new one.
func skipAhead(opt rrule.ROption, start, lo time.Time) time.Time {
	if opt.Count > 0 || len(opt.Bysetpos) > 0 || !start.Before(lo) {
		return start
	}
	interval := max(opt.Interval, 1)
	var days int
	switch opt.Freq {
	case rrule.DAILY:
		days = interval
	case rrule.WEEKLY:
		days = 7 * interval
	default:
		return start
	}
	periods := int(lo.Sub(start).Hours()/24) / days
	if periods <= 1 {
		return start
	}
	return start.AddDate(0, 0, (periods-1)*days)
}

// block is the occurrence starting at wall clock w, if it overlaps the window.
func (e *event) block(w time.Time, from, to time.Time) (Block, bool) {
	if e.status == statusFree || e.status == statusCancelled || e.length <= 0 {
		return Block{}, false
	}
	start := e.startZone.at(w)
	end := start.Add(e.length)
	if e.wallLength {
		end = e.startZone.at(w.Add(e.length))
	}
	if !end.After(from) || !start.Before(to) || !end.After(start) {
		return Block{}, false
	}
	b := Block{UID: e.uid, Start: start, End: end, AllDay: e.allDay, Private: e.private, Kind: KindBusy}
	if !e.private {
		b.Title = e.title
	}
	if e.status == statusTentative {
		b.Kind = KindTentative
	}
	return b, true
}

func (e *event) describe() string {
	if e.title != "" && !e.private {
		return fmt.Sprintf("%q", e.title)
	}
	return fmt.Sprintf("with UID %q", e.uid)
}

type reader struct {
	from, to time.Time
	zones    *zones
	owner    zone
	emails   map[string]bool
}

// event reads a VEVENT; nil when it has no start (nothing to block).
func (r *reader) event(c *ical.Component) (*event, error) {
	e := &event{uid: propValue(c, ical.PropUID)}
	fail := func(err error) (*event, error) { return nil, fmt.Errorf("event %s: %w", e.describe(), err) }
	sp := c.Props.Get(ical.PropDateTimeStart)
	if sp == nil {
		return nil, nil
	}
	var err error
	if e.start, e.startZone, e.allDay, err = r.when(sp); err != nil {
		return fail(err)
	}
	switch ep, dp := c.Props.Get(ical.PropDateTimeEnd), c.Props.Get(ical.PropDuration); {
	case ep != nil:
		end, endZone, _, err := r.when(ep)
		if err != nil {
			return fail(err)
		}
		if endZone.name() == e.startZone.name() {
			e.length, e.wallLength = end.Sub(e.start), true
		} else {
			e.length = endZone.at(end).Sub(e.startZone.at(e.start))
		}
	case dp != nil:
		d, err := dp.Duration()
		if err != nil {
			return fail(fmt.Errorf("bad DURATION: %w", err))
		}
		e.length, e.wallLength = d, true
	case e.allDay:
		e.length, e.wallLength = 24*time.Hour, true
	}
	rp := c.Props.Get(ical.PropRecurrenceRule)
	if rp == nil && c.Props.Get(ical.PropRecurrenceDates) == nil && c.Props.Get(ical.PropRecurrenceID) == nil {
		// A single event outside the window needs nothing more (most of a
		// long-lived feed is in the past).
		if start := e.startZone.at(e.start); !start.Before(r.to) || !start.Add(e.length+48*time.Hour).After(r.from) {
			return nil, nil
		}
	}
	// The title is unescaped only for events that may reach the window.
	if t, err := c.Props.Text(ical.PropSummary); err == nil {
		e.title = strings.TrimSpace(t)
	}
	switch strings.ToUpper(propValue(c, ical.PropClass)) {
	case "PRIVATE", "CONFIDENTIAL":
		e.private = true
	}
	e.status = r.status(c)
	if rp != nil {
		if e.rule, err = rrule.StrToROptionInLocation(rp.Value, time.UTC); err != nil {
			return fail(fmt.Errorf("bad RRULE %q: %w", rp.Value, err))
		}
		e.untilUTC = strings.HasSuffix(strings.ToUpper(untilValue(rp.Value)), "Z")
	}
	for _, p := range c.Props.Values(ical.PropExceptionDates) {
		ats, err := r.instants(&p)
		if err != nil {
			return fail(fmt.Errorf("bad EXDATE: %w", err))
		}
		if e.exdates == nil {
			e.exdates = map[int64]struct{}{}
		}
		for _, at := range ats {
			e.exdates[at.Unix()] = struct{}{}
		}
	}
	for _, p := range c.Props.Values(ical.PropRecurrenceDates) {
		ats, err := r.instants(&p)
		if err != nil {
			return fail(fmt.Errorf("bad RDATE: %w", err))
		}
		e.rdates = append(e.rdates, ats...)
	}
	if rp := c.Props.Get(ical.PropRecurrenceID); rp != nil {
		w, z, _, err := r.when(rp)
		if err != nil {
			return fail(fmt.Errorf("bad RECURRENCE-ID: %w", err))
		}
		e.recurrence = z.at(w)
	}
	return e, nil
}

// status classifies an event for the owner.
func (r *reader) status(c *ical.Component) eventStatus {
	if strings.EqualFold(propValue(c, ical.PropStatus), "CANCELLED") {
		return statusCancelled
	}
	if strings.EqualFold(propValue(c, ical.PropTransparency), "TRANSPARENT") ||
		strings.EqualFold(propValue(c, "X-MICROSOFT-CDO-BUSYSTATUS"), "FREE") ||
		strings.EqualFold(propValue(c, "X-MICROSOFT-CDO-INTENDEDSTATUS"), "FREE") {
		return statusFree
	}
	tentative := strings.EqualFold(propValue(c, ical.PropStatus), "TENTATIVE") ||
		strings.EqualFold(propValue(c, "X-MICROSOFT-CDO-BUSYSTATUS"), "TENTATIVE")
	for _, a := range c.Props.Values(ical.PropAttendee) {
		addr := strings.ToLower(strings.TrimSpace(a.Value))
		addr = strings.TrimPrefix(addr, "mailto:")
		if !r.emails[addr] {
			continue
		}
		switch strings.ToUpper(a.Params.Get(ical.ParamParticipationStatus)) {
		case "DECLINED":
			return statusFree
		case "TENTATIVE":
			tentative = true
		}
	}
	if tentative {
		return statusTentative
	}
	return statusBusy
}

// when reads a DTSTART-like property: its wall clock, zone and whether it
// is a date (all day). Dates and floating times are the owner's.
func (r *reader) when(p *ical.Prop) (time.Time, zone, bool, error) {
	v := strings.TrimSpace(p.Value)
	w, err := parseWall(v)
	if err != nil {
		return time.Time{}, nil, false, err
	}
	if strings.EqualFold(p.Params.Get(ical.ParamValue), "DATE") || len(v) == 8 {
		return w, r.owner, true, nil
	}
	if strings.HasSuffix(v, "Z") {
		return w, utc, false, nil
	}
	if tzid := p.Params.Get(ical.ParamTimezoneID); tzid != "" {
		z, err := r.zones.lookup(tzid)
		if err != nil {
			return time.Time{}, nil, false, err
		}
		return w, z, false, nil
	}
	return w, r.owner, false, nil
}

// instants reads every value of a multi-valued EXDATE or RDATE line
// ("a,b,c"); a PERIOD value counts by its start.
func (r *reader) instants(p *ical.Prop) ([]time.Time, error) {
	var out []time.Time
	for _, v := range strings.Split(p.Value, ",") {
		v, _, _ = strings.Cut(strings.TrimSpace(v), "/")
		if v == "" {
			continue
		}
		one := *p
		one.Value = v
		w, z, _, err := r.when(&one)
		if err != nil {
			return nil, err
		}
		out = append(out, z.at(w))
	}
	return out, nil
}

func propValue(c *ical.Component, name string) string {
	if p := c.Props.Get(name); p != nil {
		return strings.TrimSpace(p.Value)
	}
	return ""
}

func lowerSet(ss []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			m[s] = true
		}
	}
	return m
}

// MatchKeyword returns the first of keywords found in title, ignoring case:
// such an event is soft, shown but not blocking.
func MatchKeyword(title string, keywords []string) (string, bool) {
	t := strings.ToLower(title)
	for _, k := range keywords {
		if k = strings.TrimSpace(k); k != "" && strings.Contains(t, strings.ToLower(k)) {
			return k, true
		}
	}
	return "", false
}
