package msemu

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"interviewplanner/msgraph"
)

// Delivery is one POST the emulator made to the app.
type Delivery struct {
	Kind   string // validation, notification, lifecycle
	URL    string
	Status int
	Error  string `json:",omitempty"`
	Body   string
	At     time.Time
}

func (e *Emulator) logDelivery(d Delivery) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.delivery) >= 5000 {
		e.delivery = e.delivery[2500:]
	}
	e.delivery = append(e.delivery, d)
}

// Deliveries returns what was POSTed to the app.
func (e *Emulator) Deliveries() []Delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Delivery(nil), e.delivery...)
}

var resourceRe = regexp.MustCompile(`^/?(?i:users)/([^/]+)/(?:calendar/)?(?i:events)$`)

func (e *Emulator) validURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	h := u.Hostname()
	return e.cfg.AllowHTTPNotifications && u.Scheme == "http" && (h == "127.0.0.1" || h == "localhost" || h == "::1")
}

// validate is Graph's handshake: POST url?validationToken=… (text/plain);
// the endpoint must answer 200, text/plain, the decoded token, within 10 s.
func (e *Emulator) validate(ctx context.Context, raw string) error {
	token := "Validation: Testing client application reachability for subscription Request-Id: " + newGUID() + " <&>'\""
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set("validationToken", token)
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := e.Client.Do(req)
	d := Delivery{Kind: "validation", URL: raw, At: e.Now()}
	if err != nil {
		d.Error = err.Error()
		e.logDelivery(d)
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	d.Status, d.Body = resp.StatusCode, string(body)
	e.logDelivery(d)
	ct := resp.Header.Get("Content-Type")
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("answered %d", resp.StatusCode)
	case !strings.HasPrefix(ct, "text/plain"):
		return fmt.Errorf("answered Content-Type %q, not text/plain", ct)
	case string(body) != token:
		return fmt.Errorf("did not echo the decoded validation token")
	}
	return nil
}

func (e *Emulator) wireSub(s *Sub) msgraph.Subscription {
	return msgraph.Subscription{ID: s.ID, Resource: s.Resource, ChangeType: s.ChangeType, ClientState: s.ClientState,
		NotificationURL: s.NotificationURL, LifecycleNotificationURL: s.LifecycleURL, ApplicationID: e.cfg.ClientID,
		CreatorID: e.cfg.ClientID, LatestSupportedTLS: "v1_2", ExpirationDateTime: s.Expires.UTC().Format("2006-01-02T15:04:05.0000000Z")}
}

func (e *Emulator) expiry(w http.ResponseWriter, raw string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, raw)
	now := e.Now()
	switch {
	case err != nil:
		graphError(w, http.StatusBadRequest, "InvalidRequest", "expirationDateTime is not a valid date-time.")
	case !t.After(now):
		graphError(w, http.StatusBadRequest, "InvalidRequest", "Subscription expiration can only be in the future.")
	case t.Sub(now) > time.Duration(e.cfg.MaxSubscriptionMinutes)*time.Minute:
		graphError(w, http.StatusBadRequest, "InvalidRequest", fmt.Sprintf("Subscription expiration can only be %d minutes in the future.", e.cfg.MaxSubscriptionMinutes))
	default:
		return t, true
	}
	return t, false
}

