package googleemu

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/emuhttp"
)

// MaxChannelTTL caps a channel's life (Google does not document its limit;
// a week is what clients assume, FACTS #38).
const MaxChannelTTL = 7 * 24 * time.Hour

// Delivery is one push notification and its attempts.
type Delivery struct {
	ChannelID string    `json:"channel_id"`
	State     string    `json:"state"` // sync, exists
	Message   int64     `json:"message"`
	Statuses  []int     `json:"statuses"` // per attempt; 0 = network error
	Dropped   bool      `json:"dropped"`  // not sent (Google's pushes are not 100% reliable)
	At        time.Time `json:"at"`
}

func resourceID(calID string) string {
	sum := sha256.Sum256([]byte("events/" + key(calID)))
	return hex.EncodeToString(sum[:12])
}

func (e *Emulator) eventsWatch(w http.ResponseWriter, r *http.Request, c *caller) {
	var ch calendar.Channel
	if !readJSON(w, r, &ch) {
		return
	}
	if ch.Id == "" || len(ch.Id) > 64 {
		writeError(w, http.StatusBadRequest, "global", "required", "Channel id is required and at most 64 characters.")
		return
	}
	if ch.Type != "web_hook" && ch.Type != "webhook" {
		writeError(w, http.StatusBadRequest, "push", "unsupportedChannelType", "Unsupported channel type: "+ch.Type)
		return
	}
	u, err := url.Parse(ch.Address)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && e.cfg.AllowHTTPPush)) {
		writeError(w, http.StatusBadRequest, "push", "invalidAddress", "WebHook callback must be HTTPS: "+ch.Address)
		return
	}
	if len(ch.Token) > 256 {
		writeError(w, http.StatusBadRequest, "global", "invalid", "Channel token is longer than 256 characters.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cal := e.readable(w, c, r.PathValue("calendarId"))
	if cal == nil {
		return
	}
	if e.st.Channels[ch.Id] != nil {
		writeError(w, http.StatusBadRequest, "push", "channelIdNotUnique", "Channel id "+ch.Id+" not unique")
		return
	}
	exp := e.Now().Add(MaxChannelTTL)
	if ch.Expiration > 0 && time.UnixMilli(ch.Expiration).Before(exp) {
		exp = time.UnixMilli(ch.Expiration)
	}
	stored := &Channel{ID: ch.Id, ResourceID: resourceID(cal.ID), CalendarID: cal.ID, Address: ch.Address, Token: ch.Token, Expiration: exp}
	e.st.Channels[ch.Id] = stored
	// The first message is "sync"; it may arrive before this answer (FACTS #34).
	e.sendLocked(stored, "sync")
	writeJSON(w, http.StatusOK, &calendar.Channel{Kind: "api#channel", Id: ch.Id, ResourceId: stored.ResourceID,
		ResourceUri: emuhttp.BaseURL(r) + "/calendar/v3/calendars/" + url.PathEscape(cal.ID) + "/events?alt=json", Token: ch.Token,
		Expiration: exp.UnixMilli()})
}

func (e *Emulator) channelsStop(w http.ResponseWriter, r *http.Request, c *caller) {
	var ch calendar.Channel
	if !readJSON(w, r, &ch) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	stored := e.st.Channels[ch.Id]
	if stored == nil || stored.ResourceID != ch.ResourceId || stored.Stopped {
		writeError(w, http.StatusNotFound, "global", "notFound", "Channel '"+ch.Id+"' not found")
		return
	}
	stored.Stopped = true
	w.WriteHeader(http.StatusNoContent)
}

// notifyLocked tells every live channel on the calendar that it changed.
func (e *Emulator) notifyLocked(cal *Calendar, state string) {
	for _, ch := range e.st.Channels {
		if key(ch.CalendarID) == key(cal.ID) && !ch.Stopped && e.Now().Before(ch.Expiration) {
			e.sendLocked(ch, state)
		}
	}
}

// sendLocked delivers one notification in the background, retrying on
// 500, 502, 503 and 504 as Google does (FACTS #37).
func (e *Emulator) sendLocked(ch *Channel, state string) {
	// Message numbers increase but are not sequential (FACTS #36).
	if ch.Message == 0 {
		ch.Message = 1
	} else {
		ch.Message += 1 + rand.Int64N(3)
	}
	d := Delivery{ChannelID: ch.ID, State: state, Message: ch.Message, At: e.Now()}
	if e.dropPush {
		d.Dropped = true
		e.deliveries = append(e.deliveries, d)
		return
	}
	idx := len(e.deliveries)
	e.deliveries = append(e.deliveries, d)
	c := *ch
	e.WG.Add(1)
	go func() {
		defer e.WG.Done()
		for attempt := 0; ; attempt++ {
			status := e.post(&c, state, d.Message)
			e.mu.Lock()
			e.deliveries[idx].Statuses = append(e.deliveries[idx].Statuses, status)
			e.mu.Unlock()
			retry := status == 0 || status == 500 || status == 502 || status == 503 || status == 504
			if !retry || attempt >= len(e.cfg.PushRetryDelays) {
				return
			}
			select {
			case <-e.Ctx.Done():
				return
			case <-time.After(e.cfg.PushRetryDelays[attempt]):
			}
		}
	}()
}

func (e *Emulator) post(ch *Channel, state string, msg int64) int {
	req, err := http.NewRequestWithContext(e.Ctx, http.MethodPost, ch.Address, strings.NewReader(""))
	if err != nil {
		return 0
	}
	h := req.Header
	h.Set("Content-Type", "application/json; utf-8")
	h.Set("User-Agent", "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)")
	h.Set("X-Goog-Channel-ID", ch.ID)
	h.Set("X-Goog-Message-Number", strconv.FormatInt(msg, 10))
	h.Set("X-Goog-Resource-ID", ch.ResourceID)
	h.Set("X-Goog-Resource-State", state)
	h.Set("X-Goog-Resource-URI", "https://www.googleapis.com/calendar/v3/calendars/"+url.PathEscape(ch.CalendarID)+"/events?alt=json")
	h.Set("X-Goog-Channel-Expiration", ch.Expiration.UTC().Format(http.TimeFormat))
	if ch.Token != "" {
		h.Set("X-Goog-Channel-Token", ch.Token)
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
