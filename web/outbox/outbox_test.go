package outbox_test

import (
	"net/http"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/mail"
)

// Without SMTP, an email of a company is kept in the database and shown
// to that company's admins only: the list, one email, its .ics download.
func TestOutboxKeepsEmailsPerCompany(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	acme, err := a.Main.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
	msg := mail.Message{AccountID: acme.ID, To: []string{"grace@candidate.example"}, Subject: "Interview scheduled · Acme",
		Text:        "Hello Grace,\n\nMon 4 Mar 2030, 15:00–15:30 CET (Europe/Berlin) <b>bold?</b>\n",
		Attachments: []mail.Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=UTF-8", Data: []byte(ics)}}}
	if err := a.Main.Mail.Send(ctx, msg); err != nil {
		t.Fatal(err)
	}

	admin := a.SignIn(t, "admin@example.com")
	list := admin.Get("/outbox")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, "Interview scheduled · Acme") || !strings.Contains(list.Body, "grace@candidate.example") {
		t.Fatalf("outbox list: %d\n%s", list.StatusCode, list.Body)
	}
	if !strings.Contains(admin.Get("/").Body, `href="/outbox"`) {
		t.Fatal("admins have no Outbox link")
	}
	i := strings.Index(list.Body, `href="/outbox/`)
	link := list.Body[i+6 : i+6+strings.Index(list.Body[i+6:], `"`)]
	one := admin.Get(link)
	if one.StatusCode != http.StatusOK || !strings.Contains(one.Body, "15:00–15:30 CET (Europe/Berlin)") || strings.Contains(one.Body, "<b>bold?</b>") {
		t.Fatalf("one email (%s): %d\n%s", link, one.StatusCode, one.Body)
	}
	dl := admin.Get(link + "/attachments/0")
	if dl.StatusCode != http.StatusOK || dl.Body != ics || !strings.HasPrefix(dl.Header.Get("Content-Type"), "text/calendar; method=REQUEST") ||
		!strings.Contains(dl.Header.Get("Content-Disposition"), `attachment; filename="invite.ics"`) {
		t.Fatalf("download: %d %v\n%q", dl.StatusCode, dl.Header, dl.Body)
	}
	if res := admin.Get(link + "/attachments/1"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a file the email lacks: %d", res.StatusCode)
	}

	// Another company's admin sees neither the list entry nor the email.
	globex := a.SignIn(t, "admin@globex.example")
	if strings.Contains(globex.Get("/outbox").Body, "grace@candidate.example") {
		t.Fatal("Globex's outbox shows Acme's email")
	}
	if res := globex.Get(link); res.StatusCode != http.StatusNotFound {
		t.Fatalf("Globex reading Acme's email: %d", res.StatusCode)
	}
	if res := globex.Get(link + "/attachments/0"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("Globex downloading Acme's file: %d", res.StatusCode)
	}
	// Schedulers are not admins.
	if res := a.SignIn(t, "sam@example.com").Get("/outbox"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a scheduler reading the outbox: %d", res.StatusCode)
	}
}