// createSubscription: POST /subscriptions.
func (e *Emulator) createSubscription(w http.ResponseWriter, r *http.Request) {
	var in msgraph.Subscription
	if !readJSON(w, r, &in) {
		return
	}
	m := resourceRe.FindStringSubmatch(in.Resource)
	if m == nil {
		graphError(w, http.StatusBadRequest, "InvalidRequest", "Invalid resource: "+in.Resource)
		return
	}
	for _, ct := range strings.Split(in.ChangeType, ",") {
		if ct != "created" && ct != "updated" && ct != "deleted" {
			graphError(w, http.StatusBadRequest, "InvalidRequest", "Invalid changeType: "+in.ChangeType)
			return
		}
	}
	if len(in.ClientState) > 128 {
		graphError(w, http.StatusBadRequest, "InvalidRequest", "clientState is longer than 128 characters.")
		return
	}
	if !e.validURL(in.NotificationURL) || (in.LifecycleNotificationURL != "" && !e.validURL(in.LifecycleNotificationURL)) {
		graphError(w, http.StatusBadRequest, "InvalidRequest", "The notification URL must be an HTTPS URL.")
		return
	}
	exp, ok := e.expiry(w, in.ExpirationDateTime)
	if !ok {
		return
	}
	e.mu.Lock()
	id, _, _, user, ok := e.st.mailbox(m[1])
	e.mu.Unlock()
	if !ok {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "The requested user '"+m[1]+"' is invalid.")
		return
	}
	if user != nil && user.OutsidePolicy {
		graphError(w, http.StatusForbidden, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access to OData is disabled.]")
		return
	}
	for _, u := range []string{in.NotificationURL, in.LifecycleNotificationURL} {
		if u == "" {
			continue
		}
		if err := e.validate(r.Context(), u); err != nil {
			graphError(w, http.StatusBadRequest, "ValidationError", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. ("+err.Error()+")")
			return
		}
	}
	s := &Sub{ID: newGUID(), Mailbox: id, Resource: in.Resource, ChangeType: in.ChangeType, ClientState: in.ClientState,
		NotificationURL: in.NotificationURL, LifecycleURL: in.LifecycleNotificationURL, Expires: exp}
	e.mu.Lock()
	e.st.Subs = append(e.st.Subs, s)
	out := e.wireSub(s)
	e.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

func (e *Emulator) subLocked(id string) *Sub {
	now := e.Now()
	for _, s := range e.st.Subs {
		if s.ID == id && s.Expires.After(now) {
			return s
		}
	}
	return nil
}

// renewSubscription: PATCH /subscriptions/{id} {expirationDateTime}.
func (e *Emulator) renewSubscription(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Expiration               string  `json:"expirationDateTime"`
		LifecycleNotificationURL *string `json:"lifecycleNotificationUrl"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.LifecycleNotificationURL != nil {
		graphError(w, http.StatusBadRequest, "InvalidRequest", "lifecycleNotificationUrl cannot be updated; delete and recreate the subscription.")
		return
	}
	exp, ok := e.expiry(w, in.Expiration)
	if !ok {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.subLocked(r.PathValue("id"))
	if s == nil {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "The object was not found.")
		return
	}
	s.Expires = exp
	writeJSON(w, http.StatusOK, e.wireSub(s))
}

func (e *Emulator) deleteSubscription(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, s := range e.st.Subs {
		if s.ID == r.PathValue("id") {
			e.st.Subs = append(e.st.Subs[:i], e.st.Subs[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	graphError(w, http.StatusNotFound, "ResourceNotFound", "The object was not found.")
}

func (e *Emulator) reauthorizeSubscription(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.subLocked(r.PathValue("id")) == nil {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "The object was not found.")
		return
	}
	w.WriteHeader(http.StatusOK)
}

// changedLocked notifies the mailbox's subscriptions of a change, in the
// background (one POST per subscription, as Graph batches).
func (e *Emulator) changedLocked(ev *Event, changeType string) {
	now := e.Now()
	for _, s := range e.st.Subs {
		if s.Mailbox != ev.Mailbox || !s.Expires.After(now) || !strings.Contains(s.ChangeType, changeType) {
			continue
		}
		n := msgraph.ChangeNotification{ID: randomToken(8), SubscriptionID: s.ID, SubscriptionExpirationDateTime: s.Expires.UTC().Format(time.RFC3339Nano),
			ClientState: s.ClientState, ChangeType: changeType, TenantID: e.st.TenantID,
			Resource:     "Users/" + ev.Mailbox + "/Events/" + ev.ID,
			ResourceData: &msgraph.ResourceData{ODataType: "#Microsoft.Graph.Event", ODataID: "Users/" + ev.Mailbox + "/Events/" + ev.ID, ODataEtag: `W/"` + randomToken(8) + `"`, ID: ev.ID}}
		e.post("notification", s.NotificationURL, msgraph.NotificationCollection{Value: []msgraph.ChangeNotification{n}})
	}
}

// post delivers in the background; a failure is retried a few times (Graph
// keeps trying for up to four hours).
func (e *Emulator) post(kind, to string, body any) {
	b, _ := json.Marshal(body)
	e.WG.Add(1)
	go func() {
		defer e.WG.Done()
		for attempt := range 3 {
			if attempt > 0 {
				select {
				case <-e.Ctx.Done():
					return
				case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
				}
			}
			req, _ := http.NewRequestWithContext(e.Ctx, http.MethodPost, to, bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			d := Delivery{Kind: kind, URL: to, Body: string(b), At: e.Now()}
			resp, err := e.Client.Do(req)
			if err != nil {
				d.Error = err.Error()
				e.logDelivery(d)
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d.Status = resp.StatusCode
			e.logDelivery(d)
			if resp.StatusCode < 300 {
				return
			}
		}
	}()
}

// SendLifecycle sends a lifecycle notification for a subscription:
// reauthorizationRequired, subscriptionRemoved (the subscription is gone)
// or missed.
func (e *Emulator) SendLifecycle(subID, event string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, s := range e.st.Subs {
		if s.ID != subID {
			continue
		}
		if s.LifecycleURL == "" {
			return fmt.Errorf("subscription %s has no lifecycle URL", subID)
		}
		n := msgraph.ChangeNotification{SubscriptionID: s.ID, SubscriptionExpirationDateTime: s.Expires.UTC().Format(time.RFC3339Nano),
			TenantID: e.st.TenantID, ClientState: s.ClientState, LifecycleEvent: event}
		if event == "subscriptionRemoved" {
			e.st.Subs = append(e.st.Subs[:i], e.st.Subs[i+1:]...)
		}
		e.post("lifecycle", s.LifecycleURL, msgraph.NotificationCollection{Value: []msgraph.ChangeNotification{n}})
		return nil
	}
	return fmt.Errorf("no subscription %s", subID)
}

// Subscriptions lists the live subscriptions.
func (e *Emulator) Subscriptions() []Sub {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Sub
	now := e.Now()
	for _, s := range e.st.Subs {
		if s.Expires.After(now) {
			out = append(out, *s)
		}
	}
	return out
}
