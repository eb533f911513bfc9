package msgraph

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ListUsers reads the directory, following every page.
func (a *API) ListUsers(ctx context.Context) ([]User, error) {
	return listAll[User](ctx, a, "/users?$select=id,displayName,mail,userPrincipalName,jobTitle&$top=999")
}

// ListRooms reads the tenant's rooms, following every page.
func (a *API) ListRooms(ctx context.Context) ([]Room, error) {
	return listAll[Room](ctx, a, "/places/microsoft.graph.room?$top=100")
}

// listAll reads a collection from its first page at link, following every
// @odata.nextLink.
func listAll[T any](ctx context.Context, a *API, link string) ([]T, error) {
	var out []T
	for link != "" {
		var p Page[T]
		if err := a.do(ctx, request{method: http.MethodGet, url: link}, &p); err != nil {
			return nil, err
		}
		out, link = append(out, p.Value...), p.NextLink
	}
	return out, nil
}

// DeltaRound reads one round of a mailbox's calendarView delta: from the
// start (deltaLink "") over [from, to), or the changes since deltaLink. It
// follows every @odata.nextLink — occurrences of recurring meetings come
// last — and returns the items and the next round's deltaLink. A delta
// token Graph dropped is IsSyncStateGone: start again with "".
func (a *API) DeltaRound(ctx context.Context, mailbox, deltaLink string, from, to time.Time, pageSize int) ([]Event, string, error) {
	link := deltaLink
	if link == "" {
		q := url.Values{"startDateTime": {from.UTC().Format("2006-01-02T15:04:05Z")}, "endDateTime": {to.UTC().Format("2006-01-02T15:04:05Z")}}
		link = "/users/" + url.PathEscape(mailbox) + "/calendarView/delta?" + q.Encode()
	}
	prefer := []string{`outlook.timezone="UTC"`}
	if pageSize > 0 {
		prefer = append(prefer, "odata.maxpagesize="+strconv.Itoa(pageSize))
	}
	// The pages are read one after another: one place of the mailbox.
	ctx, release, err := a.Hold(ctx, mailbox)
	if err != nil {
		return nil, "", err
	}
	defer release()
	var out []Event
	for pages := 0; ; pages++ {
		if pages > 100000 {
			return nil, "", &Error{Code: "malformedAnswer", Message: "the delta never ended"}
		}
		var p EventPage
		if err := a.do(ctx, request{method: http.MethodGet, url: link, mailbox: mailbox, prefer: prefer}, &p); err != nil {
			return nil, "", err
		}
		out = append(out, p.Value...)
		switch {
		case p.NextLink != "":
			link = p.NextLink
		case p.DeltaLink != "":
			return out, p.DeltaLink, nil
		default:
			return nil, "", &Error{Status: http.StatusOK, Code: "malformedAnswer", Message: "a delta page had neither @odata.nextLink nor @odata.deltaLink"}
		}
	}
}

// GetSchedule asks for the free/busy of addresses (at most 100, window
// under 62 days) through the mailbox's calendar. Entries that carry an
// error are returned as such: the caller must treat them as unknown.
func (a *API) GetSchedule(ctx context.Context, mailbox string, req ScheduleRequest) ([]ScheduleInformation, error) {
	var out ScheduleResponse
	err := a.do(ctx, request{method: http.MethodPost, url: "/users/" + url.PathEscape(mailbox) + "/calendar/getSchedule", mailbox: mailbox,
		body: req, prefer: []string{`outlook.timezone="UTC"`}}, &out)
	return out.Value, err
}

// CreateEvent creates an event in the mailbox's calendar. Its
// transactionId makes a retry safe: when Graph says the id was used
// (ErrorDuplicateTransactionId, answered 400 or 409), the event the
// earlier attempt created is looked up and returned.
func (a *API) CreateEvent(ctx context.Context, mailbox string, ev Event) (*Event, error) {
	var out Event
	err := a.do(ctx, request{method: http.MethodPost, url: "/users/" + url.PathEscape(mailbox) + "/events", mailbox: mailbox, body: ev,
		prefer: []string{`outlook.timezone="UTC"`}}, &out)
	if e := (*Error)(nil); errors.As(err, &e) && e.Code == "ErrorDuplicateTransactionId" && ev.TransactionID != "" {
		found, ferr := a.FindByTransactionID(ctx, mailbox, ev.TransactionID)
		if ferr != nil {
			return nil, ferr
		}
		if found != nil {
			return found, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// FindByTransactionID finds the event created with a transactionId.
func (a *API) FindByTransactionID(ctx context.Context, mailbox, txn string) (*Event, error) {
	var p EventPage
	q := url.Values{"$filter": {"transactionId eq '" + txn + "'"}}
	if err := a.do(ctx, request{method: http.MethodGet, url: "/users/" + url.PathEscape(mailbox) + "/events?" + q.Encode(), mailbox: mailbox}, &p); err != nil {
		return nil, err
	}
	if len(p.Value) == 0 {
		return nil, nil
	}
	return &p.Value[0], nil
}

// UpdateEvent patches an event.
func (a *API) UpdateEvent(ctx context.Context, mailbox, id string, patch any) (*Event, error) {
	var out Event
	err := a.do(ctx, request{method: http.MethodPatch, url: "/users/" + url.PathEscape(mailbox) + "/events/" + url.PathEscape(id), mailbox: mailbox,
		body: patch, prefer: []string{`outlook.timezone="UTC"`}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteEvent deletes an event (attendees get Outlook's cancellation). An
// event already gone counts as deleted.
func (a *API) DeleteEvent(ctx context.Context, mailbox, id string) error {
	err := a.do(ctx, request{method: http.MethodDelete, url: "/users/" + url.PathEscape(mailbox) + "/events/" + url.PathEscape(id), mailbox: mailbox}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// CreateSubscription subscribes to a mailbox's events; Graph validates the
// notification URLs before answering.
func (a *API) CreateSubscription(ctx context.Context, s Subscription) (*Subscription, error) {
	var out Subscription
	if err := a.do(ctx, request{method: http.MethodPost, url: "/subscriptions", body: s}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RenewSubscription moves a subscription's expiry.
func (a *API) RenewSubscription(ctx context.Context, id string, until time.Time) (*Subscription, error) {
	var out Subscription
	err := a.do(ctx, request{method: http.MethodPatch, url: "/subscriptions/" + url.PathEscape(id),
		body: map[string]string{"expirationDateTime": until.UTC().Format(time.RFC3339)}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSubscription removes a subscription (gone already is fine).
func (a *API) DeleteSubscription(ctx context.Context, id string) error {
	err := a.do(ctx, request{method: http.MethodDelete, url: "/subscriptions/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ReauthorizeSubscription answers a reauthorizationRequired lifecycle event.
func (a *API) ReauthorizeSubscription(ctx context.Context, id string) error {
	return a.do(ctx, request{method: http.MethodPost, url: "/subscriptions/" + url.PathEscape(id) + "/reauthorize"}, nil)
}
