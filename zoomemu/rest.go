package zoomemu

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"interviewplanner/emuhttp"
	"interviewplanner/zoomspec"
)

// Rate-limit labels (Zoom's names).
const (
	light  = "Light"
	medium = "Medium"
)

// qpsLimits are Zoom's per-second limits per plan and label.
var qpsLimits = map[string]map[string]int{
	"free":     {light: 4, medium: 2},
	"pro":      {light: 30, medium: 20},
	"business": {light: 80, medium: 60},
}

// dailyMeetingWrites is Zoom's per-host cap on meeting creates and updates
// per UTC day.
const dailyMeetingWrites = 100

// classicScope is the classic scope that also grants a granular one.
var classicScope = map[string]string{
	"user:read:user:admin":             "user:read:admin",
	"user:read:list_users:admin":       "user:read:admin",
	"user:read:list_permissions:admin": "user:read:admin",
	"meeting:write:meeting:admin":      "meeting:write:admin",
	"meeting:update:meeting:admin":     "meeting:write:admin",
	"meeting:delete:meeting:admin":     "meeting:write:admin",
	"meeting:read:meeting:admin":       "meeting:read:admin",
	"meeting:read:list_meetings:admin": "meeting:read:admin",
	"zoom_rooms:read:list_rooms:admin": "room:read:admin",
}

// caller is the token's identity for one API call.
type caller struct {
	accountID, userID string
}

type apiHandler func(w http.ResponseWriter, r *http.Request, c caller)

// writeZoomError writes Zoom's REST error body.
func writeZoomError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":500,"message":"Internal Server Error."}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// readJSON reads the request body into v; a body that does not fit v gets
// Zoom's invalid-body error, and false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.Unmarshal(emuhttp.Body(r), v); err != nil {
		writeZoomError(w, http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
		return false
	}
	return true
}

func writeValidation(w http.ResponseWriter, errs []zoomspec.FieldError) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"code": 300, "message": "Validation Failed.", "errors": errs})
}

// api wraps a REST operation: bearer token (124), scope (4711), per-second
// rate limit (429), then validation against the official description (300).
func (e *Emulator) api(label, scope string, h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := e.authenticate(w, r, scope)
		if !ok {
			return
		}
		if !e.takeQPS(w, c.accountID, label) {
			return
		}
		if !e.validate(w, r) {
			return
		}
		h(w, r, c)
	}
}

func (e *Emulator) authenticate(w http.ResponseWriter, r *http.Request, scope string) (caller, bool) {
	auth := r.Header.Get("Authorization")
	tok, found := strings.CutPrefix(auth, "Bearer ")
	if !found {
		tok, found = strings.CutPrefix(auth, "bearer ")
	}
	if !found || tok == "" {
		writeZoomError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return caller{}, false
	}
	e.mu.Lock()
	t, ok := e.st.access[tok]
	var expired bool
	var scopes []string
	if ok {
		expired = !e.Now().Before(t.expires)
		scopes = t.scopes
	}
	e.mu.Unlock()
	switch {
	case !ok || t.revoked:
		writeZoomError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return caller{}, false
	case expired:
		writeZoomError(w, http.StatusUnauthorized, 124, "Access token is expired.")
		return caller{}, false
	}
	if scope != "" && !slices.Contains(scopes, scope) && !slices.Contains(scopes, classicScope[scope]) {
		writeZoomError(w, http.StatusBadRequest, 4711, fmt.Sprintf("Invalid access token, does not contain scopes:[%s].", scope))
		return caller{}, false
	}
	return caller{accountID: t.accountID, userID: t.userID}, true
}

