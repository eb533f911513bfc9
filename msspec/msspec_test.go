package msspec_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"interviewplanner/msspec"
)

// The embedded CSDL is Microsoft's file, byte for byte.
func TestCSDLIsTheOfficialFile(t *testing.T) {
	b, err := msspec.CSDL()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != "79b90dfb12d57adecfa110069397ed7003719e713840a9f885ae946fd9ee6e6b" || len(b) != 3517196 {
		t.Fatalf("sha256 %s, %d bytes", got, len(b))
	}
}

func TestEntityChecks(t *testing.T) {
	m, err := msspec.LoadModel()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		typ, body, wantErr string
	}{
		{"scheduleItem", `{"start":{"dateTime":"2026-03-03T09:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"x"},"status":"busy","isPrivate":false}`, ""},
		{"scheduleItem", `{"status":"busy","isMeeting":true}`, "isMeeting: not a property of scheduleItem"},
		{"scheduleItem", `{"status":"Busy"}`, `"Busy" is not a freeBusyStatus`},
		{"event", `{"id":"1","showAs":"oof","attendees":[{"type":"resource","emailAddress":{"address":"r@x"},"status":{"response":"declined"}}],"lastModifiedDateTime":"x"}`, ""},
		{"event", `{"attendees":[{"type":"boss"}]}`, `"boss" is not a attendeeType`},
		{"room", `{"@odata.type":"#microsoft.graph.room","id":"1","emailAddress":"r@x","capacity":4,"building":"HQ"}`, ""},
		{"workingHours", `{"timeZone":{"@odata.type":"#microsoft.graph.customTimeZone","bias":480,"name":"x"}}`, ""},
	} {
		err := m.CheckEntity(c.typ, []byte(c.body))
		if (c.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("%s %s: %v, want %q", c.typ, c.body, err, c.wantErr)
		}
	}
}

func TestSchemaChecks(t *testing.T) {
	ok := `{"schedules":["a@x"],"startTime":{"dateTime":"2026-03-03T09:00:00","timeZone":"UTC"},"endTime":{"dateTime":"2026-03-03T10:00:00","timeZone":"UTC"},"availabilityViewInterval":30}`
	if err := msspec.Validate("getScheduleRequest", []byte(ok)); err != nil {
		t.Fatal(err)
	}
	pascal := strings.NewReplacer(`"schedules"`, `"Schedules"`).Replace(ok)
	if err := msspec.Validate("getScheduleRequest", []byte(pascal)); err == nil {
		t.Fatal("the derived schema enforces camelCase for clients")
	}
	lifecycle := `{"value":[{"subscriptionId":"6f5f5d5e-1111-4222-8333-444455556666","subscriptionExpirationDateTime":"2026-03-03T09:00:00Z","tenantId":"6f5f5d5e-1111-4222-8333-444455556666","lifecycleEvent":"missed"}]}`
	if err := msspec.Validate("changeNotificationCollection", []byte(lifecycle)); err != nil {
		t.Fatalf("lifecycle notification: %v", err)
	}
	if err := msspec.Validate("changeNotificationCollection", []byte(strings.Replace(lifecycle, `"lifecycleEvent":"missed"`, `"clientState":"x"`, 1))); err == nil {
		t.Fatal("a change notification without changeType passed")
	}
}
