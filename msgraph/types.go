// Package msgraph is a small typed client for the part of Microsoft Graph
// v1.0 InterviewPlanner uses: app-only tokens (client credentials) per
// tenant, users and rooms, calendarView delta, getSchedule, event writes
// and change-notification subscriptions. It keeps Graph's rules: at most
// four requests in flight per mailbox, Retry-After honoured on 429 and 503,
// 5xx and timeouts retried, every @odata.nextLink followed. The wire types
// here are shared with the emulator (msemu) and checked against the
// official metadata by msspec.
package msgraph

// DateTimeTimeZone is Graph's wall clock plus a zone name: dateTime has no
// offset ("2026-03-03T09:00:00.0000000") and timeZone is usually a Windows
// zone name ("Pacific Standard Time").
type DateTimeTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone,omitempty"`
}

// EmailAddress is a name and an SMTP address.
type EmailAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"`
}

// Recipient wraps an address (organizer).
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"`
}

// ResponseStatus is an attendee's answer.
type ResponseStatus struct {
	Response string `json:"response"` // none, organizer, tentativelyAccepted, accepted, declined, notResponded
	Time     string `json:"time,omitempty"`
}

// Attendee of an event.
type Attendee struct {
	Type         string          `json:"type"` // required, optional, resource
	Status       *ResponseStatus `json:"status,omitempty"`
	EmailAddress EmailAddress    `json:"emailAddress"`
}

// ItemBody is an event body.
type ItemBody struct {
	ContentType string `json:"contentType"` // text or html
	Content     string `json:"content"`
}

// Location of an event.
type Location struct {
	DisplayName  string `json:"displayName"`
	LocationType string `json:"locationType,omitempty"`
	LocationURI  string `json:"locationUri,omitempty"`
}

// Removed marks a delta item as gone (deleted, or moved out of the window).
type Removed struct {
	Reason string `json:"reason"`
}

// Event is the part of Graph's event InterviewPlanner reads and writes.
type Event struct {
	ODataType      string            `json:"@odata.type,omitempty"`
	Removed        *Removed          `json:"@removed,omitempty"`
	ID             string            `json:"id,omitempty"`
	ICalUID        string            `json:"iCalUId,omitempty"`
	Subject        *string           `json:"subject,omitempty"`
	Body           *ItemBody         `json:"body,omitempty"`
	Start          *DateTimeTimeZone `json:"start,omitempty"`
	End            *DateTimeTimeZone `json:"end,omitempty"`
	ShowAs         string            `json:"showAs,omitempty"`
	IsCancelled    *bool             `json:"isCancelled,omitempty"`
	IsAllDay       *bool             `json:"isAllDay,omitempty"`
	IsOrganizer    *bool             `json:"isOrganizer,omitempty"`
	Sensitivity    string            `json:"sensitivity,omitempty"` // normal, personal, private, confidential
	Type           string            `json:"type,omitempty"`        // singleInstance, occurrence, exception, seriesMaster
	SeriesMasterID string            `json:"seriesMasterId,omitempty"`
	ResponseStatus *ResponseStatus   `json:"responseStatus,omitempty"`
	Organizer      *Recipient        `json:"organizer,omitempty"`
	Attendees      []Attendee        `json:"attendees,omitempty"`
	Location       *Location         `json:"location,omitempty"`
	TransactionID  string            `json:"transactionId,omitempty"`
	ChangeKey      string            `json:"changeKey,omitempty"`
	LastModified   string            `json:"lastModifiedDateTime,omitempty"`
}

// EventPage is one page of calendarView or its delta.
type EventPage struct {
	Context   string  `json:"@odata.context,omitempty"`
	NextLink  string  `json:"@odata.nextLink,omitempty"`
	DeltaLink string  `json:"@odata.deltaLink,omitempty"`
	Value     []Event `json:"value"`
}

// User is a directory user.
type User struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	Mail              string `json:"mail,omitempty"`
	UserPrincipalName string `json:"userPrincipalName"`
	JobTitle          string `json:"jobTitle,omitempty"`
	OfficeLocation    string `json:"officeLocation,omitempty"`
}

// Page is one page of a Graph collection; NextLink, when set, reads the
// next one.
type Page[T any] struct {
	Context  string `json:"@odata.context,omitempty"`
	NextLink string `json:"@odata.nextLink,omitempty"`
	Value    []T    `json:"value"`
}

// UserPage is one page of /users.
type UserPage = Page[User]

// Room is a place of type room.
type Room struct {
	ODataType    string `json:"@odata.type,omitempty"`
	ID           string `json:"id"`
	DisplayName  string `json:"displayName"`
	EmailAddress string `json:"emailAddress"`
	Building     string `json:"building,omitempty"`
	FloorNumber  *int   `json:"floorNumber,omitempty"`
	Capacity     *int   `json:"capacity,omitempty"`
}