// takeQPS counts a call against the account's per-second budget for label.
func (e *Emulator) takeQPS(w http.ResponseWriter, accountID, label string) bool {
	e.mu.Lock()
	sec := e.Now().Unix()
	if sec != e.st.qpsSecond {
		e.st.qpsSecond = sec
		clear(e.st.qps)
	}
	plan := "pro"
	if a := e.st.accounts[accountID]; a != nil {
		plan = a.Plan
	}
	limit := qpsLimits[plan][label]
	key := accountID + "|" + label
	used := e.st.qps[key]
	if used < limit {
		e.st.qps[key] = used + 1
	}
	e.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Category", label)
	h.Set("X-RateLimit-Type", "QPS")
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	if used >= limit {
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", "1")
		writeZoomError(w, http.StatusTooManyRequests, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
		return false
	}
	h.Set("X-RateLimit-Remaining", strconv.Itoa(limit-used-1))
	return true
}

// SetDailyUse sets how many meeting creates and updates a user has made
// today (UTC).
func (e *Emulator) SetDailyUse(userID string, used int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if day := e.Now().UTC().Format(time.DateOnly); day != e.st.dailyDay {
		e.st.dailyDay = day
		clear(e.st.daily)
	}
	e.st.daily[userID] = used
}

// takeDaily counts a meeting create or update against the host's UTC-day cap.
func (e *Emulator) takeDaily(w http.ResponseWriter, hostID string) bool {
	e.mu.Lock()
	now := e.Now().UTC()
	day := now.Format(time.DateOnly)
	if day != e.st.dailyDay {
		e.st.dailyDay = day
		clear(e.st.daily)
	}
	used := e.st.daily[hostID]
	if used < dailyMeetingWrites {
		e.st.daily[hostID] = used + 1
	}
	e.mu.Unlock()
	if used >= dailyMeetingWrites {
		h := w.Header()
		h.Set("X-RateLimit-Type", "Daily-limit")
		h.Set("X-RateLimit-Limit", strconv.Itoa(dailyMeetingWrites))
		h.Set("X-RateLimit-Remaining", "0")
		midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
		h.Set("Retry-After", midnight.Format("2006-01-02T15:04:05Z"))
		writeZoomError(w, http.StatusTooManyRequests, 429, fmt.Sprintf("You have exceeded the daily rate limit (%d) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.", dailyMeetingWrites))
		return false
	}
	return true
}

// validate checks the request against Zoom's description.
func (e *Emulator) validate(w http.ResponseWriter, r *http.Request) bool {
	body := emuhttp.Body(r)
	if len(body) > 0 {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			writeZoomError(w, http.StatusBadRequest, 300, "Unsupported Content Type")
			return false
		}
		if !json.Valid(body) || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
			writeZoomError(w, http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
			return false
		}
	} else if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		writeZoomError(w, http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
		return false
	}
	var specBody []byte
	if len(body) > 0 {
		specBody = body
	}
	spec, err := e.spec()
	if err != nil {
		writeZoomError(w, http.StatusInternalServerError, 500, err.Error())
		return false
	}
	if err := spec.ValidateRequest(r, specBody); err != nil {
		writeValidation(w, zoomspec.FieldErrors(err))
		return false
	}
	return true
}

// resolveUserLocked finds a user by id, email or "me" within the caller's account.
func (e *Emulator) resolveUserLocked(c caller, ref string) *User {
	if ref == "me" {
		ref = c.userID
	}
	if u, ok := e.st.users[ref]; ok && u.AccountID == c.accountID {
		return u
	}
	if strings.Contains(ref, "@") {
		if u := e.userByEmailLocked(ref); u != nil && u.AccountID == c.accountID {
			return u
		}
	}
	return nil
}

func (e *Emulator) userJSON(r *http.Request, u *User) map[string]any {
	pu := e.publicUser(u)
	acct := e.st.accounts[u.AccountID]
	return map[string]any{
		"id":                   u.ID,
		"email":                u.Email,
		"first_name":           u.FirstName,
		"last_name":            u.LastName,
		"display_name":         u.DisplayName(),
		"type":                 u.Type,
		"role_name":            pu.RoleName,
		"role_id":              pu.RoleID,
		"account_id":           u.AccountID,
		"account_number":       acct.AccountNumber,
		"timezone":             u.Timezone,
		"status":               u.Status,
		"pmi":                  u.PMI,
		"use_pmi":              false,
		"personal_meeting_url": fmt.Sprintf("%s/j/%d", emuhttp.BaseURL(r), u.PMI),
		"language":             "en-US",
		"dept":                 "",
		"created_at":           u.CreatedAt.UTC().Format(time.RFC3339),
		"last_login_time":      u.CreatedAt.UTC().Format(time.RFC3339),
		"verified":             1,
		"group_ids":            []string{},
		"cluster":              "us05",
	}
}

