package zoomemu

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// WebhookDelivery is one event sent to the app, with every attempt.
type WebhookDelivery struct {
	ID        string            `json:"id"`
	Event     string            `json:"event"`
	URL       string            `json:"url"`
	Body      string            `json:"body"`
	Header    map[string]string `json:"header"`
	Attempts  []DeliveryAttempt `json:"attempts"`
	Delivered bool              `json:"delivered"`
	Done      bool              `json:"done"` // no more attempts will be made
}

// DeliveryAttempt is one POST of a delivery.
type DeliveryAttempt struct {
	At     time.Time `json:"at"`
	Status int       `json:"status"` // 0 = network error
	Error  string    `json:"error,omitempty"`
}

// Deliveries lists webhook deliveries, oldest first.
func (e *Emulator) Deliveries() []WebhookDelivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]WebhookDelivery, 0, len(e.st.delivs))
	for _, d := range e.st.delivs {
		c := *d
		c.Attempts = append([]DeliveryAttempt(nil), d.Attempts...)
		c.Header = make(map[string]string, len(d.Header))
		for k, v := range d.Header {
			c.Header[k] = v
		}
		out = append(out, c)
	}
	return out
}

// Sign returns Zoom's x-zm-signature for a body sent at ts (unix seconds).
func Sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", ts)
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// deauthEvent builds app_deauthorized as Zoom sends it.
func (e *Emulator) deauthEvent(accountID, userID string) []byte {
	now := e.Now().UTC()
	ev := map[string]any{
		"event":    "app_deauthorized",
		"event_ts": now.UnixMilli(),
		"payload": map[string]any{
			"account_id":           accountID,
			"user_id":              userID,
			"client_id":            e.cfg.ClientID,
			"deauthorization_time": now.Format("2006-01-02T15:04:05.000Z"),
			"signature":            randomHex(32),
			"user_data_retention":  "false",
		},
	}
	b, _ := json.Marshal(ev)
	return b
}

// sendDeauthorized queues app_deauthorized and delivers it in the
// background, retrying on 5xx or network errors after WebhookRetryDelays.
// Call without e.mu held.
func (e *Emulator) sendDeauthorized(accountID, userID string) {
	body := e.deauthEvent(accountID, userID)
	d := &WebhookDelivery{ID: randomID(), Event: "app_deauthorized", URL: e.cfg.DeauthorizationURL, Body: string(body), Header: map[string]string{}}
	e.mu.Lock()
	e.st.delivs = append(e.st.delivs, d)
	e.mu.Unlock()
	if e.Ctx.Err() != nil {
		e.finish(d, DeliveryAttempt{At: e.Now(), Error: "emulator closed"}, false)
		return
	}
	e.WG.Add(1)
	go func() {
		defer e.WG.Done()
		e.deliver(d, body)
	}()
}

func (e *Emulator) deliver(d *WebhookDelivery, body []byte) {
	if d.URL == "" {
		e.finish(d, DeliveryAttempt{At: e.Now(), Error: "no deauthorization URL registered"}, false)
		return
	}
	for attempt := 0; ; attempt++ {
		status, header, _, err := e.post(e.Ctx, d.URL, body)
		a := DeliveryAttempt{At: e.Now(), Status: status}
		if err != nil {
			a.Error = err.Error()
		}
		ok := err == nil && status >= 200 && status < 300
		retry := err != nil || status >= 500
		last := !retry || attempt >= len(e.cfg.WebhookRetryDelays)
		e.mu.Lock()
		d.Attempts = append(d.Attempts, a)
		for k := range header {
			d.Header[k] = header.Get(k)
		}
		if ok || last {
			d.Delivered, d.Done = ok, true
		}
		e.mu.Unlock()
		if ok || last {
			e.Log.Info("zoomemu: webhook", "event", d.Event, "url", d.URL, "delivered", ok, "attempts", attempt+1)
			return
		}
		t := time.NewTimer(e.cfg.WebhookRetryDelays[attempt])
		select {
		case <-t.C:
		case <-e.Ctx.Done():
			t.Stop()
			e.finish(d, DeliveryAttempt{At: e.Now(), Error: "emulator closed"}, false)
			return
		}
	}
}

func (e *Emulator) finish(d *WebhookDelivery, a DeliveryAttempt, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d.Attempts = append(d.Attempts, a)
	d.Delivered, d.Done = ok, true
}

// post sends a signed event and returns the status, the signing headers and
// the response body.
func (e *Emulator) post(ctx context.Context, url string, body []byte) (int, http.Header, []byte, error) {
	ts := strconv.FormatInt(e.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	sent := http.Header{}
	sent.Set("Content-Type", "application/json; charset=utf-8")
	sent.Set("User-Agent", "Zoom Marketplace/1.0a")
	sent.Set("x-zm-request-timestamp", ts)
	sent.Set("x-zm-signature", Sign(e.cfg.WebhookSecret, ts, body))
	sent.Set("x-zm-request-id", randomID())
	req.Header = sent
	resp, err := e.Client.Do(req)
	if err != nil {
		return 0, sent, nil, err
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, sent, rb, nil
}

// URLValidation is the outcome of an endpoint.url_validation challenge.
type URLValidation struct {
	URL        string `json:"url"`
	PlainToken string `json:"plain_token"`
	Status     int    `json:"status"`
	Valid      bool   `json:"valid"`
	Reason     string `json:"reason,omitempty"`
}

// ValidateEndpoint sends Zoom's endpoint.url_validation challenge to the
// deauthorization URL and checks the answer: HTTP 200/204 with
// {"plainToken", "encryptedToken" = hex HMAC-SHA256(secret, plainToken)}.
func (e *Emulator) ValidateEndpoint(ctx context.Context) (URLValidation, error) {
	url := e.cfg.DeauthorizationURL
	if url == "" {
		return URLValidation{}, errors.New("zoomemu: no deauthorization URL registered")
	}
	plain := randomToken(16)
	body, _ := json.Marshal(map[string]any{
		"event":    "endpoint.url_validation",
		"event_ts": e.Now().UnixMilli(),
		"payload":  map[string]string{"plainToken": plain},
	})
	v := URLValidation{URL: url, PlainToken: plain}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second) // Zoom wants the answer within 3 s
	defer cancel()
	status, _, rb, err := e.post(ctx, url, body)
	v.Status = status
	if err != nil {
		v.Reason = err.Error()
		return v, nil
	}
	if status != http.StatusOK && status != http.StatusNoContent {
		v.Reason = fmt.Sprintf("HTTP %d", status)
		return v, nil
	}
	var answer struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}
	if err := json.Unmarshal(rb, &answer); err != nil {
		v.Reason = "answer is not JSON"
		return v, nil
	}
	mac := hmac.New(sha256.New, []byte(e.cfg.WebhookSecret))
	mac.Write([]byte(plain))
	want := hex.EncodeToString(mac.Sum(nil))
	switch {
	case answer.PlainToken != plain:
		v.Reason = "plainToken does not match"
	case !hmac.Equal([]byte(answer.EncryptedToken), []byte(want)):
		v.Reason = "encryptedToken does not match"
	default:
		v.Valid = true
	}
	return v, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