// RoomPage is one page of /places/microsoft.graph.room.
type RoomPage = Page[Room]

// ScheduleRequest is getSchedule's body (camelCase, as documented).
type ScheduleRequest struct {
	Schedules                []string         `json:"schedules"`
	StartTime                DateTimeTimeZone `json:"startTime"`
	EndTime                  DateTimeTimeZone `json:"endTime"`
	AvailabilityViewInterval int              `json:"availabilityViewInterval,omitempty"`
}

// ScheduleItem is one busy block in getSchedule's answer.
type ScheduleItem struct {
	Start     DateTimeTimeZone `json:"start"`
	End       DateTimeTimeZone `json:"end"`
	Status    string           `json:"status"`
	IsPrivate *bool            `json:"isPrivate,omitempty"`
	Subject   string           `json:"subject,omitempty"`
	Location  string           `json:"location,omitempty"`
}

// FreeBusyError is a schedule that could not be read, inside a 200.
type FreeBusyError struct {
	Message      string `json:"message"`
	ResponseCode string `json:"responseCode"`
}

// ScheduleInformation is one requested address's answer.
type ScheduleInformation struct {
	ScheduleID       string         `json:"scheduleId"`
	AvailabilityView string         `json:"availabilityView"`
	ScheduleItems    []ScheduleItem `json:"scheduleItems"`
	Error            *FreeBusyError `json:"error,omitempty"`
}

// ScheduleResponse is getSchedule's answer.
type ScheduleResponse struct {
	Context string                `json:"@odata.context,omitempty"`
	Value   []ScheduleInformation `json:"value"`
}

// Subscription is a change-notification subscription.
type Subscription struct {
	ID                       string `json:"id,omitempty"`
	Resource                 string `json:"resource"`
	ChangeType               string `json:"changeType"`
	ClientState              string `json:"clientState,omitempty"`
	NotificationURL          string `json:"notificationUrl"`
	LifecycleNotificationURL string `json:"lifecycleNotificationUrl,omitempty"`
	ExpirationDateTime       string `json:"expirationDateTime"`
	ApplicationID            string `json:"applicationId,omitempty"`
	CreatorID                string `json:"creatorId,omitempty"`
	LatestSupportedTLS       string `json:"latestSupportedTlsVersion,omitempty"`
}

// ResourceData names the changed item in a basic notification.
type ResourceData struct {
	ODataType string `json:"@odata.type,omitempty"`
	ODataID   string `json:"@odata.id,omitempty"`
	ODataEtag string `json:"@odata.etag,omitempty"`
	ID        string `json:"id,omitempty"`
}

// ChangeNotification is one item of a notification POST: a change (with
// changeType and resource) or a lifecycle event.
type ChangeNotification struct {
	ID                             string        `json:"id,omitempty"`
	SubscriptionID                 string        `json:"subscriptionId"`
	SubscriptionExpirationDateTime string        `json:"subscriptionExpirationDateTime"`
	ClientState                    string        `json:"clientState,omitempty"`
	ChangeType                     string        `json:"changeType,omitempty"`
	Resource                       string        `json:"resource,omitempty"`
	TenantID                       string        `json:"tenantId"`
	ResourceData                   *ResourceData `json:"resourceData,omitempty"`
	LifecycleEvent                 string        `json:"lifecycleEvent,omitempty"`
}

// NotificationCollection is the body of a notification POST.
type NotificationCollection struct {
	Value []ChangeNotification `json:"value"`
}

// ErrorBody is Graph's error envelope.
type ErrorBody struct {
	Error struct {
		Code       string         `json:"code"`
		Message    string         `json:"message"`
		InnerError map[string]any `json:"innerError,omitempty"`
	} `json:"error"`
}

// TokenError is the identity platform's error body.
type TokenError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes,omitempty"`
	Timestamp        string `json:"timestamp,omitempty"`
	TraceID          string `json:"trace_id,omitempty"`
	CorrelationID    string `json:"correlation_id,omitempty"`
	ErrorURI         string `json:"error_uri,omitempty"`
}

// Graph's enum values InterviewPlanner reads.
const (
	ShowFree             = "free"
	ShowTentative        = "tentative"
	ShowBusy             = "busy"
	ShowOOF              = "oof"
	ShowWorkingElsewhere = "workingElsewhere"
	ShowUnknown          = "unknown"

	ResponseDeclined  = "declined"
	ResponseAccepted  = "accepted"
	ResponseTentative = "tentativelyAccepted"
	ResponseNone      = "none"
	ResponseOrganizer = "organizer"
)