func (e *Emulator) getUser(w http.ResponseWriter, r *http.Request, c caller) {
	ref := r.PathValue("userId")
	e.mu.Lock()
	u := e.resolveUserLocked(c, ref)
	var body map[string]any
	if u != nil {
		body = e.userJSON(r, u)
	}
	e.mu.Unlock()
	if u == nil {
		writeZoomError(w, http.StatusNotFound, 1001, "User does not exist: "+ref+".")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (e *Emulator) getPermissions(w http.ResponseWriter, r *http.Request, c caller) {
	ref := r.PathValue("userId")
	e.mu.Lock()
	u := e.resolveUserLocked(c, ref)
	var perms []string
	if u != nil {
		perms = e.permissionsLocked(u)
	}
	e.mu.Unlock()
	if u == nil {
		writeZoomError(w, http.StatusNotFound, 1001, "User does not exist: "+ref+".")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"permissions": perms})
}

// page resolves page_size and next_page_token for a listing whose identity is
// kind; ok=false means the error was written.
func (e *Emulator) page(w http.ResponseWriter, r *http.Request, accountID, kind string, total int) (from, to int, next string, size int, ok bool) {
	q := r.URL.Query()
	size = 30
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeValidation(w, []zoomspec.FieldError{{Field: "page_size", Message: "Invalid field."}})
			return 0, 0, "", 0, false
		}
		size = n
	}
	e.mu.Lock()
	now := e.Now()
	for k, cur := range e.st.cursors {
		if !now.Before(cur.expires) {
			delete(e.st.cursors, k)
		}
	}
	if tok := q.Get("next_page_token"); tok != "" {
		cur, found := e.st.cursors[tok]
		if !found || cur.account != accountID || cur.kind != kind {
			e.mu.Unlock()
			writeZoomError(w, http.StatusBadRequest, 300, "The next page token is invalid or expired.")
			return 0, 0, "", 0, false
		}
		from = cur.offset
	}
	from = min(from, total)
	to = min(from+size, total)
	if to < total {
		next = randomToken(24)
		// Zoom's page tokens expire after 15 minutes.
		e.st.cursors[next] = &pageCursor{kind: kind, account: accountID, offset: to, expires: now.Add(15 * time.Minute)}
	}
	e.mu.Unlock()
	return from, to, next, size, true
}

func (e *Emulator) listUsers(w http.ResponseWriter, r *http.Request, c caller) {
	q := r.URL.Query()
	status := cmp.Or(q.Get("status"), "active")
	roleID := q.Get("role_id")
	e.mu.Lock()
	var match []*User
	for _, id := range e.st.userOrder {
		u := e.st.users[id]
		if u.AccountID != c.accountID || u.Status != status {
			continue
		}
		if roleID != "" && e.publicUser(u).RoleID != roleID {
			continue
		}
		match = append(match, u)
	}
	e.mu.Unlock()
	from, to, next, size, ok := e.page(w, r, c.accountID, "users|"+status+"|"+roleID, len(match))
	if !ok {
		return
	}
	users := []map[string]any{}
	e.mu.Lock()
	for _, u := range match[from:to] {
		if _, live := e.st.users[u.ID]; live {
			users = append(users, e.userJSON(r, u))
		}
	}
	e.mu.Unlock()
	pages := (len(match) + size - 1) / size
	writeJSON(w, http.StatusOK, map[string]any{
		"next_page_token": next, "page_count": pages, "page_number": from/size + 1,
		"page_size": size, "total_records": len(match), "users": users,
	})
}

