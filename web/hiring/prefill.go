package hiring

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"interviewplanner/domain"
)

// prefill fills the scheduling form's rows from the query string, the way
// "Find times" hands over an option: p<interview id>_start (RFC 3339),
// p<interview id>_interviewers (repeated), p<interview id>_room and video
// (on or off, the Zoom switch). Rows
// the query does not mention are left out; the coordinator can still
// change anything before checking and confirming. On a schedule's edit
// form the rows keep their item ids, so saving moves the existing
// interviews (and their Zoom meetings) instead of adding new ones.
func prefill(r *http.Request, form *scheduleForm) {
	q := r.URL.Query()
	if len(q) == 0 {
		return
	}
	loc, err := domain.LoadLocation(form.Zone)
	if err != nil {
		loc = time.UTC
	}
	found := false
	for _, row := range form.Rows {
		key := "p" + strconv.FormatInt(row.Interview.ID, 10) + "_"
		start, err := time.Parse(time.RFC3339, q.Get(key+"start"))
		if err != nil {
			continue
		}
		found = true
		row.Place = true
		row.Start, row.End = start, start.Add(time.Duration(row.Interview.DurationMinutes)*time.Minute)
		row.Date, row.Time = start.In(loc).Format("2006-01-02"), start.In(loc).Format("15:04")
		var ids []int64
		for _, v := range q[key+"interviewers"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
				ids = append(ids, id)
			}
		}
		if len(ids) > 0 {
			row.Interviewers = ids
		}
		if room := q.Get(key + "room"); strings.HasPrefix(room, "r:") {
			row.Room = room
		}
	}
	if !found {
		return
	}
	// Find times' case-by-case Zoom switch: a hidden "off" then the
	// checkbox's "on", so the last value is the choice.
	if vs := q["video"]; len(vs) > 0 {
		form.Video = vs[len(vs)-1] == "on"
	}
	for _, row := range form.Rows {
		if row.Place && q.Get("p"+strconv.FormatInt(row.Interview.ID, 10)+"_start") == "" {
			row.Place = false
		}
	}
}
