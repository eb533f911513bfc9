package mail

import (
	"bytes"
	"io"
	"net/mail"
	"strings"
	"testing"

	"mime"
	"mime/multipart"
)

func TestBuildParsesBack(t *testing.T) {
	raw, err := Build("InterviewPlanner <no-reply@example.com>", Message{
		To: []string{"ann@example.com"}, Subject: "Invitation — join Acme",
		Text:        "Open https://example.com/invitations/abc to join.",
		Attachments: []Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=UTF-8", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	if s, _ := dec.DecodeHeader(msg.Header.Get("Subject")); s != "Invitation — join Acme" {
		t.Fatalf("subject %q", s)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts = append(parts, p.Header.Get("Content-Type")+"|"+string(b))
	}
	if len(parts) != 2 || !strings.Contains(parts[0], "invitations/abc") || !strings.HasPrefix(parts[1], "text/calendar; method=REQUEST") || !strings.Contains(parts[1], "BEGIN:VCALENDAR") {
		t.Fatalf("parts = %q", parts)
	}
}

func TestBuildRejectsBadRecipient(t *testing.T) {
	if _, err := Build("a@b.c", Message{To: []string{"not an address"}}); err == nil {
		t.Fatal("want error")
	}
	if _, err := Build("a@b.c", Message{}); err == nil {
		t.Fatal("want error for no recipient")
	}
}

func TestNew(t *testing.T) {
	s, err := New("", "a@b.c", nil)
	if _, ok := s.(*Outbox); err != nil || !ok {
		t.Fatalf("New(\"\") = %T, %v", s, err)
	}
	if _, err := New("http://x", "a@b.c", nil); err == nil {
		t.Fatal("want error for http scheme")
	}
	s, err = New("smtp://u:p@mail.example.com:587", "a@b.c", nil)
	if _, ok := s.(*SMTP); err != nil || !ok {
		t.Fatalf("New(smtp) = %T, %v", s, err)
	}
}