func (e *Emulator) listRooms(w http.ResponseWriter, r *http.Request, c caller) {
	q := r.URL.Query()
	status, name := q.Get("status"), strings.ToLower(q.Get("query_name"))
	e.mu.Lock()
	var match []Room
	for _, id := range e.st.roomOrder {
		rm := e.st.rooms[id]
		if rm.AccountID != c.accountID || (status != "" && rm.Status != status) || (name != "" && !strings.Contains(strings.ToLower(rm.Name), name)) {
			continue
		}
		match = append(match, *rm)
	}
	e.mu.Unlock()
	from, to, next, size, ok := e.page(w, r, c.accountID, "rooms|"+status+"|"+name, len(match))
	if !ok {
		return
	}
	rooms := []map[string]any{}
	for _, rm := range match[from:to] {
		rooms = append(rooms, map[string]any{
			"id": rm.ID, "room_id": rm.RoomID, "name": rm.Name, "status": rm.Status,
			"activation_code": rm.ActivationCode, "location_id": "",
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"next_page_token": next, "page_size": size, "rooms": rooms})
}

// meetingInput is the create/update body (fields the emulator keeps).
type meetingInput struct {
	Topic     *string        `json:"topic"`
	Type      *int           `json:"type"`
	StartTime *string        `json:"start_time"`
	Duration  *int           `json:"duration"`
	Timezone  *string        `json:"timezone"`
	Agenda    *string        `json:"agenda"`
	Password  *string        `json:"password"`
	Settings  map[string]any `json:"settings"`
	// ScheduleFor on a PATCH would hand the meeting to another user; Zoom
	// refuses that to an account-level app (devforum 129457), answering
	// 3000 "You cannot schedule a meeting for …", so does the emulator.
	ScheduleFor *string `json:"schedule_for"`
}

// parseStartTime applies Zoom's rule: a trailing Z (or offset) is absolute;
// otherwise the wall-clock time is in tz.
func parseStartTime(s, tz string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

func validTimezone(tz string) bool {
	if tz == "" || strings.HasPrefix(tz, "/") || strings.Contains(tz, "..") {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

func defaultSettings() map[string]any {
	return map[string]any{
		"host_video": false, "participant_video": false, "join_before_host": false,
		"mute_upon_entry": false, "waiting_room": false, "approval_type": 2,
		"audio": "both", "auto_recording": "none", "use_pmi": false,
		"meeting_authentication": false, "alternative_hosts": "",
		"email_notification": true, "private_meeting": false,
		"encryption_type": "enhanced_encryption",
	}
}

// applyInput checks then applies a create/update body to m; on error m is
// unchanged.
func applyInput(m *Meeting, in meetingInput, hostTZ string) []zoomspec.FieldError {
	tz := m.Timezone
	if in.Timezone != nil {
		if *in.Timezone != "" && !validTimezone(*in.Timezone) {
			return []zoomspec.FieldError{{Field: "timezone", Message: "Invalid field."}}
		}
		tz = cmp.Or(*in.Timezone, hostTZ)
	}
	start := m.StartTime
	if in.StartTime != nil {
		t, err := parseStartTime(*in.StartTime, tz)
		if err != nil {
			return []zoomspec.FieldError{{Field: "start_time", Message: "Invalid field."}}
		}
		start = t
	}
	if in.Duration != nil && *in.Duration < 0 {
		return []zoomspec.FieldError{{Field: "duration", Message: "Invalid field."}}
	}
	m.Timezone, m.StartTime = tz, start
	if in.Topic != nil {
		m.Topic = *in.Topic
	}
	if in.Type != nil {
		m.Type = *in.Type
	}
	if in.Duration != nil {
		m.Duration = *in.Duration
	}
	if in.Agenda != nil {
		m.Agenda = *in.Agenda
	}
	if in.Password != nil && *in.Password != "" {
		m.Password = *in.Password
	}
	for k, v := range in.Settings {
		m.Settings[k] = v
	}
	return nil
}

func (e *Emulator) meetingJSON(m *Meeting) map[string]any {
	out := map[string]any{
		"id": m.ID, "uuid": m.UUID, "host_id": m.HostID, "host_email": m.HostEmail,
		"topic": m.Topic, "type": m.Type, "status": "waiting",
		"duration": m.Duration, "timezone": m.Timezone, "agenda": m.Agenda,
		"created_at": m.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
		"start_url":  m.StartURL, "join_url": m.JoinURL, "password": m.Password,
		"h323_password": m.Password, "pstn_password": m.Password,
		"encrypted_password": encryptedPassword(m), "pre_schedule": false,
		"settings": cloneMap(m.Settings),
	}
	if m.Type == 2 || m.Type == 8 {
		out["start_time"] = m.StartTime.UTC().Format("2006-01-02T15:04:05Z")
	}
	return out
}

func encryptedPassword(m *Meeting) string {
	u, err := url.Parse(m.JoinURL)
	if err != nil {
		return ""
	}
	return u.Query().Get("pwd")
}

func (e *Emulator) createMeeting(w http.ResponseWriter, r *http.Request, c caller) {
	var in meetingInput
	if !readJSON(w, r, &in) {
		return
	}
	ref := r.PathValue("userId")
	e.mu.Lock()
	host := e.resolveUserLocked(c, ref)
	var hostCopy User
	if host != nil {
		hostCopy = *host
	}
	e.mu.Unlock()
	if host == nil {
		writeZoomError(w, http.StatusNotFound, 1001, "User does not exist: "+ref+".")
		return
	}
	if hostCopy.Status != "active" {
		writeZoomError(w, http.StatusBadRequest, 3161, "Meeting hosting and scheduling capabilities are not allowed for your user account.")
		return
	}
	if !e.takeDaily(w, hostCopy.ID) {
		return
	}
	now := e.Now().UTC().Truncate(time.Second)
	m := &Meeting{
		AccountID: c.accountID, HostID: hostCopy.ID, HostEmail: hostCopy.Email,
		Topic: "Zoom meeting", Type: 2, StartTime: now, Duration: 60, Timezone: hostCopy.Timezone,
		Password: randomAlnum(6), CreatedAt: now, Settings: defaultSettings(),
	}
	if errs := applyInput(m, in, hostCopy.Timezone); errs != nil {
		writeValidation(w, errs)
		return
	}
	m.UUID = base64Std(randomToken(16))
	base := emuhttp.BaseURL(r)
	e.mu.Lock()
	for {
		// Zoom meeting ids are 10–11 digits, beyond 2^32.
		m.ID = randomInt(80_000_000_000, 99_999_999_999)
		if _, taken := e.st.meetings[m.ID]; !taken {
			break
		}
	}
	m.JoinURL = fmt.Sprintf("%s/j/%d?pwd=%s", base, m.ID, randomToken(24))
	m.StartURL = fmt.Sprintf("%s/s/%d?zak=%s", base, m.ID, randomToken(48))
	e.st.meetings[m.ID] = m
	body := e.meetingJSON(m)
	e.mu.Unlock()
	writeJSON(w, http.StatusCreated, body)
}

// base64Std turns a URL-safe token into a Zoom-looking uuid ("...==").
func base64Std(s string) string {
	s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	for len(s)%4 != 0 {
		s += "="
	}
	return s
}

// meetingFor finds a live meeting of the caller's account.
func (e *Emulator) meetingForLocked(c caller, id int64) *Meeting {
	m, ok := e.st.meetings[id]
	if !ok || m.Deleted || m.AccountID != c.accountID {
		return nil
	}
	return m
}

func meetingID(r *http.Request) (int64, string) {
	raw := r.PathValue("meetingId")
	id, _ := strconv.ParseInt(raw, 10, 64)
	return id, raw
}

func (e *Emulator) getMeeting(w http.ResponseWriter, r *http.Request, c caller) {
	id, raw := meetingID(r)
	e.mu.Lock()
	m := e.meetingForLocked(c, id)
	var body map[string]any
	if m != nil {
		body = e.meetingJSON(m)
	}
	e.mu.Unlock()
	if m == nil {
		writeZoomError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+raw+".")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (e *Emulator) patchMeeting(w http.ResponseWriter, r *http.Request, c caller) {
	var in meetingInput
	if !readJSON(w, r, &in) {
		return
	}
	id, raw := meetingID(r)
	e.mu.Lock()
	m := e.meetingForLocked(c, id)
	var hostID, hostTZ string
	var other *User
	if m != nil {
		hostID = m.HostID
		if h := e.st.users[m.HostID]; h != nil {
			hostTZ = h.Timezone
		}
		if in.ScheduleFor != nil && *in.ScheduleFor != "" {
			other = e.resolveUserLocked(c, *in.ScheduleFor)
		}
	}
	e.mu.Unlock()
	if m == nil {
		writeZoomError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+raw+".")
		return
	}
	if in.ScheduleFor != nil && *in.ScheduleFor != "" {
		switch {
		case other == nil:
			writeZoomError(w, http.StatusBadRequest, 300, "Invalid schedule_for: "+*in.ScheduleFor+".")
			return
		case other.ID != hostID:
			writeZoomError(w, http.StatusBadRequest, 3000, "You cannot schedule a meeting for "+other.ID+".")
			return
		}
	}
	if !e.takeDaily(w, hostID) {
		return
	}
	e.mu.Lock()
	m = e.meetingForLocked(c, id)
	if m == nil {
		e.mu.Unlock()
		writeZoomError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+raw+".")
		return
	}
	work := *m
	work.Settings = cloneMap(m.Settings)
	errs := applyInput(&work, in, cmp.Or(hostTZ, m.Timezone))
	if errs == nil {
		*m = work
	}
	e.mu.Unlock()
	if errs != nil {
		writeValidation(w, errs)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) deleteMeeting(w http.ResponseWriter, r *http.Request, c caller) {
	id, raw := meetingID(r)
	q := r.URL.Query()
	e.mu.Lock()
	m := e.meetingForLocked(c, id)
	if m != nil {
		m.Deleted, m.DeletedByApp = true, true
		m.ScheduleForReminder = q.Get("schedule_for_reminder") == "true"
		m.CancelMeetingReminder = q.Get("cancel_meeting_reminder") == "true"
	}
	e.mu.Unlock()
	if m == nil {
		writeZoomError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+raw+".")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listMeetings serves GET /users/{userId}/meetings. Zoom truncates agendas
// to 250 characters in this listing.
func (e *Emulator) listMeetings(w http.ResponseWriter, r *http.Request, c caller) {
	ref := r.PathValue("userId")
	kind := cmp.Or(r.URL.Query().Get("type"), "scheduled")
	now := e.Now()
	e.mu.Lock()
	host := e.resolveUserLocked(c, ref)
	var match []*Meeting
	if host != nil {
		for _, m := range e.st.meetings {
			if m.Deleted || m.HostID != host.ID {
				continue
			}
			end := m.StartTime.Add(time.Duration(m.Duration) * time.Minute)
			switch kind {
			case "upcoming", "upcoming_meetings", "live":
				if end.Before(now) || (kind == "live" && m.StartTime.After(now)) {
					continue
				}
			case "previous_meetings":
				if !end.Before(now) {
					continue
				}
			}
			match = append(match, m)
		}
	}
	slices.SortFunc(match, func(a, b *Meeting) int {
		if c := a.StartTime.Compare(b.StartTime); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	list := make([]map[string]any, 0, len(match))
	for _, m := range match {
		agenda := m.Agenda
		if rs := []rune(agenda); len(rs) > 250 {
			agenda = string(rs[:250])
		}
		list = append(list, map[string]any{
			"id": m.ID, "uuid": m.UUID, "host_id": m.HostID, "topic": m.Topic, "type": m.Type,
			"start_time": m.StartTime.UTC().Format("2006-01-02T15:04:05Z"), "duration": m.Duration,
			"timezone": m.Timezone, "agenda": agenda, "join_url": m.JoinURL,
			"created_at": m.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
		})
	}
	e.mu.Unlock()
	if host == nil {
		writeZoomError(w, http.StatusNotFound, 1001, "User does not exist: "+ref+".")
		return
	}
	from, to, next, size, ok := e.page(w, r, c.accountID, "meetings|"+host.ID+"|"+kind, len(list))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"next_page_token": next, "page_count": (len(list) + size - 1) / size, "page_number": from/size + 1,
		"page_size": size, "total_records": len(list), "meetings": list[from:to],
	})
}
